"""Self-hosting the open weights against the API: GPU time plus licence, per image and per
month, and the volume at which the two cost the same.

Pure: the sourced facts (``SelfhostFacts``, read from selfhost.yaml by selfhost_file.py) and
the rate table come in, a ``Comparison`` goes out. GPU cost per image is a true division
(dollars per hour x seconds / 3600 / utilization), so money here is an exact ``Fraction``;
reports round it once, for display.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

from annotated_types import Ge, Gt, MinLen

from fluxcost import pricing
from fluxcost.errors import FluxcostError, closest
from fluxcost.megapixels import PIXELS_PER_MP
from fluxcost.sizes import Size

if TYPE_CHECKING:
    from fluxcost.rates import ModelRate, RateTable

SECONDS_PER_HOUR = 3600
PERIOD = "month"  # licences are sold per month, so every figure here is per month

Text = Annotated[str, MinLen(1)]
PositiveAmount = Annotated[Decimal, Gt(0)]
Images = Annotated[int, Ge(1)]
_ID = re.compile(r"[a-z0-9][a-z0-9.\-]*")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where a figure was read, when, and how sure we are of it."""

    url: str
    checked: dt.date  # when we read it there
    confidence: Literal["official", "third-party", "inferred"]
    as_of: dt.date | None = None  # the date the page gives for its figure
    note: str = ""

    def __post_init__(self) -> None:
        if not _URL.fullmatch(self.url):
            raise ValueError(f"url {self.url!r} is not an http(s) URL")


@dataclass(frozen=True, slots=True, kw_only=True)
class Gpu:
    id: str
    name: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class GpuOffer:
    """A GPU one can rent, at a list price."""

    id: str
    gpu: str
    provider: Text
    usd_per_hour: PositiveAmount
    billing: Literal["per_second", "per_hour"]  # per_hour: paid while it runs, busy or idle
    source: Source


@dataclass(frozen=True, slots=True, kw_only=True)
class Speed:
    """Measured seconds per 1024x1024 image of one model on one GPU."""

    model: str
    gpu: str
    seconds: PositiveAmount
    setup: Text  # steps, precision, software: what the figure was measured with
    source: Source


@dataclass(frozen=True, slots=True, kw_only=True)
class Tier:
    """A BFL self-hosting licence tier; its price is quoted by BFL, not published."""

    id: str
    name: Text
    models: Text
    images_per_month: Images | None = None  # None: no published cap (custom)
    terms: str = ""
    source: Source


@dataclass(frozen=True, slots=True, kw_only=True)
class Licence:
    """The licence an open-weight model ships under, and what to compare it with."""

    model: str
    name: Text
    commercial_use_free: bool
    compare_with: str  # the API model priced for the same images, unless --vs
    tiers: tuple[str, ...]  # the tiers that license commercial use of it
    source: Source


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferenceLicence:
    """A licence price reported for an older model: context for a quote, never a default."""

    name: Text
    usd_per_month: PositiveAmount
    images_included: Images
    terms: str
    source: Source
    confirmed_by: Source | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SelfhostFacts:
    """Every sourced fact ``fluxcost selfhost`` uses, checked to refer to each other."""

    schema_version: Literal[1]
    gpus: tuple[Gpu, ...]
    offers: tuple[GpuOffer, ...]
    speeds: tuple[Speed, ...]
    licences: tuple[Licence, ...]
    tiers: tuple[Tier, ...]
    reference_licence: ReferenceLicence

    # Read by pydantic in selfhost_file.py, for this class and every dataclass inside it.
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}

    def __post_init__(self) -> None:
        names = [g.id for g in self.gpus] + [o.id for o in self.offers]
        _unique("GPU or offer id", names)
        _unique("tier id", [t.id for t in self.tiers])
        _unique("licence model", [lic.model for lic in self.licences])
        _unique("speed", [f"{s.model} on {s.gpu}" for s in self.speeds])
        for name in names:
            if not _ID.fullmatch(name):
                raise ValueError(f"id {name!r} may hold only a-z, 0-9, '.' and '-'")
        gpus = {g.id for g in self.gpus}
        models = {lic.model for lic in self.licences}
        tiers = {t.id for t in self.tiers}
        for gpu_id in [o.gpu for o in self.offers] + [s.gpu for s in self.speeds]:
            if gpu_id not in gpus:
                raise ValueError(f"gpu {gpu_id!r} is not in gpus")
        for speed in self.speeds:
            if speed.model not in models:
                raise ValueError(f"speed of {speed.model!r}: no licence lists that model")
        for lic in self.licences:
            if unknown := set(lic.tiers) - tiers:
                raise ValueError(f"licence of {lic.model}: unknown tiers {sorted(unknown)}")

    def gpu(self, gpu_id: str) -> Gpu:
        return next(g for g in self.gpus if g.id == gpu_id)

    def licence(self, model_id: str) -> Licence | None:
        return next((lic for lic in self.licences if lic.model == model_id), None)

    def speed(self, model_id: str, gpu_id: str) -> Speed | None:
        return next((s for s in self.speeds if s.model == model_id and s.gpu == gpu_id), None)

    def tiers_of(self, licence: Licence) -> tuple[Tier, ...]:
        return tuple(t for t in self.tiers if t.id in licence.tiers)

    def find_gpu(self, name: str) -> tuple[GpuOffer | None, Gpu]:
        """``--gpu NAME``: a priced offer (``modal-h100``) or a bare GPU (``h100``)."""
        key = name.strip().lower()
        for offer in self.offers:
            if offer.id == key:
                return offer, self.gpu(offer.gpu)
        for gpu in self.gpus:
            if gpu.id == key:
                return None, gpu
        spellings = {n: n for n in [o.id for o in self.offers] + [g.id for g in self.gpus]}
        near = closest(key, spellings)
        hint = f"did you mean {', '.join(near)}?" if near else "no preset has a similar name."
        raise FluxcostError(
            f"unknown --gpu {name!r}: {hint} (priced presets: {_ids(self.offers)};"
            f" GPUs, with --gpu-usd-hour: {_ids(self.gpus)})"
        )

    def find_tier(self, name: str) -> Tier:
        key = name.strip().lower()
        for tier in self.tiers:
            if key in (tier.id, tier.name.lower()):
                return tier
        near = closest(key, {t.id: t.id for t in self.tiers})
        hint = f"did you mean {', '.join(near)}?" if near else f"tiers: {_ids(self.tiers)}"
        raise FluxcostError(f"unknown --licence-tier {name!r}: {hint}")


def _unique(what: str, names: list[str]) -> None:
    if dupes := sorted({n for n in names if names.count(n) > 1}):
        raise ValueError(f"{what} {', '.join(dupes)} is given twice")


def _ids(items: tuple[Gpu, ...] | tuple[GpuOffer, ...] | tuple[Tier, ...]) -> str:
    return ", ".join(item.id for item in items)


# -- what the user asked ------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class Ask:
    """``fluxcost selfhost``'s options, parsed; None where the user gave nothing."""

    model: str
    size: Size = field(default_factory=lambda: Size(1024, 1024))
    gpu: str | None = None
    gpu_usd_hour: Decimal | None = None
    seconds_per_image: Decimal | None = None  # measured at ``size``: never scaled
    utilization_percent: Decimal = Decimal(100)
    licence_usd_month: Decimal | None = None
    licence_tier: str | None = None
    images: int | None = None  # per month
    vs: str | None = None


@dataclass(frozen=True, slots=True)
class GpuChoice:
    """The GPU, its price and its speed at the requested size, and where each came from."""

    gpu: Gpu | None  # None: the user's own GPU, given only by its figures
    offer: GpuOffer | None  # the priced preset, when one was chosen
    usd_per_hour: Decimal
    price_given: bool  # True: the user's --gpu-usd-hour (it wins over the preset's)
    seconds_per_image: Decimal
    speed: Speed | None  # the measured speed it was scaled from; None: the user's figure


@dataclass(frozen=True, slots=True)
class BreakEven:
    """Images per month from which self-hosting costs no more than the API."""

    kind: Literal["images", "never", "always"]
    images: int | None = None  # ceil(licence / (API per image - GPU per image))
    crossing: Fraction | None = None  # the exact volume where the two costs are equal


@dataclass(frozen=True, slots=True)
class Comparison:
    model: ModelRate
    licence: Licence
    tier: Tier | None  # the tier the user named
    tiers: tuple[Tier, ...]  # every tier that covers the model
    reference: ReferenceLicence
    size: Size
    gpu: GpuChoice
    utilization: Fraction  # share of paid GPU time spent generating, in (0, 1]
    licence_usd: Fraction  # per month
    gpu_per_image: Fraction
    api: pricing.Quote  # one image of the same size on the API model
    images: int | None
    break_even: BreakEven
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def api_per_image(self) -> Fraction:
        return Fraction(self.api.per_image_usd)

    def selfhost_total(self, images: int) -> Fraction:
        return self.licence_usd + self.gpu_per_image * images

    def api_total(self, images: int) -> Fraction:
        return self.api_per_image * images


def exact_decimal(value: Fraction) -> Decimal | None:
    """``value`` as a Decimal with every digit, or None when its decimal never ends (1/3)."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    places = max(twos, fives)
    scaled = value.numerator * 10**places // value.denominator
    return Decimal(f"{scaled}E-{places}")


def magnitude(value: Fraction) -> int:
    """The exponent of the leading digit of ``value`` (> 0): 0.00075 -> -4, 999 -> 2."""
    exponent = len(str(value.numerator)) - len(str(value.denominator))
    while Fraction(10) ** exponent > value:
        exponent -= 1
    while Fraction(10) ** (exponent + 1) <= value:
        exponent += 1
    return exponent


# -- the engine ---------------------------------------------------------------------------
def compare(facts: SelfhostFacts, table: RateTable, ask: Ask) -> Comparison:
    """Self-hosting ``ask.model`` against its API counterpart, per image and per month."""
    model, licence = open_model(facts, table, ask.model)
    tier = _tier(facts, model, licence, ask.licence_tier)
    licence_usd = _licence_usd(facts, model, licence, ask.licence_usd_month)
    gpu = choose_gpu(facts, model.id, ask)
    utilization = _utilization(ask.utilization_percent)
    api_model = table.get(ask.vs or licence.compare_with)
    api = pricing.quote(api_model, pricing.Request(ask.size), 1, table.credit_usd)
    gpu_per_image = (
        Fraction(gpu.usd_per_hour) * Fraction(gpu.seconds_per_image) / SECONDS_PER_HOUR
    ) / utilization
    margin = Fraction(api.per_image_usd) - gpu_per_image
    warnings = []
    cap = tier.images_per_month if tier is not None else None
    if tier is not None and cap is not None and ask.images is not None and ask.images > cap:
        warnings.append(
            f"{ask.images:,} images a month is over the {tier.name} tier's cap of {cap:,}"
            " images a month: ask BFL about overage or a larger tier"
        )
    return Comparison(
        model=model,
        licence=licence,
        tier=tier,
        tiers=facts.tiers_of(licence),
        reference=facts.reference_licence,
        size=ask.size,
        gpu=gpu,
        utilization=utilization,
        licence_usd=licence_usd,
        gpu_per_image=gpu_per_image,
        api=api,
        images=ask.images,
        break_even=break_even(licence_usd, margin),
        warnings=tuple(warnings),
        notes=(*_notes(licence, licence_usd, gpu, ask), *api.notes),
    )


# Months in each period a workload can count per: the licence is sold by the month.
MONTHS = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True, slots=True)
class WorkloadCost:
    """A whole workload self-hosted for one period: GPU time for every billed image, plus the
    licence for the months in the period."""

    model: ModelRate
    gpu: GpuChoice  # at the first line's size, for the report's label
    gpu_usd: Fraction
    licence_usd: Fraction

    @property
    def total_usd(self) -> Fraction:
        return self.gpu_usd + self.licence_usd


def workload_cost(
    facts: SelfhostFacts, table: RateTable, ask: Ask, images: list[tuple[Size, int]], period: str
) -> WorkloadCost:
    """``images`` are (size, billed images) per line; GPU seconds scale with each size's
    megapixels unless the user gave a measured figure (then it is used as given)."""
    months = MONTHS.get(period)
    if months is None:
        raise FluxcostError(
            f"a self-hosted row needs a period of whole months (month, quarter or year),"
            f" not {period}: the licence is sold by the month"
        )
    gpu_usd = Fraction(0)
    first: Comparison | None = None
    for size, count in images:
        found = compare(facts, table, replace(ask, size=size, images=None))
        first = first or found
        gpu_usd += found.gpu_per_image * count
    if first is None:  # a workload has at least one line
        raise FluxcostError("a self-hosted row needs at least one workload line")
    return WorkloadCost(first.model, first.gpu, gpu_usd, first.licence_usd * months)


def break_even(licence_usd: Fraction, margin: Fraction) -> BreakEven:
    """``margin`` is the API price per image less the GPU cost per image."""
    if margin <= 0:
        return BreakEven("never")
    if licence_usd == 0:
        return BreakEven("always")
    crossing = licence_usd / margin
    return BreakEven("images", math.ceil(crossing), crossing)


def open_model(facts: SelfhostFacts, table: RateTable, name: str) -> tuple[ModelRate, Licence]:
    """The open-weight model called ``name`` (id or alias), with its licence."""
    open_ids = [lic.model for lic in facts.licences]
    try:
        model = table.get(name)
    except FluxcostError:
        spellings = {
            spelling.lower(): m.id
            for m in table.models
            if m.id in open_ids
            for spelling in (m.id, *m.aliases)
        }
        near = closest(name.strip().lower(), spellings)
        hint = f"did you mean {', '.join(near)}?" if near else "no open-weight model is close."
        raise FluxcostError(
            f"unknown model {name!r}: {hint} (open-weight models: {', '.join(open_ids)})"
        ) from None
    licence = facts.licence(model.id)
    if licence is None:
        raise FluxcostError(
            f"{model.id} has no open weights: BFL sells it only through its API, so it cannot"
            f" be self-hosted (open-weight models: {', '.join(open_ids)})"
        )
    return model, licence


def _tier(
    facts: SelfhostFacts, model: ModelRate, licence: Licence, name: str | None
) -> Tier | None:
    if name is None:
        return None
    tier = facts.find_tier(name)
    if tier.id in licence.tiers:
        return tier
    if licence.commercial_use_free:
        raise FluxcostError(
            f"{model.id} is under {licence.name}, free for commercial use: it needs no"
            " --licence-tier"
        )
    raise FluxcostError(
        f"BFL's {tier.name} tier covers {tier.models}, not {model.id}; tiers that do:"
        f" {', '.join(t.id for t in facts.tiers_of(licence))}"
    )


def _licence_usd(
    facts: SelfhostFacts, model: ModelRate, licence: Licence, given: Decimal | None
) -> Fraction:
    if given is not None:
        return Fraction(given)
    if licence.commercial_use_free:
        return Fraction(0)
    ref = facts.reference_licence
    raise FluxcostError(
        f"{model.id} is under the {licence.name}: commercial self-hosting needs a paid licence,"
        f" priced by BFL's sales team, so give --licence-usd-month USD (0 for non-commercial"
        f" use). Tiers that cover it: {tiers_text(facts.tiers_of(licence))}. For scale, the"
        f" {ref.name} was reported at ${ref.usd_per_month:,} a month with"
        f" {ref.images_included:,} images included"
    )


def tiers_text(tiers: tuple[Tier, ...]) -> str:
    """``Platform (100,000 images/month), Enterprise (custom volume)``."""
    return ", ".join(
        f"{t.name} ({t.images_per_month:,} images/month)"
        if t.images_per_month is not None
        else f"{t.name} ({t.terms or 'no published cap'})"
        for t in tiers
    )


def choose_gpu(facts: SelfhostFacts, model_id: str, ask: Ask) -> GpuChoice:
    """The GPU's price and speed: the user's own figures win over a preset's."""
    offer, gpu = facts.find_gpu(ask.gpu) if ask.gpu is not None else (None, None)
    price = ask.gpu_usd_hour if ask.gpu_usd_hour is not None else _offer_price(facts, offer, gpu)
    given = ask.gpu_usd_hour is not None
    if ask.seconds_per_image is not None:
        return GpuChoice(gpu, offer, price, given, ask.seconds_per_image, None)
    speed = facts.speed(model_id, gpu.id) if gpu is not None else None
    if speed is None:
        raise FluxcostError(_no_speed(facts, model_id, gpu))
    # Seconds grow with the pixels drawn; the measurement was at 1024x1024, exactly 1 MP.
    scaled = exact_decimal(Fraction(speed.seconds) * Fraction(ask.size.pixels, PIXELS_PER_MP))
    assert scaled is not None  # a decimal times pixels / 2**20 always ends
    return GpuChoice(gpu, offer, price, given, scaled, speed)


def _offer_price(facts: SelfhostFacts, offer: GpuOffer | None, gpu: Gpu | None) -> Decimal:
    if offer is not None:
        return offer.usd_per_hour
    if gpu is None:
        raise FluxcostError(
            "say what the GPU costs: --gpu-usd-hour USD, or --gpu PRESET for a priced one"
            f" ({_ids(facts.offers)})"
        )
    presets = [o.id for o in facts.offers if o.gpu == gpu.id]
    which = f"or a preset for it: {', '.join(presets)}" if presets else "no preset prices it"
    raise FluxcostError(
        f"--gpu {gpu.id} names a GPU, not a price: add --gpu-usd-hour USD ({which})"
    )


def _no_speed(facts: SelfhostFacts, model_id: str, gpu: Gpu | None) -> str:
    measured = [s.gpu for s in facts.speeds if s.model == model_id]
    where = f"measured on {', '.join(measured)}" if measured else "none is on file"
    if gpu is None:
        return (
            "say how long one image takes: --seconds-per-image S, or --gpu NAME where a speed"
            f" of {model_id} is on file ({where})"
        )
    return (
        f"no measured speed of {model_id} on {gpu.name} is on file: give --seconds-per-image S"
        f" ({model_id} is {where})"
    )


def _utilization(percent: Decimal) -> Fraction:
    if not 0 < percent <= 100:
        raise FluxcostError(
            f"--utilization must be more than 0 and at most 100 percent, got {percent}; e.g. 60"
        )
    return Fraction(percent) / 100


def _notes(licence: Licence, licence_usd: Fraction, gpu: GpuChoice, ask: Ask) -> list[str]:
    notes = []
    if not licence.commercial_use_free and licence_usd == 0:
        notes.append(
            f"licence $0: the {licence.name} allows non-commercial use only; commercial use"
            " needs a paid licence from BFL"
        )
    if gpu.speed is not None and gpu.gpu is not None:
        s = gpu.speed
        scaled = (
            ""
            if ask.size.pixels == PIXELS_PER_MP
            else f", scaled by megapixels to {ask.size} (an estimate: --seconds-per-image"
            " gives a measured figure)"
        )
        notes.append(
            f"{s.seconds} s per image: {s.model} on an {gpu.gpu.name} at 1024x1024 ({s.setup};"
            f" {s.source.confidence}){scaled}"
        )
    if gpu.offer is not None and gpu.offer.billing == "per_hour":
        notes.append(
            f"{gpu.offer.provider} bills the GPU by the hour while it runs, busy or idle:"
            f" --utilization is the share of that time spent generating (now"
            f" {ask.utilization_percent}%)"
        )
    return notes
