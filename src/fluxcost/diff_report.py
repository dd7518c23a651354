"""The report of ``fluxcost diff``: what a change to a workload adds to the bill."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, ClassVar

from fluxcost.money import usd
from fluxcost.rates import BASIS_FIELDS, basis_fields

if TYPE_CHECKING:
    from fluxcost.plan_diff import LineChange, PlanDiff
    from fluxcost.rates import RateTable


@dataclass(frozen=True, slots=True)
class DiffLine:
    name: str
    status: str  # added, removed, changed, unchanged
    base_model: str | None
    head_model: str | None
    base_images: int
    head_images: int
    base_usd: Decimal
    head_usd: Decimal
    change_usd: Decimal


@dataclass(frozen=True, slots=True)
class DiffReport:
    base: str  # where each plan came from: a file, or REF:file
    head: str
    period: str
    base_total_usd: Decimal
    head_total_usd: Decimal
    change_usd: Decimal
    change_percent: Decimal | None  # to 0.01, half up; None when the base costs nothing
    unchanged: bool
    fail_above_usd: Decimal | None
    fail_above_percent: Decimal | None
    over_threshold: bool
    lines: tuple[DiffLine, ...]
    # Which prices were used, when not today's published ones (rates.basis_fields).
    prices_as_of: dt.date | None = None
    discount_percent: Decimal | None = None
    your_rates: str | None = None

    omit_if_none: ClassVar[tuple[str, ...]] = BASIS_FIELDS  # from JSON

    def summary(self) -> str:
        """``+$160.00 a month (+53%)``, or that nothing changed."""
        per = f"a {self.period}"
        if self.unchanged:
            return f"no change: ${usd(self.head_total_usd)} {per}"
        sign = "-" if self.change_usd < 0 else "+"
        text = f"{sign}${usd(abs(self.change_usd))} {per}"
        if self.change_percent is not None:
            text += f" ({self.change_percent:+.0f}%)"
        return text + f": from ${usd(self.base_total_usd)} to ${usd(self.head_total_usd)}"

    def threshold_sentence(self) -> str | None:
        """Why the change fails the gate, or None."""
        if not self.over_threshold:
            return None
        limits = []
        if self.fail_above_usd is not None and self.change_usd > self.fail_above_usd:
            limits.append(f"--fail-above ${usd(self.fail_above_usd)}")
        percent = self.change_percent
        if self.fail_above_percent is not None and (
            percent is None or percent > self.fail_above_percent
        ):
            limits.append(f"--fail-above-percent {self.fail_above_percent}")
        return f"COST INCREASE over {' and '.join(limits)}: {self.summary()}"


_HUNDREDTH = Decimal("0.01")


def _line(change: LineChange) -> DiffLine:
    base, head = change.base, change.head
    return DiffLine(
        name=change.name,
        status=change.status,
        base_model=base.quote.model.id if base else None,
        head_model=head.quote.model.id if head else None,
        base_images=base.line.images if base else 0,
        head_images=head.line.images if head else 0,
        base_usd=change.base_usd,
        head_usd=change.head_usd,
        change_usd=change.change_usd,
    )


def diff_report(
    result: PlanDiff,
    base: str,
    head: str,
    fail_above_usd: Decimal | None = None,
    fail_above_percent: Decimal | None = None,
    rates: RateTable | None = None,
) -> DiffReport:
    change, percent = result.change_usd, result.change_percent
    over = (fail_above_usd is not None and change > fail_above_usd) or (
        # From nothing to something is an increase of more than any percentage.
        fail_above_percent is not None
        and change > 0
        and (percent is None or percent > fail_above_percent)
    )
    return DiffReport(
        base=base,
        head=head,
        period=result.head.workload.period,
        base_total_usd=result.base.total_usd,
        head_total_usd=result.head.total_usd,
        change_usd=change,
        change_percent=None if percent is None else percent.quantize(_HUNDREDTH, ROUND_HALF_UP),
        unchanged=result.unchanged,
        fail_above_usd=fail_above_usd,
        fail_above_percent=fail_above_percent,
        over_threshold=over,
        lines=tuple(_line(c) for c in result.lines),
        **({} if rates is None else basis_fields(rates)),
    )
