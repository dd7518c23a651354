"""The rate table at run time: load and validate a YAML file, look models up by name."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from fluxcost.errors import FluxcostError, read_user_file

if TYPE_CHECKING:
    from fluxcost.schema import ModelSpec

PACKAGED_RATES = Path(__file__).with_name("pricing.yaml")


@dataclass(frozen=True)
class Limits:
    multiple_of: int | None = None
    min_side: int | None = None
    warn_below_side: int | None = None
    max_side: int | None = None
    max_output_pixels: int | None = None
    max_total_pixels: int | None = None
    aspect_min: str | None = None  # "W:H", the narrowest allowed, as the source writes it
    aspect_max: str | None = None  # "W:H", the widest allowed
    max_inputs: int = 0
    sized_by_api: bool = False

    def aspect_range(self) -> tuple[Fraction | None, Fraction | None]:
        """The allowed width/height ratios as exact fractions (None: no bound)."""
        return _ratio(self.aspect_min), _ratio(self.aspect_max)


@dataclass(frozen=True)
class ModelRate:
    id: str
    name: str
    family: str
    billing: str  # per_megapixel | flat | local_only
    endpoint: str | None
    aliases: tuple[str, ...]
    first_mp_credits: Decimal | None
    extra_mp_credits: Decimal | None
    input_mp_credits: Decimal | None
    credits_per_image: Decimal | None
    limits: Limits
    source: str
    checked: dt.date
    confidence: str
    note: str

    @property
    def on_api(self) -> bool:
        return self.billing != "local_only"


@dataclass(frozen=True)
class RateTable:
    models: tuple[ModelRate, ...]
    credit_usd: Decimal
    currency: str
    prices_checked: dt.date
    origin: str  # where the table came from, for messages and output
    # Every id and alias, lower-cased; derived from ``models``.
    _index: dict[str, ModelRate] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {name.lower(): m for m in self.models for name in (m.id, *m.aliases)}
        object.__setattr__(self, "_index", index)

    def get(self, name: str) -> ModelRate:
        """The model called ``name`` (id or alias, any case); unknown names name the closest."""
        key = name.strip().lower()
        found = self._index.get(key)
        if found is not None:
            return found
        index = self._index
        close = difflib.get_close_matches(key, list(index), n=6, cutoff=0.5)
        ids = list(dict.fromkeys(index[c].id for c in close))[:3]
        hint = f"did you mean {', '.join(ids)}?" if ids else "no model has a similar name."
        raise FluxcostError(f"unknown model {name!r}: {hint} (`fluxcost models` lists every id)")

    def api_models(self) -> tuple[ModelRate, ...]:
        return tuple(m for m in self.models if m.on_api)


def _ratio(text: str | None) -> Fraction | None:
    if text is None:
        return None
    width, height = text.split(":")
    return Fraction(int(width), int(height))


def _to_runtime(spec: ModelSpec) -> ModelRate:
    lim = spec.limits
    return ModelRate(
        id=spec.id,
        name=spec.name,
        family=spec.family,
        billing=spec.billing,
        endpoint=spec.endpoint,
        aliases=tuple(spec.aliases),
        first_mp_credits=spec.first_mp_credits,
        extra_mp_credits=spec.extra_mp_credits,
        input_mp_credits=spec.input_mp_credits,
        credits_per_image=spec.credits_per_image,
        limits=Limits(
            multiple_of=lim.multiple_of,
            min_side=lim.min_side,
            warn_below_side=lim.warn_below_side,
            max_side=lim.max_side,
            max_output_pixels=lim.max_output_pixels,
            max_total_pixels=lim.max_total_pixels,
            aspect_min=lim.aspect_min,
            aspect_max=lim.aspect_max,
            max_inputs=lim.max_inputs,
            sized_by_api=lim.sized_by_api,
        ),
        source=spec.source,
        checked=spec.checked,
        confidence=spec.confidence,
        note=spec.note,
    )


def parse_rates(text: str, origin: str) -> RateTable:
    """Validate YAML text as a rate table; any problem is one FluxcostError line."""
    from fluxcost.schema import RateFileSpec, field_name
    from fluxcost.yaml_files import load_validated

    spec, _ = load_validated(
        text, origin, RateFileSpec, "a rate table is a YAML mapping with a models list", field_name
    )
    return RateTable(
        models=tuple(_to_runtime(m) for m in spec.models),
        credit_usd=spec.credit_usd,
        currency=spec.currency,
        prices_checked=spec.prices_checked,
        origin=origin,
    )


def load_rates(path: str | Path | None = None) -> RateTable:
    """The packaged table (``path=None``) or a user's ``--rates`` file, validated."""
    if path is None:
        return _packaged()
    return parse_rates(read_user_file(path, "rate table"), str(path))


@lru_cache(maxsize=1)
def _packaged() -> RateTable:
    # Building the pydantic schema costs more start-up time than the rest of a quote, so the
    # validated packaged table is cached, keyed by a hash of its exact bytes and our version:
    # any edit to pricing.yaml is validated again. --rates files are validated every time.
    from fluxcost import validated_cache

    raw = PACKAGED_RATES.read_bytes()
    return validated_cache.packaged_table(
        raw, lambda: parse_rates(raw.decode("utf-8"), "pricing.yaml")
    )
