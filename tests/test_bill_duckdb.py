"""The DuckDB engine gives the Python engine's bill: totals, groups, rejected rows (FILE:LINE),
mismatches and exit codes, on CSV, JSON Lines, gzip and Parquet. Figures worked out by hand:

  line 2  pro 1 MP                                     3
  line 3  pro 2 MP + a 12 MP input (billed as 4 MP)    3 + 1.5 + 4 x 1.5 = 10.5  (UTC 03-02)
  line 4  Kontext pro, one input, batch 2              4 x 2 = 8
  line 5  an unknown model                             rejected
  line 6  pro 1 MP, charged 4                          3 (a mismatch)
  total 24.5 credits = $0.245; by UTC day 3, 18.5, 3
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import Result

duckdb = pytest.importorskip("duckdb")

Cli = Callable[..., Result]
ROWS = [
    ("2026-03-01T10:00:00Z", "flux2-pro", 1024, 1024, "", 1, "3"),
    ("2026-03-01T23:30:00-02:00", "flux-2-pro", 2048, 1024, "3024x4032", 1, "10.5"),
    ("2026-03-02T08:00:00Z", "kontext-pro", 1024, 1024, "1024x1024", 2, "8"),
    ("2026-03-02T09:00:00Z", "nope", 1024, 1024, "", 1, ""),
    ("2026-03-03T09:00:00Z", "flux2-pro", 1024, 1024, "", 1, "4"),
]
HEADER = "timestamp,model,width,height,inputs,batch,charged_credits"


def write_csv(path: Path, rows: list[tuple[Any, ...]]) -> Path:
    path.write_text(HEADER + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    return path


def write_jsonl(path: Path, rows: list[tuple[Any, ...]]) -> Path:
    lines = []
    for ts, model, w, h, inputs, batch, charged in rows:
        record: dict[str, Any] = {"timestamp": ts, "model": model, "width": w, "height": h}
        record |= {"inputs": [i for i in inputs.split(";") if i], "batch": batch}
        text = json.dumps(record)
        if charged:
            text = text[:-1] + f', "charged_credits": {charged}}}'
        lines.append(text + "\n")
    path.write_text("".join(lines))
    return path


def _json(cli: Cli, *args: str) -> tuple[int, dict[str, Any], str]:
    r = cli("bill", *args, "--format", "json")
    return r.code, json.loads(r.out), r.err


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "csv.gz"])
def test_same_bill_as_python(cli: Cli, tmp_path: Path, suffix: str) -> None:
    log = tmp_path / f"log.{suffix}"
    if suffix == "jsonl":
        write_jsonl(log, ROWS)
    else:
        write_csv(tmp_path / "plain.csv", ROWS)
        data = (tmp_path / "plain.csv").read_bytes()
        log.write_bytes(gzip.compress(data) if suffix.endswith("gz") else data)
    first = 2 if suffix != "jsonl" else 1
    code, duck, err = _json(cli, str(log), "-g", "day", "--engine", "duckdb", "--reconcile")
    assert code == 2  # a rejected row wins over the mismatch
    assert Decimal(duck["total_usd"]) == Decimal("0.245")
    assert [(g["key"], Decimal(g["total_credits"])) for g in duck["groups"]] == [
        ("2026-03-01", Decimal(3)),
        ("2026-03-02", Decimal("18.5")),
        ("2026-03-03", Decimal(3)),
    ]
    assert f"{log}:{first + 3}: unknown model 'nope'" in err
    python = _json(cli, str(log), "-g", "day", "--engine", "python", "--reconcile")
    assert (code, duck, err) == python


def test_parquet_file_and_folder(cli: Cli, tmp_path: Path) -> None:
    csv_log = write_csv(tmp_path / "log.csv", ROWS)
    folder = tmp_path / "parts"
    folder.mkdir()
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{csv_log}', all_varchar=true))"
        f" TO '{folder / 'a.parquet'}' (FORMAT parquet)"
    )
    code, data, err = _json(cli, str(folder), "-g", "model")
    assert code == 2
    assert Decimal(data["total_credits"]) == Decimal("24.5")
    assert f"{folder}:4: unknown model 'nope'" in err  # rows numbered from 1
    code, single, _ = _json(cli, str(folder / "a.parquet"), "-g", "model")
    assert single["total_credits"] == data["total_credits"]


def test_earlier_prices_go_to_python(cli: Cli, tmp_path: Path) -> None:
    """A row before the table's last price change is billed at its day's prices, as the
    Python engine does (it reports which rows those were)."""
    rows = [("2025-12-01T10:00:00Z", "flux2-pro", 1024, 1024, "", 1, ""), *ROWS[:3]]
    log = write_csv(tmp_path / "log.csv", rows)
    duck = _json(cli, str(log), "--engine", "duckdb")
    assert duck == _json(cli, str(log), "--engine", "python")
    assert duck[0] == 0


def test_strict_names_the_real_line(cli: Cli, tmp_path: Path) -> None:
    log = write_csv(tmp_path / "log.csv", ROWS)
    r = cli("bill", str(log), "--engine", "duckdb", "--strict")
    assert r.code == 2
    assert f"{log}:5: unknown model 'nope'" in r.err


def test_missing_extra_is_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from fluxcost import bill_duckdb

    monkeypatch.setattr(bill_duckdb, "available", lambda: False)
    r = cli("bill", "examples/usage-log.csv", "--engine", "duckdb")
    assert r.code == 2
    assert r.err.strip().splitlines() == [
        "fluxcost: error: the DuckDB engine needs duckdb: pip install 'fluxcost[duckdb]'"
    ]
