"""Bills from usage rows: pure and streaming. Each distinct request is priced once.

A row gives a timestamp and (model, width, height, inputs, batch, charged_credits) with values
as a log holds them (CSV text or JSON values). The hot path only counts rows per distinct
request (and day or month); money is summed in Decimal once per distinct key at the end, so
memory depends on the number of distinct requests and periods, never on the number of rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from fluxcost import pricing
from fluxcost.errors import FluxcostError
from fluxcost.numbers import LOG_DECIMALS, MAX_SIDE, PRECISION, decimal, shown, whole
from fluxcost.rates import ModelRate, RateTable
from fluxcost.sizes import Size

GROUPS = ("model", "day", "month")
KEEP_ROWS = 1000  # rejected rows and mismatches listed in full; beyond that only counted
_LONGEST_NAME = 100  # longer than any model id or alias
_UTC = dt.UTC


@dataclass(frozen=True, eq=False)  # one per distinct request (see Biller._shapes)
class Shape:
    """One distinct request: a model and sizes, priced once per image."""

    model: ModelRate
    request: pricing.Request
    per_image_credits: Decimal


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


@dataclass(frozen=True)
class Mismatch:
    line: int
    expected_credits: Decimal
    charged_credits: Decimal


@dataclass
class Group:
    key: str
    requests: int = 0
    images: int = 0
    credits: Decimal = Decimal(0)


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
    what_if: list[WhatIf] | None = None

    @property
    def usd(self) -> Decimal:
        return self.credits * self.credit_usd

    @property
    def rows(self) -> int:
        """Rows that were requests, priced or rejected (blank lines are not)."""
        return self.requests + self.rows_rejected


class JsonNumber(str):
    """A JSON number with a point or an exponent (4.5, 1024.0, 1e3), kept as written: cheaper
    to read and to hash than a Decimal, and never equal to an int as 1024.0 would be. The slow
    path makes it an exact Decimal (``_exact``), once per distinct value."""

    __slots__ = ()


def _exact(value: Any) -> Any:
    return Decimal(value) if isinstance(value, JsonNumber) else value


def _side(value: Any, what: str) -> int:
    return whole(value, what, minimum=1, maximum=MAX_SIDE)


# An input image as a log writes it: "WxH", with "x", "X", "*" or the multiplication sign.
_SIZE_TEXT = re.compile(r"\s*([0-9,]+)\s*[xX*\u00d7]\s*([0-9,]+)\s*")


def _inputs(value: Any) -> tuple[Size, ...]:
    """Input images: "WxH" sizes joined by ";" (CSV) or a sequence of them (JSON, library)."""
    if value is None or value == "" or value == ():
        return ()
    if isinstance(value, str):
        sizes: Any = [p for p in value.split(";") if p.strip()]
    elif isinstance(value, tuple):
        sizes = value
    else:
        raise FluxcostError("inputs is not a list of WxH sizes")  # no value, as in _input
    return tuple(_input(size, f"input {n}") for n, size in enumerate(sizes, 1))


def _input(value: Any, what: str) -> Size:
    value = _exact(value)
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


def _credits(value: Any) -> Decimal:
    if isinstance(value, float):  # only from a library caller: JSON's are JsonNumber
        raise FluxcostError(
            f"charged_credits {value!r} is a binary float: give a Decimal, an int or text"
        )
    return decimal(value, "charged_credits", "4.5", places=LOG_DECIMALS)


class _Entry:
    """One distinct (request shape, batch, charge) of a log: the hot path's dict key, hashed
    by identity. Logs repeat a few shapes, and the API charges a shape the same each time,
    so there are few of these however long the log is."""

    __slots__ = ("batch", "charge", "counter", "credits", "differs", "shape")

    def __init__(self, shape: Shape, batch: int, charge: Decimal | None) -> None:
        self.shape = shape
        self.batch = batch
        self.credits = shape.per_image_credits * batch  # what one such request costs
        self.charge = charge  # what the API said it charged, when the log says
        self.differs = charge is not None and charge != self.credits
        self.counter = itertools.count()  # rows, when grouping by model (next() is cheap)

    def count(self) -> int:
        """How many rows were counted on ``counter`` (reading it leaves it unchanged)."""
        seen = next(self.counter)
        self.counter = itertools.count(seen)
        return seen


class _Bad:
    """A request that cannot be priced, cached with its reason."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


_NOT_SCALAR = "a value is a list or object where a number or text belongs"


class Biller:
    """Accumulates rows into a Bill. ``consume`` is the hot path; ``finish`` does the money."""

    def __init__(self, table: RateTable, group_by: str = "model", what_if: bool = False) -> None:
        if group_by not in GROUPS:
            raise FluxcostError(f"group by {group_by!r}: choose one of {', '.join(GROUPS)}")
        self.table = table
        self.group_by = group_by
        self.what_if = what_if
        self._entries: dict[Any, _Entry | _Bad] = {}
        # Plainly priced requests seen before: their counter (by model) or entry (by time).
        self._fast: dict[Any, Any] = {}
        self._shapes: dict[tuple[str, pricing.Request], Shape] = {}
        self._counts: dict[tuple[_Entry, int], int] = {}  # by day or month
        self._rejected: list[Rejected] = []
        self._rows_rejected = 0
        self._mismatches: list[Mismatch] = []
        self._mismatched = 0

    def consume(
        self,
        rows: Iterable[Any],
        request_of: Callable[[Any], tuple[Any, ...]],
        time_of: Callable[[Any], Any],
        explain: Callable[[Any, BaseException], str | None],
        line: Callable[[int], int],
        on_reject: Callable[[int, str], None] | None = None,
    ) -> None:
        """Count every row. ``request_of(row)`` gives (model, width, height, inputs, batch,
        charged) and ``time_of(row)`` the timestamp, or they raise; ``explain`` turns that
        into a reason (None: not a request, e.g. a blank line); ``line(index)`` is the line
        number of the row at ``index`` (from 0) of ``rows``.

        This loop is what a million-row log costs, so it is written for speed: every
        distinct request is parsed and priced once (cached), and a row only does a dict
        look-up, a timestamp parse and a count.
        """
        parse_time = dt.datetime.fromisoformat
        fast = self._fast
        utc = _UTC
        by_day = self.group_by == "day"
        counts, counts_get = self._counts, self._counts.get

        def slow(index: int, row: Any) -> None:
            self._row(row, request_of, time_of, explain, lambda: line(index), on_reject)

        # The fast paths: a request seen before, priced plainly (no charge that differs),
        # with a valid timestamp. Anything else (a new request, a bad row, a mismatch) takes
        # the slow path, which looks at the row step by step and may add it to ``fast``.
        if self.group_by == "model":
            for index, row in enumerate(rows):
                try:
                    counter = fast[request_of(row)]
                    parse_time(time_of(row))
                except Exception:
                    slow(index, row)
                    continue
                next(counter)
            return
        for index, row in enumerate(rows):
            try:
                entry = fast[request_of(row)]
                when = parse_time(time_of(row))
                # _period(when, by_day), written out: a call per row costs more than the rest.
                # Converting may overflow (0001-01-01T00:00+01:00): the slow path sees to it.
                zone = when.tzinfo
                if zone is not None and zone is not utc:
                    when = when.astimezone(utc)
            except Exception:
                slow(index, row)
                continue
            group = (entry, when.toordinal() if by_day else when.year * 100 + when.month)
            counts[group] = counts_get(group, 0) + 1

    def _row(
        self,
        row: Any,
        request_of: Callable[[Any], tuple[Any, ...]],
        time_of: Callable[[Any], Any],
        explain: Callable[[Any, BaseException], str | None],
        line: Callable[[], int],
        on_reject: Callable[[int, str], None] | None,
    ) -> None:
        def reject(reason: str) -> None:
            number = line()
            self.reject(number, reason)
            if on_reject is not None:
                on_reject(number, reason)

        try:
            key = request_of(row)
            entry = self._entries.get(key)
            timestamp = time_of(row)
        except (AttributeError, LookupError, TypeError, ValueError) as exc:
            reason = explain(row, exc)
            if reason is not None:
                reject(reason)
            return
        if entry is None:
            entry = self._entries[key] = self._entry(*key[:6])
        if isinstance(entry, _Bad):
            reject(entry.reason)
            return
        try:
            when = dt.datetime.fromisoformat(timestamp)
        except (TypeError, ValueError):
            reject(_timestamp_problem(timestamp))
            return
        if self.group_by == "model":
            next(entry.counter)
            if not entry.differs:
                self._fast[key] = entry.counter
        else:
            if not entry.differs:
                self._fast[key] = entry
            group = (entry, _period(when, self.group_by == "day"))
            self._counts[group] = self._counts.get(group, 0) + 1
        if entry.differs:
            self._mismatch(line(), entry)

    # -- slow paths, once per distinct value ----------------------------------------------
    def _entry(
        self, model: Any, width: Any, height: Any, inputs: Any, batch: Any, charged: Any
    ) -> _Entry | _Bad:
        model, width, height, inputs, batch, charged = map(
            _exact, (model, width, height, inputs, batch, charged)
        )
        try:
            if model is None or (isinstance(model, str) and not model.strip()):
                raise FluxcostError("model is missing")
            if not isinstance(model, str):  # no value in the reason, as in _input
                raise FluxcostError("model is not text: give a model id, e.g. flux2-pro")
            if len(model) > _LONGEST_NAME:  # before the table looks for similar names
                raise FluxcostError(f"unknown model {shown(model)}: no model has a name that long")
            rate = self.table.get(model)
            request = pricing.Request(
                Size(_side(width, "width"), _side(height, "height")), _inputs(inputs)
            )
            quote = pricing.quote(rate, request, 1, self.table.credit_usd)
            size = 1 if batch is None or batch == "" else whole(batch, "batch", minimum=1)
            charge = None if charged is None or charged == "" else _credits(charged)
        except FluxcostError as exc:
            return _Bad(str(exc))
        shape = self._shapes.get((rate.id, request))
        if shape is None:  # one Shape per request, however it was spelled in the log
            shape = self._shapes[(rate.id, request)] = Shape(rate, request, quote.per_image_credits)
        return _Entry(shape, size, charge)

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
        with localcontext() as context:
            context.prec = PRECISION
            return self._finish()

    def _finish(self) -> Bill:
        bill = Bill(self.table.credit_usd, self.group_by)
        groups: dict[str, Group] = {}
        per_entry: dict[_Entry, int] = {}  # several entries may share a shape (other charges)
        counted = [
            ((entry, None), count)
            for entry in self._entries.values()
            if isinstance(entry, _Entry) and (count := entry.count())
        ]
        for (entry, when), count in [*counted, *self._counts.items()]:
            per_entry[entry] = per_entry.get(entry, 0) + count
            name = _group_text(self.group_by, entry, when)
            target = groups.get(name)
            if target is None:
                target = groups[name] = Group(name)
            target.requests += count
            target.images += entry.batch * count
            target.credits += entry.credits * count
        for entry, count in per_entry.items():
            bill.requests += count
            bill.images += entry.batch * count
            bill.credits += entry.credits * count
        # By length first: 10000-01-01 (a UTC day past 9999, see _edge_period) comes last.
        bill.groups = sorted(groups.values(), key=lambda g: (len(g.key), g.key))
        if self.group_by == "model":  # most expensive first reads best for a breakdown
            bill.groups.sort(key=lambda g: g.credits, reverse=True)
        for entry, count in per_entry.items():
            if entry.charge is not None:
                bill.rows_with_charge += count
                bill.charged_credits += entry.charge * count
                bill.expected_credits_charged_rows += entry.credits * count
        bill.rejected = self._rejected
        bill.rows_rejected = self._rows_rejected
        bill.mismatches = self._mismatches
        bill.mismatched_rows = self._mismatched
        if self.what_if:
            bill.what_if = self._what_if(per_entry)
        return bill

    def _what_if(self, per_entry: dict[_Entry, int]) -> list[WhatIf]:
        options = [WhatIf(model) for model in self.table.models]
        images: dict[pricing.Request, int] = {}  # images per distinct request
        requests: dict[pricing.Request, int] = {}
        for entry, count in per_entry.items():
            request = entry.shape.request
            images[request] = images.get(request, 0) + entry.batch * count
            requests[request] = requests.get(request, 0) + count
        for option in options:
            for request, count in requests.items():
                reason = pricing.cannot_serve(option.model, request)
                if reason is not None:
                    option.unservable_requests += count
                    option.reason = option.reason or reason
                    continue
                price = pricing.quote(option.model, request, 1, self.table.credit_usd)
                option.credits += price.per_image_credits * images[request]
        return sorted(options, key=lambda o: (o.unservable_requests, o.credits))


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


def _group_text(group_by: str, entry: _Entry, when: int | None) -> str:
    if group_by == "model" or when is None:
        return entry.shape.model.id
    if group_by == "day":
        return _EDGE_DAYS.get(when) or dt.date.fromordinal(when).isoformat()
    year, month = divmod(when, 100)
    return f"{year:04d}-{month:02d}"


FIELDS = ("timestamp", "model", "width", "height", "inputs", "batch", "charged_credits")
REQUIRED = ("timestamp", "model", "width", "height")


def record_request(record: Any) -> tuple[Any, ...]:
    """(model, width, height, inputs, batch, charged) of a JSON object or dict row, then the
    types of the four numbers: the cache key must tell 1 from True (and, from a library
    caller, 1024 from 1024.0): equal in Python, but only one of each is a whole number."""
    inputs = record.get("inputs")
    if inputs.__class__ is list:  # hashable, so the request can be cached
        inputs = tuple(inputs)
    width = record["width"]
    height = record["height"]
    batch = record.get("batch")
    charged = record.get("charged_credits")
    return (
        record["model"],
        width,
        height,
        inputs,
        batch,
        charged,
        width.__class__,
        height.__class__,
        batch.__class__,
        charged.__class__,
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


def record_time(record: Any) -> Any:
    return record["timestamp"]


def explain_record(record: Any, error: BaseException) -> str | None:
    if isinstance(record, str):  # the reader's own reason, e.g. broken JSON
        return record
    if not isinstance(record, dict):
        return "a record must be a JSON object"
    missing = [name for name in REQUIRED if name not in record]
    if missing:
        return f"missing {', '.join(missing)}"
    return _NOT_SCALAR
