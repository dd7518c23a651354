"""The pricing engine: pure functions from a model and a request to an itemised quote.

No I/O and no printing; money is Decimal credits, converted to USD only by multiplying with
the table's exact credit value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, getcontext
from fractions import Fraction
from functools import lru_cache
from typing import NoReturn

from fluxcost.errors import FluxcostError
from fluxcost.megapixels import (
    INPUT_MP_CAP,
    PIXELS_PER_MP,
    billed_mp,
    exact_mp,
    input_pixels_taken,
)
from fluxcost.money import plural, usd
from fluxcost.rates import Flat, LocalOnly, ModelRate, NotYetSold, PerMegapixel
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


def step_is_advice(model: ModelRate) -> bool:
    """FLUX.2's 16-px step is advice: BFL's API schema asks only for an integer >= 64 and a
    real response billed 1920x1080 as requested, so an off-step size is priced, with a note
    (DECISIONS "Counting"). Other models' documented steps (FLUX1.1 [pro]'s 32) are rules."""
    return model.family == "flux2"


def _check_side(model: ModelRate, name: str, value: int) -> None:
    lim = model.limits
    if lim.multiple_of and value % lim.multiple_of and not step_is_advice(model):
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
    if isinstance(model.billing, NotYetSold):  # a day before its first price (--as-of)
        raise FluxcostError(model.billing.refusal(model.id))
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
    if isinstance(model.billing, NotYetSold):
        return model.billing.reason
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
    if off_step := _off_step_note(model, request, credit_usd):
        notes.append(off_step)
    return Quote(model, request, batch, tuple(items), credit_usd, tuple(notes + price_notes))


def _off_step_note(model: ModelRate, request: Request, credit_usd: Decimal) -> str | None:
    """For a size off the model's step: that it is priced as requested, and the nearest sizes
    on the step (both sides rounded down, both rounded up) with their prices."""
    step, out = model.limits.multiple_of, request.output
    if not step or not (out.width % step or out.height % step):
        return None
    near = []
    for size in dict.fromkeys((out.on_step(step, up=False), out.on_step(step, up=True))):
        other = Request(size, request.inputs)
        if cannot_serve(model, other) is None:
            items, _ = _items(model, other)
            price = sum((item.credits for item in items), Decimal(0)) * credit_usd
            near.append(f"{size} ({billed_mp(size.pixels)} MP, ${usd(price)})")
    # Rounding down never breaks a limit the requested size meets, so ``near`` is never empty.
    return (
        f"{out} is off {model.id}'s {step}-px step: priced as requested (BFL asks for multiples"
        f" of {step}; its API has billed such sizes as given, and may return the image on the"
        f" step); nearest on the step: {' or '.join(near)}"
    )


@dataclass(frozen=True)
class Priced:
    """One model's price for a request in a comparison, or why it cannot serve it."""

    model: ModelRate
    quote: Quote | None
    reason: str | None = None


def on_every_model(
    models: Sequence[ModelRate], request: Request, batch: int, credit_usd: Decimal
) -> tuple[Priced, ...]:
    """``request`` priced on each of ``models``: cheapest first, then the models that cannot
    serve it, each with its reason (never dropped, never $0); ties keep the table's order."""
    priced: list[Priced] = []
    for model in models:
        reason = cannot_serve(model, request)
        q = None if reason else quote(model, request, batch, credit_usd)
        priced.append(Priced(model, q, reason))
    return tuple(sorted(priced, key=lambda p: (p.quote is None, _credits(p.quote))))


def _credits(q: Quote | None) -> Decimal:
    return Decimal(0) if q is None else q.total_credits


def credits_per_image(model: ModelRate, request: Request) -> Decimal:
    """``quote(model, request, 1, ...).per_image_credits``: the same Decimal, or the same error,
    without building the itemised quote and its notes. The output and the inputs are priced
    apart and added (a bill prices each of its many distinct requests this way, with each
    part cached: many requests share an output size or a set of inputs)."""
    out = request.output
    inputs = inputs_part(model, request.inputs)
    total = joined(model, output_part(model, out.width, out.height), inputs)
    if total is None:  # the quote raises the reason (or prices a kind added later)
        return quote(model, request, 1, Decimal(0)).per_image_credits
    return total


# A part of a request's price per image: the output's or the inputs' pixels (as the total pixel
# limit counts them) and credits. None: the quote must decide (a rule may be broken, a kind of
# billing without parts, figures too long to add in any order).
Part = tuple[int, Decimal]


def joined(model: ModelRate, output: Part | None, inputs: Part | None) -> Decimal | None:
    """The price per image of a request from its two parts, as ``credits_per_image`` gives it;
    None when a part is None or the output and inputs together are over the model's limit.

    quote() sums the items in order (output, then each input); adding two sums of them gives
    the same Decimal, exponent included, because no addition rounds: each part is non-negative
    with at most 12 digits before and after the point (``_short``), so any partial sum fits in
    the 28 digits of the default precision."""
    if output is None or inputs is None:
        return None
    limit = model.limits.max_total_pixels
    if limit and output[0] + inputs[0] > limit:
        return None
    return output[1] + inputs[1]


def output_part(model: ModelRate, width: int, height: int) -> Part | None:
    """The output's pixels and credits (its items of the quote summed), or None when the
    output may break one of check_request's rules."""
    billing = model.billing
    if not isinstance(billing, (Flat, PerMegapixel)) or not _output_valid(model, width, height):
        return None
    pixels = width * height
    if isinstance(billing, Flat):
        return _short(pixels, Decimal(0) + billing.credits_per_image * 1)
    out_mp = billed_mp(pixels)
    credits = Decimal(0) + billing.first_mp_credits * 1
    if out_mp > 1:
        credits += billing.extra_mp_credits * (out_mp - 1)
    return _short(pixels, credits)


def inputs_part(model: ModelRate, inputs: tuple[Size, ...]) -> Part | None:
    """The inputs' pixels as the API takes them and their credits (nothing at a flat price),
    or None when they may break one of check_request's rules."""
    billing = model.billing
    lim = model.limits
    if not isinstance(billing, (Flat, PerMegapixel)):
        return None
    if not lim.min_inputs <= len(inputs) <= lim.max_inputs:
        return None
    taken = billed = 0
    for image in inputs:
        if image.width <= 0 or image.height <= 0:
            return None
        pixels = image.width * image.height
        taken += input_pixels_taken(pixels)
        billed += billed_mp(pixels, INPUT_MP_CAP)
    if isinstance(billing, Flat) or not inputs:  # an input's item is 0 x 0 credits
        return _short(taken, Decimal(0))
    # Each input's item is the same rate times its MP, so all have the rate's exponent: their
    # sum is the rate times all the MP (exactly, when the total is short).
    return _short(taken, Decimal(0) + billing.input_mp_credits * billed)


def _short(pixels: int, credits: Decimal) -> Part | None:
    """The part, if its credits are not negative and have at most 12 digits before and after
    the point, and the precision is at least the default 28 (a sum that rounded has that many
    digits, so it is never short); else None: the quote decides."""
    if credits.is_signed() or credits.adjusted() > 12 or getcontext().prec < 28:
        return None
    exponent = credits.as_tuple().exponent
    return (pixels, credits) if isinstance(exponent, int) and exponent >= -12 else None


def _output_valid(model: ModelRate, width: int, height: int) -> bool:
    """Whether an output size passes every output rule of ``check_request`` on ``model`` (in
    integers: check_request builds Fractions and notes, which cost more than pricing). False
    is only "maybe not": the caller then asks ``quote``."""
    lim = model.limits
    step, low_side, high_side = lim.multiple_of, lim.min_side, lim.max_side
    if step and step_is_advice(model):  # off the step is priced as requested
        step = None
    for side in (width, height):
        if side <= 0 or (step and side % step):
            return False
        if (low_side and side < low_side) or (high_side and side > high_side):
            return False
    if lim.max_output_pixels and width * height > lim.max_output_pixels:
        return False
    if lim.aspect_min or lim.aspect_max:
        low, high = _aspect_bounds(lim.aspect_min, lim.aspect_max)
        if low and width * low[1] < low[0] * height:
            return False
        if high and width * high[1] > high[0] * height:
            return False
    return True


@lru_cache(maxsize=64)
def _aspect_bounds(
    low: str | None, high: str | None
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The allowed width:height range as whole (width, height) pairs (None: no bound)."""

    def pair(text: str | None) -> tuple[int, int] | None:
        if text is None:
            return None
        width, height = text.split(":")
        return int(width), int(height)

    return pair(low), pair(high)


def build_request(output: object, inputs: Sequence[object] = ()) -> Request:
    """A Request from ``"WxH"`` text or ``(width, height)`` pairs."""
    return Request(
        Size.coerce(output, "size"),
        tuple(Size.coerce(image, f"input {n}") for n, image in enumerate(inputs, 1)),
    )
