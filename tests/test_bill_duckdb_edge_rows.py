"""Rows written in a form DuckDB would read differently from the Python engine are left to it,
so `--engine duckdb` gives the Python engine's bill. Figures by hand: flux2-pro at 1024x1024 is
3 credits ($0.03); a charge of 5 on it is a mismatch."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import Result

duckdb = pytest.importorskip("duckdb")

Cli = Callable[..., Result]
STAMP = "2026-03-01T10:00:00Z"
PRO = f'{{"timestamp": "{STAMP}", "model": "flux2-pro", "width": 1024, "height": 1024'


def _both(cli: Cli, log: Path) -> tuple[int, dict[str, Any], str]:
    duck = cli("bill", str(log), "--engine", "duckdb", "--reconcile", "--format", "json")
    python = cli("bill", str(log), "--engine", "python", "--reconcile", "--format", "json")
    assert (duck.code, duck.out, duck.err) == (python.code, python.out, python.err)
    return duck.code, json.loads(duck.out), duck.err


def test_csv_cost_column_is_the_charge(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(f"timestamp,model,width,height,cost\n{STAMP},flux2-pro,1024,1024,5\n")
    code, data, _ = _both(cli, log)
    assert code == 1  # the charge of 5 differs from the 3 credits priced
    assert (Decimal(data["total_credits"]), data["reconcile"]["rows_mismatched"]) == (Decimal(3), 1)


@pytest.mark.parametrize(
    ("tail", "code", "credits"),
    [
        (', "cost": 5}', 1, 3),  # the API's name for the charge, after other keys
        (', "charged_credits": }', 2, 0),  # broken JSON: rejected
        (', "charged_credits": 3.00}', 0, 3),  # trailing zeros: DuckDB would write 3.0
        (', "user": "a", "model": "flux2-max"}', 2, 0),  # a key twice: rejected
    ],
)
def test_jsonl_records(cli: Cli, tmp_path: Path, tail: str, code: int, credits: int) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(PRO + tail + "\n")
    got, data, _ = _both(cli, log)
    assert (got, Decimal(data["total_credits"])) == (code, Decimal(credits))


def test_mixed_line_endings(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    row = f"{STAMP},flux2-pro,1024,1024"
    log.write_bytes(f"timestamp,model,width,height\n{row}\r\n{row}\n".encode())
    code, data, _ = _both(cli, log)
    assert (code, Decimal(data["total_credits"]), data["requests"]) == (0, Decimal(6), 2)


def test_typed_parquet_timestamps(cli: Cli, tmp_path: Path) -> None:
    """Parquet columns as DuckDB types them (TIMESTAMP WITH TIME ZONE, BIGINT, DOUBLE) are
    priced in DuckDB, by their UTC day."""
    log = tmp_path / "log.parquet"
    duckdb.sql(
        "COPY (SELECT TIMESTAMPTZ '2026-03-01 23:30:00-02:00' AS timestamp, 'flux2-pro' AS model,"
        " 2048 AS width, 1024 AS height, 6.0 AS charged_credits) TO"
        f" '{log}' (FORMAT parquet)"
    )
    r = cli("bill", str(log), "-g", "day", "--format", "json")
    data = json.loads(r.out)
    assert r.code == 0  # 2 MP: 3 + 1.5 = 4.5 credits, charged 6: a mismatch, not a failure
    assert [(g["key"], g["total_credits"]) for g in data["groups"]] == [("2026-03-02", "4.5")]


@pytest.mark.parametrize(
    ("late", "code", "rows"),
    [
        (b"n\r\n", 0, 1801),  # a CRLF after 64 KiB of LF lines: DuckDB refuses the mix
        (b"n\rx\n", 2, 1802),  # a lone carriage return ends a line for Python: x is a row
        (b"a\x01b\n", 0, 1801),  # DuckDB's separator here
        (b'"a\nb"\n', 0, 1801),  # a quoted cell spanning two lines is one row
    ],
)
def test_late_lines_duckdb_refuses(
    cli: Cli, tmp_path: Path, late: bytes, code: int, rows: int
) -> None:
    """1,800 rows of 3 credits, then one more whose note is written as ``late`` says."""
    log = _late(tmp_path, late)
    got, data, _ = _both(cli, log)
    assert (got, data["requests"] + data["rows_rejected"]) == (code, rows)
    assert Decimal(data["total_credits"]) == Decimal(3 * 1801)


def test_late_bytes_not_utf8(cli: Cli, tmp_path: Path) -> None:
    log = _late(tmp_path, b"\xff\n")
    duck = cli("bill", str(log), "--engine", "duckdb", "--format", "json")
    assert duck.code == 2
    assert duck.err == f"fluxcost: error: cannot read log {log}: it is not UTF-8 text\n"


def _late(tmp_path: Path, late: bytes) -> Path:
    log = tmp_path / "log.csv"
    row = f"{STAMP},flux2-pro,1024,1024,".encode()
    log.write_bytes(b"timestamp,model,width,height,note\n" + (row + b"n\n") * 1800 + row + late)
    return log


def test_a_byte_that_is_not_utf8_near_the_header(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "latin.csv"
    log.write_bytes(
        f"timestamp,model,width,height\n{STAMP},flux2-pro,1024,1024,\xe9\n".encode("latin-1")
    )
    r = cli("bill", str(log), "--engine", "duckdb")
    assert r.code == 2
    assert r.err == f"fluxcost: error: cannot read log {log}: it is not UTF-8 text\n"


def test_megapixel_findings_keep_their_lines(cli: Cli, tmp_path: Path) -> None:
    # Line 3: the API reported 1 MP for 2048x1024, which bills 2 MP.
    log = tmp_path / "mp.csv"
    log.write_text(f"timestamp,model,width,height,output_mp\n{STAMP},flux2-pro,1024,1024,\n"
                   f"{STAMP},flux2-pro,2048,1024,1\n")  # fmt: skip
    code, data, _ = _both(cli, log)
    assert code == 1 and [f["line"] for f in data["reconcile"]["mp_mismatches"]] == [3]
