"""The library entry points: ``fluxcost.quote`` (and friends) without the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fluxcost import pricing
from fluxcost.pricing import Quote
from fluxcost.rates import RateTable, load_rates


def resolve_rates(rates: RateTable | str | Path | None) -> RateTable:
    return rates if isinstance(rates, RateTable) else load_rates(rates)


def quote(
    model: str,
    width: int = 1024,
    height: int = 1024,
    inputs: Sequence[str | tuple[int, int]] = (),
    batch: int = 1,
    rates: RateTable | str | Path | None = None,
) -> Quote:
    """Itemised price of ``batch`` images of ``width`` x ``height`` on ``model``.

    ``inputs`` are input/reference images as ``"WxH"`` or ``(width, height)``; ``rates`` is a
    loaded table or the path of a rate-table YAML (default: the packaged one). Raises
    ``fluxcost.FluxcostError`` (a ValueError) with the same one-line message the CLI prints.
    """
    table = resolve_rates(rates)
    request = pricing.build_request((width, height), inputs)
    return pricing.quote(table.get(model), request, batch, table.credit_usd)
