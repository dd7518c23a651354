"""The pricing engine: pure functions from a model and a request to an itemised quote.

No I/O and no printing; money is Decimal credits, converted to USD only by multiplying with
the table's exact credit value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NoReturn

from fluxcost.errors import FluxcostError
from fluxcost.megapixels import (
    INPUT_MP_CAP,
    PIXELS_PER_MP,
    billed_mp,
    exact_mp,
    input_pixels_taken,
)
from fluxcost.money import plural
from fluxcost.rates import Flat, LocalOnly, ModelRate, PerMegapixel
from fluxcost.sizes import Size


@dataclass(frozen=True)
class Request:
    """One image to generate: its output size and the input images it is given."""

    output: Size
    inputs: tuple[Size, ...] = ()


@dataclass(frozen=True)
class LineItem:
    label: str
    quantity: int
    unit: str  # "MP" or "image"
    unit_credits: Decimal
    detail: str = ""  # the size and megapixel rounding, so a person can check the quantity

    @property
    def credits(self) -> Decimal:
        return self.unit_credits * self.quantity


@dataclass(frozen=True)
class Quote:
    """The price of ``batch`` images of one request; ``items`` are for a single image."""

    model: ModelRate
    request: Request
    batch: int
    items: tuple[LineItem, ...]
    credit_usd: Decimal
    notes: tuple[str, ...] = ()

    @property
    def per_image_credits(self) -> Decimal:
        return sum((item.credits for item in self.items), Decimal(0))

    @property
    def total_credits(self) -> Decimal:
        return self.per_image_credits * self.batch

    @property
    def per_image_usd(self) -> Decimal:
        return self.per_image_credits * self.credit_usd

    @property
    def total_usd(self) -> Decimal:
        return self.total_credits * self.credit_usd


def _check_side(model: ModelRate, name: str, value: int) -> None:
    lim = model.limits
    if lim.multiple_of and value % lim.multiple_of:
        below = value - value % lim.multiple_of
        options = " or ".join(str(v) for v in (below, below + lim.multiple_of) if v > 0)
        raise FluxcostError(
            f"{name} {value} is not a multiple of {lim.multiple_of}, which {model.id} requires"
            f" (try {options})"
        )
    if lim.min_side and value < lim.min_side:
        raise FluxcostError(f"{name} {value} is below {model.id}'s minimum of {lim.min_side} px")
    if lim.max_side and value > lim.max_side:
        raise FluxcostError(f"{name} {value} is over {model.id}'s maximum of {lim.max_side} px")


def check_request(model: ModelRate, request: Request) -> tuple[str, ...]:
    """Raise FluxcostError naming the rule ``request`` breaks on ``model``; else return notes."""
    if not model.on_api:
        _no_api_price(model)
    notes = _check_output(model, request.output)
    _check_inputs(model, request)
    if model.limits.sized_by_api:
        notes.append(
            f"{model.id} takes an aspect ratio, not a size: the API sets the exact size;"
            " the price is the same at any size"
        )
    return tuple(notes)


def _no_api_price(model: ModelRate) -> NoReturn:
    raise FluxcostError(
        f"{model.id} is open weights and runs locally only: BFL sells no API for it,"
        " so there is no price to quote"
    )


def _check_output(model: ModelRate, out: Size) -> list[str]:
    lim = model.limits
    notes: list[str] = []
    for name, value in (("width", out.width), ("height", out.height)):
        if value <= 0:
            raise FluxcostError(f"{name} must be a positive number of pixels, got {value}")
        _check_side(model, name, value)
        if lim.warn_below_side and value < lim.warn_below_side:
            notes.append(
                f"{name} {value} is below {lim.warn_below_side} px: the API schema accepts it,"
                " but BFL's help centre gives 256 px as the minimum"
            )
    if lim.max_output_pixels and out.pixels > lim.max_output_pixels:
        raise FluxcostError(
            f"output {out} is {out.pixels:,} px ({exact_mp(out.pixels)} MP); {model.id} makes at"
            f" most {lim.max_output_pixels:,} px ({lim.max_output_pixels // PIXELS_PER_MP} MP,"
            " e.g. 2048x2048)"
        )
    ratio = Fraction(out.width, out.height)
    low, high = lim.aspect_range()
    if (low is not None and ratio < low) or (high is not None and ratio > high):
        raise FluxcostError(
            f"output {out} has aspect ratio {ratio.numerator}:{ratio.denominator}, outside"
            f" {model.id}'s range {lim.aspect_min or 'any'} to {lim.aspect_max or 'any'}"
        )
    return notes


def _check_inputs(model: ModelRate, request: Request) -> None:
    lim = model.limits
    count = len(request.inputs)
    if count > lim.max_inputs:
        if lim.max_inputs == 0:
            raise FluxcostError(f"{model.id} is text-to-image only and takes no input images")
        raise FluxcostError(
            f"{model.id} takes at most {plural(lim.max_inputs, 'input image')}, got {count}"
        )
    if count < lim.min_inputs:  # e.g. Fill: it fills in an image, it cannot start from text
        one = lim.min_inputs == 1
        raise FluxcostError(
            f"{model.id} edits {'an input image' if one else f'{lim.min_inputs} input images'}"
            f" and was given {count or 'none'}: give {'the image' if one else 'each'}"
            " with --input WxH"
        )
    for number, image in enumerate(request.inputs, 1):
        if image.width <= 0 or image.height <= 0:
            raise FluxcostError(f"input {number} ({image}) must have a positive width and height")
    # Each input counts as the API takes it: one over 4 MP is resized to 4 MP first.
    taken = [input_pixels_taken(image.pixels) for image in request.inputs]
    total = request.output.pixels + sum(taken)
    if lim.max_total_pixels and total > lim.max_total_pixels:
        resized = any(t < image.pixels for t, image in zip(taken, request.inputs, strict=True))
        how = f", inputs over {INPUT_MP_CAP} MP counted as {INPUT_MP_CAP} MP" if resized else ""
        raise FluxcostError(
            f"output plus inputs is {total:,} px ({exact_mp(total)} MP{how}); {model.id} allows"
            f" at most {lim.max_total_pixels:,} px ({lim.max_total_pixels // PIXELS_PER_MP} MP)"
            " in total"
        )


def cannot_serve(model: ModelRate, request: Request) -> str | None:
    """Why ``model`` cannot make ``request``, or None when it can."""
    if not model.on_api:
        return "open weights, runs locally only: no API price"
    try:
        check_request(model, request)
    except FluxcostError as exc:
        return str(exc)
    return None


def _items(model: ModelRate, request: Request) -> tuple[list[LineItem], list[str]]:
    match model.billing:
        case Flat(credits_per_image=price):
            return _flat_items(price, request), []
        case PerMegapixel() as rate:
            return _per_megapixel_items(rate, request)
        case LocalOnly():
            _no_api_price(model)


def _flat_items(price: Decimal, request: Request) -> list[LineItem]:
    items = [LineItem("image, flat price", 1, "image", price, str(request.output))]
    for number, image in enumerate(request.inputs, 1):
        items.append(LineItem(f"input {number}, in flat price", 0, "image", Decimal(0), str(image)))
    return items


def _per_megapixel_items(rate: PerMegapixel, request: Request) -> tuple[list[LineItem], list[str]]:
    notes: list[str] = []
    out = request.output
    out_mp = billed_mp(out.pixels)
    items = [
        LineItem(
            "output, first MP",
            1,
            "MP",
            rate.first_mp_credits,
            f"{out} = {exact_mp(out.pixels)} MP -> {out_mp} MP",
        )
    ]
    if out_mp > 1:
        items.append(LineItem("output, additional MP", out_mp - 1, "MP", rate.extra_mp_credits))
    for number, image in enumerate(request.inputs, 1):
        mp = billed_mp(image.pixels, cap=INPUT_MP_CAP)
        if billed_mp(image.pixels) > INPUT_MP_CAP:
            notes.append(
                f"input {number} ({image}, {exact_mp(image.pixels)} MP) is billed as"
                f" {INPUT_MP_CAP} MP: the API resizes inputs over {INPUT_MP_CAP} MP"
            )
        items.append(
            LineItem(
                f"input {number}",
                mp,
                "MP",
                rate.input_mp_credits,
                f"{image} = {exact_mp(image.pixels)} MP -> {mp} MP",
            )
        )
    return items, notes


def quote(model: ModelRate, request: Request, batch: int, credit_usd: Decimal) -> Quote:
    """The itemised price of ``batch`` images of ``request`` on ``model``."""
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise FluxcostError(f"batch must be a whole number of images, at least 1; got {batch!r}")
    notes = list(check_request(model, request))
    items, price_notes = _items(model, request)
    return Quote(model, request, batch, tuple(items), credit_usd, tuple(notes + price_notes))


def build_request(output: object, inputs: Sequence[object] = ()) -> Request:
    """A Request from ``"WxH"`` text or ``(width, height)`` pairs."""
    return Request(
        Size.coerce(output, "size"),
        tuple(Size.coerce(image, f"input {n}") for n, image in enumerate(inputs, 1)),
    )
