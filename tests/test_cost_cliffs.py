"""Cost cliffs: an image just over a whole megapixel (at most 10% over) gets a hint naming the
size of the same aspect ratio that bills one MP less, and what that saves per image and per
1,000 images, exactly.

Figures by hand: 1 MP = 1,048,576 px, each image rounded up; pro 3 credits for the first MP and
1.5 for each further output or input MP; klein 4B 1.4 and 0.1; 1 credit = $0.01.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import fluxcost
from conftest import Result
from fluxcost.quote_report import quote_report
from fluxcost.rates import load_rates

Cli = Callable[..., Result]


def _cliffs(model: str, size: tuple[int, int], inputs: tuple[str, ...] = ()) -> list[Any]:
    q = fluxcost.quote(model, width=size[0], height=size[1], inputs=inputs)
    return list(quote_report(q, load_rates()).cost_cliffs)


def test_1040x1040_costs_half_as_much_again_as_1024x1024() -> None:
    # 1040 x 1040 = 1,081,600 px = 1.03 MP -> 2 MP: 3 + 1.5 = 4.5 credits, 50% more than the
    # 3 credits of 1024x1024 (1 MP).
    big = fluxcost.quote("flux2-pro", width=1040, height=1040).total_credits
    small = fluxcost.quote("flux2-pro", width=1024, height=1024).total_credits
    assert (big, small, big / small) == (Decimal("4.5"), Decimal(3), Decimal("1.5"))
    (cliff,) = _cliffs("flux2-pro", (1040, 1040))
    assert (cliff.image, cliff.size, cliff.exact_mp, cliff.billed_mp) == (
        "output",
        "1040x1040",
        "1.03",
        2,
    )
    assert (cliff.smaller_size, cliff.smaller_billed_mp, cliff.same_aspect) == (
        "1024x1024",
        1,
        True,
    )
    # One extra MP: 1.5 credits = $0.015 an image, $15.00 per 1,000 images.
    assert cliff.saves_credits == Decimal("1.5")
    assert cliff.saves_usd == Decimal("0.015")
    assert cliff.saves_per_1000_usd == Decimal("15")
    assert cliff.sentence() == (
        "output 1040x1040 is 1.03 MP and bills 2 MP; 1024x1024 (same aspect ratio) bills 1 MP:"
        " $0.015 less per image, $15.00 per 1,000 images"
    )


@pytest.mark.parametrize(
    ("model", "size", "inputs", "expected"),
    [
        # 1100 x 1000 = 1,100,000 px = 1.05 MP. 11:10 on the 16-px step: multiples of
        # 176x160 (28,160 px); the largest under 1 MP is 6 x that = 1056x960 (1,013,760 px).
        ("flux2-pro", (1100, 1000), (), [("output", "1056x960", True, "1.5")]),
        # klein 4B saves its extra-MP price: 0.1 credits.
        ("flux2-klein-4b", (1040, 1040), (), [("output", "1024x1024", True, "0.1")]),
        # An input just over 1 MP bills 2 input MP; at 1024x1024 it bills 1: 1.5 credits less.
        ("flux2-pro", (1024, 1024), ("1040x1040",), [("input 1", "1024x1024", True, "1.5")]),
        # Inputs take any size: 1792 x 1792 = 3,211,264 px = 3.06 MP -> 4 MP; the largest
        # square under 3 MP is 1773x1773 (3,143,529 px; 1774^2 = 3,147,076 is over).
        ("flux2-pro", (1024, 1024), ("1792x1792",), [("input 1", "1773x1773", True, "1.5")]),
        # 2048 x 1040 = 2,129,920 px = 2.03 MP -> 3 MP; no 128:65 size on the step is 2 MP, so
        # the largest within 1% of it: 2032x1024 (2,080,768 px, ratio 1.984 against 1.969).
        ("flux2-pro", (2048, 1040), (), [("output", "2032x1024", False, "1.5")]),
    ],
)
def test_cliffs(
    model: str,
    size: tuple[int, int],
    inputs: tuple[str, ...],
    expected: list[tuple[str, str, bool, str]],
) -> None:
    found = [
        (c.image, c.smaller_size, c.same_aspect, str(c.saves_credits))
        for c in _cliffs(model, size, inputs)
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("model", "size", "inputs"),
    [
        ("flux2-pro", (1408, 1408), ()),  # 1.89 MP: not just over 1 MP
        ("flux2-pro", (1152, 1024), ()),  # 1.125 MP: 12.5% over, past the 10% line
        ("flux2-pro", (1024, 1024), ()),  # exactly 1 MP
        ("flux2-pro", (512, 512), ()),  # under 1 MP bills 1 MP: there is nothing lower
        ("flux2-pro", (1024, 1024), ("4200x1024",)),  # 4.1 MP input is billed at the 4 MP cap
        ("kontext-pro", (1040, 1040), ()),  # a flat price: the size never changes it
    ],
)
def test_no_cliff(model: str, size: tuple[int, int], inputs: tuple[str, ...]) -> None:
    assert _cliffs(model, size, inputs) == []


def test_cliffs_in_json(cli: Cli) -> None:
    r = cli("quote", "-m", "flux2-pro", "-s", "1040x1040", "-i", "1040x1040", "-f", "json")
    data = json.loads(r.out)
    assert data["cost_cliffs"] == [
        {
            "image": image,
            "size": "1040x1040",
            "exact_mp": "1.03",
            "billed_mp": 2,
            "smaller_size": "1024x1024",
            "smaller_billed_mp": 1,
            "same_aspect": True,
            "saves_credits": "1.5",
            "saves_usd": "0.015",
            "saves_per_1000_usd": "15.00",
        }
        for image in ("output", "input 1")
    ]
    # Each MP is 1.5 credits: 3 + 1.5 (output) + 2 x 1.5 (input) = 7.5 credits.
    assert data["total_usd"] == "0.075"


def test_no_cliff_is_an_empty_list_in_json(cli: Cli) -> None:
    assert json.loads(cli("quote", "-m", "flux2-pro", "-f", "json").out)["cost_cliffs"] == []


def test_cliffs_in_the_table_and_markdown(cli: Cli) -> None:
    table = " ".join(cli("quote", "-m", "flux2-pro", "-s", "1040x1040").out.split())
    assert (
        "tip: output 1040x1040 is 1.03 MP and bills 2 MP; 1024x1024 (same aspect ratio) bills"
        " 1 MP: $0.015 less per image, $15.00 per 1,000 images"
    ) in table
    markdown = cli("quote", "-m", "flux2-pro", "-s", "1040x1040", "-f", "markdown").out
    assert "Tip: output 1040x1040 is 1.03 MP and bills 2 MP;" in markdown
