"""A bill prices each row at the prices in effect on its UTC day (DECISIONS "Prices over time").

FLUX.2 [flex] moved from 6 to 5 credits per MP on 2026-01-28; FLUX.2 [klein] has prices from
2026-01-15. At 1024x1024 (1 MP) a flex image is 6 credits before the change, 5 from it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import fluxcost
from conftest import Result

Cli = Callable[..., Result]

LOG = (
    "timestamp,model,width,height\n"
    "2026-01-27T12:00:00Z,flux2-flex,1024,1024\n"  # 6 credits: the old price
    "2026-01-28T12:00:00Z,flux2-flex,1024,1024\n"  # 5: the day of the change
    "2026-01-14T12:00:00Z,flux2-klein-4b,1024,1024\n"  # no price yet: rejected
    "2026-11-01T00:00:00Z,flux2-flex,1024,1024\n"  # 5
    "2026-01-29T01:00:00+02:00,flux2-flex,1024,1024\n"  # 2026-01-28 23:00 UTC: 5
)


def _bill(cli: Cli, tmp_path: Path, *args: str, log: str = LOG) -> tuple[int, dict[str, Any]]:
    path = tmp_path / "log.csv"
    path.write_text(log)
    r = cli("bill", str(path), *args, "-f", "json")
    data: dict[str, Any] = json.loads(r.out)
    return r.code, data


def test_each_row_at_its_days_prices(cli: Cli, tmp_path: Path) -> None:
    code, data = _bill(cli, tmp_path)
    assert code == 2  # the klein row before its first price
    assert (data["total_credits"], data["total_usd"], data["requests"]) == ("21", "0.21", 4)
    assert data["rejected"] == [
        {
            "line": 4,
            "reason": "flux2-klein-4b has no price on 2026-01-14: its first known price is from"
            " 2026-01-15 (use a date from then on)",
        }
    ]
    # flux2-max's first price (2026-01-24) opens the period the 2026-01-27 row falls in
    assert data["earlier_prices"] == [
        {"prices_from": "2026-01-24", "prices_until": "2026-01-28", "rows": 1}
    ]


def test_by_day(cli: Cli, tmp_path: Path) -> None:
    _, data = _bill(cli, tmp_path, "--group-by", "day")
    days = {g["key"]: g["total_credits"] for g in data["groups"]}
    assert days == {"2026-01-27": "6", "2026-01-28": "10", "2026-11-01": "5"}


def test_as_of_prices_the_whole_log_on_one_day(cli: Cli, tmp_path: Path) -> None:
    code, data = _bill(cli, tmp_path, "--as-of", "2026-11-01")
    # 4 flex rows x 5 + the klein row at 1.4 = 21.4 credits
    assert (code, data["total_credits"], data["requests"]) == (0, "21.4", 5)
    assert "earlier_prices" not in data


def test_the_fast_path_agrees(cli: Cli, tmp_path: Path) -> None:
    before = "2026-01-20T00:00:00Z,flux2-flex,1024,1024\n" * 1000
    after = "2026-02-20T00:00:00Z,flux2-flex,1024,1024\n" * 1000
    log = "timestamp,model,width,height\n" + before + after + before
    code, data = _bill(cli, tmp_path, log=log)
    assert code == 0
    assert data["total_credits"] == "17000"  # 2,000 x 6 + 1,000 x 5
    assert data["earlier_prices"][0]["rows"] == 2000


def test_what_if_at_each_days_prices(cli: Cli, tmp_path: Path) -> None:
    _, data = _bill(cli, tmp_path, "--compare")
    flex = next(m for m in data["models"] if m["model"] == "flux2-flex")
    assert flex["total_credits"] == "21"  # 6 + 5 + 5 + 5, the four priced rows


def test_library_bill_is_dated_too() -> None:
    rows = [
        {"timestamp": "2026-01-27T12:00:00Z", "model": "flux2-flex", "width": 1024, "height": 1024},
        {"timestamp": "2026-02-01T12:00:00Z", "model": "flux2-flex", "width": 1024, "height": 1024},
    ]
    assert fluxcost.bill(rows).credits == Decimal(11)  # 6 + 5
