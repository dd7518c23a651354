"""The reports of ``quote --provider``, ``quote --providers`` and ``models --provider(s)``,
with their CSV and Markdown (render_text.py dispatches to them; provider_tables.py draws them).

Money is exact (``Fraction``) and rounded once, for display: totals half-up to the cent,
per-image figures to 6 significant digits (``Usd``, as ``selfhost``). JSON carries the exact
value where its decimal ends, else the rounded one with ``"rounded": true``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from fluxcost.money import plain, plural
from fluxcost.provider_pricing import figure
from fluxcost.providers import BFL, PerImage, PerMp, PerMpStep, PerTile, ProviderBilling
from fluxcost.quote_report import PER_THOUSAND, Dimensions
from fluxcost.rates import Flat, PerMegapixel
from fluxcost.selfhost_report import Usd

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fluxcost.pricing import Request
    from fluxcost.provider_pricing import Catalog, ProviderPriced, ProviderQuote
    from fluxcost.rates import ModelRate

ROUNDING_NOTE = (
    "figures marked ~ are rounded for display only (totals half-up to the cent, per-image"
    " figures to 6 significant digits); JSON carries them exactly"
)


@dataclass(frozen=True, slots=True)
class ProviderLine:
    item: str
    detail: str
    quantity: str  # exact: "3", "1.9775390625", "25/14"
    unit: str
    unit_usd: Decimal
    usd: Usd


@dataclass(frozen=True, slots=True)
class ProviderQuoteReport:
    provider: str
    provider_name: str
    model: str
    model_name: str
    endpoints: tuple[str, ...]
    billing: str
    width: int
    height: int
    inputs: tuple[Dimensions, ...]
    batch: int
    steps: int | None  # the steps priced, when the price depends on them
    line_items: tuple[ProviderLine, ...]
    per_image_usd: Usd
    total_usd: Usd
    notes: tuple[str, ...]
    source: str
    checked: dt.date
    confidence: str

    def csv_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        header = ("item", "detail", "quantity", "unit", "unit_usd", "usd")
        rows: list[list[object]] = [
            [i.item, i.detail, i.quantity, i.unit, plain(i.unit_usd), i.usd]
            for i in self.line_items
        ]
        rows.append(["per image", "", "", "", "", self.per_image_usd])
        rows.append([f"total, {plural(self.batch, 'image')}", "", "", "", "", self.total_usd])
        return header, rows

    def markdown(self) -> list[str]:
        at = f"{self.model_name} (`{self.model}`) at {self.provider_name}"
        out = [f"### {at}, {self.title()}", ""]
        rows = [[i.item, i.detail, f"{i.quantity} {i.unit}", f"${plain(i.unit_usd)}",
                 i.usd.dollars] for i in self.line_items]  # fmt: skip
        rows.append(["per image", "", "", "", self.per_image_usd.dollars])
        rows.append([f"**total, {plural(self.batch, 'image')}**", "", "", "",
                     f"**{self.total_usd.dollars}**"])  # fmt: skip
        return [*out, *_table(["item", "detail", "quantity", "unit USD", "USD"], rows, {2, 3, 4}),
                *self.footer()]  # fmt: skip

    def title(self) -> str:
        steps = "" if self.steps is None else f", {plural(self.steps, 'step')}"
        return f"{self.width}x{self.height}{steps}"

    def all_notes(self) -> tuple[str, ...]:
        figures = [self.per_image_usd, self.total_usd, *(i.usd for i in self.line_items)]
        rounded = any(f.display_rounded for f in figures)
        return (*self.notes, *((ROUNDING_NOTE,) if rounded else ()))

    def footer(self) -> list[str]:
        lines = [f"Note: {n}" for n in self.all_notes()]
        lines.append(f"Source: {self.source} ({self.confidence}, checked {self.checked})")
        return [line for text in lines for line in ("", text)]


def provider_quote_report(q: ProviderQuote) -> ProviderQuoteReport:
    offer = q.offer
    return ProviderQuoteReport(
        provider=q.provider,
        provider_name=q.provider_name,
        model=q.model.id,
        model_name=q.model.name,
        endpoints=() if offer is None else offer.endpoints,
        billing=q.model.billing.kind if offer is None else offer.billing.kind,
        width=q.request.output.width,
        height=q.request.output.height,
        inputs=tuple(Dimensions(i.width, i.height) for i in q.request.inputs),
        batch=q.batch,
        steps=q.steps,
        line_items=tuple(
            ProviderLine(
                i.label,
                i.detail,
                figure(i.quantity),
                i.unit,
                i.unit_usd,
                Usd(i.usd, per_image=True),
            )
            for i in q.items
        ),
        per_image_usd=Usd(q.per_image, per_image=True),
        total_usd=Usd(q.total),
        notes=q.notes,
        source=q.model.source if offer is None else offer.source,
        checked=q.model.checked if offer is None else offer.checked,
        confidence=q.model.confidence if offer is None else offer.confidence,
    )


# -- every provider -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ProviderPrice:
    """One (provider, model): its price, or why it cannot serve the request."""

    provider: str
    model: str
    model_name: str
    can_serve: bool
    reason: str | None
    per_image_usd: Usd | None
    per_1000_usd: Usd | None
    total_usd: Usd | None
    cheapest: bool
    confidence: str | None  # of the price (None: not sold there)

    def figures(self, batch: int) -> tuple[Usd | None, ...]:
        """Per image, per 1,000 and (for a batch of more than one) the total, as shown."""
        return self.per_image_usd, self.per_1000_usd, self.total_usd if batch != 1 else None


@dataclass(frozen=True, slots=True)
class ProviderCompareReport:
    width: int
    height: int
    inputs: tuple[Dimensions, ...]
    batch: int
    steps: int | None
    model: str | None  # the model named with --model, if one was
    cheapest: str | None  # "provider model", None when none can serve it
    rows: tuple[ProviderPrice, ...]

    def csv_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        header = ("provider", "model", "can_serve", "reason", "per_image_usd", "per_1000_usd",
                  "total_usd", "cheapest", "confidence")  # fmt: skip
        return header, [
            [
                r.provider,
                r.model,
                r.can_serve,
                r.reason,
                r.per_image_usd,
                r.per_1000_usd,
                r.total_usd,
                r.cheapest,
                r.confidence,
            ]
            for r in self.rows
        ]

    def title(self) -> str:
        what = self.model or "every model"
        inputs = "".join(f" + input {i.width}x{i.height}" for i in self.inputs)
        steps = "" if self.steps is None else f", {plural(self.steps, 'step')}"
        return f"{what} at every provider, {self.width}x{self.height}{inputs}{steps}"

    def markdown(self) -> list[str]:
        header = ["provider", "model", "per image", "per 1,000", f"total ({self.batch:,})",
                  "confidence or reason"]  # fmt: skip
        rows = [[r.provider + (" (cheapest)" if r.cheapest else ""), r.model,
                 *(u.dollars if u else "" for u in r.figures(self.batch)),
                 str(r.confidence) if r.can_serve else f"cannot serve: {r.reason}"]
                for r in self.rows]  # fmt: skip
        notes = [line for n in self.all_notes() for line in ("", f"Note: {n}")]
        return [f"### {self.title()}", "", *_table(header, rows, {2, 3, 4}), *notes]

    def all_notes(self) -> tuple[str, ...]:
        figures = [u for r in self.rows for u in (r.per_image_usd, r.total_usd) if u]
        return (ROUNDING_NOTE,) if any(f.display_rounded for f in figures) else ()


def provider_compare_report(
    priced: Sequence[ProviderPriced], request: Request, batch: int, steps: int | None,
    asked: str | None,
) -> ProviderCompareReport:  # fmt: skip
    served = [p.quote.per_image for p in priced if p.quote is not None]
    low = min(served) if served else None
    rows = tuple(_price_row(p, low) for p in priced)
    return ProviderCompareReport(
        width=request.output.width,
        height=request.output.height,
        inputs=tuple(Dimensions(i.width, i.height) for i in request.inputs),
        batch=batch,
        steps=steps,
        model=asked,
        cheapest=next((f"{r.provider} {r.model}" for r in rows if r.cheapest), None),
        rows=rows,
    )


def _price_row(p: ProviderPriced, low: Fraction | None) -> ProviderPrice:
    q = p.quote
    each = None if q is None else q.per_image
    confidence = p.model.confidence if p.provider == BFL else getattr(p.offer, "confidence", None)
    return ProviderPrice(
        provider=p.provider,
        model=p.model.id,
        model_name=p.model.name,
        can_serve=q is not None,
        reason=p.reason,
        per_image_usd=None if each is None else Usd(each, per_image=True),
        per_1000_usd=None if each is None else Usd(each * PER_THOUSAND),
        total_usd=None if q is None else Usd(q.total),
        cheapest=each is not None and each == low,
        confidence=confidence if q is not None or p.offer is not None else None,
    )


# -- what each provider sells -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OfferRow:
    provider: str
    model: str
    model_name: str
    endpoints: tuple[str, ...]
    billing: str
    price: str  # the price in the provider's own units, in words
    source: str
    checked: dt.date
    confidence: str
    note: str


@dataclass(frozen=True, slots=True)
class ProviderModelsReport:
    providers: tuple[str, ...]  # the providers listed
    offers: tuple[OfferRow, ...]

    def csv_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        header = ("provider", "model", "endpoints", "billing", "price", "source", "checked",
                  "confidence")  # fmt: skip
        return header, [
            [
                o.provider,
                o.model,
                o.endpoints,
                o.billing,
                o.price,
                o.source,
                o.checked,
                o.confidence,
            ]
            for o in self.offers
        ]

    def markdown(self) -> list[str]:
        rows = [[o.provider, o.model, ", ".join(o.endpoints), o.price,
                 f"<{o.source}> ({o.confidence}, {o.checked})"] for o in self.offers]  # fmt: skip
        header = ["provider", "model", "endpoints", "price", "source"]
        return [f"### {self.title()}", "", *_table(header, rows, set())]

    def title(self) -> str:
        sells = "sells" if len(self.providers) == 1 else "sell"
        return f"What {', '.join(self.providers)} {sells} (USD)"


def provider_models_report(catalog: Catalog, only: str | None) -> ProviderModelsReport:
    """Every offer of ``only`` (a provider id), or of every provider (BFL's first)."""
    names = catalog.provider_ids() if only is None else (only,)
    rows: list[OfferRow] = []
    if BFL in names:
        rows += [_bfl_row(m, catalog.table.credit_usd) for m in catalog.table.api_models()]
    for provider in catalog.providers.providers:
        if provider.id in names:
            rows += [
                OfferRow(
                    provider.id,
                    o.model,
                    catalog.model(o.model).name,
                    o.endpoints,
                    o.billing.kind,
                    price_text(o.billing),
                    o.source,
                    o.checked,
                    o.confidence,
                    o.note,
                )
                for o in provider.offers
            ]
    return ProviderModelsReport(tuple(names), tuple(rows))


def _bfl_row(model: ModelRate, credit: Decimal) -> OfferRow:
    billing = model.billing
    if isinstance(billing, PerMegapixel):
        price = price_text(PerMp(first_mp_usd=billing.first_mp_credits * credit,
                                 extra_mp_usd=billing.extra_mp_credits * credit,
                                 input_mp_usd=billing.input_mp_credits * credit))  # fmt: skip
    else:
        assert isinstance(billing, Flat)  # api_models() are priced
        price = price_text(PerImage(usd_per_image=billing.credits_per_image * credit))
    endpoints = () if model.endpoint is None else (model.endpoint,)
    return OfferRow(BFL, model.id, model.name, endpoints, billing.kind, price, model.source,
                    model.checked, model.confidence, model.note)  # fmt: skip


def price_text(billing: ProviderBilling) -> str:
    """A price in the provider's own units, e.g. ``$0.03 first MP + $0.015 each further MP;
    inputs $0.015/MP``."""
    match billing:
        case PerImage():
            return f"${plain(billing.usd_per_image)} per image"
        case PerMp():
            return _per_mp_text(billing)
        case PerMpStep():
            side, ref = billing.ref_side_px, billing.ref_steps
            steps = "steps" if ref == 1 else f"(steps/{ref})"
            return f"${plain(billing.usd)} x (W/{side}) x (H/{side}) x {steps}{_steps(billing)}"
        case PerTile():
            return _per_tile_text(billing)


def _per_mp_text(b: PerMp) -> str:
    if b.first_mp_usd == b.extra_mp_usd:
        text = f"${plain(b.first_mp_usd)}/MP"
    else:
        text = f"${plain(b.first_mp_usd)} first MP + ${plain(b.extra_mp_usd)} each further MP"
    text += "" if b.input_mp_usd is None else f"; inputs ${plain(b.input_mp_usd)}/MP"
    if b.input_cap_mp is not None:
        text += f" (at most {b.input_cap_mp} MP each)"
    snap = f"sides up to {b.side_step_px} px, then " if b.side_step_px else ""
    rounding = "rounded up" if b.rounding == "ceil" else "exact"
    return f"{text}; {snap}MP of {b.mp_px:,} px, {rounding}"


def _per_tile_text(b: PerTile) -> str:
    tile = f"{b.tile_px}x{b.tile_px} tile" + (" per step" if b.per_step else "")
    text = f"${plain(b.output_tile_usd)} per output {tile}"
    if b.input_tile_usd is not None:
        text += f"; ${plain(b.input_tile_usd)} per input {tile}"
    if b.step_usd is not None:
        text += f"; ${plain(b.step_usd)} per step"
    return text + _steps(b)


def _steps(b: PerMpStep | PerTile) -> str:
    if b.fixed_steps is not None:
        return f"; always {b.fixed_steps} steps"
    if b.default_steps is not None:
        return f"; default {b.default_steps} steps"
    return "; no default steps stated" if isinstance(b, PerMpStep) or b.uses_steps else ""


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    from fluxcost.render_text import md, md_table

    cells = [[c if c.startswith(("$", "~$", "**", "<")) else md(c) for c in row] for row in rows]
    return md_table(header, cells, right)
