"""The seed's worked workloads, priced by hand from the published rates, as the CLI prints them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from conftest import Result

Cli = Callable[..., Result]


def _json(cli: Cli, *args: str, code: int = 0) -> dict[str, Any]:
    r = cli("workload", *args, "--format", "json")
    assert r.code == code, r.err
    data: dict[str, Any] = json.loads(r.out)
    return data


def _model_totals(data: dict[str, Any]) -> dict[str, str | None]:
    return {m["model"]: m["total_usd"] for m in data["models"]}


def test_ten_thousand_images_a_month_on_each_flux2_tier(cli: Cli) -> None:
    # Seed: $140 / $150 / $300 / $500 / $700 at 1 MP.
    data = _json(cli, "--images", "10000", "--compare")
    totals = _model_totals(data)
    assert totals["flux2-klein-4b"] == "140.00"
    assert totals["flux2-klein-9b"] == "150.00"
    assert totals["flux2-pro"] == "300.00"
    assert totals["flux2-flex"] == "500.00"
    assert totals["flux2-max"] == "700.00"
    assert totals["flux2-dev"] is None
    # No model named: the plan is the cheapest model that can serve it.
    assert data["total_usd"] == "140.00"
    assert data["total_credits"] == "14000"
    assert data["lines"][0]["model"] == "flux2-klein-4b"
    assert data["models"][0]["cheapest"] is True
    assert data["models"][1]["difference_usd"] == "10.00"


def test_every_model_is_listed_never_dropped(cli: Cli) -> None:
    data = _json(cli, "--images", "10000", "--compare")
    ids = [m["model"] for m in data["models"]]
    assert len(ids) == 12
    dev = data["models"][ids.index("flux2-dev")]
    assert dev["can_serve"] is False
    assert "local" in dev["reason"]
    assert all(m["total_usd"] is not None for m in data["models"] if m["can_serve"])


@pytest.mark.parametrize(
    ("model", "total"),
    [("flux2-klein-4b", "14.00"), ("flux2-pro", "30.00"), ("flux2-max", "70.00")],
)
def test_a_thousand_marketing_images(cli: Cli, model: str, total: str) -> None:
    data = _json(cli, "--images", "1000", "--model", model)
    assert data["total_usd"] == total


def test_marketing_finals_at_4_mp(cli: Cli) -> None:
    # 4 MP: klein 4B 1.4 + 3 x 0.1 = 1.7; pro 3 + 3 x 1.5 = 7.5; max 7 + 3 x 3 = 16 credits.
    totals = _model_totals(_json(cli, "--preset", "marketing-finals", "--compare"))
    assert totals["flux2-klein-4b"] == "17.00"
    assert totals["flux2-pro"] == "75.00"
    assert totals["flux2-max"] == "160.00"
    assert totals["flux1.1-pro"] is None  # 2048 px is over its 1440 px side limit


def test_five_thousand_edits(cli: Cli) -> None:
    # Seed: Kontext pro $0.04 -> $200; FLUX.2 pro with one 1 MP input $0.045 -> $225.
    args = ("--images", "5000", "--input", "1024x1024")
    assert _json(cli, *args, "--model", "kontext-pro")["total_usd"] == "200.00"
    assert _json(cli, *args, "--model", "flux2-pro")["total_usd"] == "225.00"
    totals = _model_totals(_json(cli, *args, "--compare"))
    assert totals["kontext-pro"] == "200.00"
    assert totals["flux2-pro"] == "225.00"
    assert totals["flux1.1-pro"] is None  # text-to-image only


def test_partly_used_last_batch_is_paid_in_full(cli: Cli) -> None:
    # 10 images in batches of 4: 3 requests, 12 images billed, 12 x 3 credits on pro.
    line = _json(cli, "--images", "10", "--batch", "4", "--model", "flux2-pro")["lines"][0]
    assert (line["requests"], line["billed_images"]) == (3, 12)
    assert (line["total_credits"], line["total_usd"]) == ("36", "0.36")


def test_example_file_totals(cli: Cli) -> None:
    # drafts 8,000 x 1.4 = 11,200; finals 500 x 16 = 8,000; edits 2,000 x (3 + 2 x 1.5) = 12,000;
    # thumbnails 3,000 x 1.4 (cheapest: klein 4B) = 4,200 credits. 35,400 credits = $354.00.
    data = _json(cli, "--file", "examples/workload.yaml")
    assert [(x["name"], x["total_usd"]) for x in data["lines"]] == [
        ("drafts", "112.00"),
        ("finals", "80.00"),
        ("edits", "120.00"),
        ("thumbnails", "42.00"),
    ]
    assert data["lines"][0]["requests"] == 2000
    assert data["lines"][3]["model_chosen_as_cheapest"] is True
    assert (data["total_usd"], data["total_credits"]) == ("354.00", "35400")
    assert (data["budget_usd"], data["over_budget"]) == ("400.00", False)


def test_file_moved_to_one_model(cli: Cli) -> None:
    # Every line on pro: drafts 8,000 x 3 + finals 500 x 7.5 + edits 2,000 x 6 + 3,000 x 3.
    data = _json(cli, "--file", "examples/workload.yaml", "--model", "flux2-pro", code=1)
    assert data["total_credits"] == "48750"
    assert data["total_usd"] == "487.50"
    assert data["over_budget"] is True


def test_file_compare_is_every_line_on_each_model(cli: Cli) -> None:
    totals = _model_totals(_json(cli, "--file", "examples/workload.yaml", "--compare"))
    assert totals["flux2-pro"] == "487.50"
    assert totals["kontext-pro"] is None  # the edits line has two inputs; Kontext takes one
