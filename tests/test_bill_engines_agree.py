"""Property: on random small logs (good rows, bad rows of every kind, rows on earlier prices,
values written in every form either engine might read differently), the DuckDB engine's bill
equals the Python engine's to the credit: totals, groups, rejected rows and their lines,
mismatches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fluxcost.billing import Bill, Biller
from fluxcost.rates import load_rates
from fluxcost.usage_log import read_into

pytest.importorskip("duckdb")
from fluxcost import bill_duckdb

TABLE = load_rates()
STAMPS = [
    "2026-03-01T10:00:00Z",
    "2026-03-01T23:30:00.123-02:00",
    "2026-04-02 08:00:00",
    "2025-12-01T10:00:00Z",
    "2026-02-30T10:00:00Z",
    "2026-03-01",
    "yesterday",
    "",
]
MODELS = [
    "flux2-pro",
    "flux-2-pro",
    "FLUX2-PRO",
    "kontext-pro",
    "flux1.1-pro",
    "flux2-max",
    "flux2-klein-4b",
    "nope",
    " flux2-pro",
    "",
]
SIDES = [1024, 2048, 1000, 64, 63, 4096, 1440, 0, "x"]
INPUTS = ["", "1024x1024", "3024x4032;512x512", "1024X1024", "bad", "1x1;1x1;1x1;1x1;1x1"]
BATCHES = ["", 1, 4, 0, "two"]
# Charges as written: a JSON number with trailing zeros is not read back the same by DuckDB.
CHARGES = ["", "3", "3.0", "3.00", "4.5", "4.50", "4", "12", "abc", "0.0000001", "0.000001"]
# Written after a JSON record's keys: other keys, and keys the Python engine reads too.
EXTRAS = ["", ', "user": "u1"', ', "cost": 4', ', "cost": 3', ', "model": "flux2-max"',
          ', "output_mp": 1', ', "charged_credits": ', ', "batch": null']  # fmt: skip
VALUES = (STAMPS, MODELS, SIDES, SIDES, INPUTS, BATCHES, CHARGES, EXTRAS)
row = st.tuples(*(st.sampled_from(v) for v in VALUES))
NAMES = ("timestamp", "model", "width", "height", "inputs", "batch", "charged_credits")
# A CSV header naming the charge charged_credits or cost (the API's name); line endings.
FORMATS = ["csv", "csv cost", "csv crlf", "csv mixed", "jsonl", "jsonl compact"]


def _write(path: Path, rows: list[tuple[Any, ...]], fmt: str) -> None:
    if fmt.startswith("csv"):
        names = NAMES[:-1] + (("cost",) if fmt == "csv cost" else ("charged_credits",))
        ends = ["\r\n" if fmt == "csv crlf" or (fmt == "csv mixed" and n % 2) else "\n"
                for n in range(len(rows) + 1)]  # fmt: skip
        lines = [",".join(names), *(",".join(map(str, r[:7])) for r in rows)]
        path.write_bytes("".join(map(str.__add__, lines, ends)).encode())
        return
    separators = (",", ":") if fmt == "jsonl compact" else (", ", ": ")
    records = []
    for r in rows:
        record: dict[str, Any] = {k: v for k, v in zip(NAMES, r[:7], strict=True) if v != ""}
        if "inputs" in record:
            record["inputs"] = str(record["inputs"]).split(";")
        charge = record.pop("charged_credits", None)
        text = json.dumps(record, separators=separators)[:-1]
        if charge is not None:  # a number as written (json.dumps would quote it)
            charge = charge if str(charge).replace(".", "").isdigit() else json.dumps(charge)
            text += f'{separators[0]}"charged_credits"{separators[1]}{charge}'
        records.append(text + r[7] + "}\n")
    path.write_text("".join(records))


def _python(path: Path, group: str) -> tuple[Bill, list[tuple[int, str]]]:
    seen: list[tuple[int, str]] = []
    biller = Biller(TABLE, group)
    read_into(biller, str(path), on_reject=lambda n, r: seen.append((n, r)))
    return biller.finish(), seen


def _duckdb(path: Path, group: str, everything: bool = False) -> tuple[Bill, list[tuple[int, str]]]:
    seen: list[tuple[int, str]] = []
    biller, report = Biller(TABLE, group), lambda n, r: seen.append((n, r))
    if everything:  # every row to the Python engine, as a JSON record of its values
        return bill_duckdb._parquet(biller, str(path), True, False, report, everything=True), seen
    return bill_duckdb.bill(biller, str(path), None, True, False, report), seen


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(row, min_size=1, max_size=12),
    fmt=st.sampled_from(FORMATS),
    group=st.sampled_from(["model", "day", "month"]),
)
def test_engines_agree(tmp_path: Path, rows: list[tuple[Any, ...]], fmt: str, group: str) -> None:
    path = tmp_path / f"log.{fmt.split()[0]}"
    _write(path, rows, fmt)
    assert _duckdb(path, group) == _python(path, group)


# Parquet columns as text, or typed (a value that is not of the type: NULL).
KINDS = ("TIMESTAMPTZ", "", "BIGINT", "INTEGER", "", "BIGINT", "DOUBLE")
TYPED = ", ".join(
    f"TRY_CAST(concat({name}, '') AS {kind}) AS {name}" if kind else name  # concat: not pushed
    for name, kind in zip(NAMES, KINDS, strict=True)
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(row, min_size=1, max_size=12),
    typed=st.booleans(),
    group=st.sampled_from(["model", "day", "month"]),
)
def test_parquet_as_python_reads_it(
    tmp_path: Path, rows: list[tuple[Any, ...]], typed: bool, group: str
) -> None:
    """The Parquet rows DuckDB prices are billed as the Python engine bills their values."""
    import duckdb

    _write(tmp_path / "log.csv", rows, "csv")
    path = tmp_path / "log.parquet"
    columns = TYPED if typed else "*"
    duckdb.sql(
        f"COPY (SELECT {columns} FROM read_csv('{tmp_path / 'log.csv'}', all_varchar=true))"
        f" TO '{path}' (FORMAT parquet)"
    )
    assert _duckdb(path, group) == _duckdb(path, group, everything=True)
