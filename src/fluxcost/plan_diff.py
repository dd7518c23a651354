"""What a change to a workload adds to the bill: two plans, line by line. Pure, no I/O.

Lines are matched by name (the n-th line of a name with the n-th of the same name). Both plans
are counted per the head's period; the base is converted by an exact factor when its period
differs (see ``workload.in_period``), never relabelled.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from fluxcost.rates import RateTable
from fluxcost.workload import Plan, PricedLine, Workload, in_period, plan

Status = Literal["added", "removed", "changed", "unchanged"]


@dataclass(frozen=True)
class LineChange:
    name: str
    status: Status
    base: PricedLine | None
    head: PricedLine | None

    @property
    def base_usd(self) -> Decimal:
        return self.base.total_usd if self.base else Decimal(0)

    @property
    def head_usd(self) -> Decimal:
        return self.head.total_usd if self.head else Decimal(0)

    @property
    def change_usd(self) -> Decimal:
        return self.head_usd - self.base_usd


@dataclass(frozen=True)
class PlanDiff:
    base: Plan
    head: Plan
    lines: tuple[LineChange, ...]

    @property
    def change_usd(self) -> Decimal:
        return self.head.total_usd - self.base.total_usd

    @property
    def change_percent(self) -> Decimal | None:
        """The change as a share of the base (None when the base costs nothing)."""
        base = self.base.total_usd
        return None if not base else self.change_usd * 100 / base

    @property
    def unchanged(self) -> bool:
        return all(line.status == "unchanged" for line in self.lines)


def _keyed(work: Plan) -> dict[tuple[str, int], PricedLine]:
    seen: Counter[str] = Counter()
    keyed = {}
    for priced in work.lines:
        name = priced.line.name
        keyed[(name, seen[name])] = priced
        seen[name] += 1
    return keyed


def _same(a: PricedLine, b: PricedLine) -> bool:
    return (
        a.quote.model.id == b.quote.model.id
        and a.line.images == b.line.images
        and a.line.batch == b.line.batch
        and a.line.request == b.line.request
        and a.total_credits == b.total_credits
    )


def diff(
    base: Workload, head: Workload, table: RateTable, model_override: str | None = None
) -> PlanDiff:
    """Price both workloads (as ``workload`` would) and match their lines by name."""
    base_plan = plan(in_period(base, head.period), table, model_override)
    head_plan = plan(head, table, model_override)
    old, new = _keyed(base_plan), _keyed(head_plan)
    changes: list[LineChange] = []
    for key, priced in new.items():
        before = old.get(key)
        if before is None:
            changes.append(LineChange(key[0], "added", None, priced))
        else:
            status: Status = "unchanged" if _same(before, priced) else "changed"
            changes.append(LineChange(key[0], status, before, priced))
    changes += [LineChange(key[0], "removed", p, None) for key, p in old.items() if key not in new]
    return PlanDiff(base_plan, head_plan, tuple(changes))
