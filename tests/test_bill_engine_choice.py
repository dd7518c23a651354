"""Which engine bills a log: `--engine auto` picks DuckDB (when installed) for Parquet and for a
text log over 50,000,000 bytes, unless --compare asks a text log's what-if; DuckDB prices at
BFL only, so another default provider sends every row to the Python engine."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("duckdb")
from fluxcost import bill_duckdb
from fluxcost.billing import Biller
from fluxcost.errors import FluxcostError
from fluxcost.rates import load_rates

ROW = "2026-03-01T10:00:00Z,flux2-pro,1024,1024\n"


def _log(tmp_path: Path, size: int) -> str:
    log = tmp_path / "log.csv"
    with log.open("wb") as out:
        out.write(b"timestamp,model,width,height\n" + ROW.encode())
        out.truncate(size)  # sparse: the size is all the rule reads
    return str(log)


def test_the_threshold_is_50_mb() -> None:
    assert bill_duckdb.LARGE == 50_000_000


@pytest.mark.parametrize(
    ("size", "compare", "engine"),
    [(50_000_000, False, "python"), (50_000_001, False, "duckdb"), (50_000_001, True, "python")],
)
def test_auto_on_text(tmp_path: Path, size: int, compare: bool, engine: str) -> None:
    assert bill_duckdb.choose("auto", _log(tmp_path, size), compare) == engine


def test_auto_without_duckdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bill_duckdb, "available", lambda: False)
    assert bill_duckdb.choose("auto", _log(tmp_path, 50_000_001), False) == "python"
    with pytest.raises(FluxcostError, match=r"^a Parquet log: the DuckDB engine needs duckdb"):
        bill_duckdb.choose("auto", "logs/*.parquet", False)


def test_parquet_with_compare_is_duckdb() -> None:
    assert bill_duckdb.choose("auto", "logs/*.parquet", True) == "duckdb"
    assert bill_duckdb.choose("duckdb", "-", False) == "duckdb"


def test_another_provider_goes_to_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("DuckDB read a log priced at another provider")

    monkeypatch.setattr(bill_duckdb, "_text_plan", refuse)
    log = tmp_path / "log.csv"
    log.write_text("timestamp,model,width,height\n" + ROW)
    biller = Biller(load_rates(), provider="fal")
    bill = bill_duckdb.bill(biller, str(log), None, True, False, None)
    assert (bill.provider_requests, bill.requests, bill.credits) == (1, 1, Decimal(0))


def test_a_file_named_like_a_glob_is_that_file(tmp_path: Path) -> None:
    log = tmp_path / "usage[1].csv"
    log.write_text("timestamp,model,width,height\n" + ROW)
    assert not bill_duckdb.is_parquet(str(log))
    assert bill_duckdb.is_parquet(str(tmp_path / "usage[2].csv"))  # no such file: a glob
    assert bill_duckdb.choose("auto", str(log), False) == "python"
