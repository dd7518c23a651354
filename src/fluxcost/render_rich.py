"""Rich tables for people. Imported only when a table is drawn: rich costs start-up time.

Every figure is shown in full at any width: columns of figures and ids never wrap or shrink;
prose columns wrap; when even that does not fit the terminal, each row becomes a stacked block
of ``header  value`` lines.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from fluxcost.money import credits_shown, plural, signed_usd, usd_shown
from fluxcost.render_text import (
    billed_text,
    compare_status,
    compare_title,
    prices_used,
    quantity_text,
    request_text,
    safe,
)

if TYPE_CHECKING:
    from fluxcost.bill_report import BillReport, Reconcile
    from fluxcost.diff_report import DiffReport
    from fluxcost.models_report import ModelsReport
    from fluxcost.plan_report import PlanReport
    from fluxcost.provider_plan_report import ProviderPlanReport
    from fluxcost.provider_report import (
        ProviderCompareReport,
        ProviderModelsReport,
        ProviderQuoteReport,
    )
    from fluxcost.quote_report import QuoteCompareReport, QuoteReport
    from fluxcost.selfhost_report import SelfhostReport
    from fluxcost.sizes_report import SizesReport

    Report = (
        QuoteCompareReport | SizesReport | QuoteReport | ModelsReport | PlanReport | BillReport
        | DiffReport | SelfhostReport | ProviderQuoteReport | ProviderCompareReport
        | ProviderModelsReport | ProviderPlanReport
    )  # fmt: skip

DEFAULT_WIDTH = 80  # an ordinary terminal; also the width of piped output and files
NARROWEST = 20


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich would exit 1, which scripts read as "over budget"; let the CLI decide.
        raise BrokenPipeError


def terminal_width(stream: object) -> int:
    """``COLUMNS`` when it is a sane number, else the terminal's width, else 80."""
    text = os.environ.get("COLUMNS", "")
    if text.isascii() and text.isdigit() and int(text) >= NARROWEST:
        return min(int(text), 1000)
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        try:
            return max(NARROWEST, os.get_terminal_size(stream.fileno()).columns)  # type: ignore[attr-defined]
        except (OSError, AttributeError, ValueError):
            pass
    return DEFAULT_WIDTH


def console(file: object = None, *, colour: bool | None = None) -> Console:
    stream = sys.stdout if file is None else file
    return _Console(
        file=stream,  # type: ignore[arg-type]
        width=terminal_width(stream),
        highlight=False,
        no_color=colour is False,
        soft_wrap=False,
    )


@dataclass(frozen=True)
class Col:
    header: str
    right: bool = False  # figures, right-aligned
    wrap: bool = False  # prose that may wrap; figures and ids never do
    least: int = 0  # prose narrower than this reads badly: stack the rows instead


def grid(
    out: Console,
    title: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    section_before: Sequence[int] = (),
) -> None:
    """A table of ``rows`` (rich markup, user text already escaped) that shows every figure in
    full: boxed when that fits the terminal, else without vertical rules, else stacked blocks.
    A section line goes before each row index in ``section_before``."""
    # A column with nothing in it (e.g. per image on a many-line plan) is left out.
    keep = [i for i, _ in enumerate(cols) if i == 0 or any(row[i] for row in rows)]
    cols = [cols[i] for i in keep]
    rows = [[row[i] for i in keep] for row in rows]
    count = len(cols)
    boxed = _widths(cols, rows, out.width - (3 * count + 1))
    compact = None if boxed else _widths(cols, rows, out.width - 2 * (count - 1))
    widths = boxed or compact
    if widths is None:
        _stacked(out, title, cols, rows)
        return
    table = Table(title=title, title_justify="left", **({} if boxed else _COMPACT))  # type: ignore[arg-type]
    for col, width in zip(cols, widths, strict=True):
        table.add_column(
            col.header, justify="right" if col.right else "left", overflow="fold", width=width
        )
    for index, row in enumerate(rows):
        if index in section_before:
            table.add_section()
        table.add_row(*row)
    out.print(table)


# No vertical rules and two spaces between columns: what fits when the boxed table does not.
_COMPACT = {
    "box": box.SIMPLE_HEAD,
    "show_edge": False,
    "pad_edge": False,
    "padding": (0, 1, 0, 0),
}


def _widths(cols: Sequence[Col], rows: Sequence[Sequence[str]], room: int) -> list[int] | None:
    """Column widths that show every figure in full within ``room`` columns, or None.

    A figure column is as wide as its longest cell (its header may wrap); prose columns share
    what is left, each at least its longest word. (Rich's own shrinking cuts figures.)"""
    longest = [0] * len(cols)
    words = [max(map(cell_len, col.header.split())) for col in cols]
    for row in rows:
        for index, cell in enumerate(row):
            text = Text.from_markup(cell).plain
            longest[index] = max(longest[index], cell_len(text))
            words[index] = max([words[index], *map(cell_len, text.split())])
    words = [
        max(w, min(col.least, size)) for w, col, size in zip(words, cols, longest, strict=True)
    ]
    widths = [
        max(size, word) if col.wrap else max(size, word, 1)
        for size, word, col in zip(longest, words, cols, strict=True)
    ]
    flexible = [i for i, col in enumerate(cols) if col.wrap]
    # Prose columns give up width, widest first, down to their longest word.
    while sum(widths) > room:
        shrinkable = [i for i in flexible if widths[i] > words[i]]
        if not shrinkable:
            return None
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _stacked(out: Console, title: str, cols: Sequence[Col], rows: Sequence[Sequence[str]]) -> None:
    from rich.padding import Padding

    out.print(title)
    for row in rows:
        block = Table.grid(padding=(0, 2, 0, 0))
        block.add_column(style="dim", no_wrap=True)
        block.add_column(overflow="fold")
        for col, cell in zip(cols[1:], row[1:], strict=True):
            if cell:
                block.add_row(escape(col.header), cell)
        out.print(f"[bold]{row[0] or '-'}[/bold]")
        out.print(Padding(block, (0, 0, 0, 2)))


def notes(out: Console, texts: Sequence[str], footer: str = "") -> None:
    for note in texts:
        out.print(f"[yellow]note:[/yellow] {escape(safe(note))}")
    if footer:
        out.print(f"[dim]{escape(footer)}[/dim]")


def _e(text: str) -> str:
    """User or data text, safe for the terminal and for rich markup."""
    return escape(safe(text))


def _usd(value: Decimal | None) -> str:
    return "" if value is None else usd_shown(value)


# -- quote --------------------------------------------------------------------------------
def draw_quote(r: QuoteReport, out: Console) -> None:
    title = f"{r.model_name} ({r.model}), {r.width}x{r.height}"
    if r.batch != 1:
        title += f", batch of {r.batch:,}"
    cols = [
        Col("item", wrap=True),
        Col("size"),
        Col("qty", right=True),
        Col("unit credits", right=True),
        Col("credits", right=True),
        Col("USD", right=True),
    ]
    rows = [
        [
            _e(i.item),
            f"[dim]{_e(i.detail)}[/dim]",
            quantity_text(i.quantity, i.unit),
            credits_shown(i.unit_credits),
            credits_shown(i.credits),
            usd_shown(i.usd),
        ]
        for i in r.line_items
    ]
    rows.append(
        ["per image", "", "", "", credits_shown(r.per_image_credits), usd_shown(r.per_image_usd)]
    )
    total = "total" if r.batch == 1 else f"total, {plural(r.batch, 'image')}"
    rows.append(
        [
            f"[bold]{total}[/bold]",
            "",
            "",
            "",
            f"[bold]{credits_shown(r.total_credits)}[/bold]",
            f"[bold]{usd_shown(r.total_usd)}[/bold]",
        ]
    )
    grid(out, _e(title), cols, rows, section_before=[len(r.line_items)])
    for cliff in r.cost_cliffs:
        out.print(f"[green]tip:[/green] {escape(cliff.sentence())}")
    notes(
        out,
        r.notes,
        f"1 credit = ${usd_shown(r.credit_usd)}; {r.model} rates checked {r.checked.isoformat()},"
        f" source {r.source} ({safe(r.rates)})",
    )


# -- models -------------------------------------------------------------------------------
def draw_models(r: ModelsReport, out: Console) -> None:
    sources = list(dict.fromkeys(e.model.source for e in r.models))
    cols = [
        Col("id"),
        Col("name", wrap=True),
        Col("rates (credits)", wrap=True, least=24),
        Col("limits", wrap=True, least=24),
        Col("source, checked"),
    ]
    rows: list[list[str]] = []
    breaks: list[int] = []
    for index, entry in enumerate(r.models):
        m = entry.model
        if index and m.family != r.models[index - 1].model.family:
            breaks.append(index)  # FLUX.2 per megapixel, then FLUX.1 flat
        rows.append(
            [
                m.id,
                _e(m.name),
                _e(entry.rates_text),
                _e(entry.limits_text),
                f"\\[{sources.index(m.source) + 1}] {m.checked.isoformat()}",
            ]
        )
    title = f"FLUX API models (rates in credits; 1 credit = ${usd_shown(r.credit_usd)})"
    if r.size is not None:  # --size: ranked by the request's price, not grouped by family
        title, breaks = _priced_models(r, cols, rows), []
    grid(out, title, cols, rows, section_before=breaks)
    out.print("[dim]sources (with the date each rate was checked):[/dim]")
    for number, source in enumerate(sources, 1):
        out.print(f"[dim]\\[{number}] {escape(source)}[/dim]", soft_wrap=True)


def _priced_models(r: ModelsReport, cols: list[Col], rows: list[list[str]]) -> str:
    """Add the request's price (or why a model cannot serve it) to each row, after the id;
    return the title."""
    cols[1:1] = [Col("USD per image", right=True), Col("per 1,000 images", right=True)]
    cols.append(Col("cannot serve", wrap=True))
    for row, entry in zip(rows, r.models, strict=True):
        price = entry.price
        each = None if price is None else price.per_image_usd
        per_1000 = None if price is None else price.per_1000_usd
        row[1:1] = [_usd(each), _usd(per_1000)]
        why = "" if price is None or price.can_serve else price.reason or ""
        row.append(f"[dim]{_e(why)}[/dim]" if why else "")
    request = request_text(r.size or "", r.inputs or ())
    return (
        f"FLUX API models by the price of {_e(request)} in USD, cheapest first (rates in"
        f" credits; 1 credit = ${usd_shown(r.credit_usd)})"
    )


# -- quote --compare ----------------------------------------------------------------------
def draw_quote_compare(r: QuoteCompareReport, out: Console) -> None:
    cols = [
        Col("#", right=True),
        Col("model"),
        Col("per image", right=True),
        Col("per 1,000 images", right=True),
        Col("total", right=True),
        Col("vs cheapest", right=True),
        Col("status", wrap=True),
    ]
    rows: list[list[str]] = []
    for m in r.models:
        status = _e(compare_status(m))
        if not m.can_serve:
            rows.append(["-", m.model, "", "", "", "", f"[dim]{status}[/dim]"])
            continue
        more = m.vs_cheapest_usd
        rows.append(
            [
                str(len(rows) + 1),
                m.model,
                _usd(m.per_image_usd),
                _usd(m.per_1000_usd),
                _usd(m.total_usd) if r.batch != 1 else "",
                f"+{usd_shown(more)}" if more else "",
                f"[green]{status}[/green]" if m.cheapest else status,
            ]
        )
    grid(out, f"{_e(compare_title(r))} on every model, cheapest first (USD)", cols, rows)
    # The notes of the model asked for, else the cheapest: the quote this stands for.
    shown = next((m for m in r.models if m.asked), None)
    shown = shown or next((m for m in r.models if m.cheapest), None)
    notes(
        out,
        [n if shown.model in n else f"{shown.model}: {n}" for n in shown.notes] if shown else [],
        f"1 credit = ${usd_shown(r.credit_usd)} ({safe(r.rates)})",
    )


# -- sizes --------------------------------------------------------------------------------
def draw_sizes(r: SizesReport, out: Console) -> None:
    cols = [
        Col("billed", right=True),
        Col("size"),
        Col("MP", right=True),
        Col("USD per image", right=True),
        Col("per 1,000 images", right=True),
        Col("note", wrap=True),
    ]
    source = f" (from {r.given_size})" if r.given_size else ""
    for model in r.models:
        rows = [
            [
                f"{row.billed_mp} MP",
                f"[bold]{row.size}[/bold]" if row.match == "given" else row.size,
                row.exact_mp,
                _usd(row.per_image_usd),
                _usd(row.per_1000_usd),
                f"[dim]{_e(row.note)}[/dim]" if row.note else "",
            ]
            for row in r.model_rows(model)
        ]
        grid(out, f"{model}: the largest {r.aspect} size per billed MP{source}", cols, rows)
    notes(out, r.notes, f"1 credit = ${usd_shown(r.credit_usd)} ({safe(r.rates)})")


# -- workload -----------------------------------------------------------------------------
def draw_plan(r: PlanReport, out: Console) -> None:
    cols = [
        Col("line", wrap=True),
        Col("model"),
        Col("images", right=True),
        Col("requests x batch", right=True),
        Col("size"),
        Col("per image", right=True),
        Col("USD", right=True),
    ]
    rows = [
        [
            _e(line.name),
            line.model + (" *" if line.model_chosen_as_cheapest else ""),
            billed_text(line.images, line.billed_images),
            f"{line.requests:,} x {line.batch:,}",
            line.size + (f" + {len(line.inputs)} in" if line.inputs else ""),
            usd_shown(line.per_image_usd),
            usd_shown(line.total_usd),
        ]
        for line in r.lines
    ]
    rows.append(
        ["[bold]total[/bold]", "", "", "", "", "", f"[bold]{usd_shown(r.total_usd)}[/bold]"]
    )
    title = f"Workload {_e(r.name)}, per {r.period}"
    if r.converted_from:
        title += f" ({r.converted_from})"
    grid(out, title, cols, rows, section_before=[len(r.lines)])
    out.print(f"total {credits_shown(r.total_credits)} credits = ${usd_shown(r.total_usd)}")
    if any(line.model_chosen_as_cheapest for line in r.lines):
        out.print("* no model named: the cheapest model that can serve the line")
    if r.models is not None:
        _draw_options(r, out)
    if sentence := r.budget_sentence():
        colour = "red" if r.over_budget else "green"
        out.print(f"[{colour}]{escape(sentence)}[/{colour}]")
    notes(out, sorted({n for line in r.lines for n in line.notes}))


def _draw_options(r: PlanReport, out: Console) -> None:
    assert r.models is not None
    cols = [
        Col("#", right=True),
        Col("model"),
        Col("per image", right=True),
        Col("per 1,000 images", right=True),
        Col("USD", right=True),
        Col("vs cheapest", right=True),
        Col("status", wrap=True),
    ]
    planned = {line.model for line in r.lines} if len(r.lines) == 1 else set()
    rows: list[list[str]] = []
    rank = 0
    for m in r.models:
        if not m.can_serve:
            rows.append(["-", m.model, "", "", "", "", f"[dim]cannot: {_e(m.reason or '')}[/dim]"])
            continue
        rank += 1
        status = []
        if m.cheapest:
            status.append("[green]cheapest[/green]")
        if m.model in planned:
            status.append("plan")
        if m.over_budget:
            status.append("[red]over budget[/red]")
        more = m.difference_usd
        rows.append(
            [
                str(rank),
                m.model,
                "" if m.per_image_usd is None else usd_shown(m.per_image_usd),
                _usd(m.per_1000_usd),
                usd_shown(m.total_usd or Decimal(0)),
                f"+{usd_shown(more)}" if more else "",
                ", ".join(status),
            ]
        )
    if (own := r.selfhost) is not None:
        more = own.difference_usd
        shown = "" if more is None else ("-" if more < 0 else "+") + usd_shown(abs(more))
        how = f"self-hosted: ${usd_shown(own.usd_per_hour)}/h x {own.seconds_per_image} s"
        label = f"{how} + licence ${usd_shown(own.licence_usd)}"
        rows.append(["*", own.model, "", "", usd_shown(own.total_usd), shown, label])
    grid(out, "The same workload on every model, cheapest first", cols, rows)
    if r.selfhost is not None:
        out.print(
            "* self-hosted: GPU time for every billed image plus the licence for the period;"
            " GPU dollars rounded half up to the cent"
        )


# -- bill ---------------------------------------------------------------------------------
def _draw_mp_findings(rec: Reconcile, out: Console) -> None:
    """Rows whose megapixels, as the API reported them, disagree with their sizes."""
    colour = "red" if rec.mp_rows_mismatched else "green"
    out.print(
        f"[{colour}]reconcile: {rec.mp_rows_mismatched:,} of {rec.mp_rows_checked:,} rows with"
        f" the API's megapixels disagree with their sizes[/{colour}]"
    )
    if rec.mp_mismatches:
        shown = rec.mp_mismatches[:20]
        rows = [[f"{m.line:,}", _e(m.reason)] for m in shown]
        cols = [Col("line", right=True), Col("finding", wrap=True)]
        grid(out, "Megapixels the API reported", cols, rows)
        if rec.mp_rows_mismatched > len(shown):
            out.print(f"... and {rec.mp_rows_mismatched - len(shown):,} more (--format json)")


def draw_bill(r: BillReport, out: Console) -> None:
    from fluxcost.bill_report import credits_text, signed_text, usd_text

    cols = [
        Col(r.group_by),
        *(Col(n, right=True) for n in ("requests", "images", "credits")),
        Col("USD", right=True),
    ]
    rows = [
        [
            _e(g.key),
            f"{g.requests:,}",
            f"{g.images:,}",
            credits_text(g.total_credits),
            usd_text(g.total_usd, g.usd_rounded),
        ]
        for g in r.groups
    ]
    rows.append(
        [
            "[bold]total[/bold]",
            f"{r.requests:,}",
            f"{r.images:,}",
            credits_text(r.total_credits),
            f"[bold]{usd_text(r.total_usd, r.usd_rounded)}[/bold]",
        ]
    )
    grid(out, f"Bill for {_e(r.log)}", cols, rows, section_before=[len(r.groups)])
    if r.providers is not None:
        cols = [Col("provider"), *(Col(n, right=True) for n in ("requests", "images", "credits")),
                Col("USD", right=True)]  # fmt: skip
        rows = [[p.provider, f"{p.requests:,}", f"{p.images:,}", credits_text(p.total_credits),
                 usd_text(p.total_usd, p.usd_rounded)] for p in r.providers]  # fmt: skip
        grid(out, "By provider", cols, rows)
    for sentence in r.sentences():
        out.print(f"[yellow]note:[/yellow] {_e(sentence)}")
    if r.rows_rejected:
        out.print(f"[red]{plural(r.rows_rejected, 'row')} rejected[/red] (not in the total)")
    for epoch in r.earlier_prices or ():
        out.print(f"[yellow]note:[/yellow] {epoch.sentence()}")
    rec = r.reconcile
    if rec is not None and rec.rows_checked:  # else only the API's megapixels were logged
        colour = "red" if rec.rows_mismatched else "green"
        out.print(
            f"[{colour}]reconcile: {rec.rows_mismatched:,} of {rec.rows_checked:,} charged rows"
            f" differ from the rate table[/{colour}]; charged {credits_shown(rec.charged_credits)}"
            f" credits, expected {credits_shown(rec.expected_credits)} (difference"
            f" {credits_shown(rec.difference_credits)} credits, {signed_usd(rec.difference_usd)})"
        )
        if rec.mismatches:
            shown = rec.mismatches[:20]
            cols = [Col(n, right=True) for n in ("line", "expected", "charged", "difference")]
            rows = [
                [
                    f"{m.line:,}",
                    credits_shown(m.expected_credits),
                    credits_shown(m.charged_credits),
                    credits_shown(m.difference_credits),
                ]
                for m in shown
            ]
            grid(out, "Rows charged differently (credits)", cols, rows)
            if rec.rows_mismatched > len(shown):
                out.print(f"... and {rec.rows_mismatched - len(shown):,} more (--format json)")
    if rec is not None and rec.mp_rows_checked:
        _draw_mp_findings(rec, out)
    if r.models is not None:
        cols = [
            Col("model"),
            Col("USD", right=True),
            Col("vs actual", right=True),
            Col("note", wrap=True),
        ]
        rows = [
            [
                m.model,
                usd_shown(m.total_usd),
                signed_text(m.difference_usd or Decimal(0), m.difference_rounded),
                "",
            ]
            if m.total_usd is not None
            else [
                m.model,
                "",
                "",
                f"[dim]cannot serve {plural(m.requests_unservable, 'request')}:"
                f" {_e(m.reason or '')}[/dim]",
            ]
            for m in r.models
        ]
        grid(out, "The same requests on every model", cols, rows)


# -- diff ---------------------------------------------------------------------------------
def draw_diff(r: DiffReport, out: Console) -> None:
    cols = [
        Col("line", wrap=True),
        Col("change"),
        Col("model"),
        Col("images", right=True),
        Col("before", right=True),
        Col("after", right=True),
        Col("difference", right=True),
    ]
    rows = []
    for line in r.lines:
        model = line.head_model or line.base_model or ""
        if line.base_model and line.head_model and line.base_model != line.head_model:
            model = f"{line.base_model} -> {line.head_model}"
        images = f"{line.head_images:,}"
        if line.base_images != line.head_images:
            images = f"{line.base_images:,} -> {line.head_images:,}"
        colour = {"added": "green", "removed": "red", "changed": "yellow"}.get(line.status)
        status = f"[{colour}]{line.status}[/{colour}]" if colour else f"[dim]{line.status}[/dim]"
        rows.append(
            [
                _e(line.name),
                status,
                model,
                images,
                usd_shown(line.base_usd),
                usd_shown(line.head_usd),
                signed_usd(line.change_usd),
            ]
        )
    rows.append(
        [
            "[bold]total[/bold]",
            "",
            "",
            "",
            usd_shown(r.base_total_usd),
            usd_shown(r.head_total_usd),
            f"[bold]{signed_usd(r.change_usd)}[/bold]",
        ]
    )
    title = f"Change in cost per {r.period}: {_e(r.base)} -> {_e(r.head)}"
    grid(out, title, cols, rows, section_before=[len(r.lines)])
    out.print(r.summary())
    if sentence := r.threshold_sentence():
        out.print(f"[red]{escape(sentence)}[/red]")


# -- selfhost -----------------------------------------------------------------------------
_CHART_STYLES = {"api": "blue", "self": "dark_orange3", "both": "magenta", "mark": "bold",
                 "axis": "dim"}  # fmt: skip


def draw_selfhost(r: SelfhostReport, out: Console) -> None:
    from fluxcost.selfhost_chart import chart_of, terminal

    cols = [Col("cost", wrap=True), Col(f"self-hosted {r.model}", right=True),
            Col(f"API {r.api_model}", right=True)]  # fmt: skip
    rows = [[_e(what), *(u.shown if u else "" for u in figures)] for what, *figures in r.rows()]
    title = f"Self-host {r.model} or use the API? {r.size}, USD per {r.period}"
    grid(out, title, cols, rows)
    out.print(escape(r.gpu_sentence()))
    out.print(escape(r.licence_sentence()))
    out.print(f"[bold]{escape(r.break_even_sentence())}[/bold]")
    if saving := r.saving_sentence():
        colour = "green" if r.saving and r.saving.exact > 0 else "red"
        out.print(f"[{colour}]{escape(saving)}[/{colour}]")
    for warning in r.warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    if r.tiers:
        tier_cols = [Col("tier"), Col("models", wrap=True), Col(f"images/{r.period}", right=True),
                     Col("terms", wrap=True)]  # fmt: skip
        tier_rows = [[_e(t.tier), _e(t.models), "" if t.images_per_month is None
                      else f"{t.images_per_month:,}", _e(t.terms)] for t in r.tiers]  # fmt: skip
        grid(out, f"BFL licence tiers that cover {r.model} (prices quoted by BFL)", tier_cols,
             tier_rows)  # fmt: skip
        out.print(f"[dim]{escape(r.reference_licence)}[/dim]")
    for line in terminal(chart_of(r), out.width):
        out.print(Text.assemble(*((text, _CHART_STYLES.get(role, "")) for text, role in line)))
    notes(out, r.all_notes())
    out.print("[dim]sources:[/dim]")
    for number, s in enumerate(r.sources, 1):
        as_of = f", as of {s.as_of}" if s.as_of else ""
        out.print(f"[dim]\\[{number}] {escape(s.figure)} ({s.confidence}, checked {s.checked}"
                  f"{as_of})[/dim]")  # fmt: skip
        out.print(f"[dim]    {escape(s.url)}[/dim]", soft_wrap=True)  # a URL stays whole


def _provider_drawer(name: str) -> Callable[[Any, Console], None]:
    """A provider report's drawer, from provider_tables.py (imported only to draw one)."""

    def draw_it(report: Any, out: Console) -> None:
        from fluxcost import provider_tables

        getattr(provider_tables, name)(report, out)

    return draw_it


def draw(report: Report, out: Console) -> None:
    # By class name, so that the other commands' report modules stay unimported.
    drawers: dict[str, Callable[[Any, Console], None]] = {
        "QuoteReport": draw_quote,
        "QuoteCompareReport": draw_quote_compare,
        "SizesReport": draw_sizes,
        "ModelsReport": draw_models,
        "PlanReport": draw_plan,
        "BillReport": draw_bill,
        "DiffReport": draw_diff,
        "SelfhostReport": draw_selfhost,
        "ProviderQuoteReport": _provider_drawer("draw_provider_quote"),
        "ProviderCompareReport": _provider_drawer("draw_provider_compare"),
        "ProviderModelsReport": _provider_drawer("draw_provider_models"),
        "ProviderPlanReport": _provider_drawer("draw_provider_plan"),
    }
    drawers[type(report).__name__](report, out)
    if basis := prices_used(report):  # which prices, when not today's published ones
        out.print(f"[bold]{escape(basis)}[/bold]")
