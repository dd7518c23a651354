"""Plain, JSON-ready views of quotes and rate tables (money as decimal strings)."""

from __future__ import annotations

from typing import Any

from fluxcost.engine import Quote
from fluxcost.megapixels import PIXELS_PER_MP
from fluxcost.money import plain, usd
from fluxcost.rates import ModelRate, RateTable


def quote_view(q: Quote, table: RateTable) -> dict[str, Any]:
    rate = q.credit_usd
    return {
        "model": q.model.id,
        "model_name": q.model.name,
        "billing": q.model.billing,
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
    if model.credits_per_image is not None:
        return f"{plain(model.credits_per_image)} per image"
    if model.first_mp_credits is not None:
        return (
            f"{plain(model.first_mp_credits)} first MP,"
            f" {_opt(model.extra_mp_credits)} per extra MP,"
            f" {_opt(model.input_mp_credits)} per input MP"
        )
    return "local only, no API price"


def _pixels(value: int) -> str:
    whole, rest = divmod(value, PIXELS_PER_MP)
    return f"{whole} MP" if not rest else f"{value:,} px"


def limits_text(model: ModelRate) -> str:
    lim = model.limits
    parts: list[str] = []
    sides = ""
    if lim.min_side and lim.max_side:
        sides = f"sides {lim.min_side}-{lim.max_side} px"
    elif lim.min_side:
        sides = f"sides >= {lim.min_side} px"
    if lim.multiple_of:
        sides += f" in steps of {lim.multiple_of}"
    if sides:
        parts.append(sides.strip())
    if lim.max_output_pixels:
        parts.append(f"output <= {_pixels(lim.max_output_pixels)}")
    if lim.aspect_min and lim.aspect_max:
        parts.append(f"aspect {lim.aspect_min} to {lim.aspect_max}")
    if lim.max_total_pixels:
        parts.append(f"output + inputs <= {_pixels(lim.max_total_pixels)}")
    if model.on_api:
        parts.append(f"up to {lim.max_inputs} inputs" if lim.max_inputs else "no inputs")
    return ", ".join(parts) or "-"


def _opt(value: Any) -> str | None:
    return None if value is None else plain(value)


def models_view(table: RateTable) -> dict[str, Any]:
    return {
        "currency": table.currency,
        "credit_usd": plain(table.credit_usd),
        "prices_checked": table.prices_checked.isoformat(),
        "rates": table.origin,
        "models": [
            {
                "id": m.id,
                "name": m.name,
                "family": m.family,
                "billing": m.billing,
                "endpoint": m.endpoint,
                "aliases": list(m.aliases),
                "first_mp_credits": _opt(m.first_mp_credits),
                "extra_mp_credits": _opt(m.extra_mp_credits),
                "input_mp_credits": _opt(m.input_mp_credits),
                "credits_per_image": _opt(m.credits_per_image),
                "limits": {
                    "multiple_of": m.limits.multiple_of,
                    "min_side": m.limits.min_side,
                    "max_side": m.limits.max_side,
                    "max_output_pixels": m.limits.max_output_pixels,
                    "max_total_pixels": m.limits.max_total_pixels,
                    "aspect_min": m.limits.aspect_min,
                    "aspect_max": m.limits.aspect_max,
                    "max_inputs": m.limits.max_inputs,
                },
                "source": m.source,
                "checked": m.checked.isoformat(),
                "confidence": m.confidence,
                "note": m.note,
            }
            for m in table.models
        ],
    }
