"""The rate table's types: the one definition of every rate field, and where tables come from.

Frozen dataclasses with exact ``Decimal`` credits. A model's prices carry the day they took
effect (``since``) and its earlier prices (``history``); ``RateTable.as_of`` gives the table
as it was on a day, and ``discounted`` and ``overlaid`` give your own rates, so that the
pricing engine prices any of them unchanged. ``rate_file.py`` validates YAML into these
same types with pydantic (the ``Annotated`` constraints and ``__post_init__`` checks below are
the rules it applies); the packaged table is compiled into ``rates_data.py`` at build time, so
importing this module, or pricing with the packaged table, loads neither yaml nor pydantic.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from annotated_types import Ge, MinLen

from fluxcost.errors import FluxcostError, UnknownModel, closest, read_user_file

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


@dataclass(frozen=True, slots=True, kw_only=True)
class NotYetSold(LocalOnly):
    """A model on a day before its first known price (``RateTable.as_of``): it stays in the
    table, so that comparisons list it, but nothing can be priced on it. Never read from a
    file: a file's ``local_only`` is always the plain kind."""

    first_priced: dt.date  # the first day a price of it is known
    day: dt.date  # the day asked for

    @property
    def reason(self) -> str:
        """Why a comparison cannot price it, in a few words."""
        return f"not sold before {self.first_priced}"

    def refusal(self, model_id: str) -> str:
        """The one-line error for quoting it."""
        return (
            f"{model_id} has no price on {self.day}: its first known price is from"
            f" {self.first_priced} (use a date from then on)"
        )


BILLING_KINDS = (PerMegapixel, Flat, LocalOnly)
Billing = Annotated[PerMegapixel | Flat | LocalOnly, _Boundary("kind")]
Confidence = Literal["official", "third-party", "provisional"]
# What ``overlaid`` may change: every price field of every billing kind.
PRICE_FIELDS = tuple(f.name for kind in BILLING_KINDS for f in fields(kind) if f.name != "kind")


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedBilling:
    """An earlier price of a model: its billing from ``since`` until the next price."""

    since: dt.date  # the day this price took effect
    billing: Billing
    source: str  # the URL the price (and its date) was read from
    confidence: Confidence
    note: str = ""

    def __post_init__(self) -> None:
        _check_url("source", self.source)


def _check_url(name: str, value: str) -> None:
    if not _URL.fullmatch(value):
        raise ValueError(f"{name} {value!r} is not an http(s) URL")


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
    confidence: Confidence
    note: str = ""
    # The day ``billing`` took effect; None: no dated history (the same price on any day).
    since: dt.date | None = None
    since_source: str | None = None  # where that day is documented, when not ``source``
    history: tuple[DatedBilling, ...] = ()  # earlier prices, oldest first

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise ValueError(f"id {self.id!r} may hold only a-z, 0-9, '.' and '-'")
        _check_url("source", self.source)
        if self.since_source is not None:
            _check_url("since_source", self.since_source)
        if self.since is None and (self.history or self.since_source):
            raise ValueError("history and since_source need `since`, the day the price took effect")
        # Effective-from dates strictly ascending: each price runs until the next one.
        for before, after in itertools.pairwise(self.price_dates):
            if before >= after:
                raise ValueError(
                    f"history dates must ascend, each before the next and before `since`:"
                    f" {before} is not before {after}"
                )

    @property
    def on_api(self) -> bool:
        return not isinstance(self.billing, LocalOnly)

    @property
    def price_dates(self) -> tuple[dt.date, ...]:
        """Every day a price of this model took effect, oldest first (none: undated)."""
        return () if self.since is None else (*(h.since for h in self.history), self.since)

    def price_period(self, day: dt.date) -> int:
        """Which of its prices was in effect on ``day``, as a number: days with the same
        number have the same price (0: before the first one). A cheap cache key for pricing
        many dated rows: ``as_of`` once per (model, period), not once per row."""
        return bisect.bisect_right(self.price_dates, day)

    def as_of(self, day: dt.date) -> ModelRate:
        """This model as it was priced on ``day``: itself (no copy) on or after ``since``, its
        earlier billing before that, and ``NotYetSold`` before its first known price."""
        if self.since is None or day >= self.since:
            return self
        earlier = [h for h in self.history if h.since <= day]
        if not earlier:
            first = self.price_dates[0]
            return replace(self, billing=NotYetSold(first_priced=first, day=day))
        then = earlier[-1]
        return replace(
            self,
            billing=then.billing,
            source=then.source,
            confidence=then.confidence,
            note=then.note or self.note,
            since=then.since,
            since_source=None,
            history=tuple(earlier[:-1]),
        )


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
    # Set by the transforms below, never by a file: the day the prices are as of (None: the
    # current prices), and how your rates differ from the published ones.
    priced_on: dt.date | None = None
    your_rates: YourRates | None = None
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
        raise UnknownModel(
            f"unknown model {name!r}: {hint} (`fluxcost models` lists every id)", name
        )

    def api_models(self) -> tuple[ModelRate, ...]:
        return tuple(m for m in self.models if m.on_api)

    def as_of(self, day: dt.date) -> RateTable:
        """The same table with each model priced as it was on ``day``; a model not yet priced
        then is kept, as ``NotYetSold``. Only the current prices can be dated."""
        if self.priced_on is not None and self.priced_on != day:
            raise ValueError(f"this table is already as of {self.priced_on}")
        return replace(self, models=tuple(m.as_of(day) for m in self.models), priced_on=day)

    def dated_after(self, day: dt.date) -> bool:
        """Whether a price in the table takes effect after ``day`` (an announced change)."""
        return any(m.since is not None and m.since > day for m in self.models)

    def discounted(self, percent: Decimal) -> RateTable:
        """Every price ``percent`` lower, exactly: a credit is worth that much less in dollars,
        so the credits stay as BFL counts them (and ``bill --reconcile`` still checks them)."""
        if not 0 < percent < 100:
            raise FluxcostError(
                f"--discount {percent}% is not a discount: give more than 0 and less than 100"
            )
        mine = self.your_rates or YourRates()
        return replace(
            self,
            credit_usd=self.credit_usd * (100 - percent) / 100,
            your_rates=replace(mine, discount_percent=percent, list_credit_usd=self.credit_usd),
        )

    def overlaid(self, origin: str, prices: dict[str, dict[str, Decimal]]) -> RateTable:
        """Your own prices: ``prices`` maps a model (id or alias) to the price fields it
        changes; every other price stays. ``origin`` names the file, for reports."""
        changed = {self.get(name).id: fields_ for name, fields_ in prices.items()}
        models = tuple(
            _with_prices(m, changed[m.id]) if m.id in changed else m for m in self.models
        )
        from fluxcost.money import plain

        what = tuple(
            f"{model_id} {name} {plain(value)}"
            for model_id, given in changed.items()
            for name, value in given.items()
        )
        mine = replace(self.your_rates or YourRates(), overlay=origin, overridden=what)
        return replace(self, models=models, your_rates=mine)


def _with_prices(model: ModelRate, prices: dict[str, Decimal]) -> ModelRate:
    """``model`` with the named price fields of its billing changed."""
    if isinstance(model.billing, NotYetSold):  # not sold that day: nothing to price
        return model
    own = {f.name for f in fields(model.billing)} - {"kind"}
    for name in prices:
        if name not in own:
            allowed = ", ".join(sorted(own)) or "none: it has no API price"
            raise FluxcostError(
                f"{model.id} is billed {model.billing.kind}: it has no {name} (its prices:"
                f" {allowed})"
            )
    billing: Any = model.billing  # one of the kinds; the names were checked against it
    return replace(model, billing=replace(billing, **prices))


@dataclass(frozen=True, slots=True)
class YourRates:
    """How a table's prices differ from the published ones, for every report to say."""

    discount_percent: Decimal | None = None
    list_credit_usd: Decimal | None = None  # a credit's published dollar value
    overlay: str | None = None  # the --rates-overlay file
    overridden: tuple[str, ...] = ()  # what it changed: "flux2-pro first_mp_credits 2.5"

    def sentence(self) -> str:
        """``from mine.yaml (flux2-pro first_mp_credits 2.5), then 15% off ($0.0085 a credit,
        not $0.01)``."""
        parts = []
        if self.overlay is not None:
            parts.append(f"from {self.overlay} ({', '.join(self.overridden)})")
        if self.discount_percent is not None and self.list_credit_usd is not None:
            from fluxcost.money import plain, usd_shown

            ours = self.list_credit_usd * (100 - self.discount_percent) / 100
            parts.append(
                f"{plain(self.discount_percent)}% off (${usd_shown(ours)} a credit, not"
                f" ${usd_shown(self.list_credit_usd)})"
            )
        return ", then ".join(parts)


# The report fields that say which prices were used; left out of JSON while they are None.
BASIS_FIELDS = ("prices_as_of", "discount_percent", "your_rates")


def basis_fields(table: RateTable) -> dict[str, Any]:
    """What a report says about the prices it used: ``prices_as_of``, ``discount_percent``
    and ``your_rates`` (None when they are today's published prices)."""
    mine = table.your_rates
    return {
        "prices_as_of": table.priced_on,
        "discount_percent": None if mine is None else mine.discount_percent,
        "your_rates": None if mine is None else mine.sentence(),
    }


def basis_line(prices_as_of: dt.date | None, your_rates: str | None) -> str | None:
    """``Prices as of 2026-01-01; your rates: 15% off ...`` for a report, or None."""
    parts = [f"prices as of {prices_as_of}"] if prices_as_of is not None else []
    parts += [f"your rates: {your_rates}"] if your_rates else []
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] or None


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
