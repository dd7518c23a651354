"""In GitHub Actions, gates also speak as annotations that point at the file and line; the
staleness gate keeps the rate table honest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

Cli = Callable[..., Result]


@pytest.fixture
def actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")


@pytest.mark.usefixtures("actions")
def test_over_budget_points_at_the_budget_line(cli: Cli) -> None:
    # examples/workload.yaml: $354.00 a month against budget_usd: 400 on line 7
    r = cli("workload", "-F", "examples/workload.yaml", "--budget", "300", "-f", "json")
    assert r.code == 1
    assert "::error::OVER BUDGET: $354.00 per month is $54.00 over the budget of $300.00" in r.err
    within = cli("workload", "-F", "examples/workload.yaml", "-f", "json")
    assert within.code == 0
    assert (
        # 354 / 400 = 88.5%, shown as 88%; "%" is escaped as %25 in a workflow command
        "::warning file=examples/workload.yaml,line=7::within budget: $354.00 of $400.00 per"
        " month (88%25), past the 80%25 warning line"
    ) in within.err


@pytest.mark.usefixtures("actions")
def test_a_file_budget_over(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: p\nbudget_usd: 10\nlines:\n  - name: a\n    model: flux2-pro\n"
                    "    images: 1000\n")  # fmt: skip
    r = cli("workload", "-F", str(plan), "-f", "json")
    assert r.code == 1  # 1,000 x $0.03 = $30.00
    assert f"::error file={plan},line=2::OVER BUDGET: $30.00 per month" in r.err


def test_no_annotations_outside_actions(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    r = cli("workload", "-F", "examples/workload.yaml", "--budget", "300", "-f", "json")
    assert "::error" not in r.err


@pytest.mark.parametrize(("days", "code"), [("30", 1), ("36", 0), ("365", 0)])
def test_max_age(cli: Cli, monkeypatch: pytest.MonkeyPatch, days: str, code: int) -> None:
    # pricing.yaml says prices_checked: 2026-11-25; on 2026-12-31 that is 36 days ago.
    monkeypatch.setattr("fluxcost.cli.today", lambda: dt.date(2026, 12, 31))
    r = cli("models", "--max-age", days, "-f", "json")
    assert r.code == code
    if code:
        assert r.err == (
            "fluxcost: the rate table was checked on 2026-11-25 (36 days ago), over --max-age"
            " 30: check the prices and update pricing.yaml\n"
        )
