"""The report of ``fluxcost bill``: what a usage log cost, compared and reconciled.

Money is Decimal throughout; render_text.to_data says how each field becomes JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar

from fluxcost.billing import BFL, fraction_usd
from fluxcost.money import credits_shown, signed_usd, usd_shown
from fluxcost.rates import BASIS_FIELDS, basis_fields

if TYPE_CHECKING:
    from fluxcost.billing import Bill, Group
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
    total_credits: Decimal | None  # None: rows at another provider, priced in dollars
    total_usd: Decimal
    # With rows at other providers: whether total_usd is rounded (a price that never ends).
    usd_rounded: bool | None = None

    omit_if_none: ClassVar[tuple[str, ...]] = ("usd_rounded",)


@dataclass(frozen=True, slots=True)
class ProviderRow:
    """The rows billed at one provider (bfl: BFL's own API, in credits)."""

    provider: str
    requests: int
    images: int
    total_credits: Decimal | None  # BFL's only
    total_usd: Decimal
    usd_rounded: bool


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
    # With rows at other providers: whether difference_usd is rounded (never ends in decimal).
    difference_rounded: bool | None = None

    omit_if_none: ClassVar[tuple[str, ...]] = ("difference_rounded",)


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
    total_credits: Decimal | None  # None with rows at other providers (see ``providers``)
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
    # With rows at providers other than BFL (a provider column, --provider): each provider's
    # share, whether total_usd is rounded, and notes on those prices. total_credits is then
    # None (credits are BFL's; the bfl row of ``providers`` has them).
    providers: tuple[ProviderRow, ...] | None = None
    usd_rounded: bool | None = None
    notes: tuple[str, ...] | None = None

    omit_if_none: ClassVar[tuple[str, ...]] = (
        "models", *BASIS_FIELDS, "earlier_prices", "providers", "usd_rounded", "notes"
    )  # fmt: skip

    def sentences(self) -> tuple[str, ...]:
        """What a person reading a bill with rows at other providers needs to know."""
        said = []
        if self.providers is not None:
            said.append("credits are BFL's: rows at other providers are priced in their dollars")
            if self.prices_as_of or self.your_rates:
                said.append("--as-of, --discount and --rates-overlay change BFL's prices only:"
                            " rows at other providers are at their published prices")  # fmt: skip
            if self.models is not None:
                said.append("--compare moves every row, wherever it was made, to each model at"
                            " BFL")  # fmt: skip
        rounded = [self.usd_rounded, *(g.usd_rounded for g in self.groups)]
        if any(rounded + [m.difference_rounded for m in self.models or ()]):
            said.append("~ marks dollars rounded for display (the exact figure never ends in"
                        " decimal); --format json gives 20 places")  # fmt: skip
        return (*said, *(self.notes or ()))


def usd_text(value: Decimal, rounded: bool | None) -> str:
    """A bill's dollars for a person: every digit, or, when the exact figure never ends,
    marked ~ and rounded to the cent (as workload totals are), or below a cent to 6
    significant digits (never ~0.00 for a figure that is not 0)."""
    return "~" + usd_shown(_for_display(value)) if rounded else usd_shown(value)


def _for_display(value: Decimal) -> Decimal:
    places = 2 if abs(value) >= Decimal("0.01") else SIGNIFICANT - 1 - value.adjusted()
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


SIGNIFICANT = 6


def dollars_text(value: Decimal, rounded: bool | None) -> str:
    """``$0.135``, ``~$0.08``: ``usd_text`` with its dollar sign."""
    text = usd_text(value, rounded)
    return f"~${text[1:]}" if rounded else f"${text}"


def signed_text(value: Decimal, rounded: bool | None) -> str:
    """``+$0.05``, ``~-$0.15``: a difference, rounded as ``usd_text`` rounds."""
    return "~" + signed_usd(_for_display(value)) if rounded else signed_usd(value)


def credits_text(value: Decimal | None) -> str:
    return "" if value is None else credits_shown(value)


def _dollars(exact: Fraction) -> tuple[Decimal, bool]:
    """Exact dollars as a Decimal, and whether it had to be rounded (billing.fraction_usd)."""
    value = fraction_usd(exact)
    return value, Fraction(value) != exact


def _group_row(group: Group, rate: Decimal, mixed: bool) -> GroupRow:
    if not mixed:  # a BFL bill: as it always was
        return GroupRow(group.key, group.requests, group.images, group.credits,
                        group.credits * rate)  # fmt: skip
    usd, rounded = _dollars(group.exact_usd(rate))
    credits = None if group.provider_requests else group.credits
    return GroupRow(group.key, group.requests, group.images, credits, usd, rounded)


def _provider_rows(bill: Bill) -> tuple[ProviderRow, ...]:
    """BFL's rows first, then each other provider's, the most expensive first."""
    at_bfl = bill.requests - bill.provider_requests
    rows = []
    if at_bfl:
        images = bill.images - sum(p.images for p in bill.providers.values())
        rows.append(ProviderRow(BFL, at_bfl, images, bill.credits, bill.credits * bill.credit_usd,
                                False))  # fmt: skip
    for total in bill.providers.values():
        usd, rounded = _dollars(total.usd)
        rows.append(ProviderRow(total.provider, total.requests, total.images, None, usd, rounded))
    return tuple(rows)


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
    mixed = bool(bill.provider_requests)
    actual = bill.exact_usd
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
                    None
                    if w.unservable_requests
                    else _dollars(Fraction(w.credits * rate) - actual)[0]
                    if mixed
                    else (w.credits - bill.credits) * rate
                ),
                requests_unservable=w.unservable_requests,
                reason=w.reason,
                difference_rounded=(
                    _dollars(Fraction(w.credits * rate) - actual)[1]
                    if mixed and not w.unservable_requests
                    else None
                ),
            )
            for w in bill.what_if
        )
    total_usd, rounded = _dollars(actual) if mixed else (bill.usd, False)
    return BillReport(
        log=log,
        total_usd=total_usd,
        total_credits=None if mixed else bill.credits,
        requests=bill.requests,
        images=bill.images,
        rows_rejected=bill.rows_rejected,
        rejected=tuple(RejectedRow(r.line, r.reason) for r in bill.rejected),
        group_by=bill.group_by,
        groups=tuple(_group_row(g, rate, mixed) for g in bill.groups),
        reconcile=reconcile,
        models=models,
        **({} if rates is None else basis_fields(rates)),
        earlier_prices=tuple(EarlierPrices(*epoch) for epoch in bill.earlier_prices) or None,
        providers=_provider_rows(bill) if mixed else None,
        usd_rounded=rounded if mixed else None,
        notes=tuple(bill.notes) or None,
    )
