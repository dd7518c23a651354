"""Property: on random small logs (good rows, bad rows of every kind, rows on earlier prices),
the DuckDB engine's bill equals the Python engine's to the credit: totals, groups, rejected rows
and their lines, mismatches."""

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
CHARGES = ["", "3", "4.5", "4", "12", "abc", "0.0000001"]
VALUES = (STAMPS, MODELS, SIDES, SIDES, INPUTS, BATCHES, CHARGES)
row = st.tuples(*(st.sampled_from(v) for v in VALUES))


def _write(path: Path, rows: list[tuple[Any, ...]], fmt: str) -> None:
    if fmt == "csv":
        head = "timestamp,model,width,height,inputs,batch,charged_credits\n"
        path.write_text(head + "".join(",".join(map(str, r)) + "\n" for r in rows))
        return
    names = ("timestamp", "model", "width", "height", "inputs", "batch", "charged_credits")
    records = []
    for r in rows:
        record = {k: v for k, v in zip(names, r, strict=True) if v != ""}
        if "inputs" in record:
            record["inputs"] = str(record["inputs"]).split(";")
        records.append(json.dumps(record) + "\n")
    path.write_text("".join(records))


def _python(path: Path, group: str) -> tuple[Bill, list[tuple[int, str]]]:
    seen: list[tuple[int, str]] = []
    biller = Biller(TABLE, group)
    read_into(biller, str(path), on_reject=lambda n, r: seen.append((n, r)))
    return biller.finish(), seen


def _duckdb(path: Path, group: str) -> tuple[Bill, list[tuple[int, str]]]:
    seen: list[tuple[int, str]] = []
    bill = bill_duckdb.bill(
        Biller(TABLE, group), str(path), None, True, False, lambda n, r: seen.append((n, r))
    )
    return bill, seen


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(row, min_size=1, max_size=12),
    fmt=st.sampled_from(["csv", "jsonl"]),
    group=st.sampled_from(["model", "day", "month"]),
)
def test_engines_agree(tmp_path: Path, rows: list[tuple[Any, ...]], fmt: str, group: str) -> None:
    path = tmp_path / f"log.{fmt}"
    _write(path, rows, fmt)
    assert _duckdb(path, group) == _python(path, group)
