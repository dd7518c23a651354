"""FLUX.1 Fill [pro] fills in an image: it needs exactly one input, so it never serves
text-to-image work, even where it would be the cheapest (DECISIONS "Flat-credit models")."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import fluxcost
from conftest import Result
from fluxcost import FluxcostError
from fluxcost.rates import PACKAGED_RATES

Cli = Callable[..., Result]
NEEDS_IMAGE = (
    "flux1-fill-pro edits an input image and was given none: give the image with --input WxH"
)


@pytest.fixture
def cheap_fill(tmp_path: Path) -> str:
    """The packaged table with Fill at 0.5 credits, cheaper than any other model."""
    text = PACKAGED_RATES.read_text(encoding="utf-8")
    assert text.count('credits_per_image: "5"\n') == 1
    rates = tmp_path / "cheap-fill.yaml"
    rates.write_text(text.replace('credits_per_image: "5"\n', "credits_per_image: 0.5\n"))
    return str(rates)


def test_text_to_image_on_fill_is_refused(cli: Cli) -> None:
    with pytest.raises(FluxcostError) as info:
        fluxcost.quote("flux1-fill-pro")
    assert str(info.value) == NEEDS_IMAGE
    r = cli("quote", "-m", "fill-pro")
    assert (r.code, r.err) == (2, f"fluxcost: error: {NEEDS_IMAGE}\n")


def test_fill_prices_one_image_to_fill() -> None:
    q = fluxcost.quote("flux1-fill-pro", inputs=["1024x1024"], batch=3)
    assert (q.total_credits, q.total_usd) == (Decimal(15), Decimal("0.15"))  # 3 x 5 credits


def test_compare_lists_fill_with_its_reason_and_never_picks_it(cli: Cli, cheap_fill: str) -> None:
    r = cli("workload", "--images", "10", "--compare", "-f", "json", "--rates", cheap_fill)
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["lines"][0]["model"] == "flux2-klein-4b"  # 1.4 credits, not Fill's 0.5
    fill = next(m for m in data["models"] if m["model"] == "flux1-fill-pro")
    assert (fill["can_serve"], fill["cheapest"], fill["total_usd"]) == (False, False, None)
    assert fill["reason"] == NEEDS_IMAGE


def test_with_an_image_to_fill_it_can_be_the_cheapest(cli: Cli, cheap_fill: str) -> None:
    args = ("workload", "-n", "10", "-i", "1024x1024", "-c", "-f", "json", "--rates", cheap_fill)
    data = json.loads(cli(*args).out)
    assert data["lines"][0]["model"] == "flux1-fill-pro"
    assert data["total_usd"] == "0.05"  # 10 x 0.5 credits x $0.01
