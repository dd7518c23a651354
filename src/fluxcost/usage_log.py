"""Reading usage logs (CSV or JSON Lines; a file, a pipe or stdin; gzipped or not) into
billing rows, streaming. A stream is read once; only a regular file is read twice (a fast
scan for quotes first).

Line numbers are physical lines as an editor shows them: in CSV the header is line 1, so the
first request is line 2; in JSON Lines the first record is line 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import itertools
import json
import operator
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from fluxcost.billing import (
    COST,
    FIELDS,
    REQUIRED,
    Biller,
    JsonNumber,
    explain_record,
    record_request,
    record_time,
)
from fluxcost.errors import FluxcostError

FORMATS = ("csv", "jsonl")
GZIP_MAGIC = b"\x1f\x8b"
# A quoted CSV field may hold line breaks (a prompt, say), but one still open this far on
# is a stray quote: its record is rejected and the lines after it are read again as rows.
MAX_RECORD_LINES = 1000
MAX_RECORD_CHARS = 64 * 1024

Reject = Callable[[int, str], None]


def detect_format(path: str, given: str | None, first_line: str) -> str:
    named = named_format(path, given)
    if named is not None:
        return named
    # stdin or an unknown extension: JSON Lines records start with "{".
    return "jsonl" if first_line.lstrip().startswith("{") else "csv"


def named_format(path: str, given: str | None) -> str | None:
    """The format --log-format or the file name gives, None when neither says."""
    if given is not None:
        if given not in FORMATS:
            raise FluxcostError(f"--log-format {given!r}: choose csv or jsonl")
        return given
    suffix = Path(path.lower().removesuffix(".gz")).suffix
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    return None


@dataclass
class Log:
    """An open log: its text, and what is known about the file behind it."""

    text: IO[str]
    quotes: bool  # a double quote may appear (a stream is not scanned: it may)
    size: int | None  # bytes of a regular file, for progress
    position: Callable[[], int] | None  # bytes of it read so far
    close: Callable[[], None]


def open_log(path: str, jsonl: bool = False) -> Log:
    """``path`` (``-``: stdin) as UTF-8 text, unzipped when it starts as gzip does.

    ``jsonl``: known to be JSON Lines, so read with its line ends as "\n": a record holds no
    line break, and io splits such text faster (it looks for "\n" alone, not for "\r" and
    "\n"; both modes end a line at each of them)."""
    if path != "-":
        try:
            opened = open(path, "rb")  # noqa: SIM115 (closed by Log.close)
        except OSError as exc:
            raise FluxcostError(f"cannot read log {path}: {exc.strerror or exc}") from None
        try:
            return _open_bytes(opened, own=True, jsonl=jsonl)
        except BaseException:
            opened.close()
            raise
    stdin = sys.stdin
    if stdin is None:  # started with stdin closed
        raise FluxcostError("cannot read log -: stdin is closed")
    binary = getattr(stdin, "buffer", None)
    if binary is None:  # stdin replaced by a text stream (a test, a notebook): read it
        return Log(stdin, True, None, None, lambda: None)
    return _open_bytes(binary, own=False, jsonl=jsonl)


def _open_bytes(binary: IO[bytes], own: bool, jsonl: bool) -> Log:
    """A log on ``binary``, which is closed at the end if ``own``, else left open."""
    try:
        info: os.stat_result | None = os.fstat(binary.fileno())
    except (OSError, ValueError):  # no file descriptor
        info = None
    regular = info is not None and stat.S_ISREG(info.st_mode)
    stream = binary
    if regular:  # peek and scan, then start again
        start = binary.tell()
        gzipped = binary.read(2) == GZIP_MAGIC
        binary.seek(start)
        # (For JSON Lines the scan ends in its first megabyte: a record has quotes.)
        with gzip.GzipFile(fileobj=binary) if gzipped else nullcontext(binary) as unzipped:
            quotes = _has_quotes(unzipped)
        binary.seek(start)
    else:  # a pipe, FIFO or terminal: what is read must be read only once
        head = binary.read(2)
        gzipped = head == GZIP_MAGIC
        stream = io.BufferedReader(_Rejoined(head, binary), buffer_size=1 << 16)
        quotes = True
    source: IO[bytes] | gzip.GzipFile = gzip.GzipFile(fileobj=stream) if gzipped else stream
    # A stream may never end a line (/dev/zero, a binary piped in): refuse it, not fill memory.
    guarded = source if regular else io.BufferedReader(_LineGuard(source), buffer_size=1 << 16)
    text = io.TextIOWrapper(guarded, encoding="utf-8-sig", newline=None if jsonl else "")

    def close() -> None:
        if source is binary and not own:
            text.detach()  # leave stdin open
        else:
            text.close()  # a GzipFile leaves its file open
        if own:
            binary.close()

    if info is not None and regular:
        return Log(text, quotes, info.st_size, binary.tell, close)
    return Log(text, quotes, None, None, close)


class _Rejoined(io.RawIOBase):
    """The bytes a peek took from a stream, then the rest of it: nothing is lost."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._head or self._rest.read(len(buffer))
        size = min(len(data), len(buffer))
        buffer[:size] = data[:size]
        self._head = data[size:] if self._head else b""
        return size


class _LineGuard(io.RawIOBase):
    """The bytes of ``source``, refused once a line runs past MAX_LINE bytes."""

    def __init__(self, source: IO[bytes] | gzip.GzipFile) -> None:
        super().__init__()
        self._source = source
        self._run = 0  # bytes since the last line end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._source.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        end = data.rfind(b"\n")
        self._run = self._run + size if end < 0 else size - end - 1
        if self._run > MAX_LINE:
            raise FluxcostError(f"a line of the log runs past {MAX_LINE:,} bytes: not a log")
        return size


MAX_LINE = 1 << 24  # 16 MiB: far beyond any request row


def _has_quotes(binary: IO[bytes] | gzip.GzipFile) -> bool:
    """Whether a file has a double quote anywhere (a fast byte scan)."""
    while chunk := binary.read(1 << 20):
        if b'"' in chunk:
            return True
    return False


class Progress:
    """A one-line progress report on stderr, only for a terminal and a large file."""

    def __init__(
        self, name: str, total_bytes: int | None, position: Callable[[], int] | None
    ) -> None:
        self.name = name
        self.total = total_bytes
        self.position = position
        self.enabled = bool(total_bytes and total_bytes > 8_000_000 and sys.stderr.isatty())

    def counted(self, lines: Iterable[str]) -> Iterator[str]:
        """The lines, reporting progress every 50,000 of them."""
        for number, text in enumerate(lines, 1):
            if not number % 50_000:
                self.update(number)
            yield text

    def update(self, lines: int) -> None:
        share = ""
        if self.total and self.position is not None:
            share = f"{min(100, self.position() * 100 // self.total)}%, "
        sys.stderr.write(f"\rbilling {self.name}: {share}{lines:,} lines")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\r\x1b[K")


def read_into(
    biller: Biller,
    path: str,
    log_format: str | None = None,
    strict: bool = False,
    on_reject: Reject | None = None,
) -> None:
    """Feed every row of the log to ``biller``."""

    def rejected(line: int, reason: str) -> None:
        if strict:  # this error names the row: on_reject would report it a second time
            raise FluxcostError(f"{path}:{line}: {reason} (--strict stops at the first bad row)")
        if on_reject is not None:
            on_reject(line, reason)

    try:
        log = open_log(path, named_format(path, log_format) == "jsonl")
        try:
            _read(biller, log, path, log_format, rejected)
        finally:
            log.close()
    except UnicodeDecodeError:
        raise FluxcostError(f"cannot read log {path}: it is not UTF-8 text") from None
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise FluxcostError(f"cannot read log {path}: broken gzip data ({exc})") from None
    except BrokenPipeError:
        raise  # stderr went away while reporting a row: not a problem with the log
    except OSError as exc:
        raise FluxcostError(f"cannot read log {path}: {exc.strerror or exc}") from None


def _read(biller: Biller, log: Log, path: str, log_format: str | None, reject: Reject) -> None:
    first = log.text.readline().removeprefix("\ufeff")  # a BOM, when stdin is text already
    fmt = detect_format(path, log_format, first)
    progress = Progress(path, log.size, log.position)
    lines: Iterable[str] = progress.counted(log.text) if progress.enabled else log.text
    try:
        if fmt == "csv":
            _read_csv(biller, first, iter(lines), path, log.quotes, reject)
        else:
            _read_jsonl(biller, first, lines, reject)
    finally:
        if progress.enabled:
            progress.close()


# -- CSV ------------------------------------------------------------------------------------
def _read_csv(
    biller: Biller, first: str, lines: Iterator[str], path: str, quotes: bool, reject: Reject
) -> None:
    header_line = 1
    while not first.strip():  # blank lines before the header
        first = next(lines, "")
        if not first:
            return  # no header, no requests
        header_line += 1
    header = _header(first, f"{path}:{header_line}")
    width = len(header)
    columns = [header.index(name) if name in header else width for name in FIELDS]
    request_of = operator.itemgetter(*columns[1:])
    time_of = operator.itemgetter(columns[0])
    # An optional column is absent: read it as an empty cell after the row's own, which
    # stand in for the header's (a row with too many columns loses its extra cells first,
    # so the pad is never one of them).
    pad = width in columns

    def explain(row: Any, error: BaseException) -> str | None:
        if isinstance(row, _Broken):
            return row.reason
        if not "".join(row).strip():
            return None  # a blank line is not a request
        return f"has {len(row) - pad} columns, the header has {width}"  # not the padding

    if quotes:
        records = _CsvRecords(lines, header_line, width, pad)
        biller.consume(records, request_of, time_of, explain, lambda _: records.line, reject)
        return
    # No quoting anywhere, so a line is a row and a comma a separator: str.split is several
    # times faster than csv.reader. The line ending stays on the last cell; strip it only
    # when that cell is read.
    last_read = max(c for c in columns if c < width)
    strip = last_read == width - 1

    def split(text: str) -> list[str]:
        row = (text.rstrip() if strip else text).split(",")
        if pad:
            row[width:] = PAD
        return row

    first_row = header_line + 1
    read = sorted(c for c in columns[1:] if c < width)
    if columns[0] == 0 and read == list(range(1, len(read) + 1)):
        # The documented layout: the timestamp, then the request's columns, then others.
        tail, count = width - 1 - len(read), len(read)
        # The request's cells as the key holds them (an absent optional column: the pad).
        in_key = operator.itemgetter(*(c - 1 if c < width else count for c in columns[1:]))

        def parse(text: str) -> tuple[str | None, Any, str]:
            stamp, rest = text.split(",", 1)
            parts = rest.rsplit(",", tail)
            cells = (parts[0].rstrip() if strip else parts[0]).split(",")
            if len(parts) == tail + 1 and len(cells) == count:  # a whole row: the usual
                if pad:
                    cells.append("")
                return parts[0], in_key(cells), stamp
            row = split(text)  # too few or too many columns: read it as the other paths do
            return None, request_of(row), row[0]

        def explain_line(text: str, error: BaseException) -> str | None:
            return explain(split(text), error)

        biller.consume_lines(
            lines, tail, parse, explain_line, lambda index: index + first_row, reject
        )
        return
    text = map(str.rstrip, lines) if strip else lines
    rows: Iterable[list[str]] = map(str.split, text, itertools.repeat(","))
    if pad:
        rows = map(_padded, rows, itertools.repeat(width))
    biller.consume(rows, request_of, time_of, explain, lambda index: index + first_row, reject)


PAD = ("",)


def _padded(row: list[str], width: int) -> list[str]:
    row[width:] = PAD
    return row


def _header(text: str, where: str) -> list[str]:
    try:
        names = next(csv.reader([text], strict=True))
    except csv.Error as exc:
        raise FluxcostError(f"{where}: the header is not valid CSV ({exc})") from None
    header = [name.strip().lower() for name in names]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise FluxcostError(
            f"{where}: the header has no {', '.join(missing)} column"
            f" (columns: {', '.join(FIELDS[:7])}; inputs, batch and charged_credits are optional,"
            " and so are the API's own cost, output_mp and input_mp, provider and steps)"
        )
    for name in (*FIELDS, COST):
        if header.count(name) > 1:  # which one would hold the value?
            raise FluxcostError(f"{where}: column {name!r} appears twice")
    if COST in header:  # the API's name for the charge
        if "charged_credits" in header:
            raise FluxcostError(
                f"{where}: the header has both charged_credits and cost: give one"
                " (cost is the API's name for it)"
            )
        header[header.index(COST)] = "charged_credits"
    return header


class _Broken:
    """A record that is not a row (a runaway quote), with the reason."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Lines:
    """Numbered physical lines; lines can be put back to be read again."""

    def __init__(self, lines: Iterator[str], number: int) -> None:
        self.raw = lines
        self.back: list[str] = []  # in reverse order
        self.number = number  # of the line last given

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        text = self.back.pop() if self.back else next(self.raw)
        self.number += 1
        return text

    def put_back(self, texts: list[str]) -> None:
        self.back.extend(reversed(texts))
        self.number -= len(texts)


class _Runaway(Exception):
    """A quoted field still open at MAX_RECORD_LINES lines or MAX_RECORD_CHARS characters."""


class _Record:
    """What csv.reader reads for one record: its first line, then more lines while a quoted
    field is open, up to the limits."""

    def __init__(self, source: _Lines) -> None:
        self.source = source
        self.taken: list[str] = []
        self.chars = 0
        self.fresh = False

    def start(self, text: str) -> None:
        self.taken = [text]
        self.chars = len(text)
        self.fresh = True

    def __iter__(self) -> _Record:
        return self

    def __next__(self) -> str:
        if self.fresh:
            self.fresh = False
            return self.taken[0]
        if len(self.taken) >= MAX_RECORD_LINES or self.chars > MAX_RECORD_CHARS:
            raise _Runaway
        text = next(self.source)  # StopIteration at the end: csv.reader says where
        self.taken.append(text)
        self.chars += len(text)
        return text


class _CsvRecords:
    """The rows of a CSV log that may hold quotes. A line without one is split at commas; a
    line with one goes to csv.reader, which takes more lines while a quoted field is open.
    A record that cannot be a row is rejected on the line it starts (where its quote
    opened), and the lines after it are read again, so every line is a row, part of a
    quoted field of a valid row, or rejected."""

    def __init__(self, lines: Iterator[str], header_line: int, width: int, pad: bool) -> None:
        self.source = _Lines(lines, header_line)
        self.width = width
        self.pad = pad
        self.line = header_line  # where the row last given starts
        self.record = _Record(self.source)
        self.reader = csv.reader(self.record, strict=True)

    def __iter__(self) -> Iterator[list[str] | _Broken]:
        source = self.source
        number = source.number
        pad, width = self.pad, self.width
        for text in source.raw:  # the common case, written for speed: a line is a row
            number += 1
            if '"' in text:
                source.number = number
                source.put_back([text])  # for _put_back to read again
                yield from self._put_back()
                number = source.number
                continue
            self.line = number
            row = text.rstrip("\r\n").split(",")  # _split, written out
            if pad:
                row[width:] = PAD
            yield row

    def _split(self, text: str) -> list[str]:
        row = text.rstrip("\r\n").split(",")
        if self.pad:
            row[self.width :] = PAD
        return row

    def _put_back(self) -> Iterator[list[str] | _Broken]:
        """Rows from the lines put back, with any more lines a quoted field takes."""
        source = self.source
        while source.back:
            text = next(source)
            self.line = source.number
            yield self._quoted(text) if '"' in text else self._split(text)

    def _quoted(self, text: str) -> list[str] | _Broken:
        """The row of a record that starts on a line with a quote, or why it is none."""
        record = self.record
        record.start(text)
        try:
            row = next(self.reader)
        except _Runaway:
            later = f"{len(record.taken):,} lines later"
            if record.chars > MAX_RECORD_CHARS:
                later = f"after {MAX_RECORD_CHARS:,} characters"
            problem = f"a quoted field opened on this line is still open {later}"
        except csv.Error as exc:
            problem = _csv_problem(exc)
        else:
            reason = self._spanning(row, record.taken)
            if reason is None:
                if self.pad:
                    row[self.width :] = PAD
                return row
            problem = reason
        self.source.put_back(record.taken[1:])
        return _Broken(problem)

    def _spanning(self, row: list[str], taken: list[str]) -> str | None:
        """Why a record over several lines is not a row with a quoted line break: None if
        it is one."""
        if len(taken) == 1:
            return None
        last = self.line + len(taken) - 1
        if len(row) != self.width:
            return (
                f"a quoted field opened on this line closes on line {last}, leaving"
                f" {len(row)} columns (the header has {self.width})"
            )
        for number, text in enumerate(taken[1:], self.line + 1):
            if text.count(",") >= self.width - 1:
                return (
                    f"a quoted field opened on this line runs to line {last} and takes in"
                    f" line {number}, which reads as a row of its own"
                )
        return None


def _csv_problem(error: csv.Error) -> str:
    message = str(error)
    if message == "unexpected end of data":
        return "a quoted field opened on this line never closes"
    if message.startswith("field larger than field limit"):
        return f"a field is longer than {csv.field_size_limit():,} characters"
    return f"not valid CSV: {message}"


# -- JSON Lines -----------------------------------------------------------------------------
# json's C scanner, called directly: json.loads adds two Python layers per row. Numbers with a
# fraction or exponent (and NaN, Infinity: not JSON, but Python writes them) are kept as
# written, for an exact Decimal: 3.0000000000000001 is not 3.
_DECODER = json.JSONDecoder(parse_float=JsonNumber, parse_constant=JsonNumber)
_SCAN: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]
# Keys a plain record lacks; its cache key is then (model, width, height, inputs, batch,
# charged_credits) and the classes of the four numbers: record_request without the fields that
# are absent (_parse makes it from record_request; the hot loop builds it itself).
_NOT_PLAIN = frozenset((COST, "output_mp", "input_mp", "provider", "steps"))


def _read_jsonl(biller: Biller, first: str, lines: Iterable[str], reject: Reject) -> None:
    """The hot loop reads a line that holds one JSON object with no key twice, its timestamp
    after the last price change, of a request seen before (or new, priced by ``new``) and
    counted alone; anything else raises, and the slow path reads the line again with care
    (``_parse``: blank, broken, a key twice, a row rejected or charged differently, ...)."""
    scan, parse_time, unread = _SCAN, dt.datetime.fromisoformat, _UNREAD
    hot = biller.hot_path(_parse, _explain, _line, reject, _fields)
    with hot as (fast, today_from, slow, count, new):
        for index, text in enumerate(itertools.chain((first,), lines)):
            # What the slow path need not work out again: the record (and where it ends), and
            # its key once the checks are passed.
            record = key = unread
            try:
                record, end = scan(text, 0)
                # A line ends at its first "\n" (the last line of a file may have none).
                if text[end] != "\n" and text[end:].strip():
                    raise LookupError
                stamp = record["timestamp"]
                # A key given twice: the dict keeps the last value. Each pair has one ":"
                # outside strings, so a record with no escapes and as many ":" as keys
                # (besides those in its timestamp) has none (_parse checks any other).
                if text.count(":") != len(record) + stamp.count(":") or "\\" in text:
                    raise LookupError
                # _NOT_PLAIN spelled out: five look-ups are faster than isdisjoint's walk over
                # the record's keys.
                if not ("cost" in record or "output_mp" in record or "input_mp" in record
                        or "provider" in record or "steps" in record):  # fmt: skip
                    width = record["width"]
                    height = record["height"]
                    batch = record.get("batch")
                    charged = record.get("charged_credits")
                    inputs = record.get("inputs")
                    if inputs.__class__ is list:  # hashable, so the request can be cached
                        inputs = tuple(inputs)
                    key = (record["model"], width, height, inputs, batch, charged,
                           width.__class__, height.__class__, batch.__class__,
                           charged.__class__)  # fmt: skip
                else:
                    key = record_request(record)
                entry = fast.get(key) or new(key)  # None: the slow path's
                if entry is None:
                    raise LookupError
                when = parse_time(stamp)
                if when.toordinal() < today_from:
                    raise LookupError  # an earlier day's prices: the slow path's
            except Exception:
                slow(index, (text, record, end if record is not unread else unread, key))
                continue
            if count is None:
                next(entry)
            else:
                count(entry, when, index, text)


_UNREAD: Any = object()
Item = tuple[str, Any, Any, Any]  # (line, record, where it ends, key); _UNREAD: not yet


class _Unread(ValueError):
    """A line that is not a request: ``args[0]`` says why (None: a blank line)."""


def _parse(item: Item) -> tuple[Any, Sequence[Any], Any]:
    """A line for the slow path: its key (as the hot loop builds it), its request's fields
    and its timestamp; or raise _Unread."""
    text, record, end, key = item
    if key is not _UNREAD:  # read and checked: a new request, or an earlier day's
        return key, _fields(key), record["timestamp"]
    record = _record(text, record, end)
    try:
        fields = record_request(record)
        timestamp = record_time(record)
    except (AttributeError, LookupError, TypeError, ValueError) as exc:
        raise _Unread(explain_record(record, exc)) from None
    if _NOT_PLAIN.isdisjoint(record):
        return (*fields[:6], *fields[10:14]), fields, timestamp
    return fields, fields, timestamp


def _fields(key: tuple[Any, ...]) -> Sequence[Any]:
    """A request's fields from its key: a plain record's six (see _NOT_PLAIN), else all."""
    return key[:6] if len(key) == 10 else key[:10]


def _record(text: str, record: Any = _UNREAD, end: Any = _UNREAD) -> Any:
    """The JSON value on a line (``record`` ending at ``end``, when the hot loop read it), or
    raise _Unread with why there is none."""
    start = 0
    if record is _UNREAD:
        # Where the record starts (lstrip() copies the line: most start at once).
        start = 0 if text.startswith("{") else len(text) - len(text.lstrip())
        if start == len(text):
            raise _Unread(None)  # a blank line is not a request
        try:
            record, end = _SCAN(text, start)
        except StopIteration:
            raise _Unread("broken JSON: expecting a value") from None
        except json.JSONDecodeError as exc:
            raise _Unread(f"broken JSON: {exc.msg}") from None
        except ValueError:  # int()'s limit of 4,300 digits
            raise _Unread(_too_long(text, start)) from None
        except RecursionError:
            raise _Unread("broken JSON: nested too deeply") from None
    if text[end:].strip():
        raise _Unread("broken JSON: extra data after the record")
    if record.__class__ is dict:
        stamp = record.get("timestamp")
        colons = stamp.count(":") if stamp.__class__ is str else 0
        if text.count(":") != len(record) + colons or "\\" in text:  # see _read_jsonl
            twice = _key_twice(text, start)
            if twice is not None:
                raise _Unread(f"key {twice!r} appears twice")
    return record


def _explain(item: Item, error: BaseException) -> str | None:
    if isinstance(error, _Unread):
        reason: str | None = error.args[0]
        return reason
    return explain_record(_record(*item[:3]), error)  # a list where a number belongs, say


def _line(index: int) -> int:
    return index + 1  # every line is counted: the first is line 1


_LONG_INTS = json.JSONDecoder(parse_int=Decimal, parse_float=Decimal)


def _too_long(text: str, start: int) -> str:
    """Why a record is refused whose integer int() will not read (over 4,300 digits)."""
    where = "a number in the record"
    try:
        record, _ = _LONG_INTS.scan_once(text, start)  # type: ignore[attr-defined]
    except (ValueError, RecursionError):  # broken further on, too
        return f"{where} has more than 4,300 digits"
    if isinstance(record, dict):
        where = next((name for name in FIELDS if _digits(record.get(name)) > 4300), where)
    return f"{where} has more than 4,300 digits"


def _digits(value: Any) -> int:
    return value.adjusted() + 1 if isinstance(value, Decimal) and value.is_finite() else 0


_PAIRS = json.JSONDecoder(parse_float=JsonNumber, parse_constant=JsonNumber, object_pairs_hook=list)


def _key_twice(text: str, start: int) -> str | None:
    """The first key fluxcost reads that a JSON object gives twice (others are ignored)."""
    pairs, _ = _PAIRS.scan_once(text, start)  # type: ignore[attr-defined]
    names = [name for name, _ in pairs]
    return next((name for name in (*FIELDS, COST) if names.count(name) > 1), None)
