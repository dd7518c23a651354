"""The provider options of the CLI (``quote --provider/--providers``, ``models
--provider/--providers``, ``workload --provider/--providers``): checked, priced and emitted
here so that cli.py only routes to them. Imported only when a provider other than ``bfl`` is
asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fluxcost import cli_output
from fluxcost.errors import EXIT_BAD_INPUT, EXIT_OK, FluxcostError
from fluxcost.providers import BFL

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from fluxcost.provider_plan_report import ProviderPlanReport
    from fluxcost.provider_pricing import Catalog
    from fluxcost.rates import RateTable
    from fluxcost.sizes import Size
    from fluxcost.workload import Workload

    Where = tuple[str, Path | None]


def wanted(provider: str | None, providers: bool, steps: str | None) -> bool:
    """Whether the options ask for the provider path (anything but a plain BFL quote)."""
    if steps is not None and not providers and (provider or BFL).strip().lower() == BFL:
        raise FluxcostError(
            "--steps is for providers that bill per step (deepinfra, cloudflare; with"
            " --provider or --providers): BFL bills the image, whatever the steps"
        )
    if provider is not None and providers:
        raise FluxcostError("give --provider NAME or --providers, not both")
    return providers or (provider is not None and provider.strip().lower() != BFL)


def refuse_bfl_only(options: Mapping[str, object]) -> None:
    """BFL-only options (``--as-of``, ``--discount``, ...) are refused, never ignored."""
    given = [name for name, value in options.items() if value not in (None, False)]
    if given:
        raise FluxcostError(
            f"{', '.join(given)} apply to BFL's own prices only: leave them out with"
            " --provider/--providers"
        )


def catalog(table: RateTable) -> Catalog:
    from fluxcost.provider_file import load_providers
    from fluxcost.provider_pricing import Catalog

    return Catalog(table, load_providers())


def _steps(text: str | None) -> int | None:
    from fluxcost.numbers import whole

    return None if text is None else whole(text, "--steps", minimum=1, maximum=10_000)


def quote(
    table: RateTable,
    ask: tuple[str | None, str | None, bool],
    request: tuple[Size, list[str], int],
    steps_text: str | None,
    where: Where,
) -> int:
    """``quote --provider NAME`` (itemised) or ``quote --providers`` (every provider)."""
    from fluxcost import provider_pricing as pp
    from fluxcost.pricing import build_request
    from fluxcost.provider_report import provider_compare_report, provider_quote_report

    model_name, provider, every = ask
    out, inputs, batch = request
    steps = _steps(steps_text)
    shop = catalog(table)
    req = build_request(out, inputs)
    if every:
        names = (model_name,) if model_name else shop.model_ids()
        models = [shop.model(name) for name in names]
        priced = pp.on_every_provider(shop, models, req, batch, steps, model_name is not None)
        asked = None if model_name is None else models[0].id
        cli_output.emit(provider_compare_report(priced, req, batch, steps, asked), *where)
        if all(p.quote is None for p in priced):
            cli_output.error(f"no provider can serve {req.output} with these inputs")
            return EXIT_BAD_INPUT
        return EXIT_OK
    if model_name is None:
        raise FluxcostError("Missing option '--model' / '-m' (or --providers for every model)")
    seller = shop.providers.provider(str(provider)).id
    q = pp.quote(shop, seller, shop.model(model_name), req, batch, steps)
    cli_output.emit(provider_quote_report(q), *where)
    return EXIT_OK


def models(table: RateTable, provider: str | None, where: Where) -> int:
    """``models --provider NAME`` / ``models --providers``: what each provider sells."""
    from fluxcost.provider_report import provider_models_report

    shop = catalog(table)
    only = None
    if provider is not None:
        key = provider.strip().lower()
        only = BFL if key == BFL else shop.providers.provider(key).id
    cli_output.emit(provider_models_report(shop, only), *where)
    return EXIT_OK


def workload(
    table: RateTable,
    work: Workload,
    ask: tuple[str | None, str | None, str | None, bool],
    steps_text: str | None,
) -> ProviderPlanReport:
    """``workload --provider NAME`` (the plan there) or ``--providers all|NAME,NAME`` (the
    same workload at each, cheapest first; the plan is the cheapest that can serve it)."""
    from fluxcost import provider_workload as pw
    from fluxcost.provider_plan_report import provider_plan_report

    model, provider, providers, compare = ask
    if work.selfhost is not None:
        raise FluxcostError(
            "a self-hosted row is compared with BFL's own prices only: leave out the"
            " --selfhost-* options (or the file's selfhost: block) with --provider/--providers"
        )
    steps = _steps(steps_text)
    shop = catalog(table)
    if providers is None:  # one provider: its plan, and with --compare every model it sells
        seller = str(provider).strip().lower()
        seller = BFL if seller == BFL else shop.providers.provider(seller).id
        lines = pw.plan_at(shop, seller, work, model, steps)
        options = pw.compare_models(shop, seller, work, steps) if compare else None
        at = (seller, pw.provider_name(shop, seller))
        return provider_plan_report(work, at, lines, options)
    options = pw.compare(shop, pw.parse_providers(shop, providers), work, model, steps)
    best = options[0]
    if best.lines is None:
        reasons = "; ".join(f"{o.provider}: {o.reason}" for o in options)
        raise FluxcostError(f"no provider asked for can serve this workload ({reasons})")
    return provider_plan_report(work, (best.provider, best.provider_name), best.lines, options)
