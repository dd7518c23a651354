"""Workload file fields take one type each: counts are plain integers, money exact numbers.

YAML ``true``, ``1024.0`` or a quoted ``"4"`` is not a count (pydantic would coerce all three),
and a budget is never text or a binary float. Each wrong value is one FILE:LINE error, exit 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

Cli = Callable[..., Result]

LINE = "lines:\n  - name: a\n    model: flux2-pro\n"
COUNT = "Input should be a valid integer: plain digits like 5000, without quotes"
DOLLARS = "Input should be a number of dollars like 500 or 499.99, without quotes"
PERCENT = "Input should be a percentage like 80 or 92.5, without quotes"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (LINE + "    images: true\n", f":4: line 1 'a', images: {COUNT} (got true)"),
        (LINE + "    images: 1024.0\n", f":4: line 1 'a', images: {COUNT} (got 1024.0)"),
        (LINE + "    images: 1e3\n", f":4: line 1 'a', images: {COUNT} (got 1E+3)"),
        (LINE + "    images: '5000'\n", f":4: line 1 'a', images: {COUNT} (got '5000')"),
        (LINE + "    images: ~\n", f":4: line 1 'a', images: {COUNT} (got null)"),
        (LINE + '    images: 10\n    batch: "4"\n', f":5: line 1 'a', batch: {COUNT} (got '4')"),
        (LINE + "    images: 10\n    batch: on\n", f":5: line 1 'a', batch: {COUNT} (got 'on')"),
        (
            "budget_usd: '500'\n" + LINE + "    images: 1\n",
            f":1: budget_usd: {DOLLARS} (got '500')",
        ),
        ("budget_usd: true\n" + LINE + "    images: 1\n", f":1: budget_usd: {DOLLARS} (got true)"),
        (
            "budget_usd: 5\nwarn_at_percent: '80%'\n" + LINE + "    images: 1\n",
            f":2: warn_at_percent: {PERCENT} (got '80%')",
        ),
        (
            LINE + "    images: 5000\n    size: 1024x1024\n    images: 5\n",
            ":6: key 'images' is given twice (first on line 4)",
        ),
        (LINE + "    images: 017\n", ":4: '017' is not a plain number"),
        (LINE + '    images: 10\n    "\\e[31m": 1\n', ":5: line 1 'a', '\\x1b[31m': Extra inputs"),
    ],
)
def test_wrong_type_is_one_line_naming_the_field(
    cli: Cli, tmp_path: Path, text: str, message: str
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    r = cli("workload", "--file", str(plan))
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith(f"fluxcost: error: {plan}{message}"), r.err
    assert r.err.count("\n") == 1


def test_budget_and_percent_are_exact_decimals(cli: Cli, tmp_path: Path) -> None:
    # 10,000 x flux2-pro at 3 credits = 30,000 credits = $300.00; 300 / 312.5 = 96% > 92.5%.
    plan = tmp_path / "plan.yaml"
    plan.write_text("budget_usd: 312.50\nwarn_at_percent: 92.5\n" + LINE + "    images: 10000\n")
    r = cli("workload", "--file", str(plan), "-f", "json")
    assert r.code == 0, r.err
    result = json.loads(r.out)
    assert (result["budget_usd"], result["warn_at_percent"]) == ("312.50", "92.5")
    assert (result["total_usd"], result["over_budget"], result["budget_warning"]) == (
        "300.00",
        False,
        True,
    )


def test_json_schema_says_numbers_not_text(cli: Cli) -> None:
    schema = json.loads(cli("schema", "workload").out)
    budget, percent = (
        schema["properties"][k]["anyOf"][0] for k in ("budget_usd", "warn_at_percent")
    )
    assert budget == {"type": "number", "minimum": 0}
    assert percent == {"type": "number", "exclusiveMinimum": 0}
    assert schema["$defs"]["LineSpec"]["properties"]["batch"]["type"] == "integer"
