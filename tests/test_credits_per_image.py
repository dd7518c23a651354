"""pricing.credits_per_image: the lean price a bill uses for each distinct request is the
itemised quote's per-image figure, to the digit, and fails with the quote's own reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluxcost import pricing
from fluxcost.errors import FluxcostError
from fluxcost.rates import ModelRate, load_rates
from fluxcost.sizes import Size

TABLE = load_rates()
# Sides on and off every model's step, inside and outside its limits.
SIDES = st.one_of(
    st.sampled_from([64, 256, 512, 768, 1024, 1080, 1344, 1440, 1536, 1920, 2048, 4096]),
    st.integers(min_value=-16, max_value=5000),
)
SIZES = st.builds(Size, SIDES, SIDES)
INPUTS = st.lists(
    st.one_of(
        st.sampled_from([Size(1170, 2532), Size(3840, 2160), Size(4032, 3024), Size(1024, 1024)]),
        SIZES,
    ),
    max_size=9,
)


def test_by_hand() -> None:
    # pro: 1024x1536 = 1.5 MP -> 2 MP (3 + 1.5); input 1170x2532 = 2.83 MP -> 3 MP (3 x 1.5)
    request = pricing.Request(Size(1024, 1536), (Size(1170, 2532),))
    assert pricing.credits_per_image(TABLE.get("flux2-pro"), request) == Decimal("9")
    # klein 4B, an input over 4 MP (3840x2160 = 7.9 MP) is billed as 4 MP: 1.4 + 4 x 0.1
    request = pricing.Request(Size(1024, 1024), (Size(3840, 2160),))
    assert pricing.credits_per_image(TABLE.get("flux2-klein-4b"), request) == Decimal("1.8")
    # Kontext [pro] is flat: 4 whatever the size
    request = pricing.Request(Size(1536, 1024), (Size(1024, 1024),))
    assert pricing.credits_per_image(TABLE.get("kontext-pro"), request) == Decimal("4")


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(TABLE.models), SIZES, INPUTS)
def test_same_figure_or_same_error_as_the_quote(
    model: ModelRate, output: Size, inputs: list[Size]
) -> None:
    request = pricing.Request(output, tuple(inputs))
    try:
        expected = pricing.quote(model, request, 1, TABLE.credit_usd).per_image_credits
    except FluxcostError as exc:
        with pytest.raises(FluxcostError) as lean:
            pricing.credits_per_image(model, request)
        assert str(lean.value) == str(exc)
    else:
        got = pricing.credits_per_image(model, request)
        assert (got, str(got)) == (expected, str(expected))  # the same digits and exponent
