"""`fluxcost selfhost` figures, each computed by hand from the published rates and the sourced
GPU facts: GPU cost per image = USD per hour x seconds / 3600 / utilization."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from conftest import Result
from fluxcost.rates import load_rates
from fluxcost.selfhost import Ask, break_even, compare
from fluxcost.selfhost_file import load_facts
from fluxcost.selfhost_report import Usd
from fluxcost.sizes import Size

Cli = Callable[..., Result]
KLEIN_9B_ISSUE = ("-m", "flux2-klein-9b", "--gpu-usd-hour", "2.70", "--seconds-per-image", "1",
                  "--licence-usd-month", "999")  # fmt: skip


def _json(cli: Cli, *args: str) -> dict[str, Any]:
    r = cli("selfhost", *args, "--format", "json")
    assert r.code == 0, r.err
    data: dict[str, Any] = json.loads(r.out)
    return data


def test_the_issues_gpu_figure(cli: Cli) -> None:
    # $2.70 an hour x 0.6 s / 3600 s an hour = $0.00045 per image
    data = _json(cli, "-m", "flux2-klein-4b", "--gpu-usd-hour", "2.70", "--seconds-per-image",
                 "0.6")  # fmt: skip
    assert data["gpu_per_image"] == {"usd": "0.00045", "rounded": False}
    assert data["api_per_image"] == {"usd": "0.014", "rounded": False}  # klein 4B, 1 MP
    assert data["licence_per_period"]["usd"] == "0.00"  # Apache 2.0: no fee
    assert data["break_even"] == "always"


def test_the_issues_break_even(cli: Cli) -> None:
    # $2.70/h at 1 s = $0.00075 per image; klein 9B on the API is $0.015 (1.5 credits).
    # 999 / (0.015 - 0.00075) = 999 / 0.01425 = 70,105.26... -> 70,106 images a month
    data = _json(cli, *KLEIN_9B_ISSUE, "--images", "100000")
    assert data["gpu_per_image"]["usd"] == "0.00075"
    assert data["break_even"] == "images"
    assert data["break_even_images"] == 70106
    # 100,000 images: 999 + 100,000 x 0.00075 = 1,074.00 against 100,000 x 0.015 = 1,500.00
    assert data["selfhost_total"] == {"usd": "1074.00", "rounded": False}
    assert data["api_total"] == {"usd": "1500.00", "rounded": False}
    assert data["saving"]["usd"] == "426.00"
    assert data["selfhost_per_image_all_in"]["usd"] == "0.01074"  # 1,074 / 100,000


def test_break_even_is_the_first_volume_where_self_hosting_is_no_dearer() -> None:
    facts, table = load_facts(), load_rates()
    ask = Ask(model="flux2-klein-9b", gpu_usd_hour=Decimal("2.70"),
              seconds_per_image=Decimal(1), licence_usd_month=Decimal(999))  # fmt: skip
    c = compare(facts, table, ask)
    assert c.break_even.crossing == Fraction(1332000, 19)  # 999 / 0.01425, exactly
    assert c.selfhost_total(70106) < c.api_total(70106)  # 1,051.5795 < 1,051.59
    assert c.selfhost_total(70105) > c.api_total(70105)  # 1,051.57875 > 1,051.575


def test_a_whole_break_even_is_not_rounded_up() -> None:
    # $100 licence / ($0.015 - $0.005) per image = exactly 10,000 images: equal costs there.
    be = break_even(Fraction(100), Fraction("0.015") - Fraction("0.005"))
    assert be.kind == "images"
    assert (be.images, be.crossing) == (10000, Fraction(10000))


def test_a_preset_gpu_and_its_measured_speed(cli: Cli) -> None:
    # modal-h100 $3.9492/h; klein 4B 0.57 s at 1024x1024: 3.9492 x 0.57 / 3600 = 0.00062529
    data = _json(cli, "-m", "klein-4b", "--gpu", "modal-h100", "-n", "10,000")
    assert data["gpu"]["usd_per_hour"] == "3.9492"
    assert data["gpu"]["seconds_per_image"] == "0.57"
    assert data["gpu_per_image"]["usd"] == "0.00062529"
    assert data["selfhost_total"]["usd"] == "6.2529"  # 10,000 x 0.00062529, exact in JSON
    assert data["api_total"]["usd"] == "140.00"  # 10,000 x 1.4 credits


def test_measured_seconds_scale_with_megapixels(cli: Cli) -> None:
    # 2048x2048 is 4 MP: 0.57 x 4 = 2.28 s; 3.9492 x 2.28 / 3600 = 0.00250116 per image.
    # The API bills 4 MP on klein 4B: 1.4 + 3 x 0.1 = 1.7 credits = $0.017.
    data = _json(cli, "-m", "klein-4b", "--gpu", "modal-h100", "--size", "2048x2048")
    assert data["gpu"]["seconds_per_image"] == "2.28"
    assert data["gpu_per_image"]["usd"] == "0.00250116"
    assert data["api_per_image"]["usd"] == "0.017"
    # 1920x1080 = 2,073,600 px = 1.9775390625 MP: 0.57 x that = 1.127197265625 s
    wide = _json(cli, "-m", "klein-4b", "--gpu", "modal-h100", "--size", "1920x1080")
    assert wide["gpu"]["seconds_per_image"] == "1.127197265625"


def test_the_users_measured_seconds_are_never_scaled(cli: Cli) -> None:
    data = _json(cli, "-m", "klein-4b", "--gpu", "modal-h100", "--seconds-per-image", "2",
                 "--size", "2048x2048")  # fmt: skip
    assert data["gpu"]["seconds_per_image"] == "2"  # as given
    assert data["gpu_per_image"]["usd"] == "0.002194"  # 3.9492 x 2 / 3600 = 0.002194


def test_the_users_price_wins_over_the_presets(cli: Cli) -> None:
    # runpod-h100-sxm's speed is the H100's (0.57 s); $1.80/h x 0.57 / 3600 = 0.000285
    data = _json(cli, "-m", "klein-4b", "--gpu", "runpod-h100-sxm", "--gpu-usd-hour", "1.80")
    assert data["gpu"]["price_from"] == "--gpu-usd-hour"
    assert data["gpu_per_image"]["usd"] == "0.000285"


def test_utilization_divides_the_gpu_cost(cli: Cli) -> None:
    # 0.00075 / 60% = 0.00125; 999 / (0.015 - 0.00125) = 72,654.5... -> 72,655
    data = _json(cli, *KLEIN_9B_ISSUE, "--utilization", "60%")
    assert data["gpu"]["utilization_percent"] == "60"
    assert data["gpu_per_image"]["usd"] == "0.00125"
    assert data["break_even_images"] == 72655


def test_a_decimal_that_never_ends_is_rounded_and_flagged(cli: Cli) -> None:
    # 0.00075 / 70% = 3/2800 = 0.00107142857...: 6 significant digits, half-up: 0.00107143
    # 1,000 images: 15/14 = 1.0714285... -> 1.07
    data = _json(cli, "-m", "klein-4b", "--gpu-usd-hour", "2.70", "--seconds-per-image", "1",
                 "--utilization", "70", "-n", "1000")  # fmt: skip
    assert data["gpu_per_image"] == {"usd": "0.00107143", "rounded": True}
    assert data["selfhost_total"] == {"usd": "1.07", "rounded": True}
    assert data["api_total"] == {"usd": "14.00", "rounded": False}


def test_display_rounding_happens_once_and_json_stays_exact(cli: Cli) -> None:
    # FLUX.2 [dev] on modal-h100: 3.9492 x 5.292 / 3600 = 0.005805324 exactly (7 digits):
    # shown as ~0.00580532, JSON exact. Against flux2-pro's $0.03 with a $999 licence:
    # 999 / (0.03 - 0.005805324) = 41,290.7... -> 41,291
    args = ("-m", "flux2-dev", "--gpu", "modal-h100", "--licence-usd-month", "999")
    data = _json(cli, *args)
    assert data["api_model"] == "flux2-pro"
    assert data["gpu_per_image"] == {"usd": "0.005805324", "rounded": False}
    assert data["break_even_images"] == 41291
    table = cli("selfhost", *args).out
    assert "~0.00580532" in table
    assert "~ marks a figure rounded for display" in table


@pytest.mark.parametrize(
    ("value", "per_image", "shown"),
    [
        (Fraction(1, 200), False, "~0.01"),  # half a cent rounds up
        (Fraction(-1, 200), False, "~-0.01"),  # and away from zero below it
        (Fraction(1, 300), False, "~0.00"),
        (Fraction(1234565, 10**9), True, "~0.00123457"),  # the 7th digit is a 5: up
        (Fraction(1234564999, 10**12), True, "~0.00123456"),
        (Fraction(999999999, 10**12), True, "~0.001"),  # 0.000999999999 -> 0.001
        (Fraction(15, 1000), True, "0.015"),
        (Fraction(0), True, "0.00"),
    ],
)
def test_display_rounding(value: Fraction, per_image: bool, shown: str) -> None:
    assert Usd(value, per_image).shown == shown


def test_a_gpu_dearer_than_the_api_never_breaks_even(cli: Cli) -> None:
    # modal-l4 $0.7992/h x 90 s / 3600 = $0.01998 per image > klein 4B's $0.014
    data = _json(cli, "-m", "klein-4b", "--gpu", "modal-l4", "--seconds-per-image", "90",
                 "-n", "2000")  # fmt: skip
    assert data["gpu_per_image"]["usd"] == "0.01998"
    assert data["break_even"] == "never"
    assert data["break_even_images"] is None
    assert data["selfhost_total"]["usd"] == "39.96"  # 2,000 x 0.01998
    assert data["saving"]["usd"] == "-11.96"  # 28.00 - 39.96
    assert "never costs less" in data["break_even_reason"]


def test_an_equal_price_never_breaks_even_either() -> None:
    assert break_even(Fraction(0), Fraction(0)).kind == "never"
    assert break_even(Fraction(5), Fraction(-1)).kind == "never"


def test_dev_compares_with_pro_unless_told(cli: Cli) -> None:
    args = ("-m", "flux-2-dev", "--gpu", "b200", "--gpu-usd-hour", "6", "--licence-usd-month",
            "0")  # fmt: skip
    assert _json(cli, *args)["api_model"] == "flux2-pro"
    mine = _json(cli, *args, "--vs", "flux2-klein-9b")
    assert mine["api_model"] == "flux2-klein-9b"
    # b200 measured 0.98 s for dev: $6/h x 0.98 / 3600 = 0.0016333... -> 0.00163333
    assert mine["gpu_per_image"] == {"usd": "0.00163333", "rounded": True}


def test_a_free_non_commercial_licence_says_what_it_allows(cli: Cli) -> None:
    data = _json(cli, "-m", "flux2-klein-9b", "--gpu", "rtx5090", "--gpu-usd-hour", "0.69",
                 "--licence-usd-month", "0")  # fmt: skip
    assert any("non-commercial use only" in note for note in data["notes"])
    assert data["gpu"]["seconds_per_image"] == "2"  # klein 9B on an RTX 5090


def test_over_the_tiers_cap_is_a_warning_that_names_it(cli: Cli) -> None:
    r = cli("selfhost", *KLEIN_9B_ISSUE, "-n", "120000", "--licence-tier", "platform", "-f",
            "json")  # fmt: skip
    assert r.code == 0
    warning = "120,000 images a month is over the Platform tier's cap of 100,000 images a month"
    assert warning in json.loads(r.out)["warnings"][0]
    assert r.err.startswith(f"fluxcost: warning: {warning}")
    at_cap = cli("selfhost", *KLEIN_9B_ISSUE, "-n", "100000", "--licence-tier", "Platform")
    assert at_cap.code == 0 and "warning" not in at_cap.out + at_cap.err


def test_tiers_that_cover_the_model_are_shown(cli: Cli) -> None:
    data = _json(cli, "-m", "flux2-dev", "--gpu", "modal-h100", "--licence-usd-month", "999")
    assert [(t["tier"], t["images_per_month"]) for t in data["tiers"]] == [
        ("Platform", 100000),
        ("Professional", 100000),
        ("Enterprise", None),
    ]
    assert "$999 a month, 100,000 images included" in data["reference_licence"]


def test_no_images_gives_per_image_figures_and_the_break_even(cli: Cli) -> None:
    data = _json(cli, *KLEIN_9B_ISSUE)
    assert data["images"] is None and data["selfhost_total"] is None
    assert data["break_even_images"] == 70106


def test_zero_images_cost_the_licence(cli: Cli) -> None:
    data = _json(cli, *KLEIN_9B_ISSUE, "-n", "0")
    assert data["selfhost_total"]["usd"] == "999.00"
    assert data["api_total"]["usd"] == "0.00"
    assert data["selfhost_per_image_all_in"] is None


def test_the_size_is_checked_on_the_api_model(cli: Cli) -> None:
    r = cli("selfhost", "-m", "klein-4b", "--gpu", "modal-h100", "--size", "4096x4096")
    assert r.code == 2 and "makes at most" in r.err


def test_engine_figures_are_exact_fractions() -> None:
    ask = Ask(model="flux2-klein-4b", gpu_usd_hour=Decimal("2.70"),
              seconds_per_image=Decimal("0.6"), size=Size(1024, 1024), images=3)  # fmt: skip
    c = compare(load_facts(), load_rates(), ask)
    assert c.gpu_per_image == Fraction(45, 100000)
    assert c.selfhost_total(3) == Fraction(135, 100000)
