"""The library entry points: ``fluxcost.quote`` (and friends) without the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fluxcost import pricing
from fluxcost.pricing import Quote
from fluxcost.rates import RateTable, load_rates

if TYPE_CHECKING:
    from fluxcost.billing import Bill


def resolve_rates(rates: RateTable | str | Path | None) -> RateTable:
    """A loaded table as given, the rate-table YAML at a path, or the packaged table (None)."""
    return rates if isinstance(rates, RateTable) else load_rates(rates)


def quote(
    model: str,
    *,
    width: int = 1024,
    height: int = 1024,
    inputs: Sequence[str | tuple[int, int]] = (),
    batch: int = 1,
    rates: RateTable | str | Path | None = None,
) -> Quote:
    """The itemised price of ``batch`` images of ``width`` x ``height`` on ``model``.

    Args:
        model: A model id or alias, in any case (``"flux2-pro"``, ``"flux-2-pro"``).
        width: Output width in pixels.
        height: Output height in pixels.
        inputs: Input/reference images, each ``"WxH"`` or ``(width, height)``.
        batch: How many images to generate; the price is linear in it.
        rates: A loaded table, the path of a rate-table YAML, or None for the packaged one.

    Returns:
        The quote: ``items`` (one image, itemised), ``total_credits`` and ``total_usd``
        (exact ``Decimal``), ``per_image_*``, and ``notes``.

    Raises:
        FluxcostError: A ``ValueError`` whose message is the one line the CLI prints, for an
            unknown model, a size or input the model cannot take, or a bad batch.
    """
    if rates is None and isinstance(model, str) and all(isinstance(i, str) for i in inputs):
        return _packaged_quote(model, width, height, tuple(inputs), batch)
    table = resolve_rates(rates)
    request = pricing.build_request((width, height), inputs)
    return pricing.quote(table.get(model), request, batch, table.credit_usd)


@lru_cache(maxsize=256, typed=True)
def _packaged_quote(
    model: str, width: int, height: int, inputs: tuple[str, ...], batch: int
) -> Quote:
    # Quotes are frozen, so a repeated request (a loop over a few shapes) shares one. Typed,
    # so that 1024.0 or True is not answered with the quote cached for 1024 or 1.
    table = load_rates()
    request = pricing.build_request((width, height), inputs)
    return pricing.quote(table.get(model), request, batch, table.credit_usd)


def bill(
    rows: Iterable[dict[str, Any]],
    *,
    rates: RateTable | str | Path | None = None,
    group_by: str = "model",
    compare: bool = False,
    provider: str = "bfl",
    steps: int | None = None,
) -> Bill:
    """Bill usage rows, as ``fluxcost bill`` bills a log.

    Args:
        rows: One dict per request with a log's keys: ``timestamp`` (ISO 8601), ``model``,
            ``width``, ``height``, and optionally ``inputs`` (a list of ``"WxH"``), ``batch``,
            ``charged_credits`` (what the API charged, to reconcile), ``provider`` (where
            the request was made, e.g. ``"fal"``) and ``steps``. Numbered from 1.
        rates: A loaded table, the path of a rate-table YAML, or None for the packaged one.
        group_by: ``"model"``, ``"day"`` or ``"month"`` (UTC).
        compare: Also price every request on every model (``Bill.what_if``).
        provider: Where rows with no ``provider`` were made (``"bfl"``: BFL's own API).
        steps: Inference steps of rows with none, at providers that bill per step.

    Returns:
        The bill: ``usd`` (a ``Decimal``, exact unless a provider's price never ends in
        decimal: then to 20 places; ``exact_usd`` is always exact), ``credits``
        (of BFL's rows; ``providers`` holds other providers' dollars), ``requests``, ``images``,
        ``groups``, ``rejected`` (each row that could not be priced, with its number and
        reason: never dropped silently), ``mismatches`` and ``what_if``.

    Raises:
        FluxcostError: For a bad ``group_by``, rate table, provider or steps; bad rows are
            rejected instead.
    """
    from fluxcost.billing import (
        Biller,
        explain_record,
        library_request,
        provider_options,
        record_time,
    )
    from fluxcost.errors import FluxcostError

    table = resolve_rates(rates)
    if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int)):
        raise FluxcostError(f"steps must be a whole number of steps, 1 to 10,000; got {steps!r}")
    if not isinstance(provider, str):
        raise FluxcostError(f"provider must be a provider id such as 'fal'; got {provider!r}")
    at = provider_options(table, provider, steps, "steps")
    biller = Biller(table, group_by, compare, **at)
    biller.consume(rows, library_request, record_time, explain_record, lambda index: index + 1)
    return biller.finish()
