"""The report of ``fluxcost bill``: what a usage log cost, compared and reconciled.

Money is Decimal throughout; render_text.to_data says how each field becomes JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from fluxcost.rates import BASIS_FIELDS, basis_fields

if TYPE_CHECKING:
    from fluxcost.billing import Bill
    from fluxcost.rates import RateTable


@dataclass(frozen=True, slots=True)
class RejectedRow:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class GroupRow:
    key: str
    requests: int
    images: int
    total_credits: Decimal
    total_usd: Decimal


@dataclass(frozen=True, slots=True)
class MismatchRow:
    line: int
    expected_credits: Decimal
    charged_credits: Decimal
    difference_credits: Decimal


@dataclass(frozen=True, slots=True)
class MpMismatchRow:
    line: int
    reason: str  # the figure the API reported, what it bills, and the row's size


@dataclass(frozen=True, slots=True)
class Reconcile:
    rows_checked: int
    rows_mismatched: int
    expected_credits: Decimal
    charged_credits: Decimal
    difference_credits: Decimal
    difference_usd: Decimal
    mismatches: tuple[MismatchRow, ...]
    # Rows with the API's output_mp or input_mp, and those that disagree with their sizes.
    mp_rows_checked: int = 0
    mp_rows_mismatched: int = 0
    mp_mismatches: tuple[MpMismatchRow, ...] = ()


@dataclass(frozen=True, slots=True)
class WhatIfRow:
    model: str
    model_name: str
    can_serve_all: bool
    total_usd: Decimal | None
    total_credits: Decimal | None
    difference_usd: Decimal | None  # against what the log actually cost
    requests_unservable: int
    reason: str | None


@dataclass(frozen=True, slots=True)
class EarlierPrices:
    """Rows on days before the latest price change, billed at the prices of their day."""

    prices_from: dt.date | None  # None: before any price of some model (those rows rejected)
    prices_until: dt.date  # the day the next prices took effect
    rows: int

    def sentence(self) -> str:
        last = self.prices_until - dt.timedelta(days=1)
        days = f"before {self.prices_until}" if self.prices_from is None else (
            f"{self.prices_from} to {last}" if self.prices_from != last else f"{last}"
        )  # fmt: skip
        rows = f"{self.rows:,} row{'' if self.rows == 1 else 's'}"
        return f"{rows} dated {days} (UTC) billed at the prices in effect on those days"


@dataclass(frozen=True, slots=True)
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
    models: tuple[WhatIfRow, ...] | None = None  # with --compare
    # Which prices were used, when not today's published ones (rates.basis_fields).
    prices_as_of: dt.date | None = None
    discount_percent: Decimal | None = None
    your_rates: str | None = None
    # Rows billed at an earlier day's prices, per price period; None when there are none.
    earlier_prices: tuple[EarlierPrices, ...] | None = None

    omit_if_none: ClassVar[tuple[str, ...]] = ("models", *BASIS_FIELDS, "earlier_prices")


def bill_report(bill: Bill, log: str, rates: RateTable | None = None) -> BillReport:
    """The report of ``bill``; ``rates``, the table it was priced with, says which prices."""
    rate = bill.credit_usd
    reconcile = None
    if bill.rows_with_charge or bill.mp_rows_checked:
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
            mp_rows_checked=bill.mp_rows_checked,
            mp_rows_mismatched=bill.mp_mismatched_rows,
            mp_mismatches=tuple(MpMismatchRow(f.line, f.reason) for f in bill.mp_findings),
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
        **({} if rates is None else basis_fields(rates)),
        earlier_prices=tuple(EarlierPrices(*epoch) for epoch in bill.earlier_prices) or None,
    )
