"""The rates a command prices with: the table as of a day, with your discount and your own
prices (``--as-of``, ``--discount``, ``--rates-overlay``).

Each is a transform of the ``RateTable`` (rates.py), so the engine prices them unchanged. An
overlay is a small YAML mapping each model (id or alias) to the prices it overrides, in
credits; every price it does not name stays as published::

    flux2-pro:
      first_mp_credits: "2.5"
    kontext-pro:
      credits_per_image: "3.5"

Problems are one line, ``FILE:LINE: model X: what is wrong``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fluxcost.errors import FluxcostError, read_user_file
from fluxcost.rates import PRICE_FIELDS, RateTable

if TYPE_CHECKING:
    from pydantic import RootModel

_EXPECTED = (
    "a rates overlay is a YAML mapping of model ids to the prices they override,"
    ' e.g. flux2-pro: {first_mp_credits: "2.5"}'
)


def parse_day(text: str, option: str = "--as-of") -> dt.date:
    """``2026-01-01`` as a date; anything else is one line saying what is allowed."""
    try:
        if len(text.strip()) == 10:
            return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise FluxcostError(f"{option} {text!r} is not a date: write YYYY-MM-DD, e.g. 2026-01-01")


def adjusted(
    table: RateTable,
    day: dt.date,
    *,
    dated: bool,
    discount: Decimal | None = None,
    overlay: Path | None = None,
) -> RateTable:
    """``table`` as of ``day`` (when ``dated``: the day was asked for, or a price in the table
    starts after it), then with the overlay's prices, then ``discount`` percent off."""
    if dated or table.dated_after(day):
        table = table.as_of(day)
        if not table.api_models():  # nothing to price, nothing to compare: say why once
            first = min(m.price_dates[0] for m in table.models if m.price_dates)
            raise FluxcostError(
                f"--as-of {day}: no model has a price then; the first known price is from {first}"
            )
    if overlay is not None:
        table = read_overlay(table, overlay)
    if discount is not None:
        table = table.discounted(discount)
    return table


def read_overlay(table: RateTable, path: str | Path) -> RateTable:
    """``table`` with the prices that the overlay YAML at ``path`` names, validated."""
    from fluxcost.yaml_files import line_of, load_validated

    origin = str(path)
    text = read_user_file(path, "rates overlay")
    spec, lines = load_validated(text, origin, _overlay_file(), _EXPECTED, _field_name)
    if not spec.root:
        raise FluxcostError(f"{origin}:1: the overlay names no model: {_EXPECTED}")
    chosen: dict[str, dict[str, Decimal]] = {}
    seen: dict[str, str] = {}
    for name, prices in spec.root.items():
        at = f"{origin}:{line_of(lines, (name,)) or 1}: model {name}"
        given = {key: getattr(prices, key) for key in prices.model_fields_set}
        if not given:
            raise FluxcostError(f"{at}: names no price (give one of {', '.join(PRICE_FIELDS)})")
        try:
            model_id = table.get(name).id
            table.overlaid(origin, {name: given})  # checks the prices against its kind
        except FluxcostError as exc:
            raise FluxcostError(f"{at}: {exc}") from None
        if model_id in seen:
            raise FluxcostError(f"{at}: {model_id} is already overridden as {seen[model_id]}")
        seen[model_id] = name
        chosen[name] = given
    return table.overlaid(origin, chosen)


def _field_name(path: tuple[Any, ...], data: dict[str, Any]) -> str:
    """``("flux2-pro", "first_mp_credits")`` -> ``model flux2-pro, field first_mp_credits``."""
    where = [f"model {path[0]}"] if path else []
    if len(path) > 1:
        where.append("field " + ".".join(str(part) for part in path[1:]))
    return ", ".join(where) or "file"


def _overlay_file() -> type[RootModel[Any]]:
    """The pydantic schema of an overlay: model name -> prices (each a Credits, never null),
    built from the rate types' own price fields so that no kind's price is left out."""
    from pydantic import ConfigDict, RootModel, create_model, field_validator

    from fluxcost.rates import Credits

    def given(cls: object, value: Any) -> Any:
        if value is None:
            raise ValueError("null is not a price: leave the key out to keep the published one")
        return value

    optional: Any = (Credits | None, None)
    prices: Any = create_model(
        "Prices",
        __config__=ConfigDict(extra="forbid"),
        __validators__={"given": field_validator(*PRICE_FIELDS, mode="before")(given)},
        **dict.fromkeys(PRICE_FIELDS, optional),
    )
    overlay: type[RootModel[Any]] = RootModel[dict[str, prices]]
    return overlay
