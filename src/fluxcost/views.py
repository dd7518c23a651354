"""Plain, JSON-ready views of quotes and rate tables (money as decimal strings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass
from decimal import Decimal
from typing import Any

from fluxcost.megapixels import PIXELS_PER_MP
from fluxcost.money import plain, usd
from fluxcost.pricing import Quote
from fluxcost.rates import (
    BILLING_KINDS,
    Flat,
    Limits,
    LocalOnly,
    ModelRate,
    PerMegapixel,
    RateTable,
)


def quote_view(q: Quote, table: RateTable) -> dict[str, Any]:
    rate = q.credit_usd
    return {
        "model": q.model.id,
        "model_name": q.model.name,
        "billing": q.model.billing.kind,
        "width": q.request.output.width,
        "height": q.request.output.height,
        "inputs": [{"width": i.width, "height": i.height} for i in q.request.inputs],
        "batch": q.batch,
        "line_items": [
            {
                "item": item.label,
                "detail": item.detail,
                "quantity": item.quantity,
                "unit": item.unit,
                "unit_credits": plain(item.unit_credits),
                "credits": plain(item.credits),
                "usd": usd(item.credits * rate),
            }
            for item in q.items
        ],
        "per_image_credits": plain(q.per_image_credits),
        "per_image_usd": usd(q.per_image_usd),
        "total_credits": plain(q.total_credits),
        "total_usd": usd(q.total_usd),
        "currency": table.currency,
        "credit_usd": plain(rate),
        "notes": list(q.notes),
        "source": q.model.source,
        "checked": q.model.checked.isoformat(),
        "rates": table.origin,
    }


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


def _pixels(value: int) -> str:
    whole, rest = divmod(value, PIXELS_PER_MP)
    return f"{whole} MP" if not rest else f"{value:,} px"


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
    def images(count: int) -> str:
        return f"{count} input{'' if count == 1 else 's'}"

    if lim.min_inputs == lim.max_inputs:
        return f"exactly {images(lim.max_inputs)}" if lim.max_inputs else "no inputs"
    if lim.min_inputs:
        return f"{lim.min_inputs} to {images(lim.max_inputs)}"
    return f"up to {images(lim.max_inputs)}"


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


def _model_json(model: ModelRate) -> dict[str, object]:
    view: dict[str, object] = {}
    for name, value in _json(model).items():
        if name == "billing":  # the kind as "billing", and the prices beside it
            prices = dict(value)
            view["billing"] = prices.pop("kind")
            view.update({**_NO_PRICES, **prices})
        else:
            view[name] = value
    return view


def models_view(table: RateTable) -> dict[str, Any]:
    """The table as JSON, derived from the rate types' fields so that it cannot leave one out."""
    return {
        "currency": table.currency,
        "credit_usd": plain(table.credit_usd),
        "prices_checked": table.prices_checked.isoformat(),
        "rates": table.origin,
        "models": [_model_json(m) for m in table.models],
    }
