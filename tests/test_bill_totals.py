"""Billing the sample log: totals and breakdowns worked out by hand, as literals.

examples/usage-log.csv, per request (credits):
  line 2  pro 1 MP                                  3
  line 3  pro 1 MP + 1 MP input                     3 + 1.5 = 4.5
  line 4  klein 4B 2 MP, batch 4                    (1.4 + 0.1) x 4 = 6     (UTC day 11-02)
  line 5  max 4 MP + 1 MP + 2 MP inputs             7 + 3 x 3 + 3 x 3 = 25
  line 6  Kontext pro, batch 2                      4 x 2 = 8
  line 7  klein 9B 1.5 MP -> 2 MP, batch 2          (1.5 + 0.2) x 2 = 3.4
  line 8  flex 1 MP + two 0.25 MP inputs (1 MP each) 5 + 5 + 5 = 15  (UTC 11-30; charged 20)
  line 9  FLUX1.1 pro                               4
  line 10 pro 1408x1408 = 1.89 MP -> 2 MP           3 + 1.5 = 4.5
  total 73.4 credits = $0.734; 9 requests, 14 images
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import fluxcost
from conftest import Result

Cli = Callable[..., Result]
LOGS = ["examples/usage-log.csv", "examples/usage-log.jsonl"]


def _bill(cli: Cli, *args: str) -> dict[str, Any]:
    r = cli("bill", *args, "--format", "json")
    assert r.code == 0, r.err
    data: dict[str, Any] = json.loads(r.out)
    return data


@pytest.mark.parametrize("log", LOGS)
def test_totals(cli: Cli, log: str) -> None:
    data = _bill(cli, log)
    assert (data["total_credits"], data["total_usd"]) == ("73.4", "0.734")
    assert (data["requests"], data["images"], data["rows_rejected"]) == (9, 14, 0)


@pytest.mark.parametrize("log", LOGS)
def test_by_model(cli: Cli, log: str) -> None:
    groups = {
        g["key"]: (g["requests"], g["images"], g["total_credits"])
        for g in _bill(cli, log)["groups"]
    }
    assert groups == {
        "flux2-max": (1, 1, "25"),
        "flux2-flex": (1, 1, "15"),
        "flux2-pro": (3, 3, "12"),  # 3 + 4.5 + 4.5, the alias flux-2-pro included
        "kontext-pro": (1, 2, "8"),
        "flux2-klein-4b": (1, 4, "6"),
        "flux1.1-pro": (1, 1, "4"),
        "flux2-klein-9b": (1, 2, "3.4"),
    }


@pytest.mark.parametrize("log", LOGS)
def test_by_day_in_utc(cli: Cli, log: str) -> None:
    groups = [
        (g["key"], g["total_credits"]) for g in _bill(cli, log, "--group-by", "day")["groups"]
    ]
    assert groups == [
        ("2026-11-01", "7.5"),
        ("2026-11-02", "39"),  # 23:30 at -05:00 on the 1st is the 2nd in UTC
        ("2026-11-15", "3.4"),
        ("2026-11-30", "15"),  # 00:30 at +01:00 on Dec 1st is Nov 30th in UTC
        ("2026-12-03", "8.5"),
    ]


def test_by_month(cli: Cli) -> None:
    groups = [(g["key"], g["total_usd"]) for g in _bill(cli, LOGS[0], "-g", "month")["groups"]]
    assert groups == [("2026-11", "0.649"), ("2026-12", "0.085")]


def test_what_if_on_every_model(cli: Cli) -> None:
    models = {m["model"]: m for m in _bill(cli, LOGS[0], "--compare")["models"]}
    # klein 4B: 1.4 + 1.5 + 6 + 2.0 + 3 + 3 + 1.6 + 1.4 + 1.5 = 21.4 credits
    assert models["flux2-klein-4b"]["total_usd"] == "0.214"
    assert models["flux2-klein-4b"]["difference_usd"] == "-0.52"
    assert models["flux2-pro"]["total_credits"] == "69"
    kontext = models["kontext-pro"]
    assert (kontext["can_serve_all"], kontext["total_usd"], kontext["requests_unservable"]) == (
        False,
        None,
        2,
    )
    assert models["flux2-dev"]["requests_unservable"] == 9


def test_csv_and_jsonl_give_the_same_bill(cli: Cli) -> None:
    for flags in ([], ["-g", "day"], ["-g", "month", "--compare"]):
        a, b = (_bill(cli, log, *flags) for log in LOGS)
        for data in (a, b):
            data.pop("log")
            if data["reconcile"]:  # JSON Lines count lines from 1, CSV from its header
                data["reconcile"].pop("mismatches")
        assert a == b


def test_csv_table_and_markdown(cli: Cli) -> None:
    r = cli("bill", LOGS[0], "-f", "csv")
    assert r.out.splitlines()[0] == "model,requests,images,total_credits,total_usd"
    assert r.out.splitlines()[-1] == "TOTAL,9,14,73.4,0.734"
    md = cli("bill", LOGS[0], "-f", "markdown").out
    assert "| **total** | 9 | 14 | 73.4 | **$0.734** |" in md
    table = cli("bill", LOGS[0]).out
    assert "0.734" in table and "difference 5 credits, +$0.05" in table


def test_library_bill() -> None:
    rows = [
        {"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro", "width": 1024, "height": 1024},
        {
            "timestamp": "2026-11-01T00:01:00Z",
            "model": "flux-kontext-max",
            "width": 1024,
            "height": 1024,
            "inputs": ["1024x1024"],
            "batch": 3,
        },
        {"timestamp": "2026-11-01T00:02:00Z", "model": "nope", "width": 1024, "height": 1024},
    ]
    bill = fluxcost.bill(rows)
    assert bill.credits == Decimal(27)  # 3 + 8 x 3
    assert bill.usd == Decimal("0.27")
    assert (bill.requests, bill.images) == (2, 4)
    assert [(r.line, r.reason[:22]) for r in bill.rejected] == [(3, "unknown model 'nope': ")]
