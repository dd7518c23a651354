"""Rich tables for people. Imported only when a table is drawn: rich costs start-up time."""

from __future__ import annotations

import os
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

_BILLING = {"per_megapixel": "per MP", "local_only": "local only"}


def console(stderr: bool = False) -> Console:
    # Piped output (CI logs, README examples) gets 100 columns rather than rich's 80.
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or os.environ.get("COLUMNS") else 100
    return Console(stderr=stderr, highlight=False, width=width)


def note_lines(out: Console, notes: list[str], footer: str) -> None:
    for note in notes:
        out.print(f"[yellow]note:[/yellow] {escape(note)}", soft_wrap=True)
    out.print(f"[dim]{escape(footer)}[/dim]", soft_wrap=True)


def print_quote(view: dict[str, Any], out: Console) -> None:
    title = f"{view['model_name']} ({view['model']}), {view['width']}x{view['height']}"
    if view["batch"] != 1:
        title += f", batch of {view['batch']}"
    table = Table(title=escape(title), title_justify="left")
    table.add_column("item")
    table.add_column("size", style="dim")
    table.add_column("qty", justify="right")
    table.add_column("credits/unit", justify="right")
    table.add_column("credits", justify="right")
    table.add_column("USD", justify="right")
    for item in view["line_items"]:
        table.add_row(
            escape(item["item"]),
            escape(item["detail"]),
            f"{item['quantity']} {item['unit']}",
            item["unit_credits"],
            item["credits"],
            item["usd"],
        )
    table.add_section()
    table.add_row("per image", "", "", "", view["per_image_credits"], view["per_image_usd"])
    total = "total" if view["batch"] == 1 else f"total, {view['batch']} images"
    table.add_row(
        f"[bold]{total}[/bold]",
        "",
        "",
        "",
        f"[bold]{view['total_credits']}[/bold]",
        f"[bold]{view['total_usd']}[/bold]",
    )
    out.print(table)
    note_lines(
        out,
        view["notes"],
        f"1 credit = ${view['credit_usd']}; {view['model']} rates checked {view['checked']},"
        f" source {view['source']} ({view['rates']})",
    )


def print_models(view: dict[str, Any], rates: list[str], limits: list[str], out: Console) -> None:
    table = Table(
        title=f"FLUX API models (rates in credits; 1 credit = ${view['credit_usd']})",
        title_justify="left",
    )
    table.add_column("id", no_wrap=True)
    for name in ("name", "billing", "rates (credits)", "limits", "checked"):
        table.add_column(name)
    for model, rate, limit in zip(view["models"], rates, limits, strict=True):
        table.add_row(
            model["id"],
            escape(model["name"]),
            _BILLING.get(model["billing"], model["billing"]),
            rate,
            limit,
            model["checked"],
        )
    out.print(table)
    sources = sorted({m["source"] for m in view["models"]})
    note_lines(out, [], "sources: " + ", ".join(sources) + f" ({view['rates']})")
