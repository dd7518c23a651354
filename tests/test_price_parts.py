"""A request priced in two parts (pricing.output_part, inputs_part, joined: a bill caches each
part) is the itemised quote's per-image figure to the digit and exponent, or no figure at all
(None: the quote decides), whatever the rates' digits and the Decimal precision."""

from __future__ import annotations

import dataclasses
from decimal import Decimal, localcontext
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fluxcost import pricing
from fluxcost.errors import FluxcostError
from fluxcost.rates import ModelRate, PerMegapixel, load_rates
from fluxcost.sizes import Size

TABLE = load_rates()
PER_MP = [m for m in TABLE.models if isinstance(m.billing, PerMegapixel)]


def _priced(model: ModelRate, **prices: Decimal) -> ModelRate:
    billing: Any = model.billing  # a PerMegapixel
    return dataclasses.replace(model, billing=dataclasses.replace(billing, **prices))


# Rates as a --rates file may give them: more places than a sum of them can hold in 28
# digits, or many whole digits, or zero.
RATES = st.sampled_from(
    [
        Decimal("0.1234567890123456789012345678"),
        Decimal("123456789012.5"),
        Decimal("0.0"),
        Decimal("1.5"),
        Decimal("0.000000000001"),
        Decimal("3"),
    ]
)
LONG = st.builds(
    lambda model, first, extra, inputs: _priced(
        model, first_mp_credits=first, extra_mp_credits=extra, input_mp_credits=inputs
    ),
    st.sampled_from(PER_MP),
    RATES,
    RATES,
    RATES,
)
MODELS = st.one_of(st.sampled_from(TABLE.models), LONG)
SIDES = st.one_of(
    st.sampled_from([64, 512, 1024, 1080, 1440, 1536, 1920, 2048]),
    st.integers(min_value=-4, max_value=5000),
)
SIZES = st.builds(Size, SIDES, SIDES)
INPUTS = st.lists(
    st.one_of(st.sampled_from([Size(1170, 2532), Size(3840, 2160), Size(1024, 1024)]), SIZES),
    max_size=5,
).map(tuple)


def _by_parts(model: ModelRate, request: pricing.Request) -> Decimal | None:
    out = request.output
    output = pricing.output_part(model, out.width, out.height)
    return pricing.joined(model, output, pricing.inputs_part(model, request.inputs))


def _quoted(model: ModelRate, request: pricing.Request) -> Decimal | None:
    try:
        return pricing.quote(model, request, 1, TABLE.credit_usd).per_image_credits
    except FluxcostError:
        return None


@settings(max_examples=300, deadline=None)
@given(MODELS, SIZES, INPUTS, st.sampled_from([28, 40, 6]))
def test_the_parts_are_the_quote_or_nothing(
    model: ModelRate, output: Size, inputs: tuple[Size, ...], precision: int
) -> None:
    request = pricing.Request(output, inputs)
    with localcontext() as context:
        context.prec = precision
        parts = _by_parts(model, request)
        quoted = _quoted(model, request)
        lean = pricing.credits_per_image(model, request) if quoted is not None else None
    if parts is not None:
        assert quoted is not None  # parts never price a request the quote refuses
        assert (parts, str(parts)) == (quoted, str(quoted))
    assert (lean, str(lean)) == (quoted, str(quoted))


def test_long_rates_leave_it_to_the_quote() -> None:
    # 0.1234567890123456789012345678 has 28 places: 1 + 3 x it rounds in 28 digits, so the
    # parts price nothing and the quote's own sum (rounded as it rounds) is the figure.
    model = _priced(PER_MP[0], input_mp_credits=Decimal("0.1234567890123456789012345678"))
    request = pricing.Request(Size(1024, 1024), (Size(1024, 1024), Size(1024, 1024)))
    assert pricing.inputs_part(model, request.inputs) is None
    assert pricing.credits_per_image(model, request) == _quoted(model, request)


def test_a_broken_rule_is_the_quotes_reason() -> None:
    pro = TABLE.get("flux2-pro")
    # 2048x2048 (4 MP: 3 + 3 x 1.5 credits) and two 4 MP inputs (8 x 1.5 credits): 12 MP in
    # all, over pro's 9 MP
    request = pricing.Request(Size(2048, 2048), (Size(2048, 2048), Size(2048, 2048)))
    assert pricing.output_part(pro, 2048, 2048) == (4 * 1024 * 1024, Decimal("7.5"))
    assert pricing.inputs_part(pro, request.inputs) == (8 * 1024 * 1024, Decimal("12"))
    assert _by_parts(pro, request) is None
    with pytest.raises(FluxcostError, match="allows at most 9,437,184 px"):
        pricing.credits_per_image(pro, request)
