"""What each command reports, as frozen dataclasses with Decimal money.

Built from the domain results (a quote, a plan, a bill); every renderer (rich, JSON, CSV,
Markdown) reads these and never parses money back from text. Field names are the JSON keys:
a Decimal field named ``usd`` or ``*_usd`` is dollars, any other Decimal is credits or a count.
A field whose metadata says ``omit_if_none`` is left out of JSON when it is None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from fluxcost.money import usd

if TYPE_CHECKING:
    from fluxcost.billing import Bill
    from fluxcost.engine import Quote
    from fluxcost.rates import Limits, ModelRate, RateTable
    from fluxcost.workload import ModelOption, Plan, PricedLine

OMIT_IF_NONE = {"omit_if_none": True}


# -- quote --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dimensions:
    width: int
    height: int


@dataclass(frozen=True)
class LineItemRow:
    item: str
    detail: str
    quantity: int
    unit: str
    unit_credits: Decimal
    credits: Decimal
    usd: Decimal


@dataclass(frozen=True)
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
        billing=_kind(q.model),
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


# -- models -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModelRow:
    id: str
    name: str
    family: str
    billing: str
    endpoint: str | None
    aliases: tuple[str, ...]
    first_mp_credits: Decimal | None
    extra_mp_credits: Decimal | None
    input_mp_credits: Decimal | None
    credits_per_image: Decimal | None
    limits: Limits
    source: str
    checked: dt.date
    confidence: str
    note: str
    rates_text: str  # the rates and limits as a person reads them
    limits_text: str


@dataclass(frozen=True)
class ModelsReport:
    currency: str
    credit_usd: Decimal
    prices_checked: dt.date
    rates: str
    models: tuple[ModelRow, ...]


def _model_row(m: ModelRate) -> ModelRow:
    from fluxcost.views import limits_text, rates_text

    return ModelRow(
        id=m.id,
        name=m.name,
        family=m.family,
        billing=_kind(m),
        endpoint=m.endpoint,
        aliases=m.aliases,
        first_mp_credits=m.first_mp_credits,
        extra_mp_credits=m.extra_mp_credits,
        input_mp_credits=m.input_mp_credits,
        credits_per_image=m.credits_per_image,
        limits=m.limits,
        source=m.source,
        checked=m.checked,
        confidence=m.confidence,
        note=m.note,
        rates_text=rates_text(m),
        limits_text=limits_text(m),
    )


def models_report(table: RateTable) -> ModelsReport:
    return ModelsReport(
        currency=table.currency,
        credit_usd=table.credit_usd,
        prices_checked=table.prices_checked,
        rates=table.origin,
        models=tuple(_model_row(m) for m in table.models),
    )


def _kind(m: ModelRate) -> str:
    return m.billing


# -- workload -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanLine:
    name: str
    model: str
    model_name: str
    model_chosen_as_cheapest: bool
    images: int
    batch: int
    requests: int
    billed_images: int
    size: str
    inputs: tuple[str, ...]
    per_image_credits: Decimal
    per_image_usd: Decimal
    total_credits: Decimal
    total_usd: Decimal
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ModelOptionRow:
    model: str
    model_name: str
    can_serve: bool
    reason: str | None
    per_image_usd: Decimal | None  # only for a one-line workload
    total_usd: Decimal | None
    total_credits: Decimal | None
    difference_usd: Decimal | None  # more than the cheapest
    cheapest: bool
    over_budget: bool | None


@dataclass(frozen=True)
class PlanReport:
    name: str
    period: str
    total_usd: Decimal
    total_credits: Decimal
    budget_usd: Decimal | None
    over_budget: bool
    warn_at_percent: Decimal | None
    budget_warning: bool
    lines: tuple[PlanLine, ...]
    models: tuple[ModelOptionRow, ...] | None = field(default=None, metadata=OMIT_IF_NONE)
    # How the period's figures were converted from the file's (e.g. "month x 12"), if they were.
    converted_from: str | None = field(default=None, metadata=OMIT_IF_NONE)

    def budget_sentence(self) -> str | None:
        """``within budget: $354.00 of $400.00 per month (88%)``, or the over-budget verdict."""
        budget = self.budget_usd
        if budget is None:
            return None
        share = f" ({self.total_usd * 100 / budget:.0f}%)" if budget else ""
        if self.over_budget:
            return (
                f"OVER BUDGET: ${usd(self.total_usd)} per {self.period} is"
                f" ${usd(self.total_usd - budget)} over the budget of ${usd(budget)}{share}"
            )
        return f"within budget: ${usd(self.total_usd)} of ${usd(budget)} per {self.period}{share}"


def _plan_line(p: PricedLine) -> PlanLine:
    request = p.line.request
    return PlanLine(
        name=p.line.name,
        model=p.quote.model.id,
        model_name=p.quote.model.name,
        model_chosen_as_cheapest=p.chosen,
        images=p.line.images,
        batch=p.line.batch,
        requests=p.requests,
        billed_images=p.billed_images,
        size=str(request.output),
        inputs=tuple(str(i) for i in request.inputs),
        per_image_credits=p.quote.per_image_credits,
        per_image_usd=p.quote.per_image_usd,
        total_credits=p.total_credits,
        total_usd=p.total_usd,
        notes=p.quote.notes,
    )


def _option(plan: Plan, option: ModelOption, cheapest: Decimal | None) -> ModelOptionRow:
    total = option.total_usd
    lines = option.lines or ()
    return ModelOptionRow(
        model=option.model.id,
        model_name=option.model.name,
        can_serve=option.lines is not None,
        reason=option.reason,
        per_image_usd=lines[0].quote.per_image_usd if len(lines) == 1 else None,
        total_usd=total,
        total_credits=option.total_credits,
        difference_usd=None if total is None or cheapest is None else total - cheapest,
        # Nothing to generate costs nothing on every model: no model is "cheapest" then.
        cheapest=total is not None and total == cheapest and bool(total),
        over_budget=plan.over(total),
    )


def plan_report(plan: Plan) -> PlanReport:
    w = plan.workload
    models = None
    if plan.options is not None:
        served = [o.total_usd for o in plan.options if o.total_usd is not None]
        cheapest = min(served) if served else None
        models = tuple(_option(plan, o, cheapest) for o in plan.options)
    return PlanReport(
        name=w.name,
        period=w.period,
        total_usd=plan.total_usd,
        total_credits=plan.total_credits,
        budget_usd=w.budget_usd,
        over_budget=plan.over_budget,
        warn_at_percent=w.warn_at_percent,
        budget_warning=plan.budget_warning,
        lines=tuple(_plan_line(p) for p in plan.lines),
        models=models,
        converted_from=w.converted_from,
    )


# -- bill ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str


@dataclass(frozen=True)
class GroupRow:
    key: str
    requests: int
    images: int
    total_credits: Decimal
    total_usd: Decimal


@dataclass(frozen=True)
class MismatchRow:
    line: int
    expected_credits: Decimal
    charged_credits: Decimal
    difference_credits: Decimal


@dataclass(frozen=True)
class Reconcile:
    rows_checked: int
    rows_mismatched: int
    expected_credits: Decimal
    charged_credits: Decimal
    difference_credits: Decimal
    difference_usd: Decimal
    mismatches: tuple[MismatchRow, ...]


@dataclass(frozen=True)
class WhatIfRow:
    model: str
    model_name: str
    can_serve_all: bool
    total_usd: Decimal | None
    total_credits: Decimal | None
    difference_usd: Decimal | None  # against what the log actually cost
    requests_unservable: int
    reason: str | None


@dataclass(frozen=True)
class BillReport:
    log: str
    total_usd: Decimal
    total_credits: Decimal
    requests: int
    images: int
    rows_rejected: int
    rejected: tuple[RejectedRow, ...]
    group_by: str
    groups: tuple[GroupRow, ...]
    reconcile: Reconcile | None
    models: tuple[WhatIfRow, ...] | None = field(default=None, metadata=OMIT_IF_NONE)


def bill_report(bill: Bill, log: str) -> BillReport:
    rate = bill.credit_usd
    reconcile = None
    if bill.rows_with_charge:
        difference = bill.charged_credits - bill.expected_credits_charged_rows
        reconcile = Reconcile(
            rows_checked=bill.rows_with_charge,
            rows_mismatched=bill.mismatched_rows,
            expected_credits=bill.expected_credits_charged_rows,
            charged_credits=bill.charged_credits,
            difference_credits=difference,
            difference_usd=difference * rate,
            mismatches=tuple(
                MismatchRow(
                    m.line,
                    m.expected_credits,
                    m.charged_credits,
                    m.charged_credits - m.expected_credits,
                )
                for m in bill.mismatches
            ),
        )
    models = None
    if bill.what_if is not None:
        models = tuple(
            WhatIfRow(
                model=w.model.id,
                model_name=w.model.name,
                can_serve_all=not w.unservable_requests,
                total_usd=None if w.unservable_requests else w.credits * rate,
                total_credits=None if w.unservable_requests else w.credits,
                difference_usd=(
                    None if w.unservable_requests else (w.credits - bill.credits) * rate
                ),
                requests_unservable=w.unservable_requests,
                reason=w.reason,
            )
            for w in bill.what_if
        )
    return BillReport(
        log=log,
        total_usd=bill.usd,
        total_credits=bill.credits,
        requests=bill.requests,
        images=bill.images,
        rows_rejected=bill.rows_rejected,
        rejected=tuple(RejectedRow(r.line, r.reason) for r in bill.rejected),
        group_by=bill.group_by,
        groups=tuple(
            GroupRow(g.key, g.requests, g.images, g.credits, g.credits * rate) for g in bill.groups
        ),
        reconcile=reconcile,
        models=models,
    )
