"""Laws of the price: it never falls as an image grows, is linear in batch, adds up."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

import fluxcost

FLUX2 = ["flux2-klein-4b", "flux2-klein-9b", "flux2-pro", "flux2-flex", "flux2-max"]
side = st.integers(min_value=4, max_value=128).map(lambda n: n * 16)  # 64..2048


def _fits(width: int, height: int) -> bool:
    return width * height <= 4 * 1024 * 1024


@given(st.sampled_from(FLUX2), side, side, side, side)
def test_cost_never_falls_as_size_grows(model: str, w1: int, h1: int, w2: int, h2: int) -> None:
    small_w, big_w = sorted((w1, w2))
    small_h, big_h = sorted((h1, h2))
    assume(_fits(big_w, big_h))
    small = fluxcost.quote(model, width=small_w, height=small_h).total_credits
    big = fluxcost.quote(model, width=big_w, height=big_h).total_credits
    assert small <= big


@given(st.sampled_from(FLUX2), st.integers(min_value=1, max_value=4))
def test_more_inputs_never_cost_less(model: str, count: int) -> None:
    fewer = fluxcost.quote(model, inputs=["1024x1024"] * (count - 1)).total_credits
    more = fluxcost.quote(model, inputs=["1024x1024"] * count).total_credits
    assert more > fewer


@given(
    st.sampled_from([*FLUX2, "kontext-pro", "flux1-fill-pro"]),
    st.integers(min_value=1, max_value=10_000),
)
def test_linear_in_batch(model: str, batch: int) -> None:
    inputs = ["1024x1024"] if model == "flux1-fill-pro" else []  # Fill needs the image to fill
    one = fluxcost.quote(model, inputs=inputs)
    many = fluxcost.quote(model, inputs=inputs, batch=batch)
    assert many.total_credits == one.total_credits * batch
    assert many.total_usd == one.total_usd * batch


@given(
    st.sampled_from(FLUX2),
    side,
    side,
    st.lists(st.tuples(side, side), max_size=3),
    st.integers(min_value=1, max_value=50),
)
def test_line_items_sum_to_the_total(
    model: str, width: int, height: int, inputs: list[tuple[int, int]], batch: int
) -> None:
    assume(_fits(width, height))
    # pro allows 9 MP in all, each input counted as billed (at most 4 MP: the API resizes it)
    capped = sum(min(w * h, 4 * 1024 * 1024) for w, h in inputs)
    assume(model != "flux2-pro" or width * height + capped <= 9 * 1024 * 1024)
    q = fluxcost.quote(model, width=width, height=height, inputs=inputs, batch=batch)
    items = sum((item.credits for item in q.items), Decimal(0))
    assert items * batch == q.total_credits
    assert q.total_usd == q.total_credits * Decimal("0.01")
