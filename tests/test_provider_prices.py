"""Provider prices, one unit kind at a time, with the worked examples the providers publish
(fal, Runware) and figures computed by hand from each provider's stated formula."""

from __future__ import annotations

from fractions import Fraction

import pytest

from fluxcost.errors import FluxcostError
from fluxcost.pricing import build_request
from fluxcost.provider_file import load_providers
from fluxcost.provider_pricing import Catalog, ProviderQuote, on_every_provider, quote
from fluxcost.rates import load_rates


def _catalog() -> Catalog:
    return Catalog(load_rates(), load_providers())


def _quote(
    provider: str,
    model: str,
    size: str = "1024x1024",
    inputs: tuple[str, ...] = (),
    steps: int | None = None,
    batch: int = 1,
) -> ProviderQuote:
    catalog = _catalog()
    request = build_request(size, inputs)
    return quote(catalog, provider, catalog.model(model), request, batch, steps)


# fal's own flex page: 1024x1024 $0.05; 1920x1080 2 MP $0.10; 512x512 0.26 MP -> 1 MP $0.05.
@pytest.mark.parametrize(
    ("size", "usd"),
    [("1024x1024", "0.05"), ("1920x1080", "0.10"), ("512x512", "0.05")],
)
def test_fal_flex_worked_examples(size: str, usd: str) -> None:
    assert _quote("fal", "fal-ai/flux-2-flex", size).per_image == Fraction(usd)


def test_fal_per_mp_inputs_are_capped_at_4_mp() -> None:
    # max edit: $0.07 first MP + $0.03 x 1 extra MP + 4 MP (3000x3000 is 8.58 MP) x $0.03.
    q = _quote("fal", "flux2-max", "1920x1080", ("3000x3000",))
    assert [item.quantity for item in q.items] == [1, 1, 4]
    assert q.per_image == Fraction("0.22")
    assert any("billed as 4 MP" in note for note in q.notes)


def test_fal_fill_is_per_megapixel_not_per_image() -> None:
    # $0.05 per output MP: 2048x1024 = 2 MP -> $0.10; the image it fills is not billed.
    q = _quote("fal", "flux1-fill-pro", "2048x1024", ("2048x1024",))
    assert q.per_image == Fraction("0.10")


# Runware's FLUX.2 [max] page: its six worked examples.
@pytest.mark.parametrize(
    ("size", "inputs", "usd"),
    [
        ("1024x1024", (), "0.07"),
        ("1536x1024", (), "0.10"),
        ("1024x1536", (), "0.10"),
        ("1920x1080", (), "0.13"),
        ("1024x1024", ("1920x1080",), "0.16"),
        ("1024x1024", ("1024x1024",) * 3, "0.16"),
    ],
)
def test_runware_max_worked_examples(size: str, inputs: tuple[str, ...], usd: str) -> None:
    assert _quote("runware", "bfl:7@1", size, inputs).per_image == Fraction(usd)


def test_per_image_ignores_size_and_inputs() -> None:
    q = _quote("replicate", "black-forest-labs/flux-kontext-pro", "1024x1024", ("1024x1024",))
    assert q.per_image == Fraction("0.04")
    # "$3 per thousand output images": 1,000 images cost $3.00.
    assert _quote("replicate", "flux1-schnell", batch=1000).total == 3


def test_deepinfra_area_times_steps_is_exact() -> None:
    # $0.01 x (1920/1024) x (1080/1024) x (28/28) = $0.019775390625
    assert _quote("deepinfra", "flux2-dev", "1920x1080", steps=28).per_image == Fraction(
        "0.019775390625"
    )
    # $0.01 x 50/28 = 1/56 dollars: a true division, carried exactly.
    assert _quote("deepinfra", "flux2-dev", steps=50).per_image == Fraction(1, 56)
    # FLUX.1 [dev]: default 25 steps -> $0.009; schnell $0.0005 x 4 steps = $0.002.
    assert _quote("deepinfra", "flux1-dev").per_image == Fraction("0.009")
    assert _quote("deepinfra", "flux1-schnell", steps=4).per_image == Fraction("0.002")


def test_a_per_step_price_without_a_default_needs_steps() -> None:
    with pytest.raises(FluxcostError, match="states no default step count: give --steps N"):
        _quote("deepinfra", "flux2-dev")


def test_cloudflare_tiles() -> None:
    # klein 4B: 4 output tiles x $0.000287 = $0.001148; + a 1024x1024 input, 4 x $0.000059.
    assert _quote("cloudflare", "flux2-klein-4b").per_image == Fraction("0.001148")
    assert _quote("cloudflare", "flux2-klein-4b", inputs=("1024x1024",)).per_image == Fraction(
        "0.001384"
    )
    # FLUX.2 [dev], 25 steps: 4 tiles x 25 x $0.00041 = $0.041.
    assert _quote("cloudflare", "flux2-dev", steps=25).per_image == Fraction("0.041")
    # schnell, default 4 steps: 4 tiles x $0.000053 + 4 steps x $0.00011 = $0.000652.
    assert _quote("cloudflare", "flux1-schnell").per_image == Fraction("0.000652")


def test_cloudflare_inputs_are_one_tile_each() -> None:
    # FLUX.2 [dev] takes each input as 512x512: 1 tile x 10 steps x $0.00021 each.
    q = _quote("cloudflare", "flux2-dev", inputs=("2048x2048",), steps=10)
    assert q.per_image == Fraction("0.0164") + Fraction("0.0021")


def test_fixed_steps_refuse_another_count() -> None:
    with pytest.raises(FluxcostError, match="exactly 4 steps, not 8"):
        _quote("cloudflare", "flux2-klein-4b", steps=8)


def test_openrouter_first_and_extra_megapixel() -> None:
    # pro 2048x2048 = 4 MP: $0.03 + 3 x $0.015 + one 1 MP input $0.015 = $0.09.
    assert _quote("openrouter", "flux2-pro", "2048x2048", ("1024x1024",)).per_image == Fraction(
        "0.09"
    )
    # klein 4B 2 MP: $0.014 + $0.001 = $0.015; inputs are not billed.
    q = _quote("openrouter", "flux2-klein-4b", "2048x1024", ("1024x1024",))
    assert q.per_image == Fraction("0.015")


def test_bfl_is_priced_as_before() -> None:
    # FLUX.2 [pro] at BFL: 3 credits + 1.5 credits = $0.045 for 1920x1080 (2 MP).
    assert _quote("bfl", "flux2-pro", "1920x1080").per_image == Fraction("0.045")


def test_provider_limits_are_rules() -> None:
    with pytest.raises(FluxcostError, match="at deepinfra: width 2048 is over"):
        _quote("deepinfra", "flux1-dev", "2048x1024")
    with pytest.raises(FluxcostError, match=r"fal does not sell flux1.1-pro \(sold by bfl"):
        _quote("fal", "flux1.1-pro")


def test_every_provider_lists_who_cannot_serve() -> None:
    catalog = _catalog()
    rows = on_every_provider(catalog, [catalog.model("flux2-dev")], build_request("1024x1024"), 1)
    priced = [(r.provider, r.quote.per_image) for r in rows if r.quote]
    assert priced == [("fal", Fraction("0.012"))]
    reasons = {r.provider: r.reason for r in rows if r.quote is None}
    assert reasons["bfl"] == "open weights, runs locally only: no API price"
    assert reasons["replicate"] == "does not sell flux2-dev"
    assert "give --steps N" in str(reasons["deepinfra"])
    assert len(rows) == 7  # bfl and the six providers: none dropped


def test_every_provider_with_steps_is_cheapest_first() -> None:
    catalog = _catalog()
    model = [catalog.model("flux2-dev")]
    rows = on_every_provider(catalog, model, build_request("1024x1024"), 1, steps=28)
    priced = [(r.provider, r.quote.per_image) for r in rows if r.quote]
    # deepinfra $0.01; fal $0.012; cloudflare 4 x 28 x $0.00041 = $0.04592.
    assert priced == [
        ("deepinfra", Fraction("0.01")),
        ("fal", Fraction("0.012")),
        ("cloudflare", Fraction("0.04592")),
    ]


def test_unknown_provider_names_the_closest() -> None:
    with pytest.raises(FluxcostError, match="unknown provider 'fall': did you mean fal"):
        load_providers().provider("fall")


def test_endpoint_names_are_aliases() -> None:
    catalog = _catalog()
    assert catalog.model("@cf/black-forest-labs/flux-2-klein-4b").id == "flux2-klein-4b"
    assert catalog.model("FAL-AI/FLUX-2-PRO").id == "flux2-pro"
    assert catalog.model("black-forest-labs/flux-schnell").id == "flux1-schnell"
    with pytest.raises(FluxcostError, match="did you mean flux2-pro"):
        catalog.model("fal-ai/flux-2-pr")
