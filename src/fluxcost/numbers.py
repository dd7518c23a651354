"""Numbers as people and logs write them: one rule for digits everywhere, and the bounds that
keep every sum and product of money exact.

Whole numbers are ASCII digits, optionally grouped in well-formed thousands (``10,000``);
amounts may add a decimal point (``499.99``). No exponents, no other digit scripts, no decimal
comma: ``1,5`` is refused rather than read as 15. Decimal's default context keeps 28
significant digits; with counts at most 10^12 and amounts at most 10^12 with 6 decimals, no
total fluxcost computes comes near that, so nothing is ever rounded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fluxcost.errors import FluxcostError

MAX_COUNT = 10**12  # images, requests, a batch: a trillion
MAX_SIDE = 10**6  # pixels on one side of an image
MAX_AMOUNT = 10**12  # dollars or credits a person or a log writes
MAX_DECIMALS = 6  # in amounts people type
LOG_DECIMALS = 20  # in charges a log records: float noise such as 0.30000000000000004 fits
# Sums and products of amounts in these bounds need more than Decimal's default 28 digits;
# money arithmetic runs with this many, so that nothing is ever rounded.
PRECISION = 80


def _digits(text: str) -> str | None:
    """``10,000`` -> ``10000``; None unless ASCII digits, grouped in threes if grouped at all.
    (String methods, not a regular expression: compiling one costs start-up time.)"""
    groups = text.split(",")
    if not text.isascii() or not all(group.isdigit() for group in groups):
        return None
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    return "".join(groups)


def _split_sign(text: str) -> tuple[str, str]:
    return ("-", text[1:]) if text.startswith("-") else ("", text)


def whole(value: Any, what: str, *, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
    """``value`` (an int, or text such as ``1024`` or ``10,000``) as an int in bounds."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, (Decimal, float)):  # from JSON (1024.0, 1e3) or a library call
        raise FluxcostError(
            f"{what} {shown(value)} is not a whole number: write it without a point or exponent,"
            " e.g. 1024"
        )
    else:
        text = value.strip() if isinstance(value, str) else None
        sign, body = _split_sign(text or "")
        digits = _digits(body) if text else None
        if digits is None:
            if text == "":
                raise FluxcostError(f"{what} is empty: write a whole number, e.g. 1024")
            raise FluxcostError(
                f"{what} {shown(value)} is not a whole number: write digits, e.g. 1024 or 10,000"
            )
        if len(digits.lstrip("0")) > len(str(maximum)):  # before int(): 5,000 digits is slow
            raise FluxcostError(f"{what} is over the limit of {maximum:,}")
        number = -int(digits) if sign else int(digits)
    # An int from a JSON log or a library call may have thousands of digits: show it only
    # when it is short (str() of over 4,300 digits even raises).
    short = number.bit_length() <= 128
    if number < minimum:
        got = f", got {number:,}" if short else ""
        raise FluxcostError(f"{what} must be at least {minimum:,}{got}")
    if number > maximum:
        spelled = f" {number:,}" if short else ""
        raise FluxcostError(f"{what}{spelled} is over the limit of {maximum:,}")
    return number


def amount(text: str, what: str, example: str, *, percent: bool = False) -> Decimal:
    """A non-negative amount typed on the command line: ``499.99``, ``$1,500``, ``80%``.

    ``%`` is allowed only where the option is a percentage, ``$`` only where it is not.
    """
    body = text.strip()
    body = body.removesuffix("%").rstrip() if percent else body.removeprefix("$").lstrip()
    return decimal(body, what, example, original=text)


def decimal(
    value: Any, what: str, example: str, *, original: Any = None, places: int = MAX_DECIMALS
) -> Decimal:
    """A non-negative exact amount from an int, a Decimal or plain decimal text, in bounds:
    at most MAX_AMOUNT and ``places`` decimal places."""
    spelled = shown(value if original is None else original)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        sign, body = _split_sign(value.strip() if isinstance(value, str) else "")
        whole_part, dot, fraction = body.partition(".")
        digits = _digits(whole_part) if whole_part or not dot else ""
        if digits is None or not body or (dot and not (fraction.isascii() and fraction.isdigit())):
            raise FluxcostError(f"{what} {spelled} is not a plain decimal number, e.g. {example}")
        if len(digits) > 40:  # longer than any amount in bounds: refuse before parsing
            raise FluxcostError(f"{what} is over the limit of {MAX_AMOUNT:,}")
        number = Decimal(f"{sign}{digits or 0}{dot}{fraction}")
    if not number.is_finite():
        raise FluxcostError(f"{what} {spelled} is not a number, e.g. {example}")
    if number < 0:
        raise FluxcostError(f"{what} {spelled} must be 0 or more, e.g. {example}")
    if number > MAX_AMOUNT:
        raise FluxcostError(f"{what} is over the limit of {MAX_AMOUNT:,}")
    if _decimals(number) > places:
        raise FluxcostError(
            f"{what} {spelled} has more than {places} decimal places, e.g. {example}"
        )
    return number


def _decimals(number: Decimal) -> int:
    """Significant decimal places: ``Decimal('1.500')`` has 1. Counted from the digits, not
    with ``normalize()``, which rounds to the context's 28 digits (``3.000...0001`` with 30
    zeros would have none)."""
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # a finite number
    significant = "".join(map(str, digits)).rstrip("0")
    if not significant:
        return 0
    return max(0, -(exponent + len(digits) - len(significant)))


def shown(value: Any) -> str:
    """``repr(value)``, cut to a length an error line can carry; a Decimal as its digits, and
    True, False and None as JSON writes them (a log's values come from JSON)."""
    if isinstance(value, bool) or value is None:
        text = {True: "true", False: "false", None: "null"}[value]
    else:
        text = str(value) if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
