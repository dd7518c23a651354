"""Decimal money as text: exact, never through float, never in exponent notation."""

from __future__ import annotations

from decimal import Context, Decimal

_CENT = Decimal("0.01")


def _exact(value: Decimal) -> Context:
    # As many digits as the value has: the default context (28) would round large amounts.
    return Context(prec=max(28, len(value.as_tuple().digits) + 2))


def plain(value: Decimal) -> str:
    """``Decimal('7.50')`` -> ``'7.5'``, ``Decimal('3E+4')`` -> ``'30000'``."""
    text = format(value.normalize(_exact(value)), "f")
    return "0" if text in ("-0", "") else text


def usd(value: Decimal) -> str:
    """Dollars with at least two decimals and every digit kept: 300.00, 0.075, 0.014."""
    normal = value.normalize(_exact(value)) if value else Decimal(0)  # no "-0.00"
    digits, exponent = len(normal.as_tuple().digits), normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        # A context wide enough for any amount: the default 28 digits would fail on huge ones.
        normal = normal.quantize(_CENT, context=Context(prec=digits + exponent + 3))
    return format(normal, "f")


def grouped(text: str) -> str:
    """``'1110.00'`` -> ``'1,110.00'``: thousands separators for people, on exact text."""
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = digits.partition(".")
    return f"{sign}{int(whole):,}{dot}{fraction}"


def signed_usd(value: Decimal) -> str:
    """``+$0.05`` / ``-$0.01``: a difference, with its sign before the dollar sign."""
    return f"{'-' if value < 0 else '+'}${grouped(usd(abs(value)))}"


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def usd_shown(value: Decimal) -> str:
    """Dollars for people: ``1,110.00``."""
    return grouped(usd(value))


def credits_shown(value: Decimal) -> str:
    """Credits for people: ``35,400``, ``7.5``."""
    return grouped(plain(value))
