"""Workloads: many images a period, on one model or compared across all. Pure, no I/O.

Counting (DECISIONS.md): ``images`` counts generated images, the unit BFL bills. ``batch``
is how many images each request returns, so requests = ceil(images / batch) and a partly used
last batch is paid in full: billed images = requests x batch.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from fluxcost import pricing
from fluxcost.errors import FluxcostError
from fluxcost.money import plural
from fluxcost.pricing import Quote, Request
from fluxcost.rates import ModelRate, RateTable


@dataclass(frozen=True)
class WorkLine:
    name: str
    model: str | None  # None: price on the cheapest model that can serve the line
    images: int
    request: Request
    batch: int = 1
    # "plan.yaml:7": where the line, its model and its sizes stand, to point errors there
    where: str = ""
    where_model: str = ""
    where_size: str = ""

    @property
    def requests(self) -> int:
        """ceil(images / batch): a partly used last batch is still a request."""
        return -(-self.images // self.batch)

    @property
    def billed_images(self) -> int:
        """requests x batch: a partly used last batch is paid in full."""
        return self.requests * self.batch


@dataclass(frozen=True)
class Workload:
    lines: tuple[WorkLine, ...]
    name: str = "workload"
    description: str = ""
    period: str = "month"
    budget_usd: Decimal | None = None
    warn_at_percent: Decimal | None = None
    converted_from: str | None = None  # "month x 12" when --period converted the file's figures
    where_budget: str = ""  # "plan.yaml:4": where the file sets the budget, for annotations
    selfhost: SelfhostOptions | None = None  # a self-hosted row in the comparison


@dataclass(frozen=True)
class SelfhostOptions:
    """Running the open weights yourself, as a row beside the API models (``--selfhost-*`` or
    a ``selfhost:`` block in the workload file); see selfhost.py."""

    model: str = "flux2-klein-4b"
    gpu: str | None = None  # a sourced preset (price and speed), or
    gpu_usd_hour: Decimal | None = None  # the user's own figures, which win
    seconds_per_image: Decimal | None = None
    utilization_percent: Decimal = Decimal(100)
    licence_usd_month: Decimal | None = None


PERIODS = ("day", "week", "month", "quarter", "year")
# Conversions whose factor is exact (DECISIONS.md "Periods"): (shorter, longer) -> factor.
_FACTORS = {("day", "week"): 7, ("month", "quarter"): 3, ("quarter", "year"): 4,
            ("month", "year"): 12}  # fmt: skip


def in_period(work: Workload, period: str) -> Workload:
    """``work`` counted per ``period``: its images and budget converted by an exact factor,
    never the same figures relabelled."""
    if period == work.period:
        return work
    up, down = _FACTORS.get((work.period, period)), _FACTORS.get((period, work.period))
    if up is None and down is None:
        allowed = ", ".join(f"{a} <-> {b}" for a, b in _FACTORS)
        raise FluxcostError(
            f"--period {period}: the workload counts per {work.period}, and only exact"
            f" conversions are made ({allowed})"
        )
    how = f"{work.period} x {up}" if up else f"{work.period} / {down}"

    def scale(value: Decimal, what: str) -> Decimal:
        result = value * up if up else value / (down or 1)
        if not up and (result * (down or 1) != value or result != result.quantize(_MICRO)):
            raise FluxcostError(
                f"{what} per {work.period} does not divide exactly into {period}s (/ {down})"
            )
        return result

    lines = tuple(
        replace(line, images=int(scale(Decimal(line.images), f"{line.where or line.name}: images")))
        for line in work.lines
    )
    budget = work.budget_usd
    return replace(
        work,
        lines=lines,
        period=period,
        budget_usd=None if budget is None else scale(budget, "the budget"),
        converted_from=f"converted from per {how}",
    )


_MICRO = Decimal("0.000001")


class OfLine:
    """A priced workload line's requests and billed images: its line's (``self.line``)."""

    line: WorkLine

    @property
    def requests(self) -> int:
        return self.line.requests

    @property
    def billed_images(self) -> int:
        return self.line.billed_images


@dataclass(frozen=True)
class PricedLine(OfLine):
    line: WorkLine
    quote: Quote  # one image, so per-image figures and line items come from here
    chosen: bool  # True when the model was picked as the cheapest, not named

    @property
    def total_credits(self) -> Decimal:
        return self.quote.per_image_credits * self.billed_images

    @property
    def total_usd(self) -> Decimal:
        return self.quote.per_image_usd * self.billed_images


@dataclass(frozen=True)
class ModelOption:
    """One model's price for the whole workload in a comparison, or why it cannot serve it."""

    model: ModelRate
    lines: tuple[PricedLine, ...] | None
    reason: str | None = None

    @property
    def total_credits(self) -> Decimal | None:
        if self.lines is None:
            return None
        return sum((p.total_credits for p in self.lines), Decimal(0))

    @property
    def total_usd(self) -> Decimal | None:
        if self.lines is None:
            return None
        return sum((p.total_usd for p in self.lines), Decimal(0))


@dataclass(frozen=True)
class Plan:
    workload: Workload
    lines: tuple[PricedLine, ...]
    options: tuple[ModelOption, ...] | None  # with --compare: every model, cheapest first

    @property
    def total_credits(self) -> Decimal:
        return sum((p.total_credits for p in self.lines), Decimal(0))

    @property
    def total_usd(self) -> Decimal:
        return sum((p.total_usd for p in self.lines), Decimal(0))

    def over(self, total: Decimal | None) -> bool | None:
        budget = self.workload.budget_usd
        if budget is None or total is None:
            return None
        return total > budget

    @property
    def over_budget(self) -> bool:
        return bool(self.over(self.total_usd))

    @property
    def budget_warning(self) -> bool:
        """Past ``warn_at_percent`` of the budget but not over it."""
        budget, share = self.workload.budget_usd, self.workload.warn_at_percent
        if budget is None or share is None or self.over_budget:
            return False
        return self.total_usd * 100 >= budget * share


def _check_line(line: WorkLine) -> None:
    if line.images < 0:
        raise FluxcostError(f"{line.where or line.name}: images must be 0 or more")
    if line.batch < 1:
        raise FluxcostError(f"{line.where or line.name}: batch must be at least 1")


def _price(model: ModelRate, line: WorkLine, table: RateTable, chosen: bool) -> PricedLine:
    return PricedLine(line, pricing.quote(model, line.request, 1, table.credit_usd), chosen)


def _cheapest(line: WorkLine, table: RateTable) -> PricedLine:
    options = [
        _price(m, line, table, True)
        for m in table.api_models()
        if pricing.cannot_serve(m, line.request) is None
    ]
    if not options:
        raise FluxcostError(f"{line.where or line.name}: no API model can serve this line")
    return min(options, key=lambda p: p.total_credits)


def price_line(line: WorkLine, table: RateTable, model_override: str | None = None) -> PricedLine:
    _check_line(line)
    name = model_override or line.model
    if name is None:
        return _cheapest(line, table)
    if not line.where:  # a one-line workload from flags: the message says it all
        return _price(table.get(name), line, table, False)
    try:
        model = table.get(name)
        if not model.on_api:
            pricing.check_request(model, line.request)  # raises: open weights, no API price
    except FluxcostError as exc:
        at = line.where_model if model_override is None else line.where
        raise FluxcostError(f"{at}: line {line.name!r}: {exc}") from None
    try:
        return _price(model, line, table, False)
    except FluxcostError as exc:
        raise FluxcostError(f"{line.where_size}: line {line.name!r}: {exc}") from None


def compare(workload: Workload, table: RateTable) -> tuple[ModelOption, ...]:
    """Every model's price for the whole workload (each line moved to it), cheapest first."""
    options: list[ModelOption] = []
    for model in table.models:
        priced: list[PricedLine] = []
        reason = None
        for line in workload.lines:
            why = pricing.cannot_serve(model, line.request)
            if why is not None:
                label = f"line {line.name!r}: " if len(workload.lines) > 1 else ""
                reason = label + why
                break
            priced.append(_price(model, line, table, False))
        options.append(ModelOption(model, None if reason else tuple(priced), reason))
    # Models that cannot serve it sort last; sorted() is stable, so ties keep table order.
    return tuple(sorted(options, key=lambda o: (o.lines is None, o.total_credits or 0)))


def plan(
    workload: Workload,
    table: RateTable,
    model_override: str | None = None,
    with_comparison: bool = False,
) -> Plan:
    """Price the plan as written (named models, else each line's cheapest), and compare.

    With no model named anywhere, "what will it cost" is answered by a comparison too.
    """
    named = model_override is not None or any(line.model for line in workload.lines)
    lines = tuple(price_line(line, table, model_override) for line in workload.lines)
    compared = compare(workload, table) if with_comparison or not named else None
    return Plan(workload, lines, compared)


def from_flags(
    images: int, model: str | None, request: Request, batch: int, period: str
) -> Workload:
    """The one-line workload that ``--images N`` and friends describe."""
    line = WorkLine("images", model, images, request, batch)
    return Workload((line,), name=plural(images, "image"), period=period)
