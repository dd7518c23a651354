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

import csv
import gzip
import importlib.util
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any, cast

from fluxcost import rates_sql
from fluxcost.billing import FIELDS, REQUIRED, Bill, Biller, Group
from fluxcost.errors import FluxcostError
from fluxcost.numbers import LOG_DECIMALS, PRECISION, decimal
from fluxcost.rates import Flat, ModelRate, PerMegapixel, RateTable
from fluxcost.usage_log import GZIP_MAGIC, detect_format, read_into

ENGINES = ("auto", "python", "duckdb")
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
_BATCH = r"(?:[1-9]\d{0,5})?"
_CHARGE = r"(?:(?:0|[1-9]\d{0,8})(?:\.\d{1,6})?)?"
_SP = r"[ \t]*"
_STR = r'"[^"\\\x00-\x1f]*"'
_NUM = r"-?(?:0|[1-9]\d*)(?:\.\d+)?"
# A JSON Lines record with the documented keys in order (optional ones may be left out), then
# any other keys with plain values.
_JSON = (
    rf'^{_SP}\{{{_SP}"timestamp"{_SP}:{_SP}"({_TS})"{_SP},{_SP}"model"{_SP}:{_SP}"({_MODEL})"'
    rf'{_SP},{_SP}"width"{_SP}:{_SP}({_SIDE}){_SP},{_SP}"height"{_SP}:{_SP}({_SIDE})'
    rf'(?:{_SP},{_SP}"inputs"{_SP}:{_SP}(null|\[{_SP}(?:"{_SIDE}x{_SIDE}"'
    rf'(?:{_SP},{_SP}"{_SIDE}x{_SIDE}")*)?{_SP}\]))?'
    rf'(?:{_SP},{_SP}"batch"{_SP}:{_SP}({_BATCH}))?'
    rf'(?:{_SP},{_SP}"charged_credits"{_SP}:{_SP}({_CHARGE}))?'
    rf'((?:{_SP},{_SP}"[a-z_]+"{_SP}:{_SP}(?:{_STR}|{_NUM}|true|false|null))*){_SP}\}}{_SP}$'
)
_PRICED = ("timestamp", "model", "width", "height", "inputs", "batch", "charged_credits")
_PATTERNS = (_TS, _MODEL, _SIDE, _SIDE, _INPUTS, _BATCH, _CHARGE)
_JSON_GROUPS = ("ts", "model", "w", "h", "inputs", "batch", "charged", "tail")


def available() -> bool:
    return importlib.util.find_spec("duckdb") is not None


def is_parquet(path: str) -> bool:
    return path.lower().endswith(".parquet") or os.path.isdir(path) or any(c in path for c in "*?[")


def choose(engine: str, path: str, compare: bool) -> str:
    """The engine to use: ``--engine`` as given; auto is DuckDB for Parquet (the Python engine
    reads no Parquet) and Python for text logs, where it measured faster on this machine
    (README "Big logs"). --compare on a text log is worked out by the Python engine."""
    if engine not in ENGINES:
        raise FluxcostError(f"--engine {engine!r}: choose one of {', '.join(ENGINES)}")
    parquet = path != "-" and is_parquet(path)
    if engine == "duckdb" or (engine == "auto" and parquet):
        if not available():
            raise FluxcostError(MISSING if engine == "duckdb" else f"a Parquet log: {MISSING}")
        if compare and parquet:
            raise FluxcostError("--compare on a Parquet log: not yet (the DuckDB engine bills it)")
        return "python" if compare else "duckdb"
    if parquet:
        raise FluxcostError(f"{path}: Parquet is read by the DuckDB engine only (--engine duckdb)")
    return "python"


def bill(biller: Biller, path: str, log_format: str | None, dated: bool, strict: bool,
         on_reject: Reject | None) -> Bill:  # fmt: skip
    """The bill of the log at ``path`` (CSV, JSON Lines, gzip or Parquet), priced in DuckDB,
    with the rows it cannot price handed to ``biller`` (which must be fresh)."""
    if biller.what_if and not is_parquet(path):
        return _python(biller, path, log_format, strict, on_reject)
    if is_parquet(path):
        return _parquet(biller, path, dated, strict, on_reject)
    plan = _text_plan(path, log_format)
    if plan is None:  # a log only the Python engine reads line for line the same way
        return _python(biller, path, log_format, strict, on_reject)
    source, fmt, header_line, header = plan
    if fmt == "csv":
        assert header is not None
        fields = _csv_fields(header)
    else:
        fields = _jsonl_fields()
    args = (biller, dated, source, fields, header_line)
    groups, leftovers = _run(_query(*args), _query(*args, numbered=True), fmt == "csv")
    head = [header] if fmt == "csv" and header is not None else []
    return _merged(biller, path, fmt, groups, leftovers, head, strict, on_reject)


def _python(biller: Biller, path: str, log_format: str | None, strict: bool,
            on_reject: Reject | None) -> Bill:  # fmt: skip
    read_into(biller, path, log_format, strict=strict, on_reject=None if strict else on_reject)
    return biller.finish()


# -- reading ------------------------------------------------------------------------------
def _text_plan(path: str, log_format: str | None) -> tuple[str, str, int, str | None] | None:
    """(DuckDB's read_csv of the log's lines, format, header line, header text), or None when
    a line of the log may not be a row for DuckDB as it is for Python (a quote, a lone carriage
    return, a control character DuckDB reads as a separator) or the header is not plain."""
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
            if not _plain_bytes(data, quotes=fmt == "jsonl"):
                return None
    except (OSError, EOFError, UnicodeDecodeError, FluxcostError):
        return None  # the Python engine says what is wrong
    header_line, header = 0, None
    if fmt == "csv":
        with opener(path, "rt", encoding="utf-8-sig", newline="") as text:
            for header_line, line in enumerate(text, 1):  # noqa: B007 (used after the loop)
                if line.strip():
                    header = line.rstrip("\r\n")
                    break
        if header is None or not _plain_header(header):
            return None
    compression = "gzip" if gzipped else "none"
    source = (
        f"read_csv({rates_sql.literal(path)}, columns={{'line': 'VARCHAR'}}, delim='\\x01',"
        f" quote='', escape='', header=false, auto_detect=false, compression='{compression}')"
    )
    return source, fmt, header_line, header


def _plain_bytes(data: Any, quotes: bool) -> bool:
    """No \\x01, no carriage return outside a CRLF line ending, and (CSV) no double quote."""
    tail = b""
    while chunk := data.read(1 << 22):
        if not quotes and b'"' in chunk:
            return False  # a quoted CSV field may span lines
        if b"\x01" in chunk:
            return False
        joined = tail + chunk
        if joined.count(b"\r") != joined.count(b"\r\n") + joined.endswith(b"\r"):
            return False
        tail = chunk[-1:]
    return True


def _plain_header(header: str) -> bool:
    names = next(csv.reader([header]), [])
    cleaned = [n.strip().lower() for n in names]
    unique = all(cleaned.count(name) <= 1 for name in FIELDS)
    return '"' not in header and all(name in cleaned for name in REQUIRED) and unique


def _csv_fields(header: str) -> dict[str, str]:
    """SQL for each value of a CSV line ``line`` (an absent optional column: ''): one regular
    expression matches a line whose every value is plain, and captures them."""
    names = [n.strip().lower() for n in header.split(",")]
    # Other columns the Python engine reads (reported figures it checks): left to it when set.
    patterns = {f: "" for f in FIELDS} | dict(zip(_PRICED, _PATTERNS, strict=True))
    line = ",".join(f"({patterns[n]})" if n in patterns else "[^,]*" for n in names)
    groups = [n for n in names if n in patterns]
    captured = ", ".join(f"'{n}'" for n in groups)
    cell = {f: f"g.{f}" if f in groups else "''" for f in _PRICED}
    pattern = rates_sql.literal("^" + line + r"\r?$")
    return {
        "split": f"regexp_extract(line, {pattern}, [{captured}]) AS g",
        "shaped": "g.timestamp <> ''",
        "ts": cell["timestamp"],
        "model": cell["model"],
        "w": cell["width"],
        "h": cell["height"],
        "inputs": cell["inputs"],
        "batch": cell["batch"],
        "charged": cell["charged_credits"],
    }


def _jsonl_fields() -> dict[str, str]:
    names = ", ".join(f"'{g}'" for g in _JSON_GROUPS)
    keys = "|".join(FIELDS)
    return {
        "split": f"regexp_extract(line, {rates_sql.literal(_JSON)}, [{names}]) AS g",
        "shaped": f"g.ts <> '' AND NOT regexp_matches(g.tail, '\"({keys})\"')",
        "ts": "g.ts",
        "model": "g.model",
        "w": "g.w",
        "h": "g.h",
        "inputs": "replace(regexp_replace(g.inputs, '[\\[\\]\" \\t]|null', '', 'g'), ',', ';')",
        "batch": "g.batch",
        "charged": "g.charged",
    }


# -- the query ----------------------------------------------------------------------------
def _query(biller: Biller, dated: bool, source: str, f: dict[str, str], header_line: int,
           numbered: bool = False) -> str:  # fmt: skip
    """One pass: priced rows counted per group; every other row listed with its line."""
    table = biller.table
    count = rates_sql.max_inputs(table)
    pixels = rates_sql.input_columns("inputs", count)
    more = f"split_part(inputs, ';', {count + 1}) = ''"
    cols = rates_sql.pricing_columns("w", "h", [f"px{k}" for k in range(count)], more)
    cutoff = _cutoff(table) if dated else None
    money = rates_sql.money_type(table)
    since = f"utc_day >= DATE '{cutoff}'" if cutoff else "true"
    period = {"model": "NULL", "day": "strftime(utc_day, '%Y-%m-%d')",
              "month": "strftime(utc_day, '%Y-%m')"}[biller.group_by]  # fmt: skip
    local = "try_strptime(substr(ts, 1, 10) || ' ' || substr(ts, 12, 8), '%Y-%m-%d %H:%M:%S')"
    offset = (
        "CASE WHEN length(ts) IN (19, 23, 26) OR ts LIKE '%Z' THEN 0 ELSE"
        " (CASE WHEN substr(ts, -6, 1) = '-' THEN -1 ELSE 1 END)"
        " * (CAST(substr(ts, -5, 2) AS INTEGER) * 60 + CAST(substr(ts, -2, 2) AS INTEGER)) END"
    )
    return f"""
WITH src AS (SELECT line, {"row_number() OVER ()" if numbered else "0"} AS n FROM {source}),
split AS (SELECT n, line, {f["split"]} FROM src{f" WHERE n > {header_line}" if numbered else ""}),
cells AS (
  SELECT n, line, coalesce({f["shaped"]}, false) AS plain,
    {f["ts"]} AS ts, {f["model"]} AS model, {f["w"]} AS w_text, {f["h"]} AS h_text,
    {f["inputs"]} AS inputs, {f["batch"]} AS batch_text, {f["charged"]} AS charged
  FROM split WHERE line IS NOT NULL),
typed AS (
  SELECT n, line, plain, model, inputs, charged,
    CASE WHEN plain THEN CAST(w_text AS BIGINT) END AS w,
    CASE WHEN plain THEN CAST(h_text AS BIGINT) END AS h,
    CASE WHEN plain THEN coalesce(CAST(nullif(batch_text, '') AS BIGINT), 1) END AS batch,
    CASE WHEN plain THEN CAST({local} - to_minutes({offset}) AS DATE) END AS utc_day,
    {", ".join(f"CASE WHEN plain THEN {p} END AS px{k}" for k, p in enumerate(pixels))}
  FROM cells),
priced AS (
  SELECT t.*, r.model_id, {cols["out_mp"]} AS out_mp, {cols["n_inputs"]} AS n_inputs,
    {cols["input_mp"]} AS input_mp, {cols["credits"]} AS credits
  FROM typed t LEFT JOIN ({rates_sql.rates_values(table)}) r
    ON t.plain AND r.name = lower(t.model)),
judged AS (
  SELECT *, coalesce(plain AND credits IS NOT NULL AND utc_day IS NOT NULL AND {since}
    AND (charged = '' OR TRY_CAST(charged AS {money}) = credits * batch), false) AS ok
  FROM priced)
{_LEFT if numbered else _COUNTED.format(period=period)}
"""


# Pass 1 counts the rows DuckDB prices per group (in parallel: no line numbers), and how many
# it leaves; pass 2, only when it left some, lists those with their lines.
_COUNTED = """SELECT ok, CASE WHEN ok THEN model_id END, CASE WHEN ok THEN {period} END,
  CASE WHEN ok THEN out_mp END, CASE WHEN ok THEN n_inputs END,
  CASE WHEN ok THEN input_mp END, CASE WHEN ok THEN batch END,
  CASE WHEN ok THEN charged END, count(*) AS rows
FROM judged GROUP BY ALL"""
_LEFT = "SELECT n, line FROM judged WHERE NOT ok ORDER BY n"


def _cutoff(table: RateTable) -> Any:
    """The table's last price change: rows before it are billed by the Python engine."""
    days = [day for model in table.models for day in model.price_dates]
    return max(days) if days else None


Counted = tuple[str, str | None, int, int, int, int, str, int]


def _run(sql: str, numbered: str, header: bool) -> tuple[list[Counted], list[tuple[int, str]]]:
    """Counted groups (model, period, out MP, inputs, input MP, batch, charge, rows), and the
    rows left to the Python engine as (line, text), in line order. Pass 1 also counts the CSV
    header (never a priced row): one row left is the header."""
    counted = _fetch(sql)
    groups = [cast(Counted, tuple(row[1:])) for row in counted if row[0]]
    if sum(row[-1] for row in counted if not row[0]) <= header:
        return groups, []
    return groups, [(n, line) for n, line in _fetch(numbered)]


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
def _parquet(biller: Biller, path: str, dated: bool, strict: bool,
             on_reject: Reject | None) -> Bill:  # fmt: skip
    """Parquet: each column read as text; rows are numbered from 1 across the files in name
    order (the FILE:LINE of a rejected row)."""
    pattern = os.path.join(path, "**", "*.parquet") if os.path.isdir(path) else path
    if not any(c in pattern for c in "*?[") and not os.path.isfile(pattern):
        raise FluxcostError(f"cannot read log {path}: No such file or directory")
    names = _parquet_columns(pattern)
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise FluxcostError(f"{path}: the Parquet data has no {', '.join(missing)} column")
    # Each row as a CSV line of its values (text with no comma, quote or line break, else it
    # is refused here and handed to the Python engine as a JSON record of its values).
    values = [f"coalesce(CAST({_quoted(n)} AS VARCHAR), '')" if n in names else "''"
              for n in FIELDS]  # fmt: skip
    joined = " || ',' || ".join(values)
    source = f"(SELECT {joined} AS line FROM read_parquet({rates_sql.literal(pattern)}))"
    header = ",".join(FIELDS)
    args = (biller, dated, source, _csv_fields(header), 0)
    groups, leftovers = _run(_query(*args), _query(*args, numbered=True), False)
    records = _parquet_records(pattern, names, [n for n, _ in leftovers])
    rows = [(n, json.dumps(r)) for n, r in zip([n for n, _ in leftovers], records, strict=True)]
    return _merged(biller, path, "jsonl", groups, rows, [], strict, on_reject)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _parquet_columns(pattern: str) -> list[str]:
    import duckdb

    try:
        query = f"DESCRIBE SELECT * FROM read_parquet({rates_sql.literal(pattern)})"
        return [str(row[0]).lower() for row in _fetch_raw(query)]
    except duckdb.Error as exc:
        raise FluxcostError(f"cannot read log {pattern}: {str(exc).splitlines()[0]}") from None


def _parquet_records(pattern: str, names: list[str], numbers: list[int]) -> list[dict[str, Any]]:
    """The rows numbered ``numbers`` as JSON records of their values (text; NULL: left out)."""
    if not numbers:
        return []
    import duckdb

    columns = [n for n in FIELDS if n in names]
    texts = ", ".join(f"CAST({_quoted(n)} AS VARCHAR)" for n in columns)
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        connection.execute("CREATE TEMP TABLE wanted (n BIGINT)")
        connection.executemany("INSERT INTO wanted VALUES (?)", [(n,) for n in numbers])
        rows = connection.execute(
            f"SELECT n, {texts} FROM (SELECT row_number() OVER () AS n, * FROM"
            f" read_parquet({rates_sql.literal(pattern)})) JOIN wanted USING (n) ORDER BY n"
        ).fetchall()
    finally:
        connection.close()
    return [{k: v for k, v in zip(columns, row[1:], strict=True) if v is not None} for row in rows]


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
    bill.groups.sort(key=lambda g: (len(g.key), g.key))
    if bill.group_by == "model":
        bill.groups.sort(key=lambda g: g.credits, reverse=True)


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
