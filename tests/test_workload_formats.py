"""Workload output formats: table, JSON, CSV, Markdown, and --output."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

Cli = Callable[..., Result]


def test_csv_plan_rows(cli: Cli) -> None:
    r = cli("workload", "--file", "examples/workload.yaml", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert [row["name"] for row in rows] == ["drafts", "finals", "edits", "thumbnails", "TOTAL"]
    assert rows[0]["requests"] == "2000"
    assert rows[2]["inputs"] == "1024x1024;1024x1024"
    assert rows[-1]["total_usd"] == "354.00"


def test_csv_compare_rows(cli: Cli) -> None:
    r = cli("workload", "--images", "10000", "--compare", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert rows[0]["model"] == "flux2-klein-4b"
    assert rows[0]["cheapest"] == "true"
    # The models that cannot serve text-to-image come last: open weights, and Fill (needs an input).
    assert [row["model"] for row in rows[-2:]] == ["flux2-dev", "flux1-fill-pro"]
    assert [row["can_serve"] for row in rows[-2:]] == ["false", "false"]
    assert [row["total_usd"] for row in rows[-2:]] == ["", ""]


def test_markdown_is_a_github_table(cli: Cli) -> None:
    r = cli("workload", "--images", "10000", "--model", "flux2-pro", "--compare", "-f", "markdown")
    lines = r.out.splitlines()
    assert lines[0] == "### fluxcost: 10,000 images (per month)"
    assert "| line | model | images | batch | size | per image | total |" in lines
    # per image, per 1,000 images (x 1,000), total (x 10,000), more than the cheapest
    assert "| `flux2-pro` | $0.03 | $30.00 | $300.00 | +$160.00 |  |" in lines
    assert "| `flux2-klein-4b` | $0.014 | $14.00 | $140.00 | +$0.00 | cheapest |" in lines


def test_table_marks_cheapest_and_reasons(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")  # wide enough that no reason wraps
    r = cli("workload", "--images", "10000", "--compare")
    assert r.code == 0
    assert "cheapest, plan" in r.out
    assert "cannot: open weights" in r.out
    assert "+560.00" in r.out  # max $700 vs klein 4B $140


def test_output_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    r = cli("workload", "--images", "100", "-m", "flux2-max", "-f", "json", "-o", str(target))
    assert (r.code, r.out) == (0, "")
    assert json.loads(target.read_text())["total_usd"] == "7.00"
    table = tmp_path / "report.txt"
    cli("workload", "--images", "100", "-m", "flux2-max", "-o", str(table))
    assert "flux2-max" in table.read_text() and "\x1b[" not in table.read_text()
