"""Bills from usage rows: pure and streaming. Each distinct request is priced once.

A row gives a timestamp and (model, width, height, inputs, batch, charged_credits) with values
as a log holds them (CSV text or JSON values). The hot path only counts rows per distinct
request (and day or month); money is summed in Decimal once per distinct key at the end, so
memory depends on the number of distinct requests and periods, never on the number of rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import gc
import itertools
import math
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from fluxcost import pricing
from fluxcost.errors import FluxcostError
from fluxcost.megapixels import PIXELS_PER_MP, billed_mp, exact_mp, input_pixels_taken
from fluxcost.numbers import LOG_DECIMALS, MAX_SIDE, PRECISION, decimal, shown, whole
from fluxcost.rates import ModelRate, PerMegapixel, RateTable
from fluxcost.sizes import Size

GROUPS = ("model", "day", "month")
BFL = "bfl"  # providers.BFL, without importing the provider tables for a BFL bill
KEEP_ROWS = 1000  # rejected rows and mismatches listed in full; beyond that only counted
_LONGEST_NAME = 100  # longer than any model id or alias
_UTC = dt.UTC
_from_iso = dt.datetime.fromisoformat


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


@dataclass(frozen=True)
class Mismatch:
    line: int
    expected_credits: Decimal
    charged_credits: Decimal


@dataclass(frozen=True)
class MpFinding:
    """A row whose megapixels, as the API reported them, disagree with its size."""

    line: int
    reason: str


@dataclass
class Group:
    key: str
    requests: int = 0
    images: int = 0
    credits: Decimal = Decimal(0)  # of the rows billed at BFL
    # Rows billed at another provider, in its dollars: exact, they may be fractions of a cent.
    provider_requests: int = 0
    provider_usd: Fraction = Fraction(0)

    def exact_usd(self, credit_usd: Decimal) -> Fraction:
        return Fraction(self.credits * credit_usd) + self.provider_usd


@dataclass
class ProviderTotal:
    """The rows of a log billed at one provider other than BFL."""

    provider: str
    requests: int = 0
    images: int = 0
    usd: Fraction = Fraction(0)


@dataclass
class WhatIf:
    """The whole log moved to one model."""

    model: ModelRate
    credits: Decimal = Decimal(0)
    unservable_requests: int = 0
    reason: str | None = None  # why, for the first request it cannot serve


@dataclass
class Bill:
    credit_usd: Decimal
    group_by: str
    requests: int = 0  # priced rows; every row that is a request is priced or rejected
    images: int = 0
    credits: Decimal = Decimal(0)
    groups: list[Group] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    rows_rejected: int = 0
    rows_with_charge: int = 0
    charged_credits: Decimal = Decimal(0)
    expected_credits_charged_rows: Decimal = Decimal(0)
    mismatches: list[Mismatch] = field(default_factory=list)
    mismatched_rows: int = 0
    mp_rows_checked: int = 0  # rows with output_mp or input_mp as the API reported them
    mp_findings: list[MpFinding] = field(default_factory=list)
    mp_mismatched_rows: int = 0
    what_if: list[WhatIf] | None = None
    # Rows on days before the table's latest price change, billed at their day's prices:
    # (the first day of those prices, or None before any, the day they ended, rows).
    earlier_prices: list[tuple[dt.date | None, dt.date, int]] = field(default_factory=list)
    # Rows billed at providers other than BFL (a log's provider column, or --provider): their
    # requests and exact dollars (``credits`` are BFL's alone), each provider's share, and
    # what a person checking them needs to know (a default step count, an inferred rule).
    provider_requests: int = 0
    provider_usd: Fraction = Fraction(0)
    providers: dict[str, ProviderTotal] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def exact_usd(self) -> Fraction:
        """Every row's dollars, exactly (a per-step price may not end in decimal)."""
        return Fraction(self.credits * self.credit_usd) + self.provider_usd

    @property
    def usd(self) -> Decimal:
        """The bill in dollars: exact, unless a provider's price is a fraction that never
        ends in decimal (1/7 of a cent): then to LOG_DECIMALS places."""
        if not self.provider_requests:
            return self.credits * self.credit_usd
        return fraction_usd(self.exact_usd)

    @property
    def reconcile_failed(self) -> bool:
        """Whether ``--reconcile`` fails: a charge or the API's megapixels disagree."""
        return bool(self.mismatched_rows or self.mp_mismatched_rows)

    @property
    def rows(self) -> int:
        """Rows that were requests, priced or rejected (blank lines are not)."""
        return self.requests + self.rows_rejected


class JsonNumber(str):
    """A JSON number with a point or an exponent (4.5, 1024.0, 1e3), kept as written: cheaper
    to read and to hash than a Decimal, and never equal to an int as 1024.0 would be. The slow
    path makes it an exact Decimal (``_exact``) where a number belongs, once per distinct
    value; where text belongs (a model, a provider, an input's size) it is that text, since a
    cache key holds it equal to the text and so must its reason."""

    __slots__ = ()


def fraction_usd(value: Fraction) -> Decimal:
    """``value`` as a Decimal: exact when it ends, else half-even to LOG_DECIMALS places."""
    with localcontext() as context:
        context.prec = PRECISION
        quotient = Decimal(value.numerator) / Decimal(value.denominator)
        if Fraction(quotient) == value:
            return quotient
        return quotient.quantize(Decimal(1).scaleb(-LOG_DECIMALS))


def _exact(value: Any) -> Any:
    return Decimal(value) if isinstance(value, JsonNumber) else value


def _side(value: Any, what: str) -> int:
    return whole(_exact(value), what, minimum=1, maximum=MAX_SIDE)


# An input image as a log writes it: "WxH", with "x", "X", "*" or the multiplication sign.
_SIZE_TEXT = re.compile(r"\s*([0-9,]+)\s*[xX*\u00d7]\s*([0-9,]+)\s*")


def _input_parts(value: Any) -> Sequence[Any]:
    """Input images: "WxH" sizes joined by ";" (CSV) or a sequence of them (JSON, library)."""
    if value is None or value == "" or value == ():
        return ()
    if isinstance(value, str):
        return [p for p in value.split(";") if p.strip()]
    if isinstance(value, tuple):
        return value
    raise FluxcostError("inputs is not a list of WxH sizes")  # no value, as in _input


def _input(value: Any, what: str) -> Size:
    # A JSON number here (2e3) is read as the text it is (its key is equal to the text's).
    if isinstance(value, str):
        match = _SIZE_TEXT.fullmatch(value)
        if match is None:
            raise FluxcostError(
                f"{what} {shown(value)} is not WIDTHxHEIGHT in pixels, e.g. 1024x1024"
            )
        width, height = match.groups()
    elif isinstance(value, tuple) and len(value) == 2:  # a library caller's (width, height)
        width, height = value
    else:  # no value in the reason: True and 1 share a cache entry, and so may their reasons
        raise FluxcostError(f"{what} is not WIDTHxHEIGHT text, e.g. 1024x1024")
    return Size(_side(width, f"{what} width"), _side(height, f"{what} height"))


def _credits(value: Any, what: str = "charged_credits", example: str = "4.5") -> Decimal:
    if isinstance(value, float):  # only from a library caller: JSON's are JsonNumber
        raise FluxcostError(f"{what} {value!r} is a binary float: give a Decimal, an int or text")
    return decimal(value, what, example, places=LOG_DECIMALS)


def _reported_mp(value: Any, what: str) -> Decimal | None:
    """``output_mp`` or ``input_mp`` as the API reported it; None (or empty): not reported."""
    if value is None or value == "":
        return None
    return _credits(_exact(value), what, "1.98")


# The API reports megapixels to 2 decimals: a figure within half a hundredth of the exact MP
# is that MP rounded for display, whatever its own ceiling (1025x1024 is 1.00 MP, billed 2).
_DISPLAY_ROUNDING = Fraction(PIXELS_PER_MP, 200)


def _agrees(reported: Decimal, pixels: int, whole_mp: int, minimum: int) -> bool:
    if max(minimum, math.ceil(reported)) == whole_mp:
        return True
    return abs(Fraction(reported) * PIXELS_PER_MP - pixels) <= _DISPLAY_ROUNDING


def mp_finding(
    rate: ModelRate,
    width: int,
    height: int,
    inputs: tuple[Size, ...],
    output_mp: Decimal | None,
    input_mp: Decimal | None,
) -> str | None:
    """Why the megapixels the API reported disagree with the row's sizes ("" if they agree;
    None: nothing to check).

    output_mp: rounded up (at least 1) it must be the output's billed MP. input_mp is one
    figure for all inputs, so it is checked as a total: rounded up, it must be the inputs'
    exact MP summed and rounded up (an input over 4 MP counted as given or as 4 MP). Either
    may also be the exact figure to 2 decimals. Flat-credit models are not checked: the size does
    not change their price (and the API sets their exact size)."""
    if not isinstance(rate.billing, PerMegapixel) or (output_mp is None and input_mp is None):
        return None
    found = []
    pixels = width * height
    billed = billed_mp(pixels)
    if output_mp is not None and not _agrees(output_mp, pixels, billed, 1):
        found.append(
            f"the API reported output_mp {output_mp} (bills {max(1, math.ceil(output_mp))} MP)"
            f" for {width}x{height} ({billed} MP)"
        )
    if input_mp is not None:
        given = sum(i.width * i.height for i in inputs)
        taken = sum(input_pixels_taken(i.width * i.height) for i in inputs)
        # Whether the API counts an input over 4 MP before or after resizing it is not
        # documented: either total agrees.
        totals = {(pixels, -(-pixels // PIXELS_PER_MP)) for pixels in (given, taken)}
        if not any(_agrees(input_mp, pixels, whole_mp, 0) for pixels, whole_mp in totals):
            what = " or ".join(f"{exact_mp(p)} MP ({w} MP)" for p, w in sorted(totals))
            found.append(
                f"the API reported input_mp {input_mp} ({math.ceil(input_mp)} MP) for"
                + (f" inputs of {what}" if inputs else " no inputs")
            )
    return "; ".join(found)


if TYPE_CHECKING:
    from fluxcost.provider_pricing import Catalog

    _Counter = itertools.count[int]
else:
    _Counter = itertools.count  # not subscriptable at run time


# A distinct request as priced: (model, width, height, inputs, credits per image), shared by
# every entry of that request (other spellings, batches, charges).
Shape = tuple[ModelRate, int, int, tuple[Size, ...], Decimal]
# A model and output size read, and the output's part of the price; input images and theirs.
_Output = tuple[ModelRate, int, int, "pricing.Part | None"]
_Inputs = tuple[tuple[Size, ...], "pricing.Part | None"]


_new_count: Any = itertools.count.__new__  # without super(): an entry is made per request


class _Entry(_Counter):
    """One distinct request line of a log, priced: the hot path's dict value. Grouping by
    model, ``next(entry)`` counts a row: itertools.count is C, so a row costs no Python call.
    Its parts (shape, Decimals) are shared with other entries, so each entry costs about a
    hundred bytes: memory follows the distinct requests, never the rows."""

    __slots__ = ("batch", "charge", "credits", "reads", "shape")
    shape: Shape
    batch: int
    credits: Decimal  # what one such request costs
    charge: Decimal | None  # what the API said it charged, when the log says
    reads: int
    # The API's megapixels: None not reported, "" they agree, else why not (mp_finding).
    api_mp: str | None = None
    # A request at another provider: its id, and what the request costs there (credits 0).
    provider: str | None = None
    usd: Fraction = Fraction(0)
    note: str | None = None  # said in the bill when a row of it is counted

    def __new__(
        cls,
        shape: Shape,
        batch: int,
        credits: Decimal,
        charge: Decimal | None,
        api_mp: str | None = None,
        provider: str | None = None,
        usd: Fraction | None = None,
        note: str | None = None,
    ) -> _Entry:
        if api_mp is None and provider is None and note is None:  # most: BFL's, plainly
            entry: _Entry = _new_count(cls)
        else:
            entry = _new_count(_Noted)
            entry.api_mp = api_mp
            entry.provider = provider
            entry.usd = usd or Fraction(0)
            entry.note = note
        entry.shape = shape
        entry.batch = batch
        entry.credits = credits
        entry.charge = charge
        entry.reads = 0  # see count()
        return entry

    @property
    def model(self) -> ModelRate:
        return self.shape[0]

    @property
    def request(self) -> pricing.Request:
        _, width, height, inputs, _ = self.shape
        return pricing.Request(Size(width, height), inputs)

    def count(self) -> int:
        """How many rows ``next()`` counted (reading takes a number too: ``reads``)."""
        seen: int = next(self) - self.reads
        self.reads += 1
        return seen


class _Noted(_Entry):
    """An entry with the API's megapixels, at another provider or with a note (``_Entry`` has
    none of them)."""

    __slots__ = ("api_mp", "note", "provider", "usd")


class _Bad:
    """A request that cannot be priced, cached with its reason."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Refused(Exception):
    """A part of a request is bad (``args[0]``, a ``_Bad``): the request is too."""


_NOT_SCALAR = "a value is a list or object where a number or text belongs"
_ZERO = Decimal(0)
_MISSING = object()

# A row for the slow path: (key, fields, timestamp), where ``fields`` are (model, width,
# height, inputs, batch, charged) as the log holds them and ``key`` is what the hot path looks
# up for such a row (None: a row the hot path never matches, cached under its fields).
Parse = Callable[[Any], tuple[Any, Sequence[Any], Any]]
Explain = Callable[[Any, BaseException], "str | None"]
Reject = Callable[[int, str], None]


class HotPath(NamedTuple):
    """See ``Biller.hot_path``."""

    fast: dict[Any, _Entry]
    today_from: int
    slow: Callable[[int, Any], None]
    counter: Callable[[_Entry, dt.datetime, int, Any], None] | None
    new: Callable[[Any], _Entry | None]


@contextmanager
def _collections_paused() -> Iterator[None]:
    """The hot loop makes no reference cycles, but the cache it grows (tens of thousands of
    keys and entries) would make every collection during it slower: collect after it.
    (gc.freeze/unfreeze would spare that one scan, but would also thaw what a library caller
    froze and leave its pending garbage uncollected.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Biller:
    """Accumulates rows into a Bill. ``consume`` is the hot path; ``finish`` does the money."""

    def __init__(
        self,
        table: RateTable,
        group_by: str = "model",
        what_if: bool = False,
        dated: bool = True,
        *,
        provider: str = BFL,
        steps: int | None = None,
        catalog: Callable[[], Catalog] | None = None,
    ) -> None:
        """``dated``: bill each row at the prices in effect on its UTC day (False: at the
        table's prices, as ``--as-of`` asks). ``provider``: where a row with no provider
        cell was made (a provider id); ``steps``: the inference steps of rows at a provider
        that bills per step (None: its default). ``catalog`` gives the provider tables, only
        when a row is at another provider (a BFL bill never loads them)."""
        if group_by not in GROUPS:
            raise FluxcostError(f"group by {group_by!r}: choose one of {', '.join(GROUPS)}")
        self.table = table
        self.group_by = group_by
        self.what_if = what_if
        self.provider = provider
        self.steps = steps
        self._catalog_of = catalog or CatalogOnce(table)
        self._steps_used = False  # whether a row was priced at the steps of --steps
        # Days the prices changed. A row on a day before the last change is billed by a
        # Biller of the prices of its period (``_earlier``); the hot path sends only rows at
        # least a day past it to today's prices (a row's own UTC offset may move it a day).
        changes = {day for m in table.models for day in m.price_dates} if dated else set()
        self._changes = tuple(sorted(changes))
        self._today_from = self._changes[-1].toordinal() + 1 if self._changes else 0
        self._earlier: dict[int, Biller] = {}
        self._fast: dict[Any, _Entry] = {}  # requests priced plainly: the hot path's
        self._other: dict[Any, _Entry | _Bad] = {}  # charges that differ; bad requests
        # Each distinct model name, size, inputs, batch, charge and price, worked out once.
        self._seen: dict[Any, Any] = {"0": _ZERO}  # parts' credits: one Decimal each (str)
        # A request's output size and its inputs, each read and priced once per model.
        self._outputs: dict[Any, _Output | _Bad] = {}
        self._given_inputs: dict[Any, _Inputs | _Bad] = {}
        # One Decimal for each price per image (by the ids of its parts' credits) and each
        # price of a request (by the id of its price per image, and the batch).
        self._sums: dict[tuple[int, int], Decimal] = {}
        self._totals: dict[tuple[int, int], Decimal] = {}
        self._parts: dict[Any, Any] = {}  # one copy of each value the keys hold
        self._counts: dict[tuple[_Entry, int], int] = {}  # by day or month
        self._rejected: list[Rejected] = []
        self._rows_rejected = 0
        self._mismatches: list[Mismatch] = []
        self._mismatched = 0
        self._mp_findings: list[MpFinding] = []
        self._mp_mismatched = 0
        self._reading: tuple[Parse, Explain, Callable[[int], int], Reject | None]

    def consume(
        self,
        rows: Iterable[Any],
        request_of: Callable[[Any], tuple[Any, ...]],
        time_of: Callable[[Any], Any],
        explain: Explain,
        line: Callable[[int], int],
        on_reject: Callable[[int, str], None] | None = None,
        parse: Parse | None = None,
    ) -> None:
        """Count every row. ``request_of(row)`` gives (model, width, height, inputs, batch,
        charged, ...) and ``time_of(row)`` the timestamp, or they raise; ``explain`` turns
        that into a reason (None: not a request, e.g. a blank line); ``line(index)`` is the
        line number of the row at ``index`` (from 0) of ``rows``. ``parse``, when given, is
        for the slow path (see ``Parse``), when a row's key is not those fields.

        This loop is what a million-row log costs, so it is written for speed: a row seen
        before (the same request, priced plainly) is a dict look-up, a timestamp parse and a
        count; anything else (a new request, a bad row, a mismatch) takes the slow path.
        """

        def fields(row: Any) -> tuple[Any, Sequence[Any], Any]:
            key = request_of(row)
            return key, key, time_of(row)

        slow = self._slow_path(parse or fields, explain, line, on_reject)
        fast, parse_time, today_from = self._fast, dt.datetime.fromisoformat, self._today_from
        with _collections_paused():
            if self.group_by == "model":
                for index, row in enumerate(rows):
                    try:
                        entry = fast[request_of(row)]
                        if parse_time(time_of(row)).toordinal() < today_from:
                            raise LookupError  # an earlier day's prices: the slow path's
                    except Exception:
                        slow(index, row)
                        continue
                    next(entry)
                return
            count = self._period_counter()
            for index, row in enumerate(rows):
                try:
                    entry = fast[request_of(row)]
                    when = parse_time(time_of(row))
                    if when.toordinal() < today_from:
                        raise LookupError
                except Exception:
                    slow(index, row)
                    continue
                count(entry, when, index, row)

    @contextmanager
    def hot_path(
        self,
        parse: Parse,
        explain: Explain,
        line: Callable[[int], int],
        on_reject: Callable[[int, str], None] | None = None,
        fields: Callable[[Any], Sequence[Any]] = tuple,
    ) -> Iterator[HotPath]:
        """What a reader that runs its own hot loop needs (``consume`` shows the loop): for
        a row at ``index`` whose key is in ``fast`` and whose time's ordinal is at least
        ``today_from``, ``next(entry)`` (``counter`` None: by model) or ``counter(entry,
        when, index, row)``; for any other row, or when reading it raises, ``slow(index, row)``,
        which reads it with ``parse`` and ``explain`` as ``consume`` does. ``new(key)``, for
        a key not in ``fast``, prices the request ``fields(key)`` (the first ten of FIELDS, as
        ``parse`` gives them) and gives the entry it caches there, or None when that key's rows
        are for ``slow``: a new request without a trip through it."""
        with _collections_paused():
            by_model = self.group_by == "model"
            yield HotPath(
                self._fast,
                self._today_from,
                self._slow_path(parse, explain, line, on_reject),
                None if by_model else self._period_counter(),
                functools.partial(self._new, fields),
            )

    def consume_lines(
        self,
        lines: Iterable[str],
        tail: int,
        parse: Parse,
        explain: Explain,
        line: Callable[[int], int],
        on_reject: Callable[[int, str], None] | None = None,
    ) -> None:
        """``consume`` for CSV lines without quotes that start with the timestamp, then the
        request's columns, then ``tail`` other columns: such a row's key is the text of its
        request columns, cut out with two splits (a str key hashes faster than a tuple of
        cells and takes less memory). ``parse(line)`` is for the slow path, and must give
        that same key for such a row."""
        slow = self._slow_path(parse, explain, line, on_reject)
        fast, parse_time, today_from = self._fast, dt.datetime.fromisoformat, self._today_from
        with _collections_paused():
            if self.group_by == "model":
                for index, text in enumerate(lines):
                    try:
                        stamp, rest = text.split(",", 1)
                        entry = fast[rest.rsplit(",", tail)[0]]
                        if parse_time(stamp).toordinal() < today_from:
                            raise LookupError  # an earlier day's prices: the slow path's
                    except Exception:
                        slow(index, text)
                        continue
                    next(entry)
                return
            count = self._period_counter()
            for index, text in enumerate(lines):
                try:
                    stamp, rest = text.split(",", 1)
                    entry = fast[rest.rsplit(",", tail)[0]]
                    when = parse_time(stamp)
                    if when.toordinal() < today_from:
                        raise LookupError
                except Exception:
                    slow(index, text)
                    continue
                count(entry, when, index, text)

    def _period_counter(self) -> Callable[[_Entry, dt.datetime, int, Any], None]:
        """Counts a row of a request seen before in its day or month (UTC)."""
        by_day, utc = self.group_by == "day", _UTC
        counts, counts_get = self._counts, self._counts.get

        def count(entry: _Entry, when: dt.datetime, index: int, row: Any) -> None:
            zone = when.tzinfo
            if zone is not None and zone is not utc:
                try:
                    when = when.astimezone(utc)
                except OverflowError:  # past datetime's calendar: _period sees to it
                    group = (entry, _period(when, by_day))
                    counts[group] = counts_get(group, 0) + 1
                    return
            group = (entry, when.toordinal() if by_day else when.year * 100 + when.month)
            counts[group] = counts_get(group, 0) + 1

        return count

    def _new(self, fields: Callable[[Any], Sequence[Any]], key: Any) -> _Entry | None:
        """See ``hot_path``: ``key`` as ``parse`` gives it, of a row whose timestamp is not
        read yet (an earlier day's row still goes to ``slow``, priced by its own Biller)."""
        if key in self._other:
            return None
        entry = self._entry(*fields(key)[:10])
        return entry if self._keep(key, entry) and isinstance(entry, _Entry) else None

    def _keep(self, key: Any, entry: _Entry | _Bad, hot: bool = True) -> bool:
        """Cache a request's entry under its key (compacted): in ``fast`` when each of its
        rows is counted and nothing more (and the key is the hot loop's), else in ``_other``.
        Whether it went to ``fast``."""
        if key.__class__ is tuple:
            key = self._compact(key)
        if (
            hot
            and isinstance(entry, _Entry)
            and (entry.charge is None or entry.charge == entry.credits)
            and not entry.api_mp
        ):
            self._fast[key] = entry
            return True
        self._other[key] = entry
        return False

    def _slow_path(
        self,
        parse: Parse,
        explain: Explain,
        line: Callable[[int], int],
        on_reject: Callable[[int, str], None] | None,
    ) -> Callable[[int, Any], None]:
        """``slow(index, row)``, for a row the hot path does not count."""
        self._reading = (parse, explain, line, on_reject)
        return self._row

    def _row(self, index: int, row: Any) -> None:
        """A row the hot path did not count: count it, or reject it on its line."""
        parse, explain, line, on_reject = self._reading
        number = line(index)
        try:
            key, fields, timestamp = parse(row)
        except (AttributeError, LookupError, TypeError, ValueError) as exc:
            self._unread(row, exc, number, explain, on_reject)
            return
        try:
            when: dt.datetime | None = _from_iso(timestamp)
        except (TypeError, ValueError):
            when = None
        biller = self
        # A day past the last price change (in any time zone: an offset is under a day).
        if when is not None and self._changes and when.toordinal() < self._today_from:
            biller = self._biller_for(when)
        biller._count(row, number, key, fields, timestamp, when, explain, on_reject)

    def _count(
        self,
        row: Any,
        number: int,
        key: Any,
        fields: Sequence[Any],
        timestamp: Any,
        when: dt.datetime | None,
        explain: Explain,
        on_reject: Callable[[int, str], None] | None,
    ) -> None:
        """Count a row read as ``parse`` reads it (``when``: its time, None if not one)."""
        hot = key is not None
        try:
            if not hot:
                key = tuple(fields)
            entry: _Entry | _Bad | None = self._fast.get(key)
            if entry is None and self._other:  # a log of good rows has none there
                entry = self._other.get(key)
        except (AttributeError, LookupError, TypeError, ValueError) as exc:  # unhashable
            self._unread(row, exc, number, explain, on_reject)
            return
        if entry is None:
            entry = self._entry(*fields[:10])
            self._keep(key, entry, hot)
        if isinstance(entry, _Bad):
            self._reject(number, entry.reason, on_reject)
            return
        if when is None:
            self._reject(number, _timestamp_problem(timestamp), on_reject)
            return
        if self.group_by == "model":
            next(entry)
        else:
            group = (entry, _period(when, self.group_by == "day"))
            self._counts[group] = self._counts.get(group, 0) + 1
        if entry.charge is not None and entry.charge != entry.credits:
            self._mismatch(number, entry)
        if entry.api_mp:
            self._mp_mismatched += 1
            if len(self._mp_findings) < KEEP_ROWS:
                self._mp_findings.append(MpFinding(number, entry.api_mp))

    def _unread(
        self,
        row: Any,
        error: BaseException,
        number: int,
        explain: Explain,
        on_reject: Callable[[int, str], None] | None,
    ) -> None:
        """A row that cannot be read: rejected with ``explain``'s reason (None: no request)."""
        reason = explain(row, error)
        if reason is not None:
            self._reject(number, reason, on_reject)

    def _biller_for(self, when: dt.datetime) -> Biller:
        """The Biller for the prices of the UTC day of ``when``: this one from a day after
        the last price change (or past the calendar in UTC: ``_period`` sees to it)."""
        try:
            if when.tzinfo is not None:
                when = when.astimezone(_UTC)
        except OverflowError:
            return self
        day = when.date()
        if day >= self._changes[-1]:
            return self
        period = bisect.bisect_right(self._changes, day)
        earlier = self._earlier.get(period)
        if earlier is None:
            table = self.table.as_of(day)
            # Other providers' prices have no history: their rows are priced as today.
            earlier = self._earlier[period] = Biller(
                table, self.group_by, self.what_if, False,
                provider=self.provider, steps=self.steps, catalog=self._catalog_of,
            )  # fmt: skip
        return earlier

    def _reject(
        self, number: int, reason: str, on_reject: Callable[[int, str], None] | None
    ) -> None:
        self.reject(number, reason)
        if on_reject is not None:
            on_reject(number, reason)

    def _compact(self, key: Any) -> Any:
        """``key`` holding one shared copy of each value: a million-row log repeats them."""
        if key.__class__ is not tuple:
            return key
        parts = self._parts
        return tuple(map(parts.setdefault, key, key))

    # -- slow paths, once per distinct value ----------------------------------------------
    def _entry(
        self,
        model: Any,
        width: Any,
        height: Any,
        inputs: Any,
        batch: Any,
        charged: Any,
        output_mp: Any = None,
        input_mp: Any = None,
        provider: Any = None,
        steps: Any = None,
    ) -> _Entry | _Bad:
        """A distinct request line priced, or why it cannot be. Each part of it (model name,
        size, inputs, batch and charge) and each request on a model is worked out once: a
        log with many distinct request lines has far fewer distinct parts."""
        seen = self._seen
        named = not (provider is None or (provider.__class__ is str and not provider.strip()))
        if named or self.provider != BFL:  # a row's own provider, else the one asked for
            try:
                seller = self._part("provider", provider, self._seller) if named else self.provider
                if seller != BFL:
                    return self._sold(seller, model, width, height, inputs, batch, steps,
                                      {"charged_credits": charged, "output_mp": output_mp,
                                       "input_mp": input_mp})  # fmt: skip
            except _Refused as refused:
                bad: _Bad = refused.args[0]
                return bad
        note = None
        if not (steps is None or steps == ""):  # checked, though BFL's price ignores it
            try:
                self._part("steps", steps, _steps)
            except _Refused as refused:
                steps_bad: _Bad = refused.args[0]
                return steps_bad
            note = _BFL_STEPS
        # The classes too: 1 and True are equal in Python, but only one is a whole number.
        out_key = (model, width, height, model.__class__, width.__class__, height.__class__)
        output = self._outputs.get(out_key)
        if output is None:
            output = self._outputs[self._compact(out_key)] = self._output(model, width, height)
        if isinstance(output, _Bad):  # the reasons in the order a quote checks them
            return output
        rate, out_width, out_height, out_part = output
        in_key = (rate.id, inputs, inputs.__class__)
        given = self._given_inputs.get(in_key)
        if given is None:
            given = self._given_inputs[self._compact(in_key)] = self._priced_inputs(rate, inputs)
        tail = (batch, charged, batch.__class__, charged.__class__)
        counted = seen.get(tail)
        if counted is None:
            counted = seen[tail] = self._batch_and_charge(batch, charged)
        if isinstance(given, _Bad):
            return given
        images, in_part = given
        per_image = pricing.joined(rate, out_part, in_part)
        if per_image is not None:  # one Decimal per figure: a log has few distinct prices
            assert out_part is not None and in_part is not None
            out_credits, in_credits = out_part[1], in_part[1]
            if in_credits is _ZERO:  # adding 0 keeps the output's digits and exponent (<= 0)
                per_image = out_credits
            else:
                per_image = self._sums.setdefault((id(out_credits), id(in_credits)), per_image)
        else:
            quoted = self._quoted(rate, out_width, out_height, images)
            if isinstance(quoted, _Bad):
                return quoted
            per_image = seen.setdefault(str(quoted), quoted)
        if isinstance(counted, _Bad):
            return counted
        shape = (rate, out_width, out_height, images, per_image)
        api_mp = None
        if not (output_mp is None or output_mp == "") or not (input_mp is None or input_mp == ""):
            # output and given live in their caches, so their ids are never reused
            mp_key = (id(output), id(given), output_mp, input_mp, output_mp.__class__,
                      input_mp.__class__)  # fmt: skip
            api_mp = seen.get(mp_key, _MISSING)
            if api_mp is _MISSING:
                api_mp = seen[mp_key] = self._api_mp(shape, output_mp, input_mp)
            if isinstance(api_mp, _Bad):
                return api_mp
        size, charge = counted
        total = per_image  # times 1: the same digits and exponent
        if size != 1:
            total = self._totals.get((id(per_image), size))
            if total is None:  # per_image lives in _seen or _sums: its id is never reused
                total = self._totals[id(per_image), size] = per_image * size
        return _Entry(shape, size, total, charge, api_mp, note=note)

    def _sold(self, seller: str, model: Any, width: Any, height: Any, inputs: Any, batch: Any,
              steps: Any, reported: dict[str, Any]) -> _Entry | _Bad:  # fmt: skip
        """A request at another provider, priced in its dollars (``provider_pricing``)."""
        given = [name for name, value in reported.items() if not (value is None or value == "")]
        if given:  # BFL's figures: nothing to check them against at another provider
            return _Bad(
                f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'} what BFL's API"
                f" reports; a row at {seller} has none: leave {'it' if len(given) == 1 else 'them'}"
                " empty"
            )
        rate: ModelRate = self._part("sold model", model, self._sold_model)
        asked: int | None = None
        if not (steps is None or steps == ""):
            asked = self._part("steps", steps, _steps)
        elif self.steps is not None and self._runs_any_steps(seller, rate):
            asked = self.steps
            self._steps_used = True
        seen = self._seen
        spelled = (seller, rate.id, width, height, inputs, asked, width.__class__,
                   height.__class__)  # fmt: skip
        priced = seen.get(spelled)
        if priced is None:
            priced = seen[self._compact(spelled)] = self._sold_shape(seller, rate, width, height,
                                                                     inputs, asked)  # fmt: skip
        counted = self._batch_and_charge(batch, None)
        if isinstance(priced, _Bad):
            return priced
        if isinstance(counted, _Bad):
            return counted
        shape, per_image, note = priced
        batch_usd = per_image * counted[0]
        return _Entry(shape, counted[0], Decimal(0), None, None, seller, batch_usd, note)

    def _sold_shape(self, seller: str, rate: ModelRate, width: Any, height: Any, inputs: Any,
                    steps: int | None) -> tuple[Shape, Fraction, str | None] | _Bad:  # fmt: skip
        from fluxcost import provider_pricing

        part = self._part
        try:
            out_width = part("width", width, _side, "width")
            out_height = part("height", height, _side, "height")
            images = part("inputs", inputs, self._inputs)
        except _Refused as refused:
            bad: _Bad = refused.args[0]
            return bad
        request = pricing.Request(Size(out_width, out_height), images)
        try:
            q = provider_pricing.quote(self._catalog_of(), seller, rate, request, 1, steps)
        except FluxcostError as exc:  # in a log, steps come from a column too
            return _Bad(str(exc).replace("give --steps N", "give a steps column or --steps N"))
        note = None
        if q.steps is not None and steps is None:
            note = (f"{seller}, {rate.id}: rows with no steps priced at its default of"
                    f" {q.steps} steps (a steps column or --steps gives them)")  # fmt: skip
        elif q.steps is None and steps is not None:
            note = (
                f"{seller}, {rate.id}: steps do not change its price: its rows' steps are not used"
            )
        return (rate, out_width, out_height, images, Decimal(0)), q.per_image, note

    def _runs_any_steps(self, seller: str, rate: ModelRate) -> bool:
        """Whether the price of ``rate`` at ``seller`` depends on steps the caller picks: so
        --steps applies to it (not to an image price, nor to a fixed step count)."""
        from fluxcost.providers import prices_steps

        offer = self._catalog_of().providers.provider(seller).offer(rate.id)
        return offer is not None and prices_steps(offer.billing) and not offer.billing.fixed_steps

    def _seller(self, name: Any) -> str:
        if not isinstance(name, str):
            raise FluxcostError("provider is not text: give a provider id, e.g. fal")
        key = name.strip().lower()
        return BFL if key == BFL else self._catalog_of().providers.provider(key).id

    def _sold_model(self, name: Any) -> ModelRate:
        """A model by any provider's name for it (an endpoint, an alias)."""
        return self._catalog_of().model(_model_name(name))

    @staticmethod
    def _api_mp(shape: Shape, output_mp: Any, input_mp: Any) -> str | _Bad | None:
        rate, width, height, inputs, _ = shape
        try:
            out = _reported_mp(output_mp, "output_mp")
            given = _reported_mp(input_mp, "input_mp")
        except FluxcostError as exc:
            return _Bad(str(exc))
        return mp_finding(rate, width, height, inputs, out, given)

    def _output(self, model: Any, width: Any, height: Any) -> _Output | _Bad:
        """The model and output size of a request as a log gives them, read, with the
        output's share of the price (None: ``_quoted`` decides), or why they cannot be read."""
        part = self._part
        try:
            rate: ModelRate = part("model", model, self._model)
            out_width = part("width", width, _side, "width")
            out_height = part("height", height, _side, "height")
        except _Refused as refused:
            bad: _Bad = refused.args[0]
            return bad
        return (
            rate,
            out_width,
            out_height,
            self._shared(pricing.output_part(rate, out_width, out_height)),
        )

    def _priced_inputs(self, rate: ModelRate, inputs: Any) -> _Inputs | _Bad:
        """The input images of a request as a log gives them, read, with their share of the
        price (None: ``_quoted`` decides), or why they cannot be read."""
        try:
            images: tuple[Size, ...] = self._part("inputs", inputs, self._inputs)
        except _Refused as refused:
            bad: _Bad = refused.args[0]
            return bad
        return images, self._shared(pricing.inputs_part(rate, images))

    def _shared(self, part: pricing.Part | None) -> pricing.Part | None:
        """``part`` with one Decimal for each figure of credits (their ids key ``_seen``)."""
        if part is None:
            return None
        pixels, credits = part
        return pixels, self._seen.setdefault(str(credits), credits)

    @staticmethod
    def _quoted(rate: ModelRate, width: int, height: int, images: tuple[Size, ...]) -> Any:
        """The price per image of a request its parts do not price (a rule may be broken):
        a Decimal, or a _Bad with the quote's reason."""
        try:
            return pricing.credits_per_image(rate, pricing.Request(Size(width, height), images))
        except FluxcostError as exc:
            return _Bad(str(exc))

    def _batch_and_charge(self, batch: Any, charged: Any) -> tuple[int, Decimal | None] | _Bad:
        try:
            size = 1 if batch is None or batch == "" else _batch(_exact(batch))
            charge = None if charged is None or charged == "" else _credits(_exact(charged))
        except FluxcostError as exc:
            return _Bad(str(exc))
        return size, charge

    def _part(self, part: str, value: Any, make: Callable[..., Any], *args: Any) -> Any:
        """``make(value, *args)`` for this kind of ``part``, worked out once per value and
        class, or raise _Refused with why it cannot be."""
        key = (part, value.__class__, value)
        found = self._seen.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = make(value, *args)
            except FluxcostError as exc:
                found = _Bad(str(exc))
            self._seen[key] = found
        if found.__class__ is _Bad:
            raise _Refused(found)
        return found

    def _model(self, name: Any) -> ModelRate:
        name = _model_name(name)
        try:
            return self.table.get(name)
        except FluxcostError as exc:  # sold elsewhere, or an endpoint of another provider?
            raise FluxcostError(self._elsewhere(name) or str(exc)) from None

    def _elsewhere(self, name: str) -> str | None:
        """Why a model BFL's table does not know may still be priced: who sells it."""
        from fluxcost.provider_pricing import sold_elsewhere

        said = sold_elsewhere(self._catalog_of(), name)
        return said and f"{said}: give the row's provider (a provider column, or --provider NAME)"

    def _inputs(self, value: Any) -> tuple[Size, ...]:
        """Input sizes, each distinct "WxH" read once (a log has a few dozen)."""
        sizes = []
        for number, text in enumerate(_input_parts(value), 1):
            key = ("input", number, text.__class__, text)
            size = self._seen.get(key)
            if size is None:
                image = _input(text, f"input {number}")
                size = self._seen[key] = self._size(image.width, image.height)
            sizes.append(size)
        return tuple(sizes)

    def _size(self, width: int, height: int) -> Size:
        """One Size object for each input size, however many requests share it."""
        size: Size | None = self._seen.get(("size", width, height))
        if size is None:
            size = self._seen["size", width, height] = Size(width, height)
        return size

    def _mismatch(self, line: int, entry: _Entry) -> None:
        self._mismatched += 1
        if len(self._mismatches) < KEEP_ROWS:
            assert entry.charge is not None
            self._mismatches.append(Mismatch(line, entry.credits, entry.charge))

    def reject(self, line: int, reason: str) -> None:
        self._rows_rejected += 1
        if len(self._rejected) < KEEP_ROWS:
            self._rejected.append(Rejected(line, reason))

    # -- the money ------------------------------------------------------------------------
    def finish(self) -> Bill:
        """The bill: money summed once per distinct request and period, never rounded."""
        with localcontext() as context, _collections_paused():
            context.prec = PRECISION
            bill = self._finish()
            for period, earlier in sorted(self._earlier.items()):
                part = earlier._finish()
                first = self._changes[period - 1] if period else None
                # Rows priced at these BFL prices (rejected ones say why; other providers'
                # prices have no history).
                if rows := part.requests - part.provider_requests:
                    bill.earlier_prices.append((first, self._changes[period], rows))
                _add(bill, part)
            if self._earlier:
                order(bill)
            billers = [self, *self._earlier.values()]
            if self.steps is not None and not any(b._steps_used for b in billers):
                bill.notes.append(f"--steps {self.steps} was not used: no row without steps is at"
                                  " a provider that bills per step")  # fmt: skip
            return bill

    def _entries(self) -> Iterator[_Entry]:
        yield from self._fast.values()
        for entry in self._other.values():
            if isinstance(entry, _Entry):
                yield entry

    def _finish(self) -> Bill:
        bill = Bill(self.table.credit_usd, self.group_by)
        counted = [((entry, None), count) for entry in self._entries() if (count := entry.count())]
        tally = [*counted, *self._counts.items()]
        # Rows are counted per entry (and period); entries share their figures, so add up
        # the counts in ints per group and figures first, and do the Decimal money once each.
        # (A Fraction is slow to hash: a BFL row's dollars, none, are None in the key.)
        sums: dict[tuple[str, int, Decimal, Decimal | None, bool, str | None, Any], int] = {}
        texts: dict[int | None, str] = {}  # a day's or month's name, made once
        for (entry, when), count in tally:
            seller = entry.provider
            if self.group_by == "model":  # a row at another provider: "fal:flux2-pro"
                name = entry.shape[0].id if seller is None else f"{seller}:{entry.shape[0].id}"
            else:
                name = texts.get(when) or texts.setdefault(when, _period_text(self.group_by, when))
            key = (name, entry.batch, entry.credits, entry.charge, entry.api_mp is not None,
                   seller, None if seller is None else entry.usd)  # fmt: skip
            sums[key] = sums.get(key, 0) + count
        groups: dict[str, Group] = {}
        for (name, batch, credits, charge, reported_mp, seller, usd), count in sums.items():
            bill.mp_rows_checked += count if reported_mp else 0
            target = groups.get(name)
            if target is None:
                target = groups[name] = Group(name)
            target.requests += count
            target.images += batch * count
            target.credits += credits * count
            if seller is not None:
                target.provider_requests += count
                target.provider_usd += usd * count
                total = bill.providers.get(seller) or bill.providers.setdefault(
                    seller, ProviderTotal(seller)
                )
                total.requests += count
                total.images += batch * count
                total.usd += usd * count
            if charge is not None:
                bill.rows_with_charge += count
                bill.charged_credits += charge * count
                bill.expected_credits_charged_rows += credits * count
        for group in groups.values():
            bill.requests += group.requests
            bill.images += group.images
            bill.credits += group.credits
            bill.provider_requests += group.provider_requests
            bill.provider_usd += group.provider_usd
        bill.groups = list(groups.values())
        # Notes of the requests counted (a rejected row's request says nothing).
        bill.notes = list(dict.fromkeys(e.note for (e, _), _ in tally if e.note is not None))
        order(bill)
        bill.rejected = self._rejected
        bill.rows_rejected = self._rows_rejected
        bill.mismatches = self._mismatches
        bill.mismatched_rows = self._mismatched
        bill.mp_findings = self._mp_findings
        bill.mp_mismatched_rows = self._mp_mismatched
        if self.what_if:
            per_entry: dict[_Entry, int] = {}
            for (entry, _), count in tally:
                per_entry[entry] = per_entry.get(entry, 0) + count
            bill.what_if = self.what_if_for(per_entry)
        return bill

    def what_if_for(self, per_entry: dict[_Entry, int]) -> list[WhatIf]:
        """The what-if of requests counted (any object with ``.request`` and ``.batch`` may
        stand for an entry: the DuckDB engine counts them in SQL)."""
        options = [WhatIf(model) for model in self.table.models]
        images: dict[pricing.Request, int] = {}  # images per distinct request
        requests: dict[pricing.Request, int] = {}
        for entry, count in per_entry.items():
            request = entry.request
            images[request] = images.get(request, 0) + entry.batch * count
            requests[request] = requests.get(request, 0) + count
        for option in options:
            for request, count in requests.items():
                reason = _cannot_serve(option.model, request)
                if isinstance(reason, str):
                    option.unservable_requests += count
                    option.reason = option.reason or reason
                    continue
                option.credits += reason * images[request]
        return sorted(options, key=lambda o: (o.unservable_requests, o.credits))


_SUMMED = ("requests", "images", "credits", "rows_rejected", "rows_with_charge",
           "charged_credits", "expected_credits_charged_rows", "mismatched_rows",
           "mp_rows_checked", "mp_mismatched_rows", "provider_requests",
           "provider_usd")  # fmt: skip
_GROUP_SUMMED = ("requests", "images", "credits", "provider_requests", "provider_usd")


def _add(bill: Bill, part: Bill) -> None:
    """Add ``part`` (rows billed at an earlier day's prices) into ``bill``."""
    for name in _SUMMED:
        setattr(bill, name, getattr(bill, name) + getattr(part, name))
    groups = {g.key: g for g in bill.groups}
    for group in part.groups:
        target = groups.get(group.key)
        if target is None:
            bill.groups.append(group)
            groups[group.key] = group
            continue
        for name in _GROUP_SUMMED:
            setattr(target, name, getattr(target, name) + getattr(group, name))
    for seller, total in part.providers.items():
        mine = bill.providers.setdefault(seller, ProviderTotal(seller))
        mine.requests += total.requests
        mine.images += total.images
        mine.usd += total.usd
    bill.notes = list(dict.fromkeys([*bill.notes, *part.notes]))
    bill.rejected = sorted([*bill.rejected, *part.rejected], key=lambda r: r.line)[:KEEP_ROWS]
    bill.mismatches = sorted([*bill.mismatches, *part.mismatches], key=lambda m: m.line)[:KEEP_ROWS]
    findings = [*bill.mp_findings, *part.mp_findings]
    bill.mp_findings = sorted(findings, key=lambda m: m.line)[:KEEP_ROWS]
    if bill.what_if is not None and part.what_if is not None:
        options = {option.model.id: option for option in bill.what_if}
        for option in part.what_if:
            target_option = options[option.model.id]
            target_option.credits += option.credits
            target_option.unservable_requests += option.unservable_requests
            target_option.reason = target_option.reason or option.reason


def order(bill: Bill) -> None:
    """Groups and the what-if in order: by period (by length first: 10000-01-01, a UTC day
    past 9999, see _edge_period, comes last), or by model the most expensive first."""
    bill.groups.sort(key=lambda g: (len(g.key), g.key))
    if bill.group_by == "model":
        if bill.provider_requests:
            bill.groups.sort(key=lambda g: g.exact_usd(bill.credit_usd), reverse=True)
        else:  # the same order, in Decimal
            bill.groups.sort(key=lambda g: g.credits, reverse=True)
    bill.providers = dict(sorted(bill.providers.items(), key=lambda p: (-p[1].usd, p[0])))
    if bill.what_if is not None:
        bill.what_if.sort(key=lambda o: (o.unservable_requests, o.credits))


def _cannot_serve(model: ModelRate, request: pricing.Request) -> str | Decimal:
    """Why ``model`` cannot make ``request`` (``pricing.cannot_serve``), else its price per
    image."""
    if not model.on_api:
        return pricing.cannot_serve(model, request) or ""
    try:
        return pricing.credits_per_image(model, request)
    except FluxcostError as exc:  # check_request's reason, as cannot_serve gives it
        return str(exc)


_BFL_STEPS = "steps do not change BFL's prices (it bills the image): its rows' steps are not used"


def _steps(value: Any) -> int:
    return whole(_exact(value), "steps", minimum=1, maximum=10_000)


def _model_name(name: Any) -> str:
    """A model name as a log gives it, checked before any table looks it up."""
    if name is None or (isinstance(name, str) and not name.strip()):
        raise FluxcostError("model is missing")
    if not isinstance(name, str):  # no value in the reason, as in _input
        raise FluxcostError("model is not text: give a model id, e.g. flux2-pro")
    if len(name) > _LONGEST_NAME:  # before the table looks for similar names
        raise FluxcostError(f"unknown model {shown(name)}: no model has a name that long")
    return name


def provider_options(table: RateTable, provider: str, steps: Any, what: str) -> dict[str, Any]:
    """``Biller``'s provider, steps and catalog from what a caller gave (``what`` names the
    steps in errors): an unknown provider names the closest; steps are 1 to 10,000."""
    given: dict[str, Any] = {}
    if steps is not None:
        given["steps"] = whole(steps, what, minimum=1, maximum=10_000)
    if provider.strip().lower() != BFL:
        catalog = CatalogOnce(table)
        given["provider"] = catalog().providers.provider(provider).id
        given["catalog"] = catalog
    return given


class CatalogOnce:
    """The provider tables with ``table`` (provider_pricing.Catalog), loaded on first use."""

    def __init__(self, table: RateTable) -> None:
        self.table = table
        self.catalog: Catalog | None = None

    def __call__(self) -> Catalog:
        if self.catalog is None:
            from fluxcost.provider_file import load_providers
            from fluxcost.provider_pricing import Catalog

            self.catalog = Catalog(self.table, load_providers())
        return self.catalog


def _batch(value: Any) -> int:
    return whole(value, "batch", minimum=1)


def _timestamp_problem(value: Any) -> str:
    if value is None or value == "":
        return "timestamp is missing"
    return f"timestamp {shown(value)} is not ISO 8601 (e.g. 2026-11-01T09:30:00Z)"


def _period(when: dt.datetime, by_day: bool) -> int:
    """The UTC day (an ordinal) or month (year * 100 + month) of a timestamp."""
    zone = when.tzinfo
    if zone is not None and zone is not _UTC:
        try:
            when = when.astimezone(_UTC)
        except OverflowError:  # 0001-01-01T00:00+01:00 is in year 0 in UTC: past datetime
            return _edge_period(when.year == 1, by_day)
    return when.toordinal() if by_day else when.year * 100 + when.month


# The UTC days just outside datetime's calendar (an offset is under a day), as ordinals.
_EDGE_DAYS = {0: "0000-12-31", dt.date.max.toordinal() + 1: "10000-01-01"}


def _edge_period(before: bool, by_day: bool) -> int:
    """``_period`` of a time whose UTC day is the day before 0001-01-01 or after 9999-12-31:
    such a row is billed like any other, in a group of its own."""
    if by_day:
        return 0 if before else dt.date.max.toordinal() + 1
    return 0 * 100 + 12 if before else 10000 * 100 + 1


def _period_text(group_by: str, when: int | None) -> str:
    assert when is not None  # counted by day or month
    if group_by == "day":
        return _EDGE_DAYS.get(when) or dt.date.fromordinal(when).isoformat()
    year, month = divmod(when, 100)
    return f"{year:04d}-{month:02d}"


# The request's columns; the last two are the API's own figures (BFL's submit response gives
# ``cost``, ``input_mp``, ``output_mp``): ``cost`` is read as ``charged_credits``.
# ``provider``: where the request was made (a provider id; empty: bfl, or --provider);
# ``steps``: its inference steps, for a provider that bills per step.
FIELDS = ("timestamp", "model", "width", "height", "inputs", "batch", "charged_credits",
          "output_mp", "input_mp", "provider", "steps")  # fmt: skip
COST = "cost"
REQUIRED = ("timestamp", "model", "width", "height")


def record_request(record: Any) -> tuple[Any, ...]:
    """(model, width, height, inputs, batch, charged, output_mp, input_mp, provider, steps) of
    a JSON object or dict row (``cost``, the API's name, as charged), then the types of the
    seven numbers: the cache key must tell 1 from True (and, from a library caller, 1024 from
    1024.0): equal in Python, but only one of each is a whole number."""
    inputs = record.get("inputs")
    if inputs.__class__ is list:  # hashable, so the request can be cached
        inputs = tuple(inputs)
    width = record["width"]
    height = record["height"]
    batch = record.get("batch")
    charged = record.get("charged_credits")
    cost = record.get("cost")
    if cost is not None:
        if charged is not None:
            raise ValueError  # explain_record says why
        charged = cost
    output_mp = record.get("output_mp")
    input_mp = record.get("input_mp")
    steps = record.get("steps")
    return (
        record["model"],
        width,
        height,
        inputs,
        batch,
        charged,
        output_mp,
        input_mp,
        record.get("provider"),
        steps,
        width.__class__,
        height.__class__,
        batch.__class__,
        charged.__class__,
        output_mp.__class__,
        input_mp.__class__,
        steps.__class__,
    )


def library_request(record: Any) -> tuple[Any, ...]:
    """``record_request``, with input sizes a library caller gave as pairs or Sizes written
    as "WxH" text, so that (1024.0, 1024) and (1024, 1024) are different keys."""
    key = record_request(record)
    inputs = key[3]
    if inputs.__class__ is not tuple:
        return key
    return (*key[:3], tuple(map(_library_input, inputs)), *key[4:])


def _library_input(value: Any) -> Any:
    if isinstance(value, Size):
        value = (value.width, value.height)
    if isinstance(value, (tuple, list)):
        if len(value) == 2 and value[0].__class__ is int and value[1].__class__ is int:
            return f"{value[0]}x{value[1]}"
        return tuple(value)
    return value


# The timestamp of a JSON object or dict row (C, not a Python call: it runs once a row).
record_time: Callable[[Any], Any] = operator.itemgetter("timestamp")


def explain_record(record: Any, error: BaseException) -> str | None:
    if isinstance(record, str):  # the reader's own reason, e.g. broken JSON
        return record
    if not isinstance(record, dict):
        return "a record must be a JSON object"
    missing = [name for name in REQUIRED if name not in record]
    if missing:
        return f"missing {', '.join(missing)}"
    if record.get("charged_credits") is not None and record.get(COST) is not None:
        return BOTH_CHARGES
    return _NOT_SCALAR


BOTH_CHARGES = "both charged_credits and cost are given: give one (cost is the API's name for it)"
