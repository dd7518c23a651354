"""A workload at a provider other than BFL's own API, or at every provider, compared. Pure.

Counting is workload.py's (DECISIONS.md): requests = ceil(images / batch) and a partly used
last batch is paid in full. Each line's model is resolved at the provider (endpoint names are
aliases); a line with no model is priced on the provider's cheapest model that can serve it.
Money is exact (``Fraction``), rounded once, for display, by provider_plan_report.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from fluxcost import provider_pricing as pp
from fluxcost.errors import FluxcostError, closest
from fluxcost.providers import BFL
from fluxcost.rates import ModelRate
from fluxcost.workload import OfLine, WorkLine, Workload


@dataclass(frozen=True)
class PricedAt(OfLine):
    """One workload line at one provider: ``quote`` is one image."""

    line: WorkLine
    quote: pp.ProviderQuote
    chosen: bool  # True when the model was picked as the provider's cheapest, not named

    @property
    def total(self) -> Fraction:
        return self.quote.per_image * self.billed_images


@dataclass(frozen=True)
class ProviderOption:
    """The whole workload at one provider (on ``model`` when every line was moved to it), or
    why that provider cannot serve it."""

    provider: str
    provider_name: str
    model: str | None  # -m, or the one model a --compare at one provider moved every line to
    lines: tuple[PricedAt, ...] | None
    reason: str | None = None

    @property
    def total(self) -> Fraction | None:
        return None if self.lines is None else sum((p.total for p in self.lines), Fraction(0))


def _models_sold(catalog: pp.Catalog, provider: str) -> list[ModelRate]:
    """Every model ``provider`` sells, in the catalogue's order."""
    if provider == BFL:
        return list(catalog.table.api_models())
    seller = catalog.providers.provider(provider)
    return [catalog.model(o.model) for o in seller.offers]


def _quote(catalog: pp.Catalog, provider: str, model: ModelRate, line: WorkLine,
           steps: int | None) -> pp.ProviderQuote:  # fmt: skip
    return pp.quote(catalog, provider, model, line.request, 1, steps)


def line_at(
    catalog: pp.Catalog, provider: str, line: WorkLine, model: str | None, steps: int | None
) -> PricedAt:
    """``line`` at ``provider``, on ``model`` (else the line's own, else the provider's
    cheapest that can serve it); the reason it cannot be served is raised, without the line."""
    if line.images < 0 or line.batch < 1:
        raise FluxcostError("images must be 0 or more and batch at least 1")
    name = model or line.model
    if name is not None:
        return PricedAt(line, _quote(catalog, provider, catalog.model(name), line, steps), False)
    options = []
    for candidate in _models_sold(catalog, provider):
        try:
            options.append(_quote(catalog, provider, candidate, line, steps))
        except FluxcostError:
            continue  # this model cannot serve the line; another may
    if not options:
        raise FluxcostError(f"no model at {provider} can serve {line.request.output}"
                            f"{' with these inputs' if line.request.inputs else ''}")  # fmt: skip
    return PricedAt(line, min(options, key=lambda q: q.per_image), True)


def plan_at(
    catalog: pp.Catalog, provider: str, work: Workload, model: str | None, steps: int | None
) -> tuple[PricedAt, ...]:
    """Every line of ``work`` at ``provider``; a line it cannot serve is an error naming the
    line (and where it stands in the file) and the reason."""
    priced = []
    for line in work.lines:
        try:
            priced.append(line_at(catalog, provider, line, model, steps))
        except FluxcostError as exc:
            where = f"{line.where}: line {line.name!r}: " if line.where else ""
            raise FluxcostError(f"{where}{exc}") from None
    return tuple(priced)


def option(
    catalog: pp.Catalog, provider: str, work: Workload, model: str | None, steps: int | None
) -> ProviderOption:
    """The workload at ``provider`` as a row of a comparison: priced, or with its reason."""
    name = provider_name(catalog, provider)
    priced = []
    for line in work.lines:
        try:
            priced.append(line_at(catalog, provider, line, model, steps))
        except FluxcostError as exc:
            label = f"line {line.name!r}: " if len(work.lines) > 1 else ""
            return ProviderOption(provider, name, model, None, label + _short(str(exc), provider))
    return ProviderOption(provider, name, model, tuple(priced))


def provider_name(catalog: pp.Catalog, provider: str) -> str:
    return pp.BFL_NAME if provider == BFL else catalog.providers.provider(provider).name


def _short(reason: str, provider: str) -> str:
    # The row already names the provider: "fal does not sell x" reads "does not sell x".
    return reason.removeprefix(f"{provider} ").removeprefix(f"at {provider}: ")


def compare(
    catalog: pp.Catalog,
    providers: Sequence[str],
    work: Workload,
    model: str | None,
    steps: int | None,
) -> tuple[ProviderOption, ...]:
    """The workload at each of ``providers``: cheapest first, then each that cannot serve it
    with its reason (never dropped, never $0)."""
    rows = [option(catalog, p, work, model, steps) for p in providers]
    return _cheapest_first(rows)


def compare_models(
    catalog: pp.Catalog, provider: str, work: Workload, steps: int | None
) -> tuple[ProviderOption, ...]:
    """The workload moved to each model ``provider`` sells (``--compare`` at one provider)."""
    rows = [option(catalog, provider, work, m.id, steps) for m in _models_sold(catalog, provider)]
    return _cheapest_first(rows)


def _cheapest_first(rows: list[ProviderOption]) -> tuple[ProviderOption, ...]:
    # sorted() is stable: ties keep the providers' order.
    return tuple(sorted(rows, key=lambda r: (r.total is None, r.total or 0)))


def parse_providers(catalog: pp.Catalog, text: str) -> tuple[str, ...]:
    """``all`` or ``NAME,NAME``: provider ids, each checked (an unknown one names the closest)."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if not names:
        raise FluxcostError("--providers needs `all` or provider names, e.g. fal,replicate")
    if "all" in names:  # all, or all with names it holds anyway
        return catalog.provider_ids()
    ids = [n if n == BFL else _provider_or_all(catalog, n) for n in names]
    return tuple(dict.fromkeys(ids))


def _provider_or_all(catalog: pp.Catalog, name: str) -> str:
    """A provider id; a name that may be a typo of ``all`` (``al``) suggests it too."""
    try:
        return catalog.providers.provider(name).id
    except FluxcostError:
        near = closest(name, {i: i for i in ("all", *catalog.provider_ids())})
        if "all" in near:
            raise FluxcostError(
                f"unknown provider {name!r}: did you mean {', '.join(near)}?"
            ) from None
        raise
