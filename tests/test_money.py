"""Money as text: exact decimals, at least two places for dollars, never exponents or floats."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fluxcost.money import plain, signed_usd, usd


@pytest.mark.parametrize(
    ("value", "dollars", "credits"),
    [
        ("0", "0.00", "0"),
        ("0.014", "0.014", "0.014"),
        ("300", "300.00", "300"),
        ("1E+3", "1000.00", "1000"),
        ("7.50", "7.50", "7.5"),
        ("0.0000001", "0.0000001", "0.0000001"),
        ("-0.01", "-0.01", "-0.01"),
        # Beyond the default 28-digit context: still every digit.
        ("-0", "0.00", "0"),
        ("1234567890123456789012345678.5", "1234567890123456789012345678.50",
         "1234567890123456789012345678.5"),
    ],
)  # fmt: skip
def test_text(value: str, dollars: str, credits: str) -> None:
    assert usd(Decimal(value)) == dollars
    assert plain(Decimal(value)) == credits


def test_signed() -> None:
    assert signed_usd(Decimal("0.05")) == "+$0.05"
    assert signed_usd(Decimal("-0.488")) == "-$0.488"
