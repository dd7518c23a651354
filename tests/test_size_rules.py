"""Sizes and inputs a model cannot take are refused with the rule they broke."""

from __future__ import annotations

from decimal import Decimal

import pytest

import fluxcost
from fluxcost import FluxcostError


@pytest.mark.parametrize(
    ("model", "size", "inputs", "message"),
    [
        ("flux2-pro", (0, 1024), (), "width must be a positive number of pixels, got 0"),
        ("flux2-pro", (1024, -16), (), "height must be a positive number of pixels, got -16"),
        ("flux2-pro", (48, 1024), (), "width 48 is below flux2-pro's minimum of 64 px"),
        (
            "flux2-max",
            (2048, 2064),
            (),
            "output 2048x2064 is 4,227,072 px (4.03 MP); flux2-max makes at most 4,194,304 px"
            " (4 MP, e.g. 2048x2048)",
        ),
        (
            "flux2-pro",
            (2048, 2048),
            ("2048x2048", "1024x1040"),
            "output plus inputs is 9,453,568 px (9.02 MP); flux2-pro allows at most 9,437,184 px"
            " (9 MP) in total",
        ),
        (
            # An input over 4 MP counts as 4 MP (the API resizes it first): 4,194,304 px for the
            # output, 4,194,304 for the 3000x3000 input, 1,064,960 for 1024x1040.
            "flux2-pro",
            (2048, 2048),
            ("3000x3000", "1024x1040"),
            "output plus inputs is 9,453,568 px (9.02 MP, inputs over 4 MP counted as 4 MP);"
            " flux2-pro allows at most 9,437,184 px (9 MP) in total",
        ),
        (
            "flux2-klein-4b",
            (1024, 1024),
            ("512x512",) * 5,
            "flux2-klein-4b takes at most 4 input images, got 5",
        ),
        ("flux2-pro", (1024, 1024), ("512x512",) * 9, "flux2-pro takes at most 8 input images"),
        ("kontext-pro", (1024, 1024), ("512x512",) * 2, "kontext-pro takes at most 1 input image"),
        ("flux1-fill-pro", (1024, 1024), ("512x512",) * 2, "flux1-fill-pro takes at most 1 input"),
        ("flux1-fill-pro", (1024, 1024), (), "flux1-fill-pro edits an input image and was given"),
        ("flux1.1-pro", (1024, 1024), ("512x512",), "flux1.1-pro is text-to-image only"),
        # FLUX1.1 [pro]'s 32-px step is a rule (FLUX.2's 16-px step is priced: test_off_step_sizes)
        (
            "flux1.1-pro",
            (1000, 1024),
            (),
            "width 1000 is not a multiple of 32, which flux1.1-pro requires (try 992 or 1024)",
        ),
        ("flux1.1-pro", (1472, 1024), (), "width 1472 is over flux1.1-pro's maximum of 1440 px"),
        ("flux1.1-pro", (224, 1024), (), "width 224 is below flux1.1-pro's minimum of 256 px"),
        (
            "kontext-pro",
            (3000, 1000),
            (),
            "output 3000x1000 has aspect ratio 3:1, outside kontext-pro's range 3:7 to 7:3",
        ),
        (
            "flux1.1-pro-ultra",
            (1000, 3000),
            (),
            "aspect ratio 1:3, outside flux1.1-pro-ultra's range 9:21 to 21:9",
        ),
        ("flux2-pro", (1024, 1024), ("0x512",), "input 1 (0x512) must have a positive width"),
        ("flux2-dev", (1024, 1024), (), "flux2-dev is open weights and runs locally only"),
    ],
)
def test_rule_is_named(
    model: str, size: tuple[int, int], inputs: tuple[str, ...], message: str
) -> None:
    with pytest.raises(FluxcostError) as info:
        fluxcost.quote(model, width=size[0], height=size[1], inputs=inputs)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_ratio_edges_are_inclusive() -> None:
    assert fluxcost.quote("kontext-pro", width=3 * 256, height=7 * 256).total_credits == 4
    assert fluxcost.quote("flux1.1-pro-ultra", width=21 * 128, height=9 * 128).total_credits == 6


def test_small_flux2_sizes_warn_but_are_priced() -> None:
    q = fluxcost.quote("flux2-klein-4b", width=128, height=128)
    assert q.total_credits == fluxcost.quote("flux2-klein-4b").total_credits
    assert any("below 256 px" in note for note in q.notes)


def test_aspect_ratio_models_say_the_api_sets_the_size() -> None:
    assert any("the API sets the exact size" in n for n in fluxcost.quote("kontext-max").notes)


@pytest.mark.parametrize(
    ("size", "inputs", "credits"),
    [
        # 3000x3000 = 8.58 MP, taken (and billed) as 4 MP: 1,048,576 + 4,194,304 px is within
        # 9 MP; 3 + 4 x 1.5 = 9 credits.
        ((1024, 1024), ("3000x3000",), "9"),
        # 4 MP out + 4 MP in = 8 MP: 3 + 3 x 1.5 + 4 x 1.5 = 13.5.
        ((2048, 2048), ("3000x3000",), "13.5"),
        # Exactly 9 MP (1 + 4 + 4) is allowed: 3 + 2 x 4 x 1.5 = 15.
        ((1024, 1024), ("3000x3000", "4096x4096"), "15"),
    ],
)
def test_pro_total_counts_big_inputs_as_the_api_takes_them(
    size: tuple[int, int], inputs: tuple[str, ...], credits: str
) -> None:
    q = fluxcost.quote("flux2-pro", width=size[0], height=size[1], inputs=inputs)
    assert q.total_credits == Decimal(credits)
    assert q.total_usd == Decimal(credits) / 100


def test_oversized_input_is_billed_at_the_cap_with_a_note() -> None:
    q = fluxcost.quote("flux2-max", inputs=["4096x4096"])
    assert any("billed as 4 MP" in note for note in q.notes)


@pytest.mark.parametrize("batch", [0, -1, 2.5, True])
def test_batch_must_be_a_positive_whole_number(batch: object) -> None:
    with pytest.raises(FluxcostError, match="batch must be a whole number"):
        fluxcost.quote("flux2-pro", batch=batch)  # type: ignore[arg-type]


def test_unknown_model_names_the_closest() -> None:
    with pytest.raises(FluxcostError) as info:
        fluxcost.quote("flux2-por")
    assert str(info.value).startswith("unknown model 'flux2-por': did you mean flux2-pro")


def test_error_is_a_value_error() -> None:
    assert issubclass(FluxcostError, ValueError)
