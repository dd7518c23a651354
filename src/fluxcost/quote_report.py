"""The report of ``fluxcost quote``: one request, itemised."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fluxcost.pricing import Quote
    from fluxcost.rates import RateTable


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
    )
