"""The report of ``fluxcost workload``: a plan per period, every model compared, the budget."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar

from fluxcost.money import usd
from fluxcost.rates import BASIS_FIELDS, basis_fields

if TYPE_CHECKING:
    from fluxcost.rates import RateTable
    from fluxcost.selfhost import WorkloadCost
    from fluxcost.workload import ModelOption, Plan, PricedLine


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
    per_1000_usd: Decimal | None = None  # per 1,000 images, for a one-line workload


@dataclass(frozen=True, slots=True)
class SelfhostRow:
    """The same workload on your own GPU: GPU time plus the licence for the period. A true
    division (dollars per hour x seconds / 3600), rounded once here: half up to the cent."""

    model: str
    gpu: str  # what the GPU figures are: a preset's name, or the user's own
    usd_per_hour: Decimal
    seconds_per_image: Decimal
    gpu_usd: Decimal
    licence_usd: Decimal
    total_usd: Decimal
    rounded: bool  # True when a figure above was rounded to the cent
    difference_usd: Decimal | None  # against the cheapest API model (negative: cheaper)


@dataclass(frozen=True, slots=True)
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
    models: tuple[ModelOptionRow, ...] | None = None  # with a comparison
    # How the period's figures were converted from the file's (e.g. "month x 12"), if they were.
    converted_from: str | None = None

    # Which prices were used, when not today's published ones (rates.basis_fields).
    prices_as_of: dt.date | None = None
    discount_percent: Decimal | None = None
    your_rates: str | None = None

    selfhost: SelfhostRow | None = None  # with --selfhost-* or a selfhost: block

    omit_if_none: ClassVar[tuple[str, ...]] = (
        "models",
        "converted_from",
        *BASIS_FIELDS,
        "selfhost",
    )

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
    per_image = lines[0].quote.per_image_usd if len(lines) == 1 else None
    return ModelOptionRow(
        model=option.model.id,
        model_name=option.model.name,
        can_serve=option.lines is not None,
        reason=option.reason,
        per_image_usd=per_image,
        total_usd=total,
        total_credits=option.total_credits,
        difference_usd=None if total is None or cheapest is None else total - cheapest,
        # Nothing to generate costs nothing on every model: no model is "cheapest" then.
        cheapest=total is not None and total == cheapest and bool(total),
        over_budget=plan.over(total),
        per_1000_usd=None if per_image is None else per_image * 1000,
    )


def _cents(value: Fraction) -> tuple[Decimal, bool]:
    """``value`` half up to the cent, and whether that rounded it."""
    cents = (value * 100).numerator * 2 // (value * 100).denominator
    rounded = Decimal((cents + 1) // 2) / 100  # half up, for non-negative amounts
    return rounded, Fraction(rounded) != value


def _selfhost_row(cost: WorkloadCost, cheapest: Decimal | None) -> SelfhostRow:
    gpu_usd, gpu_rounded = _cents(cost.gpu_usd)
    licence_usd, licence_rounded = _cents(cost.licence_usd)
    total, total_rounded = _cents(cost.total_usd)
    choice = cost.gpu
    label = choice.offer.id if choice.offer is not None and not choice.price_given else "your GPU"
    return SelfhostRow(
        model=cost.model.id,
        gpu=label,
        usd_per_hour=choice.usd_per_hour,
        seconds_per_image=choice.seconds_per_image,
        gpu_usd=gpu_usd,
        licence_usd=licence_usd,
        total_usd=total,
        rounded=gpu_rounded or licence_rounded or total_rounded,
        difference_usd=None if cheapest is None else total - cheapest,
    )


def plan_report(
    plan: Plan, rates: RateTable | None = None, selfhost: WorkloadCost | None = None
) -> PlanReport:
    """The report of ``plan``; ``rates``, the table it was priced with, says which prices;
    ``selfhost``, the same workload self-hosted, adds that row to the comparison."""
    w = plan.workload
    models = None
    cheapest = None
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
        **({} if rates is None else basis_fields(rates)),
        selfhost=None if selfhost is None else _selfhost_row(selfhost, cheapest),
    )
