"""Rich tables for people. Imported only when a table is drawn: rich costs start-up time."""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fluxcost.money import plural, signed_usd


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich would exit 1, which scripts read as "over budget"; let the CLI decide.
        raise BrokenPipeError


def console(stderr: bool = False) -> Console:
    # Piped output (CI logs, README examples) gets 100 columns rather than rich's 80.
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or os.environ.get("COLUMNS") else 100
    return _Console(stderr=stderr, highlight=False, width=width)


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
    for name in ("name", "rates (credits)", "limits", "source, checked"):
        table.add_column(name)
    sources = list(dict.fromkeys(m["source"] for m in view["models"]))
    family = ""
    for model, rate, limit in zip(view["models"], rates, limits, strict=True):
        if family and model["family"] != family:
            table.add_section()  # FLUX.2 per megapixel, then FLUX.1 flat
        family = model["family"]
        table.add_row(
            model["id"],
            escape(model["name"]),
            rate,
            limit,
            f"[{sources.index(model['source']) + 1}] {model['checked']}",
        )
    out.print(table)
    lines = [f"[{n}] {source}" for n, source in enumerate(sources, 1)]
    note_lines(out, [], "sources (with the date each rate was checked): " + "  ".join(lines))


def print_plan(view: dict[str, Any], out: Console) -> None:
    from fluxcost.workload_views import billed_text, budget_sentence

    table = Table(
        title=escape(f"Workload {view['name']}, per {view['period']}"), title_justify="left"
    )
    table.add_column("line")
    table.add_column("model", no_wrap=True)
    table.add_column("images", justify="right")
    table.add_column("requests x batch", justify="right")
    table.add_column("size", no_wrap=True)
    table.add_column("per image", justify="right")
    table.add_column("USD", justify="right")
    chosen = False
    for line in view["lines"]:
        chosen = chosen or line["model_chosen_as_cheapest"]
        count = len(line["inputs"])
        table.add_row(
            escape(line["name"]),
            line["model"] + (" *" if line["model_chosen_as_cheapest"] else ""),
            billed_text(line),
            f"{line['requests']:,} x {line['batch']}",
            line["size"] + (f" + {count} in" if count else ""),
            line["per_image_usd"],
            line["total_usd"],
        )
    table.add_section()
    table.add_row(
        "[bold]total[/bold]", "", "", "", f"{view['total_credits']} credits", "",
        f"[bold]{view['total_usd']}[/bold]",
    )  # fmt: skip
    out.print(table)
    if chosen:
        out.print("* no model named: the cheapest model that can serve the line")
    if "models" in view:
        print_options(view, out)
    sentence = budget_sentence(view)
    if sentence:
        colour = "red" if view["over_budget"] else "green"
        out.print(f"[{colour}]{escape(sentence)}[/{colour}]", soft_wrap=True)
    for note in sorted({n for line in view["lines"] for n in line["notes"]}):
        out.print(f"[yellow]note:[/yellow] {escape(note)}", soft_wrap=True)


def print_options(view: dict[str, Any], out: Console) -> None:
    table = Table(title="The same workload on every model, cheapest first", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("model")
    table.add_column("per image", justify="right")
    table.add_column("USD", justify="right")
    table.add_column("vs cheapest", justify="right")
    table.add_column("status")
    planned = {line["model"] for line in view["lines"]}
    rank = 0
    for m in view["models"]:
        if not m["can_serve"]:
            table.add_row("-", m["model"], "", "", "", f"[dim]cannot: {escape(m['reason'])}[/dim]")
            continue
        rank += 1
        status = []
        if m["cheapest"]:
            status.append("[green]cheapest[/green]")
        if m["model"] in planned and len(view["lines"]) == 1:
            status.append("plan")
        if m["over_budget"]:
            status.append("[red]over budget[/red]")
        table.add_row(
            str(rank),
            m["model"],
            m["per_image_usd"] or "",
            m["total_usd"],
            "" if m["cheapest"] else f"+{m['difference_usd']}",
            ", ".join(status),
        )
    out.print(table)


def print_bill(view: dict[str, Any], out: Console) -> None:
    table = Table(title=escape(f"Bill for {view['log']}"), title_justify="left")
    table.add_column(view["group_by"], no_wrap=True)
    for name in ("requests", "images", "credits", "USD"):
        table.add_column(name, justify="right")
    for g in view["groups"]:
        table.add_row(
            g["key"], f"{g['requests']:,}", f"{g['images']:,}", g["total_credits"], g["total_usd"]
        )
    table.add_section()
    table.add_row(
        "[bold]total[/bold]", f"{view['requests']:,}", f"{view['images']:,}",
        view["total_credits"], f"[bold]{view['total_usd']}[/bold]",
    )  # fmt: skip
    out.print(table)
    rec = view["reconcile"]
    if rec is not None:
        colour = "red" if rec["rows_mismatched"] else "green"
        out.print(
            f"[{colour}]reconcile: {rec['rows_mismatched']:,} of {rec['rows_checked']:,} charged"
            f" rows differ from the rate table[/{colour}]; charged {rec['charged_credits']}"
            f" credits, expected {rec['expected_credits']} (difference"
            f" {rec['difference_credits']} credits, {signed_usd(Decimal(rec['difference_usd']))})",
            soft_wrap=True,
        )
        if rec["mismatches"]:
            shown = rec["mismatches"][:20]
            mismatch = Table(title="Rows charged differently", title_justify="left")
            for name in ("line", "expected", "charged", "difference"):
                mismatch.add_column(name, justify="right")
            for m in shown:
                mismatch.add_row(
                    str(m["line"]),
                    m["expected_credits"],
                    m["charged_credits"],
                    m["difference_credits"],
                )
            out.print(mismatch)
            if rec["rows_mismatched"] > len(shown):
                out.print(f"... and {rec['rows_mismatched'] - len(shown):,} more (--format json)")
    if "models" in view:
        what_if = Table(title="The same requests on every model", title_justify="left")
        what_if.add_column("model", no_wrap=True)
        what_if.add_column("USD", justify="right")
        what_if.add_column("vs actual", justify="right")
        what_if.add_column("note")
        for m in view["models"]:
            if m["can_serve_all"]:
                difference = signed_usd(Decimal(m["difference_usd"]))
                what_if.add_row(m["model"], m["total_usd"], difference, "")
            else:
                what_if.add_row(
                    m["model"],
                    "",
                    "",
                    f"[dim]cannot serve {plural(m['requests_unservable'], 'request')}:"
                    f" {escape(m['reason'] or '')}[/dim]",
                )
        out.print(what_if)
