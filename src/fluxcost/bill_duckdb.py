"""The DuckDB engine of ``fluxcost bill``: big logs and Parquet priced in SQL.

DuckDB reads the log and prices, in SQL made from the rate table (``rates_sql``), every row it
can be sure of: a plainly written row (each value in the form the Python engine reads the same
way) of a known model, a valid request, a charge equal to the price (or none), on or after the
table's last price change. Every other row (a bad value, an unknown model, a refused size, a
charge that differs, an earlier day's prices) goes, with its line number, to the Python engine
(``Biller``), which rejects or prices it as it would anyway. So both engines give the same bill,
rejected rows, mismatches and exit code. Money is summed in Decimal here, once per group.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any, cast

from fluxcost import pricing, rates_sql
from fluxcost.billing import BFL, COST, FIELDS, REQUIRED, Bill, Biller, Group, WhatIf, order
from fluxcost.errors import FluxcostError
from fluxcost.numbers import LOG_DECIMALS, PRECISION, decimal
from fluxcost.rates import Flat, ModelRate, PerMegapixel, RateTable
from fluxcost.sizes import Size
from fluxcost.usage_log import GZIP_MAGIC, detect_format, read_into

ENGINES = ("auto", "python", "duckdb")
LARGE = 50_000_000  # bytes: a text log over this is billed by DuckDB under --engine auto
MISSING = "the DuckDB engine needs duckdb: pip install 'fluxcost[duckdb]'"
Reject = Callable[[int, str], None]

# Values as the Python engine reads them the same way (anything else goes to it).
_TS = (
    r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[T ](?:[01]\d|2[0-3]):[0-5]\d"
    r":[0-5]\d(?:\.\d{3}|\.\d{6})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?"
)
_MODEL = r"[A-Za-z0-9][A-Za-z0-9._-]{0,60}"
_SIDE = r"[1-9]\d{0,5}"
_INPUTS = rf"(?:{_SIDE}x{_SIDE}(?:;{_SIDE}x{_SIDE})*)?"
_WHOLE = r"[1-9]\d{0,5}"
_AMOUNT = r"(?:0|[1-9]\d{0,8})(?:\.\d{1,6})?"
_SP = r"[ \t]*"
_STR = r'"[^"\\\x00-\x1f]*"'
_NUM = r"-?(?:0|[1-9]\d*)(?:\.\d+)?"
_PRICED = ("timestamp", "model", "width", "height", "inputs", "batch", "charged_credits")
# A CSV cell: empty for an absent batch or charge.
_PATTERNS = (_TS, _MODEL, _SIDE, _SIDE, _INPUTS, f"(?:{_WHOLE})?", f"(?:{_AMOUNT})?")
# Columns the Python engine reads besides those priced here (the API's figures, a provider):
# a row with a value in one is left to it. ``cost`` is the API's name for charged_credits.
_PYTHON_ONLY = tuple(name for name in (*FIELDS, COST) if name not in _PRICED)


def available() -> bool:
    return importlib.util.find_spec("duckdb") is not None


def is_parquet(path: str) -> bool:
    """A Parquet file, a folder, or a glob (a file that exists is named as it is: a CSV
    called usage[1].csv is no glob)."""
    if path.lower().endswith(".parquet") or os.path.isdir(path):
        return True
    return _is_glob(path) and not os.path.isfile(path)


def _is_glob(path: str) -> bool:
    return any(c in path for c in "*?[")


def choose(engine: str, path: str, compare: bool) -> str:
    """The engine to use: ``--engine`` as given; auto is DuckDB, when it is installed, for
    Parquet (the Python engine reads none) and for a text log over LARGE bytes (a gzip's
    own size), where it measured faster on this machine (README "Big logs"), unless
    --compare asks for a text log's what-if, which the Python engine works out."""
    if engine not in ENGINES:
        raise FluxcostError(f"--engine {engine!r}: choose one of {', '.join(ENGINES)}")
    parquet = path != "-" and is_parquet(path)
    large = not compare and path != "-" and _size(path) > LARGE and available()
    if engine == "duckdb" or (engine == "auto" and (parquet or large)):
        if not available():
            raise FluxcostError(MISSING if engine == "duckdb" else f"a Parquet log: {MISSING}")
        return "duckdb" if parquet or not compare else "python"
    if parquet:
        raise FluxcostError(f"{path}: Parquet is read by the DuckDB engine only (--engine duckdb)")
    return "python"


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # the engine says why it cannot read it


def bill(biller: Biller, path: str, log_format: str | None, dated: bool, strict: bool,
         on_reject: Reject | None) -> Bill:  # fmt: skip
    """The bill of the log at ``path`` (CSV, JSON Lines, gzip or Parquet), priced in DuckDB,
    with the rows it cannot price handed to ``biller`` (which must be fresh). DuckDB prices
    at BFL only: with another default provider every row goes to the Python engine."""
    elsewhere = biller.provider != BFL
    if is_parquet(path):
        return _parquet(biller, path, dated, strict, on_reject, everything=elsewhere)
    plan = None if biller.what_if or elsewhere else _text_plan(path, log_format)
    if plan is None:  # a log only the Python engine reads line for line the same way
        return _python(biller, path, log_format, strict, on_reject)
    source, fmt, header_line, header = plan
    names = None if header is None else _csv_names(header)
    fields = _jsonl_fields() if names is None else _csv_fields(names)
    args = (biller, dated, source, fields, header_line)
    try:
        groups, leftovers = _run(_queries(*args), fmt == "csv")
    except FluxcostError:  # DuckDB refused a line (a \x01, line endings mixed, bad UTF-8)
        return _python(biller, path, log_format, strict, on_reject)
    if names is not None and any('"' in text for _, text in leftovers):
        return _python(biller, path, log_format, strict, on_reject)  # a quoted field may span lines
    head = [] if header is None else [header]
    return _merged(biller, path, fmt, groups, leftovers, head, strict, on_reject)


def _python(biller: Biller, path: str, log_format: str | None, strict: bool,
            on_reject: Reject | None) -> Bill:  # fmt: skip
    read_into(biller, path, log_format, strict=strict, on_reject=None if strict else on_reject)
    return biller.finish()


# -- reading ------------------------------------------------------------------------------
def _text_plan(path: str, log_format: str | None) -> tuple[str, str, int, str | None] | None:
    """(DuckDB's read_csv of the log's lines, format, header line, header text), or None when
    a line of the log may not be a row for DuckDB as it is for Python (lines that end in a
    carriage return, not all of them in \\r\\n) or the header is not plain. DuckDB refuses a
    log whose lines end in \\n but for a \\r in one, or that holds \\x01 (its separator here):
    the Python engine reads that one."""
    if path == "-" or not os.path.isfile(path):
        return None
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == GZIP_MAGIC
    opener: Any = gzip.open if gzipped else open
    try:
        with opener(path, "rb") as data:
            first = data.readline().removeprefix(b"\xef\xbb\xbf").decode()
            fmt = detect_format(path, log_format, first)
            data.seek(0)
            crlf = b"\r" in data.read(1 << 16)
            data.seek(0)
            if crlf and not _crlf_only(data):
                return None
    except (OSError, EOFError, UnicodeDecodeError, FluxcostError):
        return None  # the Python engine says what is wrong
    header_line, header = 0, None
    if fmt == "csv":
        try:
            with opener(path, "rt", encoding="utf-8-sig", newline="") as text:
                for header_line, line in enumerate(text, 1):  # noqa: B007 (used after it)
                    if line.strip():
                        header = line.rstrip("\r\n")
                        break
        except (OSError, EOFError, UnicodeDecodeError):  # text decodes ahead of the header
            return None  # the Python engine says what is wrong
        if header is None or _csv_names(header) is None:
            return None
    compression = "gzip" if gzipped else "none"
    source = (
        f"read_csv({rates_sql.literal(path)}, columns={{'line': 'VARCHAR'}}, delim='\\x01',"
        f" quote='', escape='', header=false, auto_detect=false, compression='{compression}')"
    )
    return source, fmt, header_line, header


def _crlf_only(data: Any) -> bool:
    """Whether every line ends in \\r\\n (DuckDB reads that as Python does)."""
    tail = b""
    returns = pairs = newlines = 0
    while chunk := data.read(1 << 22):
        returns += chunk.count(b"\r")
        pairs += (tail + chunk).count(b"\r\n")
        newlines += chunk.count(b"\n")
        tail = chunk[-1:]
    return returns == pairs == newlines


def _csv_names(header: str) -> list[str] | None:
    """The header's column names as the Python engine reads them (``cost`` is
    charged_credits), or None when it is not plain or the Python engine refuses it."""
    names = [n.strip().lower() for n in header.split(",")]
    twice = any(names.count(name) > 1 for name in (*FIELDS, COST))
    both = COST in names and "charged_credits" in names
    if '"' in header or twice or both or not all(name in names for name in REQUIRED):
        return None
    return ["charged_credits" if n == COST else n for n in names]


def _csv_fields(names: list[str]) -> dict[str, str]:
    """SQL for the cells of a CSV line ``line`` (an absent optional column: ''): one regular
    expression without captures (a DFA: fast) matches a line whose every value is plain;
    such a line splits on its commas."""
    patterns = {f: "" for f in _PYTHON_ONLY} | dict(zip(_PRICED, _PATTERNS, strict=True))
    line = ",".join(f"(?:{patterns[n]})" if n in patterns else '[^,"]*' for n in names)
    pattern = rates_sql.literal(line)
    cells = [f"c[{names.index(f) + 1}]" if f in names else "''" for f in _PRICED]
    return {
        "c": f"CASE WHEN regexp_full_match(line, {pattern}) THEN string_split(line, ',') END",
        **dict(zip(_CELLS, cells, strict=True)),
    }


_CELLS = ("ts", "model", "w", "h", "inputs", "batch", "charged")


def _jsonl_fields() -> dict[str, str]:
    """SQL for the values of a JSON Lines record ``line``: a regular expression without
    captures matches a plainly written record, and DuckDB's JSON reader gives its values as
    written (a charge is read as a double, written back shortest: the same text for a plain
    one, which has no trailing zero but in ``.0``). Inputs stay JSON text until priced."""
    paths = ", ".join(f"'$.{name}'" for name in _PRICED)
    return {
        "c": f"CASE WHEN regexp_full_match(line, {rates_sql.literal(_json_pattern())})"
        f" THEN json_extract_string(line, [{paths}]) END",
        "ts": "c[1]",
        "model": "c[2]",
        "w": "c[3]",
        "h": "c[4]",
        "inputs": "coalesce(c[5], '')",
        "batch": "coalesce(c[6], '')",
        "charged": "coalesce(c[7], '')",
        "sizes": "replace(translate(inputs, '[]\"', ''), ',', ';')",
    }


def _json_pattern() -> str:
    """A JSON Lines record with the priced keys in order (optional ones may be left out),
    then other keys (none the Python engine reads) with plain values."""

    def pair(key: str, value: str) -> str:
        return rf'{_SP},{_SP}"{key}"{_SP}:{_SP}{value}'

    inputs = rf'(?:null|\[{_SP}(?:"{_SIDE}x{_SIDE}"(?:{_SP},{_SP}"{_SIDE}x{_SIDE}")*)?{_SP}\])'
    other = _other_name(frozenset((*FIELDS, COST, "")))
    model = f'"{_MODEL}"'
    return (
        rf'{_SP}\{{{_SP}"timestamp"{_SP}:{_SP}"{_TS}"{pair("model", model)}'
        rf"{pair('width', _SIDE)}{pair('height', _SIDE)}(?:{pair('inputs', inputs)})?"
        rf"(?:{pair('batch', _WHOLE)})?(?:{pair('charged_credits', _AMOUNT)})?"
        rf"(?:{pair(other, f'(?:{_STR}|{_NUM}|true|false|null)')})*{_SP}\}}{_SP}"
    )


_LETTERS = "_abcdefghijklmnopqrstuvwxyz"


def _other_name(names: frozenset[str]) -> str:
    """A regular expression for a JSON key of [a-z_] letters that is none of ``names``."""
    branches = [] if "" in names else [""]
    firsts = sorted({name[0] for name in names if name})
    rest = "".join(c for c in _LETTERS if c not in firsts)
    if rest:
        branches.append(f"[{rest}][a-z_]*")
    for first in firsts:
        tails = frozenset(name[1:] for name in names if name.startswith(first))
        branches.append(first + _other_name(tails))
    return f"(?:{'|'.join(branches)})"


# -- the query ----------------------------------------------------------------------------
def _queries(biller: Biller, dated: bool, source: str, f: dict[str, str],
             header_line: int) -> tuple[str, str, str]:  # fmt: skip
    """Pass 1 counts the rows per distinct request cell text and day (in parallel: no line
    numbers) into a table ``judged``, each such key priced once, and sums what DuckDB bills
    and how many rows it leaves; pass 2 (only when it left some) lists those rows with their
    lines."""
    per_row = _rows(biller, dated, source, f)
    judged = _judged(biller.table, per_row, f.get("sizes", "inputs"))
    numbers = _rows(biller, dated, source, f, header_line)
    same = " AND ".join(f"k.{key} IS NOT DISTINCT FROM j.{key}" for key in _KEYS)
    left = f"""SELECT k.n, k.{f.get("kept", "line")} FROM ({numbers}) k
  LEFT JOIN (SELECT {", ".join(_KEYS)} FROM judged WHERE ok) j ON k.plain AND {same}
WHERE j.plain IS NULL ORDER BY k.n"""
    counted = _COUNTED.format(period=_PERIOD_TEXT[biller.group_by])
    return f"CREATE TEMP TABLE judged AS {judged}\nSELECT * FROM scored", counted, left


_KEYS = ("plain", "period", "recent", "model", "w", "h", "inputs", "batch", "charged")
_PERIOD_TEXT = {"model": "NULL", "day": "strftime(period, '%Y-%m-%d')",
                "month": "strftime(period, '%Y-%m')"}  # fmt: skip


def _rows(biller: Biller, dated: bool, source: str, f: dict[str, str],
          header_line: int | None = None) -> str:  # fmt: skip
    """Each line's key: whether it is plain, its period and whether it is on today's prices,
    and its request's cells as text; numbered (with ``n`` and ``line``) after the header
    when ``header_line`` is given."""
    numbered = header_line is not None
    cutoff = _cutoff(biller.table) if dated else None
    recent = f"utc_day >= DATE '{cutoff}'" if cutoff else "utc_day IS NOT NULL"
    period = {"model": "CAST(NULL AS DATE)", "day": "utc_day",
              "month": "CAST(date_trunc('month', utc_day) AS DATE)"}[biller.group_by]  # fmt: skip
    local = "try_strptime(substr(ts, 1, 10) || ' ' || substr(ts, 12, 8), '%Y-%m-%d %H:%M:%S')"
    offset = (
        "(CASE WHEN substr(ts, -6, 1) = '-' THEN -1 ELSE 1 END)"
        " * (CAST(substr(ts, -5, 2) AS INTEGER) * 60 + CAST(substr(ts, -2, 2) AS INTEGER))"
    )
    # Most stamps are UTC or local: a DATE cast of their day (it refuses 02-30, as Python).
    utc_day = f.get("utc_day") or (
        "CASE WHEN NOT plain THEN NULL WHEN length(ts) IN (19, 23, 26) OR ts[-1:] = 'Z'"
        f" THEN TRY_CAST(substr(ts, 1, 10) AS DATE) ELSE CAST({local} - to_minutes({offset})"
        " AS DATE) END"
    )
    kept = f.get("kept", "line")  # what pass 2 hands to the Python engine
    n = f"n, {kept}, " if numbered else ""
    cells = ", ".join(f"{f[cell]} AS {cell}" for cell in _CELLS)
    numbers = "row_number() OVER () AS n, " if numbered else ""
    where = f.get("where", "line IS NOT NULL") + (f" AND n > {header_line}" if numbered else "")
    return f"""SELECT {n}plain, {period} AS period, coalesce({recent}, false) AS recent,
  model, w, h, inputs, batch, charged
FROM (SELECT *, {utc_day} AS utc_day FROM (
  SELECT {n}c IS NOT NULL AS plain, {cells} FROM (
    SELECT *, {f["c"]} AS c FROM (SELECT {numbers}* FROM {source}) WHERE {where})))"""


def _judged(table: RateTable, per_row: str, sizes: str) -> str:
    """The distinct keys with their rows, priced: ``ok`` when DuckDB bills them. ``sizes``:
    the input sizes as "WxH;WxH" from the key's ``inputs``."""
    count = rates_sql.max_inputs(table)
    pixels = rates_sql.input_columns("sizes", count)
    more = f"split_part(sizes, ';', {count + 1}) = ''"
    cols = rates_sql.pricing_columns("w_px", "h_px", [f"px{k}" for k in range(count)], more)
    money = rates_sql.money_type(table)
    return f"""WITH counted AS (
  SELECT {", ".join(_KEYS)}, count(*) AS rows FROM ({per_row}) GROUP BY ALL),
listed AS (SELECT *, {sizes} AS sizes FROM counted),
typed AS (
  SELECT *, CAST(w AS BIGINT) AS w_px, CAST(h AS BIGINT) AS h_px,
    coalesce(CAST(nullif(batch, '') AS BIGINT), 1) AS size,
    {", ".join(f"{p} AS px{k}" for k, p in enumerate(pixels))}
  FROM listed),
priced AS (
  SELECT t.*, r.model_id, {cols["out_mp"]} AS out_mp, {cols["n_inputs"]} AS n_inputs,
    {cols["input_mp"]} AS input_mp, {cols["credits"]} AS credits
  FROM typed t LEFT JOIN ({rates_sql.rates_values(table)}) r
    ON t.plain AND r.name = lower(t.model)),
scored AS (
  SELECT *, coalesce(plain AND recent AND credits IS NOT NULL
    AND (charged = '' OR TRY_CAST(charged AS {money}) = credits * size), false) AS ok
  FROM priced)"""


# The groups DuckDB bills: model, period, out MP, inputs, input MP, batch, charge, rows; and
# the rows it leaves (ok false).
_COUNTED = """SELECT ok, CASE WHEN ok THEN model_id END, CASE WHEN ok THEN {period} END,
  CASE WHEN ok THEN out_mp END, CASE WHEN ok THEN n_inputs END,
  CASE WHEN ok THEN input_mp END, CASE WHEN ok THEN size END,
  CASE WHEN ok THEN charged END, sum(rows) AS rows
FROM judged GROUP BY ALL"""


def _cutoff(table: RateTable) -> Any:
    """The table's last price change: rows before it are billed by the Python engine."""
    days = [day for model in table.models for day in model.price_dates]
    return max(days) if days else None


Counted = tuple[str, str | None, int, int, int, int, str, int]


def _run(queries: tuple[str, str, str],
         header: bool) -> tuple[list[Counted], list[tuple[int, str]]]:  # fmt: skip
    """Counted groups (model, period, out MP, inputs, input MP, batch, charge, rows), and the
    rows left to the Python engine as (line, text), in line order. Pass 1 also counts the CSV
    header (never a priced row): one row left is the header."""
    import duckdb

    judge, count, left = queries
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        connection.execute(judge)
        counted = connection.execute(count).fetchall()
        groups = [cast(Counted, tuple(row[1:])) for row in counted if row[0]]
        if sum(row[-1] for row in counted if not row[0]) <= header:
            return groups, []
        return groups, [(n, line) for n, line in connection.execute(left).fetchall()]
    except duckdb.Error as exc:
        raise FluxcostError(f"DuckDB could not read the log: {str(exc).splitlines()[0]}") from None
    finally:
        connection.close()


def _fetch(sql: str) -> list[Any]:
    import duckdb

    try:
        return _fetch_raw(sql)
    except duckdb.Error as exc:
        raise FluxcostError(f"DuckDB could not read the log: {str(exc).splitlines()[0]}") from None


def _fetch_raw(sql: str) -> list[Any]:
    import duckdb

    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


# -- Parquet -----------------------------------------------------------------------------
def _parquet(biller: Biller, path: str, dated: bool, strict: bool, on_reject: Reject | None,
             everything: bool = False) -> Bill:  # fmt: skip
    """Parquet: rows are numbered from 1 across the files in name order (the FILE:LINE of a
    rejected row). A row DuckDB does not price goes to the Python engine as a JSON record of
    its values as text (a timestamp in ISO 8601; NULL: left out). ``everything``: every row
    goes."""
    pattern = os.path.join(path, "**", "*.parquet") if os.path.isdir(path) else path
    if not _is_glob(pattern) and not os.path.isfile(pattern):
        raise FluxcostError(f"cannot read log {path}: No such file or directory")
    columns = _parquet_columns(path, pattern)
    source, fields = _parquet_fields(pattern, columns)
    if everything:
        fields["c"] = "CAST(NULL AS BOOLEAN)"
    args = (biller, dated, source, fields, 0)
    groups, leftovers = _run(_queries(*args), False)
    if biller.what_if and leftovers and not everything:
        # Which request the Python engine meets first decides a what-if's reason: with rows
        # of both engines, let it see them all in their order.
        return _parquet(biller, path, dated, strict, on_reject, everything=True)
    result = _merged(biller, path, "jsonl", groups, leftovers, [], strict, on_reject)
    if biller.what_if and not leftovers:
        result.what_if = _what_if(biller, pattern, columns)
    return result


Columns = dict[str, tuple[str, str]]  # a field: its Parquet column and that column's type
_WHOLE_NUMBERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                  "UINTEGER", "UBIGINT", "UHUGEINT")  # fmt: skip


def _parquet_columns(path: str, pattern: str) -> Columns:
    """The columns the Python engine reads (``cost``: charged_credits), by lower-case name."""
    import duckdb

    try:
        query = f"DESCRIBE SELECT * FROM read_parquet({_files(pattern)})"
        found = {str(row[0]).lower(): (str(row[0]), str(row[1])) for row in _fetch_raw(query)}
    except duckdb.Error as exc:
        raise FluxcostError(f"cannot read log {pattern}: {str(exc).splitlines()[0]}") from None
    if COST in found and "charged_credits" in found:
        raise FluxcostError(
            f"{path}: the Parquet data has both charged_credits and cost: give one"
            " (cost is the API's name for it)"
        )
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise FluxcostError(f"{path}: the Parquet data has no {', '.join(missing)} column")
    if COST in found:
        found["charged_credits"] = found.pop(COST)
    return {name: found[name] for name in FIELDS if name in found}


def _files(pattern: str) -> str:
    """The Parquet files of ``pattern`` as a DuckDB list in name order, the order their rows
    are numbered in (DuckDB's own glob order is not that)."""
    if not _is_glob(pattern):
        return rates_sql.literal(pattern)
    import glob

    found = sorted(glob.glob(pattern, recursive=True))
    if not found:
        raise FluxcostError(f"cannot read log {pattern}: no file matches")
    return "[" + ", ".join(rates_sql.literal(name) for name in found) + "]"


def _text(column: str, kind: str) -> str:
    """A value as the Python engine reads it: its text (a timestamp in ISO 8601; the session
    is in UTC; a list of input sizes joined by ";", as a CSV cell holds them)."""
    if kind.endswith("[]"):
        return f"array_to_string({column}, ';')"
    if kind.startswith("TIMESTAMP"):
        zone = "Z" if "TIME ZONE" in kind else ""
        return f"strftime({column}, '%Y-%m-%dT%H:%M:%S.%f{zone}')"
    return f"CAST({column} AS VARCHAR)"


def _parquet_fields(pattern: str, columns: Columns) -> tuple[str, dict[str, str]]:
    """The source (each column read as ``fxN``, and the JSON record pass 2 hands to the
    Python engine) and the SQL of each cell. A row is plain when every value's text has the
    form a plain CSV cell has; a timestamp or whole-number column is checked typed (its text
    has that form when it is in range), and a timestamp's UTC day is its own."""
    alias = {name: f"fx{k}" for k, name in enumerate(columns)}
    patterns = {f: "" for f in _PYTHON_ONLY} | dict(zip(_PRICED, _PATTERNS, strict=True))
    checks, texts = [], {}
    for name, (_, kind) in columns.items():
        column = alias[name]
        texts[name] = _text(column, kind)
        if name == "timestamp" and kind.startswith("TIMESTAMP"):
            checks.append(f"year({column}) BETWEEN 1900 AND 2099")
        elif name in ("width", "height", "batch") and kind in _WHOLE_NUMBERS:
            absent = f"{column} IS NULL OR " if name == "batch" else ""
            checks.append(f"{absent}{column} BETWEEN 1 AND 999999")
        else:
            form = rates_sql.literal(patterns[name])
            checks.append(f"regexp_full_match(coalesce({texts[name]}, ''), {form})")
    plain = " AND ".join(f"coalesce({check}, false)" for check in checks)
    fields = {"c": f"CASE WHEN {plain} THEN true END", "where": "true", "kept": "fx_record"}
    for cell, name in zip(_CELLS, _PRICED, strict=True):
        fields[cell] = (
            f"CASE WHEN c THEN coalesce({texts[name]}, '') END" if name in texts else "''"
        )
    if columns["timestamp"][1].startswith("TIMESTAMP"):
        fields["ts"] = f"CASE WHEN c THEN {alias['timestamp']} END"
        fields["utc_day"] = "CAST(ts AS DATE)"
    pairs = ", ".join(f"{rates_sql.literal(name)}, {text}" for name, text in texts.items())
    read = ", ".join(f"{_quoted(column)} AS {alias[n]}" for n, (column, _) in columns.items())
    source = (
        f"(SELECT *, json_merge_patch('{{}}', json_object({pairs})) AS fx_record"  # no NULLs
        f" FROM (SELECT {read} FROM read_parquet({_files(pattern)})))"
    )
    return source, fields


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Requests:
    """Rows of one request and batch, as ``Biller.what_if_for`` reads an entry."""

    request: pricing.Request
    batch: int


def _what_if(biller: Biller, pattern: str, columns: Columns) -> list[WhatIf]:
    """--compare on rows DuckDB priced (all plain): each distinct request and batch counted in
    SQL, handed to the Python engine's what-if in the order the rows first ask for them."""
    cells = [columns.get(name) for name in ("width", "height", "inputs", "batch")]
    texts = [_text(_quoted(cell[0]), cell[1]) if cell else "NULL" for cell in cells]
    values = ", ".join(f"coalesce({text}, '')" for text in texts)
    rows = _fetch(
        f"SELECT {values}, count(*), min({{'f': fluxcost_file, 'r': file_row_number}}) AS first"
        f" FROM read_parquet({_files(pattern)}, filename='fluxcost_file',"
        " file_row_number=true) GROUP BY ALL ORDER BY first"
    )
    counts: dict[_Requests, int] = {}
    for width, height, inputs, batch, count, _ in rows:
        sizes = tuple(Size.parse(size) for size in inputs.split(";") if size)
        request = pricing.Request(Size(int(width), int(height)), sizes)
        counts[_Requests(request, int(batch or 1))] = count
    with localcontext() as context:
        context.prec = PRECISION
        return biller.what_if_for(cast(Any, counts))  # the Python engine's own what-if


# -- the bill -----------------------------------------------------------------------------
def _merged(biller: Biller, path: str, fmt: str, groups: list[Counted],
            leftovers: list[tuple[int, str]], head: list[str], strict: bool,
            on_reject: Reject | None) -> Bill:  # fmt: skip
    """The Python engine's bill of the leftover rows, with DuckDB's groups added."""
    lines = [n for n, _ in leftovers]
    first = len(head) + 1  # the line of the first leftover in the file written for Python

    def real(line: int) -> int:
        return lines[line - first]

    def reject(line: int, reason: str) -> None:
        if strict:
            raise FluxcostError(
                f"{path}:{real(line)}: {reason} (--strict stops at the first bad row)"
            )
        if on_reject is not None:
            on_reject(real(line), reason)

    if leftovers:
        with tempfile.TemporaryDirectory(prefix="fluxcost-") as folder:
            rest = Path(folder) / f"rest.{fmt}"
            with rest.open("w", encoding="utf-8", newline="") as out:
                out.writelines(f"{text}\n" for text in [*head, *(t for _, t in leftovers)])
            read_into(biller, str(rest), fmt, on_reject=reject)
    result = biller.finish()
    result.rejected = [replace(r, line=real(r.line)) for r in result.rejected]
    result.mismatches = [replace(m, line=real(m.line)) for m in result.mismatches]
    result.mp_findings = [replace(f, line=real(f.line)) for f in result.mp_findings]
    _add_groups(result, biller.table, groups)
    return result


def _add_groups(bill: Bill, table: RateTable, counted: list[Counted]) -> None:
    """Add DuckDB's counted rows into ``bill``, as ``Biller._finish`` sums them."""
    models = {m.id: m for m in table.models}
    groups = {g.key: g for g in bill.groups}
    prices: dict[tuple[str, int, int, int], Decimal] = {}
    with localcontext() as context:
        context.prec = PRECISION
        for model_id, period, out_mp, n_inputs, input_mp, batch, charged, rows in counted:
            unit = (model_id, out_mp, n_inputs, input_mp)
            per_image = prices.get(unit)
            if per_image is None:
                per_image = prices[unit] = _per_image(models[model_id], *unit[1:])
            credits = per_image * batch
            key = model_id if period is None else period
            group = groups.get(key)
            if group is None:
                group = groups[key] = Group(key)
                bill.groups.append(group)
            group.requests += rows
            group.images += batch * rows
            group.credits += credits * rows
            bill.requests += rows
            bill.images += batch * rows
            bill.credits += credits * rows
            if charged:
                charge = decimal(charged, "charged_credits", "4.5", places=LOG_DECIMALS)
                bill.rows_with_charge += rows
                bill.charged_credits += charge * rows
                bill.expected_credits_charged_rows += credits * rows
    order(bill)  # as the Python engine orders it


def _per_image(model: ModelRate, out_mp: int, n_inputs: int, input_mp: int) -> Decimal:
    """``pricing.credits_per_image`` from the units the SQL counted, summed in its order (so
    the Decimal has the same exponent too)."""
    billing = model.billing
    if isinstance(billing, Flat):
        return Decimal(0) + billing.credits_per_image * 1
    assert isinstance(billing, PerMegapixel)
    total = Decimal(0) + billing.first_mp_credits * 1
    if out_mp > 1:
        total += billing.extra_mp_credits * (out_mp - 1)
    if n_inputs:
        total += billing.input_mp_credits * input_mp
    return total
