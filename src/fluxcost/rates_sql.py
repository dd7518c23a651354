"""The rate table as SQL: the rates (every name, aliases included) as a VALUES list and the
per-row pricing as expressions, in DuckDB's dialect (sqlglot turns it into others).

The SQL prices exactly the requests ``pricing.output_part`` and ``pricing.inputs_part`` price
without a full quote, the way ``pricing.credits_per_image`` does: FLUX.2 per MP
(ceil(w*h/1048576), at least 1; inputs at most 4 MP each), flat credits per image otherwise.
A row it cannot price gets NULL credits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fluxcost import pricing
from fluxcost.megapixels import INPUT_MP_CAP, PIXELS_PER_MP
from fluxcost.rates import Billing, Flat, ModelRate, PerMegapixel, RateTable

COLUMNS = ("name", "model_id", "flat", "first_mp", "extra_mp", "input_mp", "step", "min_side",
           "max_side", "max_output_pixels", "aspect_min_w", "aspect_min_h", "aspect_max_w",
           "aspect_max_h", "min_inputs", "max_inputs", "max_total_pixels")  # fmt: skip
DATED_COLUMNS = (*COLUMNS, "valid_from", "valid_until")
MONEY = "DECIMAL(18, 6)"  # a plain charge: at most 6 decimal places
Value = str | int | Decimal | None


def priced_models(table: RateTable) -> list[ModelRate]:
    """The models with a price per image or per MP (others: no row, so no price)."""
    return [m for m in table.models if m.on_api and isinstance(m.billing, (Flat, PerMegapixel))]


def max_inputs(table: RateTable) -> int:
    return max((m.limits.max_inputs for m in priced_models(table)), default=0)


def rate_rows(table: RateTable) -> list[tuple[Value, ...]]:
    """One row per name a log may use (lower case), with the model's prices and limits."""
    rows: list[tuple[Value, ...]] = []
    for model in priced_models(table):
        figures = _figures(model, model.billing)
        rows += [(name, model.id, *figures) for name in _names(model)]
    return rows


def _names(model: ModelRate) -> list[str]:
    return sorted({model.id.lower(), *(a.lower() for a in model.aliases)})


def _figures(model: ModelRate, billing: Billing) -> tuple[Value, ...]:
    """A model's prices under ``billing`` and its limits, as the columns after model_id."""
    lim = model.limits
    flat = billing.credits_per_image if isinstance(billing, Flat) else None
    mp = billing if isinstance(billing, PerMegapixel) else None
    step = None if pricing.step_is_advice(model) else lim.multiple_of
    low, high = (_pair(lim.aspect_min), _pair(lim.aspect_max))
    prices = (mp.first_mp_credits, mp.extra_mp_credits, mp.input_mp_credits) if mp else (None,) * 3
    return (
        flat, *prices, step or None, lim.min_side or None, lim.max_side or None,
        lim.max_output_pixels or None, *low, *high, lim.min_inputs, lim.max_inputs,
        lim.max_total_pixels or None,
    )  # fmt: skip


def dated_rate_rows(table: RateTable) -> list[tuple[Value | dt.date, ...]]:
    """``rate_rows`` with price history: one row per name and price, in effect from
    ``valid_from`` until the day before ``valid_until`` (NULL: open). Days before a model's
    first known price match no row, so they get no price, as in the Python engine."""
    rows: list[tuple[Value | dt.date, ...]] = []
    for model in priced_models(table):
        billings = [*(h.billing for h in model.history), model.billing]
        starts: list[dt.date | None] = list(model.price_dates) or [None]
        for billing, start, end in zip(billings, starts, [*starts[1:], None], strict=True):
            if isinstance(billing, (Flat, PerMegapixel)):  # an earlier local_only: no price
                figures = _figures(model, billing)
                rows += [(name, model.id, *figures, start, end) for name in _names(model)]
    return rows


def _pair(text: str | None) -> tuple[int | None, int | None]:
    if not text:
        return None, None
    width, height = text.split(":")
    return int(width), int(height)


def money_type(table: RateTable) -> str:
    """A DECIMAL exact for every price (a discount adds places) and for plain charges: 18
    digits when they fit (much faster than 38 in DuckDB)."""
    places = [_places(v) for row in rate_rows(table) for v in row if isinstance(v, Decimal)]
    scale = max([6, *places])
    return f"DECIMAL({18 if scale <= 8 else 38}, {scale})"


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def literal(value: Value, money: str = MONEY) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, Decimal):
        return f"CAST('{value}' AS {money})"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def rates_values(table: RateTable) -> str:
    """``SELECT ... FROM (VALUES ...)``: the rate table, typed by its first row's casts."""
    money = money_type(table)
    rows = ",\n  ".join(
        "(" + ", ".join(_typed(v, money) for v in row) + ")" for row in rate_rows(table)
    )
    return f"SELECT * FROM (VALUES\n  {rows}\n) AS fluxcost_rates({', '.join(COLUMNS)})"


def _typed(value: Value, money: str) -> str:
    # NULLs typed too, so that every column has one type whichever row comes first.
    if value is None:
        return "CAST(NULL AS BIGINT)"
    return literal(value, money)


def input_columns(inputs: str, count: int) -> list[str]:
    """Pixels of input k (1..count), NULL when absent, from "WxH;WxH" text."""
    out = []
    for k in range(1, count + 1):
        part = f"split_part({inputs}, ';', {k})"
        out.append(
            f"CASE WHEN {part} = '' THEN NULL ELSE"
            f" CAST(split_part({part}, 'x', 1) AS BIGINT)"
            f" * CAST(split_part({part}, 'x', 2) AS BIGINT) END"
        )
    return out


def pricing_columns(w: str, h: str, pixels: list[str], extra: str) -> dict[str, str]:
    """Expressions over a row joined to a rate row ``r``: output MP, inputs, input MP,
    whether the request is valid on the model, and credits per image (NULL when not).
    ``extra``: a condition that there are no more inputs than ``pixels`` covers."""
    n_in = " + ".join(f"(CASE WHEN {p} IS NULL THEN 0 ELSE 1 END)" for p in pixels) or "0"
    # least and greatest skip NULLs in some dialects: an absent input is a CASE of its own.
    taken = " + ".join(
        f"(CASE WHEN {p} IS NULL THEN 0 ELSE least({p}, {INPUT_MP_CAP * PIXELS_PER_MP}) END)"
        for p in pixels
    )
    in_mp = " + ".join(
        f"(CASE WHEN {p} IS NULL THEN 0 ELSE least(greatest(1, ({p} + {PIXELS_PER_MP - 1})"
        f" // {PIXELS_PER_MP}), {INPUT_MP_CAP}) END)"
        for p in pixels
    )
    out_mp = f"greatest(1, ({w} * {h} + {PIXELS_PER_MP - 1}) // {PIXELS_PER_MP})"
    valid = " AND ".join(
        (
            "r.model_id IS NOT NULL",
            extra,
            f"{w} > 0 AND {h} > 0",
            f"(r.step IS NULL OR ({w} % r.step = 0 AND {h} % r.step = 0))",
            f"(r.min_side IS NULL OR ({w} >= r.min_side AND {h} >= r.min_side))",
            f"(r.max_side IS NULL OR ({w} <= r.max_side AND {h} <= r.max_side))",
            f"(r.max_output_pixels IS NULL OR {w} * {h} <= r.max_output_pixels)",
            f"(r.aspect_min_w IS NULL OR {w} * r.aspect_min_h >= r.aspect_min_w * {h})",
            f"(r.aspect_max_w IS NULL OR {w} * r.aspect_max_h <= r.aspect_max_w * {h})",
            f"({n_in}) BETWEEN r.min_inputs AND r.max_inputs",
            f"(r.max_total_pixels IS NULL OR {w} * {h} + {taken or '0'} <= r.max_total_pixels)",
        )
    )
    credits = (
        f"CASE WHEN NOT ({valid}) THEN NULL WHEN r.flat IS NOT NULL THEN r.flat"
        f" ELSE r.first_mp + r.extra_mp * ({out_mp} - 1) + r.input_mp * ({in_mp or '0'}) END"
    )
    return {"out_mp": out_mp, "n_inputs": n_in, "input_mp": in_mp or "0", "valid": valid,
            "credits": credits}  # fmt: skip
