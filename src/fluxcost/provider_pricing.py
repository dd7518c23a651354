"""Pricing a request at any provider, itemised, in the provider's own units.

Pure: the rate table (BFL, ``bfl``), the provider table and a request come in, an itemised
``ProviderQuote`` goes out. BFL is priced by pricing.py exactly as without providers; every
other provider by its billing kind (providers.py). A per-step or per-tile price bills
fractions of a cent and DeepInfra's formula is a true division, so money here is an exact
``Fraction``, rounded once, for display, by the reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from fluxcost import pricing
from fluxcost.errors import FluxcostError, closest
from fluxcost.money import plain, plural
from fluxcost.providers import (
    BFL,
    Offer,
    OpenModel,
    PerImage,
    PerMp,
    PerMpStep,
    PerTile,
    Provider,
    ProviderBilling,
    ProviderTable,
    prices_steps,
)
from fluxcost.rates import Flat, LocalOnly, ModelRate, RateTable
from fluxcost.sizes import Size

BFL_NAME = "Black Forest Labs API"


@dataclass(frozen=True)
class Item:
    """One line of a quote: ``quantity`` x ``unit_usd``; ``detail`` shows how to count it."""

    label: str
    quantity: Fraction
    unit: str
    unit_usd: Decimal
    detail: str = ""

    @property
    def usd(self) -> Fraction:
        return Fraction(self.unit_usd) * self.quantity


@dataclass(frozen=True)
class ProviderQuote:
    """``batch`` images of ``request`` on ``model`` at ``provider``; ``items`` are per image."""

    provider: str
    provider_name: str
    model: ModelRate
    offer: Offer | None  # None: BFL's own API
    request: pricing.Request
    batch: int
    steps: int | None  # the steps priced, when the price depends on them
    items: tuple[Item, ...]
    notes: tuple[str, ...] = ()

    @property
    def per_image(self) -> Fraction:
        return sum((item.usd for item in self.items), Fraction(0))

    @property
    def total(self) -> Fraction:
        return self.per_image * self.batch


@dataclass(frozen=True)
class Catalog:
    """BFL's rate table and every other provider's: one canonical model id across them."""

    table: RateTable
    providers: ProviderTable

    def model(self, name: str) -> ModelRate:
        """A model by id, alias or any provider's endpoint name (any case)."""
        key = name.strip().lower()
        canonical = self.providers.endpoint_model(key)
        for open_model in self.providers.models:
            if key in (open_model.id, *(a.lower() for a in open_model.aliases)):
                canonical = open_model.id
        try:
            return self.table.get(canonical or key)
        except FluxcostError:
            found = next((m for m in self.providers.models if m.id == canonical), None)
            if found is not None:
                return _open_model(found, self.providers)
            raise FluxcostError(f"unknown model {name!r}: {self._hint(key)}") from None

    def _hint(self, key: str) -> str:
        names = {m.id: m.id for m in self.table.models}
        names |= {a.lower(): m.id for m in self.table.models for a in m.aliases}
        names |= {m.id: m.id for m in self.providers.models}
        names |= {e.lower(): o.model for p in self.providers.providers for o in p.offers
                  for e in o.endpoints}  # fmt: skip
        near = closest(key, names)
        return (
            f"did you mean {', '.join(near)}?"
            if near
            else "no model has a similar name. (`fluxcost models --providers` lists them)"
        )

    def model_ids(self) -> tuple[str, ...]:
        """Every canonical id: pricing.yaml's, then the open models only providers sell."""
        return (*(m.id for m in self.table.models), *(m.id for m in self.providers.models))

    def provider_ids(self) -> tuple[str, ...]:
        return (BFL, *(p.id for p in self.providers.providers))


def sold_elsewhere(catalog: Catalog, name: str) -> str | None:
    """For a name BFL's table does not know, what it is and who sells it (``model
    'flux1-dev' is not sold by BFL's API (sold by fal, replicate)``, ``model
    'fal-ai/flux-2-pro' is fal's name for flux2-pro (sold by bfl, fal, openrouter)``); None
    if no provider knows it either."""
    try:
        rate = catalog.model(name)
    except FluxcostError:
        return None
    key = name.strip().lower()
    owners = [p.id for p in catalog.providers.providers for o in p.offers
              if key in (e.lower() for e in o.endpoints)]  # fmt: skip
    sellers = [p.id for p in catalog.providers.providers if p.offer(rate.id)]
    if rate.on_api:
        sellers.insert(0, BFL)
    sold = f"sold by {', '.join(sellers)}" if sellers else "sold by no provider here"
    if owners:
        return f"model {name!r} is {owners[0]}'s name for {rate.id} ({sold})"
    what = "" if rate.id == key else f" ({rate.id})"
    return f"model {name!r}{what} is not sold by BFL's API ({sold})"


def _open_model(model: OpenModel, providers: ProviderTable) -> ModelRate:
    """An open model as a rate-table model: BFL sells no API for it (``local_only``)."""
    return ModelRate(
        id=model.id,
        name=model.name,
        family=model.family,
        aliases=model.aliases,
        billing=LocalOnly(),
        source=model.source,
        checked=providers.checked,
        confidence="official",
        note="Open weights; BFL sells no API for it.",
    )


# -- one provider -------------------------------------------------------------------------
def quote(
    catalog: Catalog,
    provider: str,
    model: ModelRate,
    request: pricing.Request,
    batch: int,
    steps: int | None = None,
) -> ProviderQuote:
    """The itemised price of ``batch`` images of ``request`` on ``model`` at ``provider``
    (``bfl`` or a provider id); a provider that cannot serve it raises the reason."""
    if provider == BFL:
        return _bfl_quote(catalog.table, model, request, batch, steps)
    seller = catalog.providers.provider(provider)
    offer = seller.offer(model.id)
    if offer is None:
        raise FluxcostError(f"{seller.id} does not sell {model.id}{_sold_by(catalog, model.id)}")
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise FluxcostError(f"batch must be a whole number of images, at least 1; got {batch!r}")
    try:
        notes = list(pricing.check_request(_as_sold(model, offer), request))
    except FluxcostError as exc:
        raise FluxcostError(f"at {seller.id}: {exc}") from None
    used, step_notes = _steps(offer.billing, steps, seller.id)
    items, price_notes = _items(offer.billing, request, used)
    notes += step_notes + price_notes
    notes += [n for n in (seller.note, offer.note) if n]
    return ProviderQuote(
        seller.id, seller.name, model, offer, request, batch, used, tuple(items), tuple(notes)
    )


def _sold_by(catalog: Catalog, model_id: str) -> str:
    sellers = [p.id for p in catalog.providers.providers if p.offer(model_id)]
    at_bfl = next((m for m in catalog.table.models if m.id == model_id), None)
    if at_bfl is not None and at_bfl.on_api:
        sellers.insert(0, BFL)
    return f" (sold by {', '.join(sellers)})" if sellers else " (no provider here sells it)"


def _as_sold(model: ModelRate, offer: Offer) -> ModelRate:
    """``model`` with the limits the provider documents, for ``pricing.check_request``: its
    billing is a stand-in never priced. BFL's 16-px step advice and its 256-px note are
    BFL's, so they are dropped; a provider's own step is a rule."""
    changes: dict[str, Any] = {"warn_below_side": None, "multiple_of": None}
    changes |= {k: v for k, v in asdict(offer.limits).items() if v is not None}
    limits = replace(model.limits, **changes)
    return replace(model, limits=limits, billing=Flat(credits_per_image=Decimal(0)),
                   family="flux1")  # fmt: skip


def _bfl_quote(
    table: RateTable, model: ModelRate, request: pricing.Request, batch: int, steps: int | None
) -> ProviderQuote:
    """BFL's own price, from pricing.py unchanged, as dollar line items."""
    q = pricing.quote(model, request, batch, table.credit_usd)
    items = tuple(
        Item(i.label, Fraction(i.quantity), i.unit, i.unit_credits * table.credit_usd, i.detail)
        for i in q.items
    )
    notes = list(q.notes)
    if steps is not None:
        notes.append(f"--steps {steps} does not change the price at {BFL}: BFL bills the image")
    return ProviderQuote(BFL, BFL_NAME, model, None, request, batch, None, items, tuple(notes))


# -- steps --------------------------------------------------------------------------------
def _steps(billing: ProviderBilling, asked: int | None, where: str) -> tuple[int | None, list[str]]:
    """The steps to price, and notes; a step count the provider cannot run is refused."""
    if not prices_steps(billing):
        fixed = getattr(billing, "fixed_steps", None)
        if fixed is not None and asked is not None and asked != fixed:
            raise FluxcostError(f"{where} runs this model at exactly {fixed} steps, not {asked}")
        if asked is None or asked == fixed:
            return None, []
        return None, [f"--steps {asked} does not change the price at {where}"]
    if billing.fixed_steps is not None:
        if asked not in (None, billing.fixed_steps):
            raise FluxcostError(
                f"{where} runs this model at exactly {billing.fixed_steps} steps, not {asked}"
            )
        return billing.fixed_steps, []
    if asked is None:
        if billing.default_steps is None:
            raise FluxcostError(
                f"{where} bills per step and states no default step count: give --steps N"
            )
        return billing.default_steps, [
            f"priced at {where}'s default of {billing.default_steps} steps (--steps to change)"
        ]
    if billing.max_steps is not None and asked > billing.max_steps:
        raise FluxcostError(f"{where} runs at most {billing.max_steps} steps, not {asked}")
    return asked, []


# -- line items by billing kind -------------------------------------------------------------
def _items(
    billing: ProviderBilling, request: pricing.Request, steps: int | None
) -> tuple[list[Item], list[str]]:
    match billing:
        case PerImage():
            return _per_image_items(billing, request), []
        case PerMp():
            return _per_mp_items(billing, request)
        case PerMpStep():
            return _per_mp_step_items(billing, request, steps or 1), []
        case PerTile():
            return _per_tile_items(billing, request, steps)


def _per_image_items(billing: PerImage, request: pricing.Request) -> list[Item]:
    items = [Item("image", Fraction(1), "image", billing.usd_per_image, str(request.output))]
    return items + _unbilled_inputs(request, "image", "in the image price")


def _unbilled_inputs(request: pricing.Request, unit: str, why: str) -> list[Item]:
    return [
        Item(f"input {n}, {why}", Fraction(0), unit, Decimal(0), str(image))
        for n, image in enumerate(request.inputs, 1)
    ]


def _megapixels(size: Size, billing: PerMp, cap: int | None = None) -> tuple[Fraction, str]:
    """Billed MP of one image, and how they were counted (for a person to check)."""
    shown = str(size)
    if step := billing.side_step_px:
        size = size.on_step(step, up=True)
        if str(size) != shown:
            shown += f" -> {size} ({step}-px sides)"
    exact = Fraction(size.pixels, billing.mp_px)
    billed = Fraction(max(1, -(-exact.numerator // exact.denominator)))
    if billing.rounding == "exact":
        billed = exact
    if cap is not None and billed > cap:
        billed = Fraction(cap)
    return billed, f"{shown} = {_two_places(exact)} MP -> {figure(billed)} MP"


def _two_places(value: Fraction) -> str:
    """An MP count to two decimals, half up (how the line items show rounding)."""
    hundredths = (value * 100 + Fraction(1, 2)).__floor__()
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def figure(value: Fraction) -> str:
    """A quantity as exact text: ``3``, ``1.9775390625``, ``25/28``."""
    from fluxcost.selfhost import exact_decimal

    exact = exact_decimal(value)
    return plain(exact) if exact is not None else f"{value.numerator}/{value.denominator}"


def _per_mp_items(billing: PerMp, request: pricing.Request) -> tuple[list[Item], list[str]]:
    mp, detail = _megapixels(request.output, billing)
    if billing.rounding == "exact":
        items = [Item("output MP", mp, "MP", billing.first_mp_usd, detail)]
    else:
        items = [Item("output, first MP", Fraction(1), "MP", billing.first_mp_usd, detail)]
        if mp > 1:
            items.append(Item("output, additional MP", mp - 1, "MP", billing.extra_mp_usd))
    if billing.input_mp_usd is None:
        return items + _unbilled_inputs(request, "MP", "not billed"), []
    notes = []
    for n, image in enumerate(request.inputs, 1):
        mp, detail = _megapixels(image, billing, billing.input_cap_mp)
        if billing.input_cap_mp is not None and mp == billing.input_cap_mp:
            whole, _ = _megapixels(image, billing)
            if whole > mp:
                notes.append(f"input {n} ({image}) is billed as {billing.input_cap_mp} MP:"
                             f" the provider resizes larger inputs")  # fmt: skip
        items.append(Item(f"input {n}", mp, "MP", billing.input_mp_usd, detail))
    return items, notes


def _per_mp_step_items(billing: PerMpStep, request: pricing.Request, steps: int) -> list[Item]:
    out, ref = request.output, billing.ref_side_px
    quantity = (
        Fraction(out.width, ref) * Fraction(out.height, ref) * Fraction(steps, billing.ref_steps)
    )
    detail = f"({out.width}/{ref}) x ({out.height}/{ref}) x ({steps}/{billing.ref_steps} steps)"
    items = [Item("output area x steps", quantity, "unit", billing.usd, detail)]
    return items + _unbilled_inputs(request, "unit", "not billed")


def _tiles(size: Size, tile: int) -> tuple[int, str]:
    across, down = -(-size.width // tile), -(-size.height // tile)
    return across * down, f"{size} = {across} x {down} tiles of {tile} px"


def _per_tile_items(
    billing: PerTile, request: pricing.Request, steps: int | None
) -> tuple[list[Item], list[str]]:
    factor = steps if billing.per_step and steps is not None else 1
    unit = "tile-step" if billing.per_step else "tile"
    each = f" x {plural(factor, 'step')}" if billing.per_step else ""
    tiles, detail = _tiles(request.output, billing.tile_px)
    items = [Item("output tiles", Fraction(tiles * factor), unit, billing.output_tile_usd,
                  detail + each)]  # fmt: skip
    notes = []
    for n, image in enumerate(request.inputs, 1):
        if billing.input_tile_usd is None:
            items += _unbilled_inputs(pricing.Request(request.output, (image,)), unit, "not billed")
            continue
        tiles, detail = _tiles(image, billing.tile_px)
        if billing.input_max_tiles is not None and tiles > billing.input_max_tiles:
            tiles = billing.input_max_tiles
            detail += f" -> resized to {plural(tiles, 'tile')}"
            notes.append(
                f"input {n} ({image}) is resized by the provider to {plural(tiles, 'tile')}"
            )
        items.append(Item(f"input {n} tiles", Fraction(tiles * factor), unit,
                          billing.input_tile_usd, detail + each))  # fmt: skip
    if billing.step_usd is not None and steps is not None:
        items.append(
            Item("steps", Fraction(steps), "step", billing.step_usd, plural(steps, "step"))
        )
    return items, notes


# -- every provider -------------------------------------------------------------------------
@dataclass(frozen=True)
class ProviderPriced:
    """One (provider, model) in a comparison: its quote, or why it cannot serve it."""

    provider: str
    provider_name: str
    model: ModelRate
    offer: Offer | None
    quote: ProviderQuote | None
    reason: str | None = None


def on_every_provider(
    catalog: Catalog,
    models: Sequence[ModelRate],
    request: pricing.Request,
    batch: int,
    steps: int | None = None,
    every_provider: bool = True,
) -> tuple[ProviderPriced, ...]:
    """``request`` on each of ``models`` at each provider: cheapest first, then the ones that
    cannot serve it, each with its reason (never dropped, never $0). With ``every_provider``
    a provider that does not sell a model is listed with that reason; without it, only the
    providers that sell each model are (a comparison of every model)."""
    rows: list[ProviderPriced] = []
    for model in models:
        rows += [_priced(catalog, None, model, request, batch, steps)]
        for seller in catalog.providers.providers:
            if every_provider or seller.offer(model.id) is not None:
                rows.append(_priced(catalog, seller, model, request, batch, steps))
    if not every_provider:
        rows = [r for r in rows if r.provider != BFL or r.model.on_api]
    return tuple(sorted(rows, key=lambda r: (r.quote is None, _usd(r.quote))))


def _priced(
    catalog: Catalog,
    seller: Provider | None,
    model: ModelRate,
    request: pricing.Request,
    batch: int,
    steps: int | None,
) -> ProviderPriced:
    provider, name = (BFL, BFL_NAME) if seller is None else (seller.id, seller.name)
    offer = None if seller is None else seller.offer(model.id)
    if seller is not None and offer is None:
        return ProviderPriced(provider, name, model, None, None, f"does not sell {model.id}")
    if seller is None and (reason := pricing.cannot_serve(model, request)):
        return ProviderPriced(provider, name, model, None, None, reason)
    try:
        q = quote(catalog, provider, model, request, batch, steps)
    except FluxcostError as exc:
        return ProviderPriced(provider, name, model, offer, None, str(exc))
    return ProviderPriced(provider, name, model, offer, q)


def _usd(q: ProviderQuote | None) -> Fraction:
    return Fraction(0) if q is None else q.total
