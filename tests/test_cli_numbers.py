"""Numbers on the command line follow one rule: ASCII digits, well-formed thousands, a decimal
point for amounts; anything else is exit 2 with the rule, never a silent reading."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import Result

Cli = Callable[..., Result]


@pytest.mark.parametrize(
    ("budget", "shown"),
    [("300", "300.00"), ("299.99", "299.99"), ("$1,500", "1500.00"), (" 250 ", "250.00")],
)
def test_budgets_people_type(cli: Cli, budget: str, shown: str) -> None:
    r = cli("workload", "-n", "10000", "-m", "flux2-pro", "--budget", budget, "-f", "json")
    assert json.loads(r.out)["budget_usd"] == shown
    # 10,000 x 3 credits = $300.00: over a budget below 300, within one at or above it
    assert r.code == (1 if float(shown) < 300 else 0)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--budget", "1,5", "--budget '1,5' is not a plain decimal number"),
        ("--budget", "1.000,50", "--budget '1.000,50' is not a plain decimal number"),
        ("--budget", "300%", "--budget '300%' is not a plain decimal number"),
        ("--budget", "1e-999999", "--budget '1e-999999' is not a plain decimal number"),
        ("--budget", "NaN", "--budget 'NaN' is not a plain decimal number"),
        ("--budget", "-5", "--budget '-5' must be 0 or more"),
        ("--budget", "1" * 20, "--budget is over the limit of 1,000,000,000,000"),
        ("--budget", "0.1234567", "has more than 6 decimal places"),
        ("--images", "1,5", "--images '1,5' is not a whole number"),
        ("--images", "1e3", "--images '1e3' is not a whole number"),
        ("--images", "\u0661\u0660", "is not a whole number"),
        ("--images", str(10**40 + 1), "--images is over the limit of 1,000,000,000,000"),
        ("--images", "9" * 4301, "--images is over the limit of 1,000,000,000,000"),
        ("--images", "-1", "--images must be at least 0, got -1"),
        ("--batch", "0", "--batch must be at least 1, got 0"),
        ("--batch", "12345678901234567890123456789", "--batch is over the limit"),
    ],
)
def test_bad_numbers_are_refused(cli: Cli, option: str, value: str, message: str) -> None:
    r = (
        cli("workload", "-n", "100", option, value)
        if option != "--images"
        else cli("workload", option, value)
    )
    assert r.code == 2, r.err
    assert r.err.startswith("fluxcost: error: ") and r.err.count("\n") == 1
    assert message in r.err
    assert len(r.err) < 300  # a 4,301-digit number is not echoed back


@pytest.mark.parametrize("width", ["--1024", "1024²", "1024.0", "1_024", "0x400", ""])
def test_bad_widths(cli: Cli, width: str) -> None:
    r = cli("quote", "-m", "flux2-pro", "--width", width)
    assert r.code == 2
    assert "--width" in r.err and "whole number" in r.err


def test_thousands_and_warn_percent(cli: Cli) -> None:
    # 10,000 x 1.4 credits = 14,000 credits = $140.00 of $150.00 = 93%: past 80%, exit 0
    r = cli("workload", "-n", "10,000", "-m", "klein-4b", "--budget", "150", "--warn-at", "80%")
    assert r.code == 0
    assert r.err == (
        "fluxcost: warning: within budget: $140.00 of $150.00 per month (93%), past the 80%"
        " warning line\n"
    )


def test_exact_at_the_largest_counts(cli: Cli) -> None:
    # 10^12 images on flux2-max at 2048x2048: 16 credits each = 1.6 x 10^13 credits
    r = cli("workload", "-n", "1,000,000,000,000", "-m", "flux2-max", "-s", "2048x2048",
            "-f", "json")  # fmt: skip
    data = json.loads(r.out)
    assert (data["total_credits"], data["total_usd"]) == ("16000000000000", "160000000000.00")
    q = json.loads(cli("quote", "-m", "flux2-pro", "-b", "999999999999", "-f", "json").out)
    assert q["total_credits"] == "2999999999997"  # 3 credits x 999,999,999,999
    assert q["total_usd"] == "29999999999.97"
