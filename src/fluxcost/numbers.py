"""Numbers as people and logs write them: one rule for digits everywhere, and the bounds that
keep every sum and product of money exact.

Whole numbers are ASCII digits, optionally grouped in well-formed thousands (``10,000``);
amounts may add a decimal point (``499.99``). No exponents, no other digit scripts, no decimal
comma: ``1,5`` is refused rather than read as 15. Decimal's default context keeps 28
significant digits; with counts at most 10^12 and amounts at most 10^12 with 6 decimals, no
total fluxcost computes comes near that, so nothing is ever rounded.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from fluxcost.errors import FluxcostError

MAX_COUNT = 10**12  # images, requests, a batch: a trillion
MAX_SIDE = 10**6  # pixels on one side of an image
MAX_AMOUNT = 10**12  # dollars or credits a person or a log writes
MAX_DECIMALS = 6

_GROUPED = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
_WHOLE = re.compile(rf"(-?)({_GROUPED})")
_AMOUNT = re.compile(rf"(-?)({_GROUPED}(?:\.[0-9]+)?|\.[0-9]+)")


def whole(value: Any, what: str, *, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
    """``value`` (an int, or text such as ``1024`` or ``10,000``) as an int in bounds."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = value.strip() if isinstance(value, str) else None
        match = _WHOLE.fullmatch(text) if text else None
        if match is None:
            if text == "":
                raise FluxcostError(f"{what} is empty: write a whole number, e.g. 1024")
            raise FluxcostError(
                f"{what} {_short(value)} is not a whole number: write digits, e.g. 1024 or 10,000"
            )
        digits = match.group(2).replace(",", "")
        if len(digits.lstrip("0")) > len(str(maximum)):  # before int(): 5,000 digits is slow
            raise FluxcostError(f"{what} is over the limit of {maximum:,}")
        number = -int(digits) if match.group(1) else int(digits)
    if number < minimum:
        raise FluxcostError(f"{what} must be at least {minimum:,}, got {number:,}")
    if number > maximum:
        raise FluxcostError(f"{what} {number:,} is over the limit of {maximum:,}")
    return number


def amount(text: str, what: str, example: str, *, percent: bool = False) -> Decimal:
    """A non-negative amount typed on the command line: ``499.99``, ``$1,500``, ``80%``.

    ``%`` is allowed only where the option is a percentage, ``$`` only where it is not.
    """
    body = text.strip()
    body = body.removesuffix("%").rstrip() if percent else body.removeprefix("$").lstrip()
    return decimal(body, what, example, original=text)


def decimal(value: Any, what: str, example: str, *, original: Any = None) -> Decimal:
    """A non-negative exact amount from an int, a Decimal or plain decimal text, in bounds."""
    shown = _short(value if original is None else original)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        match = _AMOUNT.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None:
            raise FluxcostError(f"{what} {shown} is not a plain decimal number, e.g. {example}")
        if len(match.group(2)) > 40:  # longer than any amount in bounds: refuse before parsing
            raise FluxcostError(f"{what} is over the limit of {MAX_AMOUNT:,}")
        number = Decimal(match.group(1) + match.group(2).replace(",", ""))
    if not number.is_finite():
        raise FluxcostError(f"{what} {shown} is not a number, e.g. {example}")
    if number < 0:
        raise FluxcostError(f"{what} {shown} must be 0 or more, e.g. {example}")
    if number > MAX_AMOUNT:
        raise FluxcostError(f"{what} is over the limit of {MAX_AMOUNT:,}")
    if _decimals(number) > MAX_DECIMALS:
        raise FluxcostError(
            f"{what} {shown} has more than {MAX_DECIMALS} decimal places, e.g. {example}"
        )
    return number


def _decimals(number: Decimal) -> int:
    """Significant decimal places: ``Decimal('1.500')`` has 1."""
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _short(value: Any) -> str:
    """``repr(value)``, cut to a length an error line can carry."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
