"""Laws of size advice (hypothesis): an advised size bills exactly the megapixels it is listed
under, keeps to the model's step and limits, and is the largest of its aspect ratio there; a
cost cliff's smaller size bills one MP less and always saves money."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import fluxcost
from fluxcost.megapixels import PIXELS_PER_MP, billed_mp
from fluxcost.quote_report import quote_report
from fluxcost.rates import load_rates
from fluxcost.size_advice import Aspect, fit, output_bounds

TABLE = load_rates()
PRO = TABLE.get("flux2-pro")
terms = st.integers(min_value=1, max_value=64)


@settings(max_examples=150, deadline=None)
@given(width=terms, height=terms, mp=st.integers(min_value=1, max_value=4))
def test_advised_sizes_bill_their_rung(width: int, height: int, mp: int) -> None:
    aspect = Aspect.of(width, height)
    bounds = output_bounds(PRO)
    found = fit(aspect, mp, bounds)
    assert found is not None
    size = found.size
    assert billed_mp(size.pixels) == mp and size.pixels <= 4 * PIXELS_PER_MP
    assert size.width % 16 == 0 and size.height % 16 == 0
    assert min(size.width, size.height) >= 256
    # FLUX.2 takes it without a refusal or a note.
    assert fluxcost.quote("flux2-pro", width=size.width, height=size.height).notes == ()
    exact = size.width * aspect.height == size.height * aspect.width
    assert found.exact == exact
    if exact:  # the next size of that ratio with both sides on the step is past the rung
        m = next(m for m in range(1, 17) if aspect.width * m % 16 == aspect.height * m % 16 == 0)
        bigger = (size.width + aspect.width * m) * (size.height + aspect.height * m)
        assert billed_mp(bigger) > mp


@settings(max_examples=150, deadline=None)
@given(
    width=st.integers(min_value=256, max_value=2048),
    whole=st.integers(min_value=1, max_value=3),
    data=st.data(),
)
def test_a_cliff_saves_a_whole_mp(width: int, whole: int, data: st.DataObject) -> None:
    # A height that puts the image just over ``whole`` MP: at most 10% more pixels.
    low, high = whole * PIXELS_PER_MP // width + 1, whole * PIXELS_PER_MP * 11 // (10 * width)
    assume(low <= high)
    height = data.draw(st.integers(min_value=low, max_value=high))
    assume(height >= 256 and width * height <= 4 * PIXELS_PER_MP)
    mp = whole + 1
    q = fluxcost.quote("flux2-pro", width=width, height=height)
    (cliff,) = quote_report(q, TABLE).cost_cliffs
    w, h = (int(side) for side in cliff.smaller_size.split("x"))
    assert billed_mp(w * h) == mp - 1 == cliff.smaller_billed_mp
    cheaper = fluxcost.quote("flux2-pro", width=w, height=h)
    assert q.per_image_credits - cheaper.per_image_credits == cliff.saves_credits > 0
    assert cliff.saves_per_1000_usd == cliff.saves_usd * 1000
