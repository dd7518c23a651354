"""The rate table's types: the one definition of every rate field, and where tables come from.

Frozen dataclasses with exact ``Decimal`` credits. ``rate_file.py`` validates YAML into these
same types with pydantic (the ``Annotated`` constraints and ``__post_init__`` checks below are
the rules it applies); the packaged table is compiled into ``rates_data.py`` at build time, so
importing this module, or pricing with the packaged table, loads neither yaml nor pydantic.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from annotated_types import Ge, MinLen

from fluxcost.errors import FluxcostError, closest, read_user_file

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

PACKAGED_RATES = Path(__file__).with_name("pricing.yaml")


class _Boundary:
    """``Annotated`` marker for a rule pydantic applies when ``rate_file.py`` validates a file:
    "kind" picks the billing kind, "exact" takes 5 (not 5.0, "5" or true) and true (not "yes"),
    "given" refuses null (leave the key out for "no limit"). Only pydantic calls this, so this
    module never imports it."""

    __slots__ = ("rule",)

    def __init__(self, rule: Literal["kind", "exact", "given"]) -> None:
        self.rule = rule

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from fluxcost.rate_file import boundary_schema

        return boundary_schema(self.rule, source, handler)


# Credits are exact decimals, 0 or more; pydantic also refuses NaN, infinities and booleans.
Credits = Annotated[Decimal, Ge(0)]
Pixels = Annotated[int, _Boundary("exact"), Ge(1)]
Count = Annotated[int, _Boundary("exact"), Ge(0)]
Flag = Annotated[bool, _Boundary("exact")]
Text = Annotated[str, MinLen(1)]
# A limit a model may not have: None (no limit) when the file leaves it out.
MaybePixels = Annotated[Pixels | None, _Boundary("given")]
MaybeAspect = Annotated[str | None, _Boundary("given")]

_ASPECT = re.compile(r"[1-9][0-9]*:[1-9][0-9]*")
_ID = re.compile(r"[a-z0-9][a-z0-9.\-]*")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True)
class Limits:
    """What a model can make and take; ``None`` is no limit."""

    multiple_of: MaybePixels = None
    min_side: MaybePixels = None
    warn_below_side: MaybePixels = None  # sides below this are priced, with a note
    max_side: MaybePixels = None
    max_output_pixels: MaybePixels = None
    # Output plus inputs, each input counted as the API takes it (see megapixels.py).
    max_total_pixels: MaybePixels = None
    aspect_min: MaybeAspect = None  # "W:H", the narrowest allowed, as the source writes it
    aspect_max: MaybeAspect = None  # "W:H", the widest allowed
    min_inputs: Count = 0
    max_inputs: Count = 0
    sized_by_api: Flag = False  # takes an aspect ratio; the API picks the exact size

    def __post_init__(self) -> None:
        for name, text in (("aspect_min", self.aspect_min), ("aspect_max", self.aspect_max)):
            if text is not None and not _ASPECT.fullmatch(text):
                raise ValueError(f"{name} {text!r} is not W:H in whole numbers, e.g. '3:7'")
        if self.min_inputs > self.max_inputs:
            raise ValueError(f"min_inputs {self.min_inputs} is over max_inputs {self.max_inputs}")

    def aspect_range(self) -> tuple[Fraction | None, Fraction | None]:
        """The allowed width/height ratios as exact fractions (None: no bound)."""
        return _ratio(self.aspect_min), _ratio(self.aspect_max)


def _ratio(text: str | None) -> Fraction | None:
    if text is None:
        return None
    width, height = text.split(":")
    return Fraction(int(width), int(height))


@dataclass(frozen=True, slots=True)
class PerMegapixel:
    """FLUX.2: the first output MP, each further output MP and each input MP, in credits."""

    first_mp_credits: Credits
    extra_mp_credits: Credits
    input_mp_credits: Credits
    kind: Literal["per_megapixel"] = "per_megapixel"


@dataclass(frozen=True, slots=True)
class Flat:
    """FLUX.1 and Kontext: one price per image, whatever its size and inputs."""

    credits_per_image: Credits
    kind: Literal["flat"] = "flat"


@dataclass(frozen=True, slots=True)
class LocalOnly:
    """Open weights that BFL sells no API for: there is nothing to price."""

    kind: Literal["local_only"] = "local_only"


BILLING_KINDS = (PerMegapixel, Flat, LocalOnly)
Billing = Annotated[PerMegapixel | Flat | LocalOnly, _Boundary("kind")]


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelRate:
    """One model: how it is billed, what it can make, and where its price was read."""

    id: str
    name: Text
    family: Literal["flux2", "flux1"]
    endpoint: str | None = None  # BFL's API endpoint name, where it sells one
    aliases: tuple[str, ...] = ()
    billing: Billing
    limits: Limits = field(default_factory=Limits)
    source: str  # the URL the price was read from
    checked: dt.date  # when it was last read there
    confidence: Literal["official", "third-party", "provisional"]
    note: str = ""

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise ValueError(f"id {self.id!r} may hold only a-z, 0-9, '.' and '-'")
        if not _URL.fullmatch(self.source):
            raise ValueError(f"source {self.source!r} is not an http(s) URL")

    @property
    def on_api(self) -> bool:
        return not isinstance(self.billing, LocalOnly)


@dataclass(frozen=True, slots=True, kw_only=True)
class RateTable:
    """Every model and the dollar value of a credit; ``get`` finds a model by id or alias."""

    # 2: prices under each model's `billing` mapping, with its `kind`; 1 had them beside it.
    schema_version: Literal[2]
    currency: Literal["USD"]
    credit_usd: Credits  # dollars per credit
    prices_checked: dt.date
    models: tuple[ModelRate, ...]
    origin: str = "pricing.yaml"  # where the table came from, for output; set by the loader
    # Every id and alias, lower-cased; derived from ``models``.
    _index: dict[str, ModelRate] = field(init=False, repr=False, compare=False)

    # Read by pydantic in rate_file.py, for this class and every dataclass inside it.
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}

    def __post_init__(self) -> None:
        if not self.models:
            raise ValueError("a rate table lists at least one model")
        index: dict[str, ModelRate] = {}
        for model in self.models:
            for name in (model.id, *model.aliases):
                key = name.lower()
                if key in index:
                    raise ValueError(
                        f"name {name!r} of model {model.id} is already used by {index[key].id}"
                    )
                index[key] = model
        object.__setattr__(self, "_index", index)

    def get(self, name: str) -> ModelRate:
        """The model called ``name`` (id or alias, any case); unknown names name the closest."""
        key = name.strip().lower()
        found = self._index.get(key)
        if found is not None:
            return found
        ids = closest(key, {spelling: model.id for spelling, model in self._index.items()})
        hint = f"did you mean {', '.join(ids)}?" if ids else "no model has a similar name."
        raise FluxcostError(f"unknown model {name!r}: {hint} (`fluxcost models` lists every id)")

    def api_models(self) -> tuple[ModelRate, ...]:
        return tuple(m for m in self.models if m.on_api)


def load_rates(path: str | Path | None = None) -> RateTable:
    """The packaged table (``path=None``) or a user's rate-table YAML, validated."""
    if path is None:
        return _packaged()
    from fluxcost.rate_file import read_rates

    return read_rates(path)


@lru_cache(maxsize=1)
def _packaged() -> RateTable:
    # The table compiled at build time, unless the installed pricing.yaml is not the file it
    # was compiled from (an edited editable install): then the YAML is the truth, validated.
    import hashlib

    from fluxcost import rates_data

    raw = PACKAGED_RATES.read_bytes()
    if hashlib.sha256(raw).hexdigest() == rates_data.YAML_SHA256:
        return rates_data.TABLE
    from fluxcost.rate_file import parse_rates

    return parse_rates(read_user_file(PACKAGED_RATES, "packaged rate table"), "pricing.yaml")
