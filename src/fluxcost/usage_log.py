"""Reading usage logs (CSV or JSON Lines, a file or stdin) into billing rows, streaming.

Line numbers are physical lines as an editor shows them: in CSV the header is line 1, so the
first request is line 2; in JSON Lines the first record is line 1.
"""

from __future__ import annotations

import csv
import itertools
import json
import operator
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from fluxcost.billing import (
    FIELDS,
    REQUIRED,
    Biller,
    explain_record,
    record_request,
    record_time,
)
from fluxcost.errors import FluxcostError

FORMATS = ("csv", "jsonl")


def detect_format(path: str, given: str | None, first_line: str) -> str:
    if given is not None:
        if given not in FORMATS:
            raise FluxcostError(f"--log-format {given!r}: choose csv or jsonl")
        return given
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    # stdin or an unknown extension: JSON Lines records start with "{".
    return "jsonl" if first_line.lstrip().startswith("{") else "csv"


def open_log(path: str) -> IO[str]:
    if path == "-":
        return sys.stdin
    try:
        return open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise FluxcostError(f"cannot read log {path}: {exc.strerror or exc}") from None


class Progress:
    """A one-line progress report on stderr, only for a terminal and a large file."""

    def __init__(self, name: str, total_bytes: int | None) -> None:
        self.name = name
        self.total = total_bytes
        self.enabled = bool(total_bytes and total_bytes > 8_000_000 and sys.stderr.isatty())
        self.done = 0

    def counted(self, lines: IO[str]) -> Iterator[str]:
        """The lines, reporting progress every 50,000 of them."""
        for number, text in enumerate(lines, 1):
            self.done += len(text)
            if not number % 50_000:
                self.update(number)
            yield text

    def update(self, lines: int) -> None:
        share = f"{min(100, self.done * 100 // self.total)}%, " if self.total else ""
        sys.stderr.write(f"\rbilling {self.name}: {share}{lines:,} lines")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\r\x1b[K")


def read_into(
    biller: Biller,
    path: str,
    log_format: str | None = None,
    strict: bool = False,
    on_reject: Callable[[int, str], None] | None = None,
) -> None:
    """Feed every row of the log to ``biller``."""

    def rejected(line: int, reason: str) -> None:
        if on_reject is not None:
            on_reject(line, reason)
        if strict:
            raise FluxcostError(f"{path}:{line}: {reason} (--strict stops at the first bad row)")

    handle = open_log(path)
    try:
        first = handle.readline()
        fmt = detect_format(path, log_format, first)
        size = None if path == "-" else Path(path).stat().st_size
        progress = Progress(path, size)
        lines: Iterator[str] | IO[str] = progress.counted(handle) if progress.enabled else handle
        try:
            if fmt == "csv":
                _read_csv(biller, first, lines, path, rejected)
            else:
                _read_jsonl(biller, first, lines, rejected)
        finally:
            if progress.enabled:
                progress.close()
    except UnicodeDecodeError:
        raise FluxcostError(f"cannot read log {path}: it is not UTF-8 text") from None
    finally:
        if handle is not sys.stdin:
            handle.close()


def _read_csv(
    biller: Biller,
    first: str,
    lines: Iterator[str] | IO[str],
    path: str,
    rejected: Callable[[int, str], None],
) -> None:
    if not first.strip():
        return  # an empty file: no header, no requests
    header = [name.strip().lower() for name in next(csv.reader([first]))]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise FluxcostError(
            f"{path}:1: the header has no {', '.join(missing)} column"
            f" (columns: {', '.join(FIELDS)}; inputs, batch and charged_credits are optional)"
        )
    width = len(header)
    columns = [header.index(name) if name in header else width for name in FIELDS]
    request_of = operator.itemgetter(*columns[1:])
    time_of = operator.itemgetter(columns[0])

    def explain(row: Any, error: BaseException) -> str | None:
        if not row or (len(row) == 1 and not row[0].strip()):
            return None  # a blank line is not a request
        return f"has {len(row)} columns, the header has {width}"

    rows: Iterable[list[str]]
    line: Callable[[int], int]
    if path != "-" and not _has_quotes(path):
        # No quoting anywhere, so a line is a row and a comma a separator: str.split is
        # several times faster than csv.reader, and the header is line 1.
        # The line ending stays on the last cell; strip it only when that cell is read.
        last_read = max(c for c in columns if c < width)
        text = map(str.rstrip, lines) if last_read == width - 1 else lines
        rows = map(str.split, text, itertools.repeat(","))
        line = lambda index: index + 2  # noqa: E731
    else:
        reader = csv.reader(lines)
        rows = reader
        # csv.reader counts physical lines after the header (quoted fields may span lines).
        line = lambda index: reader.line_num + 1  # noqa: E731
    if width in columns:  # an optional column is absent: read it as an empty cell
        rows = ([*row, ""] for row in rows)
    biller.consume(rows, request_of, time_of, explain, line, rejected)


def _has_quotes(path: str) -> bool:
    """Whether a file has a double quote anywhere (a fast byte scan)."""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if b'"' in chunk:
                return True
    return False


def _read_jsonl(
    biller: Biller,
    first: str,
    lines: Iterator[str] | IO[str],
    rejected: Callable[[int, str], None],
) -> None:
    line = 0
    # json's C scanner, called directly: json.loads adds two Python layers per row.
    scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]

    def records() -> Iterator[Any]:
        nonlocal line
        for text in itertools.chain((first,), lines):
            line += 1
            start = len(text) - len(text.lstrip())
            if start == len(text):
                continue  # a blank line is not a request
            try:
                record, end = scan(text, start)
            except StopIteration:
                yield "broken JSON: expecting a value"
                continue
            except ValueError as exc:
                yield f"broken JSON: {str(exc.args[0]).split(':')[0]}"
                continue
            if text[end:].strip():
                yield "broken JSON: extra data after the record"
                continue
            yield record

    biller.consume(
        records(), record_request, record_time, explain_record, lambda index: line, rejected
    )
