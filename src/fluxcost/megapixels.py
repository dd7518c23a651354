"""How BFL counts megapixels: every rule in one place, so it can change if BFL documents others.

BFL does not state these rules; third-party price badges, fal and a real API response agree
on them (see pricing-facts.md). They are provisional.
"""

from __future__ import annotations

# BFL calls 1024x1024 "1MP" and 2048x2048 "4MP", so a megapixel is 1024*1024 pixels, not 10^6.
PIXELS_PER_MP = 1024 * 1024

# Inputs over 4 MP are resized by the API, and fal bills them as 4 MP: bill at most this much,
# and count an input as at most this much against a total-pixel limit (DECISIONS "Counting").
INPUT_MP_CAP = 4


def billed_mp(pixels: int, cap: int | None = None) -> int:
    """Whole megapixels billed for one image: rounded up, at least 1, at most ``cap``."""
    whole = max(1, -(-pixels // PIXELS_PER_MP))
    return min(whole, cap) if cap is not None else whole


def input_pixels_taken(pixels: int) -> int:
    """An input's pixels as the API takes it: one over 4 MP is resized to 4 MP first."""
    return min(pixels, INPUT_MP_CAP * PIXELS_PER_MP)


def exact_mp(pixels: int) -> str:
    """Megapixels to two decimals, for showing a person how the rounding went."""
    return f"{pixels / PIXELS_PER_MP:.2f}"
