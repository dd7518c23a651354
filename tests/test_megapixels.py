"""Megapixel counting: 1 MP = 1024 x 1024 px, each image rounded up, at least 1, inputs capped."""

from __future__ import annotations

import pytest

from fluxcost.megapixels import INPUT_MP_CAP, PIXELS_PER_MP, billed_mp


def test_a_megapixel_is_1024_squared() -> None:
    assert PIXELS_PER_MP == 1_048_576


@pytest.mark.parametrize(
    ("width", "height", "mp"),
    [
        (1024, 1024, 1),  # exactly 1 MP, not 2 (it would be under a 10^6 divisor)
        (64, 64, 1),  # tiny images still bill 1 MP
        (1024, 1040, 2),  # one row over 1 MP rounds up
        (1408, 1408, 2),  # 1.89 MP -> 2 (matches a real API response: cost 4.5 on pro)
        (1024, 2048, 2),
        (1536, 1536, 3),  # 2.25 MP -> 3
        (2048, 2048, 4),
    ],
)
def test_rounding_up_to_whole_megapixels(width: int, height: int, mp: int) -> None:
    assert billed_mp(width * height) == mp


def test_input_cap() -> None:
    assert INPUT_MP_CAP == 4
    assert billed_mp(4096 * 4096, cap=INPUT_MP_CAP) == 4
    assert billed_mp(1024 * 1024, cap=INPUT_MP_CAP) == 1
