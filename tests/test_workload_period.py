"""`--period` on a workload file converts its figures by an exact factor, never relabels them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

Cli = Callable[..., Result]

PLAN = """\
name: monthly
period: month
budget_usd: 300
lines:
  - name: drafts
    model: flux2-pro
    images: 1000
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    return path


def test_month_to_year_multiplies_by_12(cli: Cli, plan: Path) -> None:
    data = json.loads(cli("workload", "-F", str(plan), "--period", "year", "-f", "json").out)
    # 1,000 images a month x 12 = 12,000 a year x 3 credits = 36,000 credits = $360.00
    assert data["period"] == "year"
    assert data["lines"][0]["images"] == 12000
    assert (data["total_credits"], data["total_usd"]) == ("36000", "360.00")
    assert data["budget_usd"] == "3600.00"  # $300 a month x 12
    assert data["converted_from"] == "converted from per month x 12"


def test_month_to_quarter_and_back(cli: Cli, plan: Path) -> None:
    data = json.loads(cli("workload", "-F", str(plan), "--period", "quarter", "-f", "json").out)
    assert data["lines"][0]["images"] == 3000  # x 3
    assert data["total_usd"] == "90.00"  # 3,000 x $0.03


def test_inexact_conversions_are_refused(cli: Cli, plan: Path) -> None:
    r = cli("workload", "-F", str(plan), "--period", "week")
    assert r.code == 2
    assert "only exact conversions are made" in r.err
    assert "day <-> week" in r.err


def test_a_year_that_does_not_divide_into_months(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "yearly.yaml"
    path.write_text(PLAN.replace("month", "year"))  # 1,000 images a year / 12: not whole
    r = cli("workload", "-F", str(path), "--period", "month")
    assert r.code == 2
    assert "does not divide exactly into months" in r.err


def test_the_same_period_changes_nothing(cli: Cli, plan: Path) -> None:
    data = json.loads(cli("workload", "-F", str(plan), "--period", "month", "-f", "json").out)
    assert data["total_usd"] == "30.00" and "converted_from" not in data


def test_flags_only_name_the_period(cli: Cli) -> None:
    data = json.loads(cli("workload", "-n", "700", "-m", "flux2-pro", "--period", "week",
                          "-f", "json").out)  # fmt: skip
    assert (data["period"], data["total_usd"]) == ("week", "21.00")  # 700 x $0.03
