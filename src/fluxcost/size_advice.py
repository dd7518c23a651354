"""Size advice: the largest size of an aspect ratio that bills each whole megapixel, and the
cost cliffs just past one. Pure, no I/O.

FLUX.2 bills whole megapixels, rounded up, so 1040x1040 (1.03 MP) costs a whole MP more than
1024x1024. Sizes advised here keep to the model's step and limits, and to BFL's newer 256-px
minimum side, so that the API takes them as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from math import gcd, isqrt, lcm

from fluxcost import pricing
from fluxcost.errors import FluxcostError
from fluxcost.megapixels import INPUT_MP_CAP, PIXELS_PER_MP, billed_mp
from fluxcost.rates import ModelRate, PerMegapixel
from fluxcost.sizes import Size

# "Just over" a whole number of megapixels: at most 10% more pixels (about 5% a side), where
# the same picture a little smaller bills a whole MP less.
JUST_OVER = Fraction(11, 10)

# Where no size on the step has exactly the aspect ratio asked for, a size within 1% of it is
# as good to the eye: the largest such size is advised, else the nearest ratio.
NEAR_ENOUGH = Fraction(101, 100)

# The top of the ladder when a rate table gives a model no output limit: BFL's FLUX.2 maximum.
DEFAULT_TOP_MP = 4

MAX_TERM = 10**6  # either term of an aspect ratio, as for a side in pixels

_ASPECT = re.compile(r"^\s*([0-9]+)\s*:\s*([0-9]+)\s*$")


@dataclass(frozen=True, slots=True)
class Aspect:
    """A width:height ratio in lowest terms, shown as the user wrote it (21:9, not 7:3)."""

    width: int
    height: int
    label: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.label or f"{self.width}:{self.height}"

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.width, self.height)

    @classmethod
    def of(cls, width: int, height: int) -> Aspect:
        common = gcd(width, height)
        return cls(width // common, height // common)

    @classmethod
    def of_size(cls, size: Size, what: str = "--size") -> Aspect:
        """The aspect ratio of a size a person gave, whose sides must be 1 to 1,000,000 px."""
        if not all(1 <= side <= MAX_TERM for side in (size.width, size.height)):
            raise FluxcostError(f"{what} {size}: width and height must be 1 to {MAX_TERM:,} px")
        return cls.of(size.width, size.height)

    @classmethod
    def parse(cls, text: str, what: str = "--aspect") -> Aspect:
        match = _ASPECT.match(text)
        if not match:
            raise FluxcostError(f"{what} {text!r} is not W:H in whole numbers, e.g. 16:9 or 3:2")
        width, height = int(match.group(1)), int(match.group(2))
        if not width or not height:
            raise FluxcostError(
                f"{what} {text!r} has a 0: both terms must be at least 1, e.g. 16:9"
            )
        if max(width, height) > MAX_TERM:
            raise FluxcostError(f"{what} {text!r}: each term must be at most {MAX_TERM:,}")
        return replace(cls.of(width, height), label=f"{width}:{height}")


@dataclass(frozen=True, slots=True)
class Bounds:
    """The sizes an image may have: both sides on ``step`` and within the side and pixel
    limits (``None``: no limit)."""

    step: int = 1
    min_side: int = 1
    max_side: int | None = None
    max_pixels: int | None = None

    def first_side(self) -> int:
        """The smallest side on the step that is at least ``min_side``."""
        return _up(self.min_side, self.step)


def output_bounds(model: ModelRate) -> Bounds:
    """Where ``model`` makes an output without a note: on its step, at least its noted side."""
    lim = model.limits
    return Bounds(
        step=lim.multiple_of or 1,
        min_side=max(lim.min_side or 1, lim.warn_below_side or 1),
        max_side=lim.max_side,
        max_pixels=lim.max_output_pixels,
    )


@dataclass(frozen=True, slots=True)
class Fit:
    """A size that bills a given number of megapixels: of exactly the aspect ratio asked for,
    or, where no size on the step is, the largest within 1% of it, else the nearest."""

    size: Size
    exact: bool

    def off_by(self, aspect: Aspect) -> Fraction:
        """How far the size's ratio is from ``aspect``, as a fraction (0 when exact)."""
        return _off(self.size.width, self.size.height, aspect) - 1


def fit(aspect: Aspect, mp: int, bounds: Bounds) -> Fit | None:
    """The largest size of exactly ``aspect`` that bills ``mp`` MP within ``bounds``; else
    the largest within 1% of it, else the nearest; None when no size bills ``mp`` MP."""
    low, high = (mp - 1) * PIXELS_PER_MP, mp * PIXELS_PER_MP
    if bounds.max_pixels is not None:
        high = min(high, bounds.max_pixels)
    if high <= low:
        return None
    exact = _largest_exact(aspect, low, high, bounds)
    if exact is not None:
        return Fit(exact, True)
    closest = _closest(aspect, low, high, bounds)
    return None if closest is None else Fit(closest, False)


def _up(value: int, step: int) -> int:
    return -(-value // step) * step


def _largest_exact(aspect: Aspect, low: int, high: int, b: Bounds) -> Size | None:
    # Sizes of exactly a:h with both sides on the step are the multiples of the smallest one.
    scale = lcm(b.step // gcd(b.step, aspect.width), b.step // gcd(b.step, aspect.height))
    width, height = aspect.width * scale, aspect.height * scale
    times = isqrt(high // (width * height))
    if b.max_side is not None:
        times = min(times, b.max_side // max(width, height))
    size = Size(width * times, height * times)
    if times < 1 or min(size.width, size.height) < b.min_side or size.pixels <= low:
        return None
    return size


def _off(width: int, height: int, aspect: Aspect) -> Fraction:
    """The factor, at least 1, between ``width/height`` and ``aspect``."""
    off = Fraction(width * aspect.height, height * aspect.width)
    return max(off, 1 / off)


def _closest(aspect: Aspect, low: int, high: int, b: Bounds) -> Size | None:
    """Of the sizes on the step with ``low < pixels <= high``: the largest whose ratio is
    within 1% of ``aspect``, else the one whose ratio is nearest it."""
    step, first = b.step, b.first_side()
    widest = high // first if b.max_side is None else min(high // first, b.max_side)
    widest -= widest % step
    if widest < first:
        return None
    # A near ratio at these pixel counts needs width^2 near ratio * pixels: scan those widths,
    # a few steps either side, held within the limits.
    ratio = aspect.ratio
    start = min(max(_up(isqrt(int(ratio * low)), step) - 2 * step, first), widest)
    stop = min(max(isqrt(int(ratio * high)) + 2 * step, start), widest)
    best: tuple[bool, Fraction, int, int, int] | None = None
    for width in range(start, stop + 1, step):
        shortest = max(first, _up(low // width + 1, step))
        tallest = high // width if b.max_side is None else min(high // width, b.max_side)
        tallest -= tallest % step
        if shortest > tallest:
            continue
        below = int(width / ratio) // step * step
        for height in {min(max(h, shortest), tallest) for h in (below, below + step)}:
            off = _off(width, height, aspect)
            near = off <= NEAR_ENOUGH
            key = (not near, Fraction(0) if near else off, -width * height, width, height)
            best = key if best is None or key < best else best
    return None if best is None else Size(best[3], best[4])


def ladder(model: ModelRate, aspect: Aspect) -> tuple[tuple[int, Fit], ...]:
    """For each whole megapixel ``model`` can bill an output, the size that ``fit`` gives."""
    if not model.on_api:  # raises why it has no price (open weights, or not sold yet)
        pricing.check_request(model, pricing.Request(Size(1024, 1024)))
    if not isinstance(model.billing, PerMegapixel):
        raise FluxcostError(
            f"{model.id} costs the same at any size: `fluxcost sizes` is for models billed per"
            " megapixel (FLUX.2, e.g. flux2-pro)"
        )
    bounds = output_bounds(model)
    top = DEFAULT_TOP_MP if bounds.max_pixels is None else billed_mp(bounds.max_pixels)
    found = ((mp, fit(aspect, mp, bounds)) for mp in range(1, top + 1))
    # Every step has a size at each MP up to the model's maximum; a table whose limits leave
    # a gap (a maximum under 1 MP) just has fewer rungs.
    return tuple((mp, f) for mp, f in found if f is not None)


@dataclass(frozen=True, slots=True)
class Cliff:
    """An image just over a whole megapixel, and the size of its aspect ratio that bills one
    MP less, with what that saves per image."""

    image: str  # "output", "input 2"
    size: Size
    billed_mp: int
    smaller: Fit
    saves_credits: Decimal


def cost_cliffs(q: pricing.Quote) -> tuple[Cliff, ...]:
    """Each image of ``q`` (output, then inputs) that bills a whole MP for a sliver of it."""
    if not isinstance(q.model.billing, PerMegapixel):
        return ()
    # An output keeps to the model's step; an input may be any size, but one over the input
    # cap is billed at the cap whatever its size.
    images: list[tuple[str, Size, Bounds, int | None]] = [
        ("output", q.request.output, output_bounds(q.model), None)
    ]
    images += [
        (f"input {n}", image, Bounds(), INPUT_MP_CAP) for n, image in enumerate(q.request.inputs, 1)
    ]
    found = (_cliff(q, index, *image) for index, image in enumerate(images))
    return tuple(cliff for cliff in found if cliff is not None)


def _cliff(
    q: pricing.Quote, index: int, label: str, size: Size, bounds: Bounds, cap: int | None
) -> Cliff | None:
    mp = billed_mp(size.pixels)
    if mp < 2 or size.pixels > JUST_OVER * (mp - 1) * PIXELS_PER_MP or (cap and mp > cap):
        return None
    smaller = fit(Aspect.of(size.width, size.height), mp - 1, bounds)
    if smaller is None:
        return None
    saves = q.per_image_credits - _per_image(q, index, smaller.size)
    return Cliff(label, size, mp, smaller, saves) if saves > 0 else None


def _per_image(q: pricing.Quote, index: int, size: Size) -> Decimal:
    """Credits per image of ``q``'s request with image ``index`` (0: the output) at ``size``."""
    request = q.request
    if index == 0:
        request = replace(request, output=size)
    else:
        inputs = list(request.inputs)
        inputs[index - 1] = size
        request = replace(request, inputs=tuple(inputs))
    return pricing.quote(q.model, request, 1, q.credit_usd).per_image_credits
