"""Rich tables of the provider reports (``quote --provider``, ``quote --providers``,
``models --provider(s)``), drawn with render_rich's ``grid``: every figure whole at any width.
Imported only when one of them is drawn as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fluxcost.money import plain, plural
from fluxcost.render_rich import Col, _e, grid, notes

if TYPE_CHECKING:
    from rich.console import Console

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
