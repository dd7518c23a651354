"""`bill --compare` on a Parquet log (the DuckDB engine) gives the Python engine's what-if on the
same rows as CSV. Figures by hand (FLUX.2 [pro]: 3 credits the first MP, 1.5 each further MP
and each input MP; Kontext [pro]: 4 an image):

  line 2  flux2-pro 1024x1024                   3     on flux2-pro 3     on kontext-pro 4
  line 3  kontext-pro 1024x1024, 1 input, x2    8     (3 + 1.5) x 2 = 9  4 x 2 = 8
  line 4  flux2-pro 2048x1024                   4.5   4.5                4
  bill 15.5; flux2-pro 16.5; kontext-pro 16; FLUX1.1 [pro] serves neither line 3 (an input)
  nor line 4 (over its largest side): its reason is line 3's, met first.
"""

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
ROWS = """timestamp,model,width,height,inputs,batch
2026-03-01T10:00:00Z,flux2-pro,1024,1024,,1
2026-03-02T10:00:00Z,kontext-pro,1024,1024,1024x1024,2
2026-03-03T10:00:00Z,flux2-pro,2048,1024,,1
"""


def _logs(tmp_path: Path, text: str) -> tuple[Path, Path]:
    csv_log, parquet_log = tmp_path / "log.csv", tmp_path / "log.parquet"
    csv_log.write_text(text)
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv_log}')) TO '{parquet_log}' (FORMAT parquet)")
    return csv_log, parquet_log


def _compare(cli: Cli, log: Path, engine: str) -> tuple[int, dict[str, Any], list[str]]:
    r = cli("bill", str(log), "--compare", "--engine", engine, "--format", "json")
    data = json.loads(r.out)
    return r.code, data, [line.replace(str(log), "LOG") for line in r.err.splitlines()]


def test_same_what_if_as_python(cli: Cli, tmp_path: Path) -> None:
    csv_log, parquet_log = _logs(tmp_path, ROWS)
    code, duck, _ = _compare(cli, parquet_log, "duckdb")
    assert code == 0
    models = {m["model"]: m for m in duck["models"]}
    assert Decimal(duck["total_credits"]) == Decimal("15.5")
    assert Decimal(models["flux2-pro"]["total_credits"]) == Decimal("16.5")
    assert Decimal(models["kontext-pro"]["total_credits"]) == Decimal(16)
    old = models["flux1.1-pro"]
    assert (old["requests_unservable"], old["reason"]) == (
        2,
        "flux1.1-pro is text-to-image only and takes no input images",
    )
    assert duck["models"] == _compare(cli, csv_log, "python")[1]["models"]


def test_with_rejected_rows(cli: Cli, tmp_path: Path) -> None:
    """A row DuckDB leaves (an unknown model) sends every row to the Python engine, in order."""
    csv_log, parquet_log = _logs(tmp_path, ROWS + "2026-03-04T10:00:00Z,nope,1024,1024,,1\n")
    duck, python = _compare(cli, parquet_log, "duckdb"), _compare(cli, csv_log, "python")
    assert duck[0] == python[0] == 2
    assert duck[1]["models"] == python[1]["models"]
    assert duck[2][0] == python[2][0].replace("LOG:5", "LOG:4")  # Parquet rows count from 1
    assert duck[2][0].startswith("LOG:4: unknown model 'nope'")
