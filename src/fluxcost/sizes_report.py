"""The report of ``fluxcost sizes``: for an aspect ratio, the largest size on each model's
step that bills each whole megapixel, and its price."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from fluxcost import pricing
from fluxcost.errors import FluxcostError
from fluxcost.megapixels import billed_mp, exact_mp
from fluxcost.quote_report import PER_THOUSAND
from fluxcost.rates import PerMegapixel
from fluxcost.size_advice import Aspect, Fit, ladder, output_bounds
from fluxcost.sizes import Size

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fluxcost.rates import ModelRate, RateTable


@dataclass(frozen=True, slots=True)
class SizeRow:
    model: str
    billed_mp: int
    size: str
    width: int
    height: int
    exact_mp: str  # to two decimals
    aspect: str  # this size's own ratio, in lowest terms
    # "exact": the largest of exactly the aspect asked for; "nearest": none on the step bills
    # this many MP, so the largest within 1% of it (else the nearest); "given": the --size
    match: str
    per_image_credits: Decimal | None
    per_image_usd: Decimal | None
    per_1000_usd: Decimal | None  # per 1,000 images
    note: str


@dataclass(frozen=True, slots=True)
class SizesReport:
    aspect: str
    given_size: str | None  # --size, when the aspect ratio came from one
    models: tuple[str, ...]
    rows: tuple[SizeRow, ...]
    currency: str
    credit_usd: Decimal
    notes: tuple[str, ...]
    rates: str

    omit_if_none: ClassVar[tuple[str, ...]] = ("given_size",)  # from JSON

    def model_rows(self, model: str) -> tuple[SizeRow, ...]:
        return tuple(row for row in self.rows if row.model == model)


def sizes_report(
    table: RateTable, aspect: Aspect, given: Size | None, names: Sequence[str]
) -> SizesReport:
    """The ladder of ``aspect`` on the models ``names`` (none: every FLUX.2 model on the API),
    with the ``given`` size (``Aspect.of_size`` checked it) priced beside it."""
    chosen, notes = _models(table, names)
    rows: list[SizeRow] = []
    for model in chosen:
        rows += _rungs(model, aspect, table.credit_usd)
        if given is not None:
            rows.append(_given(model, given, table.credit_usd))
    order = {m.id: index for index, m in enumerate(chosen)}
    step = sorted({output_bounds(m).step for m in chosen})
    notes.append(
        f"sizes are on each model's {'/'.join(map(str, step))}-px step, at least"
        f" {min(output_bounds(m).min_side for m in chosen)} px a side; each image is billed"
        " in whole megapixels (1 MP = 1024 x 1024 px), rounded up"
    )
    return SizesReport(
        aspect=str(aspect),
        given_size=None if given is None else str(given),
        models=tuple(m.id for m in chosen),
        rows=tuple(sorted(rows, key=lambda r: (order[r.model], r.billed_mp))),
        currency=table.currency,
        credit_usd=table.credit_usd,
        notes=tuple(notes),
        rates=table.origin,
    )


def _models(table: RateTable, names: Sequence[str]) -> tuple[list[ModelRate], list[str]]:
    """The models named (each must be billed per megapixel), or every FLUX.2 model on the
    API; notes name the FLUX.2 models left out, so none is dropped silently."""
    if names:
        chosen = list(dict.fromkeys(table.get(name) for name in names))
        for model in chosen:
            ladder(model, Aspect(1, 1))  # raises for a model not billed per megapixel
        return chosen, []
    flux2 = [m for m in table.models if m.family == "flux2"]
    chosen = [m for m in flux2 if isinstance(m.billing, PerMegapixel)]
    if not chosen:
        raise FluxcostError("the rate table has no model billed per megapixel: name one with -m")
    notes = [
        f"{m.id} is not listed: {pricing.cannot_serve(m, pricing.Request(Size(1024, 1024)))}"
        for m in flux2
        if m not in chosen
    ]
    return chosen, notes


def _rungs(model: ModelRate, aspect: Aspect, credit_usd: Decimal) -> list[SizeRow]:
    rows = []
    for mp, fit in ladder(model, aspect):
        note = "" if fit.exact else _nearest_note(fit, aspect, mp, output_bounds(model).step)
        rows.append(
            _row(model, mp, fit.size, "exact" if fit.exact else "nearest", credit_usd, note)
        )
    return rows


def _nearest_note(fit: Fit, aspect: Aspect, mp: int, step: int) -> str:
    missing = f"no {aspect} size on the {step}-px step bills {mp} MP"
    off = fit.off_by(aspect) * 100
    if off > 1:  # far off (an extreme ratio): name the ratio it has, not a huge percentage
        return f"{missing}; the nearest is {Aspect.of(fit.size.width, fit.size.height)}"
    percent = Decimal(off.numerator) / Decimal(off.denominator)
    shown = f"{percent:.1f}" if percent >= Decimal("0.05") else "under 0.1"
    return f"{missing}; this is {shown}% off it"


def _given(model: ModelRate, size: Size, credit_usd: Decimal) -> SizeRow:
    request = pricing.Request(size)
    reason = pricing.cannot_serve(model, request)
    if reason is not None:
        return _row(model, billed_mp(size.pixels), size, "given", None, f"cannot: {reason}")
    step = output_bounds(model).step
    on_step = not (size.width % step or size.height % step)
    note = "your size" + ("" if on_step else f", off the {step}-px step: priced as requested")
    return _row(model, billed_mp(size.pixels), size, "given", credit_usd, note)


def _row(
    model: ModelRate, mp: int, size: Size, match: str, credit_usd: Decimal | None, note: str
) -> SizeRow:
    """A row for ``size`` on ``model``, priced unless ``credit_usd`` is None (cannot serve)."""
    credits = usd = None
    if credit_usd is not None:
        q = pricing.quote(model, pricing.Request(size), 1, credit_usd)
        credits, usd = q.per_image_credits, q.per_image_usd
    own = Aspect.of(size.width, size.height)
    return SizeRow(
        model=model.id,
        billed_mp=mp,
        size=str(size),
        width=size.width,
        height=size.height,
        exact_mp=exact_mp(size.pixels),
        aspect=str(own),
        match=match,
        per_image_credits=credits,
        per_image_usd=usd,
        per_1000_usd=None if usd is None else usd * PER_THOUSAND,
        note=note,
    )
