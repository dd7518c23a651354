"""Reconciling charged credits against the rate table, by line number."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Result

Cli = Callable[..., Result]


def test_mismatch_is_found_by_line(cli: Cli) -> None:
    r = cli("bill", "examples/usage-log.csv", "-f", "json")
    assert r.code == 0  # reported, but only --reconcile makes it fail
    rec = json.loads(r.out)["reconcile"]
    assert rec["rows_checked"] == 9
    assert rec["rows_mismatched"] == 1
    assert rec["mismatches"] == [
        {"line": 8, "expected_credits": "15", "charged_credits": "20", "difference_credits": "5"}
    ]
    assert (rec["expected_credits"], rec["charged_credits"]) == ("73.4", "78.4")
    assert (rec["difference_credits"], rec["difference_usd"]) == ("5", "0.05")


def test_jsonl_lines_count_from_one(cli: Cli) -> None:
    rec = json.loads(cli("bill", "examples/usage-log.jsonl", "-f", "json").out)["reconcile"]
    assert [m["line"] for m in rec["mismatches"]] == [7]


def test_reconcile_exits_1_on_a_mismatch(cli: Cli) -> None:
    r = cli("bill", "examples/usage-log.csv", "--reconcile", "-f", "json")
    assert r.code == 1
    assert r.err == "fluxcost: reconcile failed: 1 row charged differently from the rate table\n"


def test_reconcile_passes_when_charges_match(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "ok.csv"
    log.write_text(
        "timestamp,model,width,height,charged_credits\n"
        "2026-11-01T00:00:00Z,flux2-pro,1024,1024,3.0\n"  # 3.0 equals 3
        "2026-11-01T00:00:01Z,flux2-pro,2048,2048,7.50\n"
    )
    r = cli("bill", str(log), "--reconcile", "-f", "json")
    assert r.code == 0
    assert json.loads(r.out)["reconcile"]["rows_mismatched"] == 0


def test_no_charges_no_reconcile(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "plain.csv"
    log.write_text("timestamp,model,width,height\n2026-11-01T00:00:00Z,flux2-pro,1024,1024\n")
    r = cli("bill", str(log), "--reconcile", "-f", "json")
    assert r.code == 0
    data = json.loads(r.out)
    assert data["reconcile"] is None
    assert data["total_usd"] == "0.03"


def test_bad_rows_win_over_reconcile(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "both.csv"
    log.write_text(
        "timestamp,model,width,height,charged_credits\n"
        "2026-11-01T00:00:00Z,flux2-pro,1024,1024,99\n"
        "2026-11-01T00:00:00Z,flux2-pro,1024,abc,3\n"
    )
    assert cli("bill", str(log), "--reconcile").code == 2
