"""Quotes against figures worked out by hand from the published rates (pricing-facts.md).

Every expected value is a literal; none is computed by the engine.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import fluxcost

D = Decimal


@pytest.mark.parametrize(
    ("model", "size", "inputs", "credits", "usd"),
    [
        # Seed: klein 4B, 1 MP = $0.014; 2 MP = $0.014 + $0.001 = $0.015 (BFL's worked example).
        ("flux2-klein-4b", (1024, 1024), (), "1.4", "0.014"),
        ("flux2-klein-4b", (1024, 2048), (), "1.5", "0.015"),
        # Seed: pro text-to-image from $0.03, pro edit with one 1 MP input from $0.045.
        ("flux2-pro", (1024, 1024), (), "3", "0.03"),
        ("flux2-pro", (1024, 1024), ("1024x1024",), "4.5", "0.045"),
        # Seed: the other FLUX.2 floors: klein 9B $0.015, flex $0.05, max $0.07.
        ("flux2-klein-9b", (1024, 1024), (), "1.5", "0.015"),
        ("flux2-flex", (1024, 1024), (), "5", "0.05"),
        ("flux2-max", (1024, 1024), (), "7", "0.07"),
        # Formula, not the seed's "from" figure: max edit = 7 + 3 = 10 credits.
        ("flux2-max", (1024, 1024), ((1024, 1024),), "10", "0.10"),
        ("flux2-klein-4b", (1024, 1024), ("1024x1024",), "1.5", "0.015"),
        # 2048x2048 = 4 MP: pro 3 + 3 x 1.5 = 7.5; flex 5 + 3 x 5 = 20.
        ("flux2-pro", (2048, 2048), (), "7.5", "0.075"),
        ("flux2-flex", (2048, 2048), (), "20", "0.20"),
        # 1408x1408 = 1.89 MP -> 2 MP: pro 3 + 1.5 = 4.5 (a real API response said cost 4.5).
        ("flux2-pro", (1408, 1408), (), "4.5", "0.045"),
        # 1536x1536 = 2.25 MP -> 3 MP: klein 9B 1.5 + 2 x 0.2 = 1.9.
        ("flux2-klein-9b", (1536, 1536), (), "1.9", "0.019"),
        # Two inputs of 1 and 2 MP on klein 9B: 1.5 + 1 x 0.2 + 2 x 0.2 = 2.1.
        ("flux2-klein-9b", (1024, 1024), ("1024x1024", "1024x2048"), "2.1", "0.021"),
        # A 16 MP input is billed as 4 MP: max 7 + 4 x 3 = 19.
        ("flux2-max", (1024, 1024), ("4096x4096",), "19", "0.19"),
        # Flat FLUX.1 prices.
        ("kontext-pro", (1024, 1024), (), "4", "0.04"),
        ("kontext-max", (1024, 1024), ("1024x1024",), "8", "0.08"),
        ("flux1.1-pro", (1024, 768), (), "4", "0.04"),
        ("flux1.1-pro-ultra", (2048, 2048), (), "6", "0.06"),
        ("flux1.1-pro-raw", (2752, 1536), (), "6", "0.06"),
        # Fill prices the image it fills (one input, the mask included) flat: 5.
        ("flux1-fill-pro", (1024, 1024), ("1024x1024",), "5", "0.05"),
        # flux2-pro with an 8.58 MP input, resized by the API and billed as 4 MP; it counts as
        # 4 MP against the 9 MP total too: 3 + 4 x 1.5 = 9.
        ("flux2-pro", (1024, 1024), ("3000x3000",), "9", "0.09"),
    ],
)
def test_single_image_price(
    model: str, size: tuple[int, int], inputs: tuple[object, ...], credits: str, usd: str
) -> None:
    q = fluxcost.quote(model, width=size[0], height=size[1], inputs=inputs)  # type: ignore[arg-type]
    assert q.total_credits == D(credits)
    assert q.total_usd == D(usd)
    assert q.per_image_usd == D(usd)


@pytest.mark.parametrize("size", [(1024, 1024), (1920, 1080), (512, 1024), (2048, 896)])
def test_kontext_pro_costs_the_same_at_any_size(size: tuple[int, int]) -> None:
    q = fluxcost.quote("kontext-pro", width=size[0], height=size[1])
    assert q.total_credits == D(4)
    assert q.total_usd == D("0.04")


def test_batch_of_four_is_four_times_one() -> None:
    q = fluxcost.quote("flux2-pro", batch=4)
    assert q.per_image_credits == D(3)
    assert q.total_credits == D(12)
    assert q.total_usd == D("0.12")


def test_line_items_of_an_edit_on_pro() -> None:
    q = fluxcost.quote("flux2-pro", width=2048, height=1024, inputs=["1024x1024", (2048, 2048)])
    rows = [(i.label, i.quantity, i.unit_credits, i.credits) for i in q.items]
    assert rows == [
        ("output, first MP", 1, D(3), D(3)),
        ("output, additional MP", 1, D("1.5"), D("1.5")),
        ("input 1", 1, D("1.5"), D("1.5")),
        ("input 2", 4, D("1.5"), D(6)),
    ]
    assert q.total_credits == D(12)


def test_pro_total_pixel_limit_is_inclusive() -> None:
    # 4 MP output + 4 MP + 1 MP inputs = exactly 9 x 1,048,576 px: allowed.
    q = fluxcost.quote("flux2-pro", width=2048, height=2048, inputs=["2048x2048", "1024x1024"])
    assert q.total_credits == D(15)  # 3 + 3 x 1.5 + 4 x 1.5 + 1 x 1.5


def test_money_is_decimal_never_float() -> None:
    q = fluxcost.quote("flux2-klein-4b", width=1024, height=2048, batch=3)
    assert isinstance(q.total_usd, Decimal)
    assert isinstance(q.total_credits, Decimal)
    assert q.total_usd == D("0.045")


def test_aliases_and_case_resolve_to_the_canonical_model() -> None:
    for name in ("flux-2-pro", "FLUX2-PRO", " Flux-2-Pro "):
        assert fluxcost.quote(name).model.id == "flux2-pro"
    assert (
        fluxcost.quote("flux-pro-1.1-ultra", width=2048, height=2048).model.id
        == "flux1.1-pro-ultra"
    )
    assert fluxcost.quote("flux-kontext-pro").model.id == "kontext-pro"
