"""The CI budget gate: exit 0 within budget, 1 over it, 2 for bad input (2 wins)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

Cli = Callable[..., Result]

# 10,000 images on pro at 1 MP = $300.00.
PRO = ("workload", "--images", "10000", "--model", "flux2-pro")


def test_within_budget_exits_0(cli: Cli) -> None:
    r = cli(*PRO, "--budget", "300", "-f", "json")
    assert r.code == 0  # exactly at the budget is not over it
    data = json.loads(r.out)
    assert (data["budget_usd"], data["over_budget"]) == ("300.00", False)


def test_over_budget_exits_1_with_a_line_on_stderr(cli: Cli) -> None:
    r = cli(*PRO, "--budget", "299.99", "-f", "json")
    assert r.code == 1
    assert json.loads(r.out)["over_budget"] is True
    assert r.err == (
        "fluxcost: OVER BUDGET: $300.00 per month is $0.01 over the budget of $299.99 (100%)\n"
    )


def test_warn_at_prints_a_warning_and_exits_0(cli: Cli) -> None:
    r = cli(*PRO, "--budget", "$350", "--warn-at", "80%", "-f", "json")
    assert r.code == 0
    assert r.err.startswith("fluxcost: warning: within budget: $300.00 of $350.00 per month (86%)")
    assert json.loads(r.out)["budget_warning"] is True
    quiet = cli(*PRO, "--budget", "400", "--warn-at", "80", "-f", "json")
    assert (quiet.code, quiet.err) == (0, "")


def test_compare_rows_carry_their_own_budget_verdict(cli: Cli) -> None:
    r = cli(*PRO, "--budget", "400", "--compare", "-f", "json")
    assert r.code == 0  # the plan as written (pro, $300) is within budget
    rows = {m["model"]: m for m in json.loads(r.out)["models"]}
    assert rows["flux2-pro"]["over_budget"] is False
    assert rows["flux2-flex"]["over_budget"] is True  # $500
    assert rows["flux2-dev"]["over_budget"] is None


def test_no_model_named_gates_the_cheapest(cli: Cli) -> None:
    assert cli("workload", "--images", "10000", "--budget", "139.99").code == 1  # klein 4B $140
    assert cli("workload", "--images", "10000", "--budget", "140").code == 0


def test_file_budget_and_override(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("budget_usd: 100\nlines:\n  - {name: a, model: flux2-pro, images: 10000}\n")
    assert cli("workload", "--file", str(plan)).code == 1
    assert cli("workload", "--file", str(plan), "--budget", "1000").code == 0


def test_bad_input_wins_over_budget(cli: Cli) -> None:
    r = cli(*PRO, "--budget", "1", "--format", "xml")
    assert r.code == 2


def test_github_step_summary_gets_markdown_whatever_the_format(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert cli(*PRO, "--budget", "200", "-f", "json").code == 1
    text = summary.read_text()
    assert text.startswith("earlier step\n### fluxcost: 10,000 images (per month)")
    assert "| images | `flux2-pro` | 10,000 | 1 | 1024x1024 | $0.03 | $300.00 |" in text
    assert "**OVER BUDGET: $300.00 per month is $100.00 over the budget of $200.00" in text


def test_period_labels_the_budget(cli: Cli) -> None:
    r = cli("workload", "--images", "500", "-m", "flux2-pro", "--period", "day", "--budget", "10",
            "-f", "json")  # fmt: skip
    assert r.code == 1  # 500 x $0.03 = $15.00 a day
    assert json.loads(r.out)["period"] == "day"
    assert "per day" in r.err
