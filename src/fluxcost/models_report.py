"""The report of ``fluxcost models``: the rate table as a person and a script read it, and
with ``--size``, ranked by the price of that request.

The JSON of each model is derived from the rate types' own fields, so that no field of
``ModelRate`` or ``Limits`` can be left out of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from fluxcost.megapixels import PIXELS_PER_MP
from fluxcost.money import plain, plural, usd
from fluxcost.rates import (
    BILLING_KINDS,
    Flat,
    Limits,
    LocalOnly,
    ModelRate,
    PerMegapixel,
    RateTable,
)

if TYPE_CHECKING:
    from fluxcost.pricing import Request
    from fluxcost.quote_report import ModelPrice


@dataclass(frozen=True, slots=True)
class ModelEntry:
    model: ModelRate
    rates_text: str  # the rates and limits as a person reads them
    limits_text: str
    price: ModelPrice | None = None  # with --size: the request's price, or why it cannot

    def json_data(self) -> dict[str, Any]:
        """The model's fields (its billing kind as ``billing``, every price beside it, null
        where its kind has none), then the two texts, then the request's price if asked."""
        view: dict[str, Any] = {}
        for name, value in _json(self.model).items():
            if name == "billing":
                prices = dict(value)
                view["billing"] = prices.pop("kind")
                view.update({**_NO_PRICES, **prices})
            else:
                view[name] = value
        view.update(rates_text=self.rates_text, limits_text=self.limits_text)
        return view if self.price is None else {**view, **_price_json(self.price)}


def _price_json(price: ModelPrice) -> dict[str, Any]:
    def money(value: Decimal | None, text: Callable[[Decimal], str]) -> str | None:
        return None if value is None else text(value)

    return {
        "can_serve": price.can_serve,
        "reason": price.reason,
        "per_image_credits": money(price.per_image_credits, plain),
        "per_image_usd": money(price.per_image_usd, usd),
        "per_1000_usd": money(price.per_1000_usd, usd),
    }


@dataclass(frozen=True, slots=True)
class ModelsReport:
    currency: str
    credit_usd: Decimal
    prices_checked: dt.date
    rates: str
    models: tuple[ModelEntry, ...]
    # With --size (and --input): the request the models are ranked by, cheapest first.
    size: str | None = None
    inputs: tuple[str, ...] | None = None

    omit_if_none: ClassVar[tuple[str, ...]] = ("size", "inputs")  # from JSON


def models_report(table: RateTable, request: Request | None = None) -> ModelsReport:
    entries = tuple(ModelEntry(m, rates_text(m), limits_text(m)) for m in table.models)
    if request is not None:
        entries = _ranked(entries, request, table)
    return ModelsReport(
        currency=table.currency,
        credit_usd=table.credit_usd,
        prices_checked=table.prices_checked,
        rates=table.origin,
        models=entries,
        size=None if request is None else str(request.output),
        inputs=None if request is None else tuple(str(i) for i in request.inputs),
    )


def _ranked(
    entries: tuple[ModelEntry, ...], request: Request, table: RateTable
) -> tuple[ModelEntry, ...]:
    """``entries`` cheapest first for ``request``, each with its price or reason."""
    from fluxcost.pricing import on_every_model
    from fluxcost.quote_report import model_prices

    by_id = {entry.model.id: entry for entry in entries}
    prices = model_prices(on_every_model(table.models, request, 1, table.credit_usd))
    return tuple(replace(by_id[price.model], price=price) for price in prices)


def rates_text(model: ModelRate) -> str:
    match model.billing:
        case Flat(credits_per_image=price):
            return f"{plain(price)} per image"
        case PerMegapixel() as rate:
            return (
                f"{plain(rate.first_mp_credits)} first MP,"
                f" {plain(rate.extra_mp_credits)} per extra MP,"
                f" {plain(rate.input_mp_credits)} per input MP"
            )
        case LocalOnly():
            return "local only, no API price"


def limits_text(model: ModelRate) -> str:
    """Every limit of ``model`` in words; a test checks that no field of Limits is left out."""
    lim = model.limits
    parts = [_sides(lim)]
    if lim.warn_below_side:
        parts.append(f"noted below {lim.warn_below_side} px")
    if lim.max_output_pixels:
        parts.append(f"output <= {_pixels(lim.max_output_pixels)}")
    if lim.aspect_min or lim.aspect_max:
        parts.append(f"aspect {lim.aspect_min or 'any'} to {lim.aspect_max or 'any'}")
    if lim.sized_by_api:
        parts.append("the API sets the size")
    if lim.max_total_pixels:
        parts.append(f"output + inputs <= {_pixels(lim.max_total_pixels)}")
    if model.on_api or lim.min_inputs or lim.max_inputs:
        parts.append(_inputs(lim))
    return ", ".join(p for p in parts if p) or "-"


def _pixels(value: int) -> str:
    whole, rest = divmod(value, PIXELS_PER_MP)
    return f"{whole} MP" if not rest else f"{value:,} px"


def _sides(lim: Limits) -> str:
    sides = ""
    if lim.min_side and lim.max_side:
        sides = f"sides {lim.min_side}-{lim.max_side} px"
    elif lim.min_side:
        sides = f"sides >= {lim.min_side} px"
    elif lim.max_side:
        sides = f"sides <= {lim.max_side} px"
    if lim.multiple_of:
        sides += f" in steps of {lim.multiple_of}"
    return sides.strip()


def _inputs(lim: Limits) -> str:
    if lim.min_inputs == lim.max_inputs:
        return f"exactly {plural(lim.max_inputs, 'input')}" if lim.max_inputs else "no inputs"
    if lim.min_inputs:
        return f"{lim.min_inputs} to {plural(lim.max_inputs, 'input')}"
    return f"up to {plural(lim.max_inputs, 'input')}"


def _json(value: object) -> Any:
    """A rate-table value as JSON: every field of a dataclass, money as exact decimal strings,
    dates as ISO text."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json(getattr(value, f.name)) for f in fields(value) if f.init}
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_json(item) for item in value]
    return value


# Every price field of every billing kind: each model shows them all, null where it has none.
_NO_PRICES = {f.name: None for kind in BILLING_KINDS for f in fields(kind) if f.name != "kind"}
