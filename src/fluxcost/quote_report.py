"""The reports of ``fluxcost quote``: one request, itemised, with its cost cliffs; and
``quote --compare``, the same request on every model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from fluxcost.megapixels import exact_mp
from fluxcost.money import usd
from fluxcost.rates import BASIS_FIELDS, basis_fields
from fluxcost.size_advice import cost_cliffs

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fluxcost.pricing import Priced, Quote, Request
    from fluxcost.rates import RateTable
    from fluxcost.size_advice import Cliff

PER_THOUSAND = 1000  # the per-1,000-images figures: a price per image x 1,000, exact


@dataclass(frozen=True, slots=True)
class Dimensions:
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class LineItemRow:
    item: str
    detail: str
    quantity: int
    unit: str
    unit_credits: Decimal
    credits: Decimal
    usd: Decimal


@dataclass(frozen=True, slots=True)
class CostCliff:
    """An image just over a whole megapixel, and the same-aspect size a whole MP cheaper."""

    image: str  # "output", "input 1"
    size: str
    exact_mp: str  # to two decimals, as the line items show it
    billed_mp: int
    smaller_size: str
    smaller_billed_mp: int
    same_aspect: bool  # False: no size on the step has exactly the aspect; this is the nearest
    saves_credits: Decimal
    saves_usd: Decimal  # per image
    saves_per_1000_usd: Decimal  # per 1,000 images

    def sentence(self) -> str:
        """``output 1040x1040 is 1.03 MP and bills 2 MP; 1024x1024 (same aspect ratio) bills
        1 MP: $0.015 less per image, $15.00 per 1,000 images``."""
        shape = "same aspect ratio" if self.same_aspect else "nearest aspect ratio"
        return (
            f"{self.image} {self.size} is {self.exact_mp} MP and bills {self.billed_mp} MP;"
            f" {self.smaller_size} ({shape}) bills {self.smaller_billed_mp} MP:"
            f" ${usd(self.saves_usd)} less per image, ${usd(self.saves_per_1000_usd)} per"
            " 1,000 images"
        )


@dataclass(frozen=True, slots=True)
class QuoteReport:
    model: str
    model_name: str
    billing: str
    width: int
    height: int
    inputs: tuple[Dimensions, ...]
    batch: int
    line_items: tuple[LineItemRow, ...]
    per_image_credits: Decimal
    per_image_usd: Decimal
    total_credits: Decimal
    total_usd: Decimal
    currency: str
    credit_usd: Decimal
    notes: tuple[str, ...]
    source: str
    checked: dt.date
    rates: str
    cost_cliffs: tuple[CostCliff, ...] = ()
    # Which prices were used, when not today's published ones (rates.basis_fields).
    prices_as_of: dt.date | None = None
    discount_percent: Decimal | None = None
    your_rates: str | None = None

    omit_if_none: ClassVar[tuple[str, ...]] = BASIS_FIELDS  # from JSON


def _cliff(cliff: Cliff, credit_usd: Decimal) -> CostCliff:
    saves = cliff.saves_credits * credit_usd
    smaller = cliff.smaller.size
    return CostCliff(
        image=cliff.image,
        size=str(cliff.size),
        exact_mp=exact_mp(cliff.size.pixels),
        billed_mp=cliff.billed_mp,
        smaller_size=str(smaller),
        smaller_billed_mp=cliff.billed_mp - 1,
        same_aspect=cliff.smaller.exact,
        saves_credits=cliff.saves_credits,
        saves_usd=saves,
        saves_per_1000_usd=saves * PER_THOUSAND,
    )


def quote_report(q: Quote, table: RateTable) -> QuoteReport:
    rate = q.credit_usd
    return QuoteReport(
        model=q.model.id,
        model_name=q.model.name,
        billing=q.model.billing.kind,
        width=q.request.output.width,
        height=q.request.output.height,
        inputs=tuple(Dimensions(i.width, i.height) for i in q.request.inputs),
        batch=q.batch,
        line_items=tuple(
            LineItemRow(
                item.label,
                item.detail,
                item.quantity,
                item.unit,
                item.unit_credits,
                item.credits,
                item.credits * rate,
            )
            for item in q.items
        ),
        per_image_credits=q.per_image_credits,
        per_image_usd=q.per_image_usd,
        total_credits=q.total_credits,
        total_usd=q.total_usd,
        currency=table.currency,
        credit_usd=rate,
        notes=q.notes,
        source=q.model.source,
        checked=q.model.checked,
        rates=table.origin,
        cost_cliffs=tuple(_cliff(c, rate) for c in cost_cliffs(q)),
        **basis_fields(table),
    )


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """One model's price for a request, or why it cannot serve it (never dropped, never $0)."""

    model: str
    model_name: str
    can_serve: bool
    reason: str | None
    per_image_credits: Decimal | None
    per_image_usd: Decimal | None
    per_1000_usd: Decimal | None  # per 1,000 images
    total_credits: Decimal | None  # the batch asked for
    total_usd: Decimal | None
    vs_cheapest_usd: Decimal | None  # more per image than the cheapest
    cheapest: bool
    asked: bool  # the model named with --model
    api_sets_size: bool  # takes an aspect ratio: the output is not the size asked for
    notes: tuple[str, ...]


def model_prices(priced: Sequence[Priced], asked: str | None = None) -> tuple[ModelPrice, ...]:
    """Rows for ``pricing.on_every_model``'s answer, in its order (cheapest first)."""
    served = [p.quote.per_image_usd for p in priced if p.quote is not None]
    cheapest = min(served) if served else None
    rows = []
    for p in priced:
        q = p.quote
        each = None if q is None else q.per_image_usd
        rows.append(
            ModelPrice(
                model=p.model.id,
                model_name=p.model.name,
                can_serve=q is not None,
                reason=p.reason,
                per_image_credits=None if q is None else q.per_image_credits,
                per_image_usd=each,
                per_1000_usd=None if each is None else each * PER_THOUSAND,
                total_credits=None if q is None else q.total_credits,
                total_usd=None if q is None else q.total_usd,
                vs_cheapest_usd=None if each is None or cheapest is None else each - cheapest,
                cheapest=each is not None and each == cheapest,
                asked=p.model.id == asked,
                api_sets_size=p.model.limits.sized_by_api,
                notes=() if q is None else q.notes,
            )
        )
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class QuoteCompareReport:
    """``quote --compare``: one request on every model, cheapest first."""

    width: int
    height: int
    inputs: tuple[Dimensions, ...]
    batch: int
    model: str | None  # the model named with --model, if one was
    cheapest: str | None  # None when no model can serve the request
    models: tuple[ModelPrice, ...]
    currency: str
    credit_usd: Decimal
    rates: str
    # Which prices were used, when not today's published ones (rates.basis_fields).
    prices_as_of: dt.date | None = None
    discount_percent: Decimal | None = None
    your_rates: str | None = None

    omit_if_none: ClassVar[tuple[str, ...]] = BASIS_FIELDS  # from JSON


def quote_compare_report(
    priced: Sequence[Priced], request: Request, batch: int, asked: str | None, table: RateTable
) -> QuoteCompareReport:
    rows = model_prices(priced, asked)
    return QuoteCompareReport(
        width=request.output.width,
        height=request.output.height,
        inputs=tuple(Dimensions(i.width, i.height) for i in request.inputs),
        batch=batch,
        model=asked,
        cheapest=next((row.model for row in rows if row.cheapest), None),
        models=rows,
        currency=table.currency,
        credit_usd=table.credit_usd,
        rates=table.origin,
        **basis_fields(table),
    )
