"""Rich tables of the provider reports (``quote --provider``, ``quote --providers``,
``models --provider(s)``, ``workload --provider(s)``), drawn with render_rich's ``grid``: every
figure whole at any width. Imported only when one of them is drawn as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fluxcost.money import plain, plural
from fluxcost.render_rich import Col, _e, grid, notes

if TYPE_CHECKING:
    from rich.console import Console

    from fluxcost.provider_plan_report import ProviderPlanReport
    from fluxcost.provider_report import (
        ProviderCompareReport,
        ProviderModelsReport,
        ProviderQuoteReport,
    )


def draw_provider_quote(r: ProviderQuoteReport, out: Console) -> None:
    cols = [Col("item", wrap=True), Col("how counted", wrap=True, least=16), Col("qty", right=True),
            Col("unit USD", right=True), Col("USD", right=True)]  # fmt: skip
    rows = [[_e(i.item), f"[dim]{_e(i.detail)}[/dim]", f"{i.quantity} {_e(i.unit)}",
             plain(i.unit_usd), i.usd.shown] for i in r.line_items]  # fmt: skip
    rows.append(["per image", "", "", "", r.per_image_usd.shown])
    total = f"total, {plural(r.batch, 'image')}"
    rows.append([f"[bold]{total}[/bold]", "", "", "", f"[bold]{r.total_usd.shown}[/bold]"])
    title = f"{r.model_name} ({r.model}) at {r.provider_name}, {r.title()}, USD"
    grid(out, _e(title), cols, rows, section_before=[len(r.line_items)])
    endpoint = f"; endpoint {', '.join(r.endpoints)}" if r.endpoints else ""
    footer = f"{r.provider} price {r.confidence}, checked {r.checked}{endpoint}; source {r.source}"
    notes(out, r.all_notes(), footer)


def draw_provider_compare(r: ProviderCompareReport, out: Console) -> None:
    cols = [Col("#", right=True), Col("provider"), Col("model"), Col("per image", right=True),
            Col("per 1,000", right=True), Col(f"total ({r.batch:,})", right=True),
            Col("confidence or reason", wrap=True, least=20)]  # fmt: skip
    rows: list[list[str]] = []
    for number, p in enumerate(r.rows, 1):
        if not p.can_serve:
            rows.append(["-", p.provider, p.model, "", "", "", f"[dim]{_e(str(p.reason))}[/dim]"])
            continue
        figures = [u.shown if u else "" for u in p.figures(r.batch)]
        status = f"{p.confidence}, cheapest" if p.cheapest else str(p.confidence)
        rows.append([str(number), p.provider, p.model, *figures,
                     f"[green]{status}[/green]" if p.cheapest else status])  # fmt: skip
    grid(out, _e(r.title()) + ", cheapest first (USD)", cols, rows)
    notes(out, r.all_notes())


def draw_provider_models(r: ProviderModelsReport, out: Console) -> None:
    cols = [Col("model"), Col("provider"), Col("endpoints", wrap=True, least=12),
            Col("price", wrap=True, least=24), Col("confidence, checked")]  # fmt: skip
    rows = [[o.model, o.provider, _e(", ".join(o.endpoints)), _e(o.price),
             f"{o.confidence}, {o.checked}"] for o in r.offers]  # fmt: skip
    providers = [o.provider for o in r.offers]
    breaks = [i for i in range(1, len(providers)) if providers[i] != providers[i - 1]]
    grid(out, _e(r.title()), cols, rows, section_before=breaks)
    # Some source URLs are wider than a terminal: whole, they are in the other formats.
    out.print("[dim]Each price's source URL: --format markdown, json or csv.[/dim]")


def draw_provider_plan(r: ProviderPlanReport, out: Console) -> None:
    from fluxcost.provider_plan_report import status

    cols = [Col("line", wrap=True), Col("model"), Col("images", right=True),
            Col("requests x batch", right=True), Col("size", wrap=True),
            Col("per image", right=True), Col("USD", right=True)]  # fmt: skip
    rows = [[_e(line.name), line.model + (" *" if line.model_chosen_as_cheapest else ""),
             f"{line.images:,}" + ("" if line.billed_images == line.images
                                   else f" ({line.billed_images:,} billed)"),
             f"{line.requests:,} x {line.batch:,}", _size(line.size, line.inputs, line.steps),
             line.per_image_usd.shown, line.total_usd.shown] for line in r.lines]  # fmt: skip
    rows.append(["[bold]total[/bold]", "", "", "", "", "", f"[bold]{r.total_usd.shown}[/bold]"])
    grid(out, _e(r.title()) + " (USD)", cols, rows, section_before=[len(r.lines)])
    if any(line.model_chosen_as_cheapest for line in r.lines):
        out.print(f"* no model named: {r.provider}'s cheapest model that can serve the line")
    if r.providers is not None:
        cols = [Col("#", right=True), Col("provider"), Col("models", wrap=True),
                Col("per image", right=True), Col("per 1,000", right=True),
                Col("USD", right=True), Col("vs cheapest", right=True),
                Col("status or reason", wrap=True, least=16)]  # fmt: skip
        rows = []
        for number, o in enumerate(r.providers, 1):
            figures = [u.shown if u else "" for u in (o.per_image_usd, o.per_1000_usd,
                       o.total_usd)]  # fmt: skip
            more = "" if o.more is None else f"+{o.more.shown}"
            text = _e(status(o)) if o.can_serve else f"[dim]{_e(status(o))}[/dim]"
            models = ", ".join(o.models)
            rows.append([str(number) if o.can_serve else "-", o.provider, models, *figures, more,
                         text])  # fmt: skip
        grid(out, "The same workload at each provider, cheapest first (USD)", cols, rows)
    if sentence := r.budget_sentence():
        colour = "red" if r.over_budget else "green"
        out.print(f"[{colour}]{_e(sentence)}[/{colour}]")
    notes(out, r.all_notes())


def _size(size: str, inputs: tuple[str, ...], steps: int | None) -> str:
    return (size + (f" + {len(inputs)} in" if inputs else "")
            + ("" if steps is None else f", {plural(steps, 'step')}"))  # fmt: skip
