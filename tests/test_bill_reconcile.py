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


def test_repeated_requests_count_every_row(cli: Cli, tmp_path: Path) -> None:
    # The same request again and again takes the cached fast path; every row still counts,
    # and every mismatching row is still listed by its line.
    log = tmp_path / "repeat.csv"
    row = "flux2-klein-4b,1024,1024,{}\n"
    log.write_text(
        "timestamp,model,width,height,charged_credits\n"
        + "".join(f"2026-11-0{d}T12:00:00Z," + row.format("1.4") for d in (1, 1, 2, 3, 3, 3))
        + "2026-11-04T12:00:00Z,"
        + row.format("2")
        + "2026-11-04T13:00:00Z,"
        + row.format("2")
    )
    for group_by, expected in (
        ("model", [("flux2-klein-4b", 8, "11.2")]),
        ("day", [("2026-11-01", 2, "2.8"), ("2026-11-02", 1, "1.4"), ("2026-11-03", 3, "4.2"),
                 ("2026-11-04", 2, "2.8")]),
    ):  # fmt: skip
        data = json.loads(cli("bill", str(log), "-g", group_by, "-f", "json").out)
        assert [(g["key"], g["requests"], g["total_credits"]) for g in data["groups"]] == expected
        assert [m["line"] for m in data["reconcile"]["mismatches"]] == [8, 9]
        assert data["reconcile"]["difference_credits"] == "1.2"  # 2 x (2 - 1.4)
