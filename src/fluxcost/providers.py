"""The provider table's types: where else FLUX is sold, in each provider's own units.

BFL's own API (provider ``bfl``, the default) is the rate table of rates.py; this is every
other provider. Billing units are data (four kinds, below), so one engine
(provider_pricing.py) prices every provider. provider_file.py validates providers.yaml into
these same types with pydantic; nothing here imports yaml or pydantic, and nothing on a plain
BFL quote imports this module.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, ClassVar, Literal, TypeGuard

from annotated_types import Ge, Gt, MinLen

from fluxcost.errors import FluxcostError, closest

BFL = "bfl"  # BFL's own API: pricing.yaml, priced by pricing.py exactly as without providers

Text = Annotated[str, MinLen(1)]
Usd = Annotated[Decimal, Ge(0)]
Positive = Annotated[int, Gt(0)]
_ID = re.compile(r"[a-z0-9][a-z0-9.\-]*")
_URL = re.compile(r"https?://\S+")


def _check_url(name: str, value: str) -> None:
    if not _URL.fullmatch(value):
        raise ValueError(f"{name} {value!r} is not an http(s) URL")


@dataclass(frozen=True, slots=True, kw_only=True)
class PerImage:
    """One price per image, whatever its size and inputs."""

    usd_per_image: Usd
    kind: Literal["per_image"] = "per_image"


@dataclass(frozen=True, slots=True, kw_only=True)
class PerMp:
    """First output MP, each further output MP, each input MP (None: inputs not billed)."""

    first_mp_usd: Usd
    extra_mp_usd: Usd
    input_mp_usd: Usd | None = None
    mp_px: Literal[1048576, 1000000] = 1048576  # pixels in a megapixel
    rounding: Literal["ceil", "exact"] = "ceil"  # ceil: whole MP per image, at least 1
    side_step_px: Positive | None = None  # each side rounded up to a multiple of this first
    input_cap_mp: Positive | None = None  # an input over this is resized: billed as this
    kind: Literal["per_mp"] = "per_mp"

    def __post_init__(self) -> None:
        if self.rounding == "exact" and self.first_mp_usd != self.extra_mp_usd:
            raise ValueError("exact rounding needs first_mp_usd equal to extra_mp_usd")


@dataclass(frozen=True, slots=True, kw_only=True)
class Steps:
    """What a per-step price needs to know about steps (None: not stated by the provider)."""

    default_steps: Positive | None = None
    max_steps: Positive | None = None
    fixed_steps: Positive | None = None  # the provider always runs exactly this many


@dataclass(frozen=True, slots=True, kw_only=True)
class PerMpStep(Steps):
    """usd x (W / ref_side_px) x (H / ref_side_px) x (steps / ref_steps), exact."""

    usd: Usd
    ref_steps: Positive
    ref_side_px: Positive = 1024
    kind: Literal["per_mp_step"] = "per_mp_step"


@dataclass(frozen=True, slots=True, kw_only=True)
class PerTile(Steps):
    """Per tile_px x tile_px tile of the output and of each input (x steps when
    ``per_step``), plus ``step_usd`` per step."""

    output_tile_usd: Usd
    per_step: bool
    tile_px: Positive = 512
    input_tile_usd: Usd | None = None  # None: inputs not billed
    input_max_tiles: Positive | None = None  # an input is resized to at most this many tiles
    step_usd: Usd | None = None
    kind: Literal["per_tile"] = "per_tile"

    @property
    def uses_steps(self) -> bool:
        return self.per_step or self.step_usd is not None


ProviderBilling = PerImage | PerMp | PerMpStep | PerTile


def prices_steps(billing: ProviderBilling) -> TypeGuard[PerMpStep | PerTile]:
    """Whether the step count changes this price (per MP per step, or tiles per step)."""
    return isinstance(billing, PerMpStep) or (isinstance(billing, PerTile) and billing.uses_steps)


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferLimits:
    """Limits a provider documents for an offer; None: the model's own limit applies."""

    min_side: Positive | None = None
    max_side: Positive | None = None
    multiple_of: Positive | None = None
    max_inputs: Annotated[int, Ge(0)] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Offer:
    """One model as one provider sells it."""

    model: str  # the canonical id (pricing.yaml, or ``ProviderTable.models``)
    endpoints: tuple[str, ...] = ()  # the provider's own names for it: aliases
    billing: ProviderBilling  # told apart by `kind`
    limits: OfferLimits = field(default_factory=OfferLimits)
    source: str
    checked: dt.date
    confidence: Literal["official", "third-party"]
    note: str = ""

    def __post_init__(self) -> None:
        _check_url("source", self.source)


@dataclass(frozen=True, slots=True, kw_only=True)
class Provider:
    id: str
    name: Text
    site: str  # the provider's pricing overview
    note: str = ""
    offers: tuple[Offer, ...]

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id) or self.id == BFL:
            raise ValueError(f"provider id {self.id!r}: a-z, 0-9, '.' and '-', and not {BFL!r}")
        _check_url("site", self.site)
        _unique(f"model of provider {self.id}", [o.model for o in self.offers])

    def offer(self, model_id: str) -> Offer | None:
        return next((o for o in self.offers if o.model == model_id), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenModel:
    """A model BFL sells no API for (so not in pricing.yaml) that providers sell."""

    id: str
    name: Text
    family: Literal["flux2", "flux1"]
    aliases: tuple[str, ...] = ()
    source: str  # where the model is described

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise ValueError(f"id {self.id!r} may hold only a-z, 0-9, '.' and '-'")
        _check_url("source", self.source)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderTable:
    schema_version: Literal[1]
    checked: dt.date
    models: tuple[OpenModel, ...] = ()
    providers: tuple[Provider, ...]

    # Read by pydantic in provider_file.py, for this class and every dataclass inside it.
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}

    def __post_init__(self) -> None:
        _unique("provider id", [p.id for p in self.providers])
        _unique("open model id", [m.id for m in self.models])
        # An endpoint name is an alias of one model: the same name for two models is an error.
        seen: dict[str, str] = {}
        for provider in self.providers:
            for offer in provider.offers:
                for name in offer.endpoints:
                    if seen.setdefault(name.lower(), offer.model) != offer.model:
                        raise ValueError(f"endpoint {name!r} names both {seen[name.lower()]}"
                                         f" and {offer.model}")  # fmt: skip

    def provider(self, name: str) -> Provider:
        """The provider called ``name`` (any case); an unknown one names the closest."""
        key = name.strip().lower()
        found = next((p for p in self.providers if p.id == key), None)
        if found is not None:
            return found
        ids = [BFL, *(p.id for p in self.providers)]
        near = closest(key, {i: i for i in ids})
        hint = f"did you mean {', '.join(near)}?" if near else f"the providers are {', '.join(ids)}"
        raise FluxcostError(f"unknown provider {name!r}: {hint}")

    def endpoint_model(self, name: str) -> str | None:
        """The canonical id an endpoint name of any provider stands for, or None."""
        key = name.strip().lower()
        for provider in self.providers:
            for offer in provider.offers:
                if key in (e.lower() for e in offer.endpoints):
                    return offer.model
        return None


def _unique(what: str, names: list[str]) -> None:
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"{what} listed twice: {', '.join(twice)}")
