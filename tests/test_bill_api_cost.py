"""The API's own name for the charge, `cost`, read as charged_credits (CSV and JSON Lines).

Figures by hand: FLUX.2 [pro] 1024x1024 = 3 credits, 2048x2048 (4 MP) = 3 + 3 x 1.5 = 7.5.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Result

Cli = Callable[..., Result]


def test_cost_column_is_reconciled(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "cost.csv"
    log.write_text(
        "timestamp,model,width,height,cost\n"
        "2026-11-01T00:00:00Z,flux2-pro,1024,1024,3\n"
        "2026-11-01T00:00:01Z,flux2-pro,2048,2048,9\n"  # line 3: 1.5 more than the rates
    )
    r = cli("bill", str(log), "--reconcile", "-f", "json")
    assert r.code == 1
    rec = json.loads(r.out)["reconcile"]
    assert rec["mismatches"] == [
        {"line": 3, "expected_credits": "7.5", "charged_credits": "9", "difference_credits": "1.5"}
    ]
    assert (rec["rows_checked"], rec["charged_credits"], rec["expected_credits"]) == (
        2,
        "12",
        "10.5",
    )


def test_cost_key_is_reconciled_in_jsonl(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "cost.jsonl"
    log.write_text(
        '{"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro", "width": 2048,'
        ' "height": 2048, "cost": 7.5}\n'
        '{"timestamp": "2026-11-01T00:00:01Z", "model": "flux2-pro", "width": 1024,'
        ' "height": 1024, "cost": 4.5, "charged_credits": null}\n'
    )
    r = cli("bill", str(log), "--reconcile", "-f", "json")
    assert r.code == 1
    mismatches = json.loads(r.out)["reconcile"]["mismatches"]
    assert [(m["line"], m["difference_credits"]) for m in mismatches] == [(2, "1.5")]


def test_both_columns_is_a_header_error(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "both.csv"
    log.write_text(
        "timestamp,model,width,height,charged_credits,cost\n"
        "2026-11-01T00:00:00Z,flux2-pro,1024,1024,3,3\n"
    )
    r = cli("bill", str(log))
    assert r.code == 2
    assert r.err == (
        f"fluxcost: error: {log}:1: the header has both charged_credits and cost: give one"
        " (cost is the API's name for it)\n"
    )


def test_cost_twice_is_a_header_error(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "twice.csv"
    log.write_text("timestamp,model,width,height,cost,cost\n")
    r = cli("bill", str(log))
    assert (r.code, r.err) == (2, f"fluxcost: error: {log}:1: column 'cost' appears twice\n")


def test_both_keys_reject_the_record(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "both.jsonl"
    log.write_text(
        '{"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro", "width": 1024,'
        ' "height": 1024}\n'
        '{"timestamp": "2026-11-01T00:00:01Z", "model": "flux2-pro", "width": 1024,'
        ' "height": 1024, "cost": 3, "charged_credits": 3}\n'
    )
    r = cli("bill", str(log), "-f", "json")
    assert r.code == 2
    data = json.loads(r.out)
    assert data["rejected"] == [
        {
            "line": 2,
            "reason": "both charged_credits and cost are given: give one"
            " (cost is the API's name for it)",
        }
    ]
    assert data["total_credits"] == "3"
