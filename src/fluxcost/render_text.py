"""Reports as text for machines and pull requests: JSON, CSV and GitHub Markdown.

JSON money is text (``"0.075"``): exact, and never a binary float in the reader's parser.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

from fluxcost.money import credits_shown, plain, plural, signed_usd, usd, usd_shown

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
    from fluxcost.quote_report import ModelPrice, QuoteCompareReport, QuoteReport
    from fluxcost.selfhost_report import SelfhostReport
    from fluxcost.sizes_report import SizesReport

    Report: TypeAlias = (
        QuoteCompareReport | SizesReport | QuoteReport | ModelsReport | PlanReport | BillReport
        | DiffReport | SelfhostReport | ProviderQuoteReport | ProviderCompareReport
        | ProviderModelsReport | ProviderPlanReport
    )  # fmt: skip

FORMATS = ("table", "json", "csv", "markdown")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def safe(text: str) -> str:
    """``text`` with control characters (ESC, newlines) shown as escapes, never acted on."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def md(text: str) -> str:
    """User text for Markdown: control characters escaped and Markdown syntax made literal."""
    return _MD_SPECIAL.sub(r"\\\1", safe(text))


def quantity_text(quantity: int, unit: str) -> str:
    """``3 MP``, ``1 image``, ``0 images``."""
    return f"{quantity:,} {unit}" if unit == "MP" else plural(quantity, unit)


def billed_text(images: int, billed: int) -> str:
    """``10`` or, when a partly used last batch is paid in full, ``10 (12 billed)``."""
    return f"{images:,}" if billed == images else f"{images:,} ({billed:,} billed)"


# -- JSON ---------------------------------------------------------------------------------
def to_data(value: Any, name: str = "") -> Any:
    """A report as JSON-ready data: money as exact text, dates ISO, tuples as lists."""
    if isinstance(value, Decimal):
        return usd(value) if name == "usd" or name.endswith("_usd") else plain(value)
    if hasattr(value, "json_data"):  # a value that knows its own JSON (a rate-table model)
        return value.json_data()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data: dict[str, Any] = {}
        omit = getattr(value, "omit_if_none", ())
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if item is None and f.name in omit:
                continue
            data[f.name] = to_data(item, f.name)
        return data
    if isinstance(value, (tuple, list)):
        return [to_data(item, name) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_json(report: Report) -> str:
    import json

    return json.dumps(to_data(report), indent=2, ensure_ascii=False) + "\n"


# -- CSV ----------------------------------------------------------------------------------
def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(
        [[_cell(value, name) for name, value in zip(header, row, strict=True)] for row in rows]
    )
    return buffer.getvalue()


def _cell(value: object, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return ";".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return str(to_data(value, name))
    return str(value)


def _row(item: object, columns: Sequence[str]) -> list[object]:
    return [getattr(item, name) for name in columns]


PLAN_COLUMNS = (
    "name",
    "model",
    "images",
    "batch",
    "requests",
    "billed_images",
    "size",
    "inputs",
    "per_image_usd",
    "total_usd",
    "total_credits",
)
OPTION_COLUMNS = (
    "model",
    "can_serve",
    "per_image_usd",
    "total_usd",
    "total_credits",
    "difference_usd",
    "cheapest",
    "over_budget",
    "reason",
    "per_1000_usd",
)
GROUP_COLUMNS = ("key", "requests", "images", "total_credits", "total_usd")
WHAT_IF_COLUMNS = (
    "model",
    "can_serve_all",
    "total_usd",
    "total_credits",
    "difference_usd",
    "requests_unservable",
    "reason",
)
ITEM_COLUMNS = ("item", "detail", "quantity", "unit", "unit_credits", "credits", "usd")
MODEL_COLUMNS = (
    "id",
    "name",
    "family",
    "billing",
    "rates_text",
    "limits_text",
    "source",
    "checked",
    "confidence",
)


def _quote_csv(r: QuoteReport) -> str:
    rows = [_row(i, ITEM_COLUMNS) for i in r.line_items]
    total = ["TOTAL", "", r.batch, "image", r.per_image_credits, r.total_credits, r.total_usd]
    return csv_text(ITEM_COLUMNS, [*rows, total])


# `quote --compare`, and the price columns `models --size` adds.
PRICE_COLUMNS = (
    "model",
    "can_serve",
    "per_image_credits",
    "per_image_usd",
    "per_1000_usd",
    "total_credits",
    "total_usd",
    "vs_cheapest_usd",
    "cheapest",
    "asked",
    "reason",
)
SIZE_COLUMNS = (
    "model",
    "billed_mp",
    "size",
    "width",
    "height",
    "exact_mp",
    "aspect",
    "match",
    "per_image_credits",
    "per_image_usd",
    "per_1000_usd",
    "note",
)


def _quote_compare_csv(r: QuoteCompareReport) -> str:
    return csv_text(PRICE_COLUMNS, [_row(m, PRICE_COLUMNS) for m in r.models])


def _sizes_csv(r: SizesReport) -> str:
    return csv_text(SIZE_COLUMNS, [_row(row, SIZE_COLUMNS) for row in r.rows])


def _models_csv(r: ModelsReport) -> str:
    rows = [
        [
            e.model.id,
            e.model.name,
            e.model.family,
            e.model.billing.kind,
            e.rates_text,
            e.limits_text,
            e.model.source,
            e.model.checked,
            e.model.confidence,
        ]
        for e in r.models
    ]
    if r.size is not None:  # --size: each model's price for the request, cheapest first
        extra = ("per_image_usd", "per_1000_usd", "can_serve", "reason")
        priced = [[*row, *_row(e.price, extra)] for row, e in zip(rows, r.models, strict=True)]
        return csv_text((*MODEL_COLUMNS, *extra), priced)
    return csv_text(MODEL_COLUMNS, rows)


def _plan_csv(r: PlanReport) -> str:
    if r.models is not None:  # --compare: the comparison is what was asked for
        rows = [_row(m, OPTION_COLUMNS) for m in r.models]
        if (own := r.selfhost) is not None:  # the self-hosted row, in the same columns
            values = {"model": f"self-hosted:{own.model}", "can_serve": True,
                      "total_usd": own.total_usd, "difference_usd": own.difference_usd}  # fmt: skip
            rows.append([values.get(column) for column in OPTION_COLUMNS])
        return csv_text(OPTION_COLUMNS, rows)
    rows = [_row(line, PLAN_COLUMNS) for line in r.lines]
    rows.append(["TOTAL", *[""] * 8, r.total_usd, r.total_credits])
    return csv_text(PLAN_COLUMNS, rows)


def _bill_csv(r: BillReport) -> str:
    if r.models is not None:  # --compare: the comparison is what was asked for
        return csv_text(WHAT_IF_COLUMNS, [_row(m, WHAT_IF_COLUMNS) for m in r.models])
    rows = [_row(g, GROUP_COLUMNS) for g in r.groups]
    rows.append(["TOTAL", r.requests, r.images, r.total_credits, r.total_usd])
    if r.providers is None:
        return csv_text((r.group_by, *GROUP_COLUMNS[1:]), rows)
    # Rows at other providers: which figures are rounded (never ending in decimal).
    flags = [*(g.usd_rounded for g in r.groups), r.usd_rounded]
    rows = [[*row, flag] for row, flag in zip(rows, flags, strict=True)]
    return csv_text((r.group_by, *GROUP_COLUMNS[1:], "usd_rounded"), rows)


# -- Markdown -----------------------------------------------------------------------------
def md_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    out = ["| " + " | ".join(header) + " |"]
    out.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _quote_markdown(r: QuoteReport) -> list[str]:
    out = [f"### fluxcost quote: {md(r.model_name)} (`{r.model}`), {r.width}x{r.height}", ""]
    rows = [
        [
            md(i.item),
            md(i.detail),
            quantity_text(i.quantity, i.unit),
            credits_shown(i.unit_credits),
            credits_shown(i.credits),
            f"${usd_shown(i.usd)}",
        ]
        for i in r.line_items
    ]
    rows.append(
        [
            "per image",
            "",
            "",
            "",
            credits_shown(r.per_image_credits),
            f"${usd_shown(r.per_image_usd)}",
        ]
    )
    rows.append(
        [
            f"**total, {plural(r.batch, 'image')}**",
            "",
            "",
            "",
            credits_shown(r.total_credits),
            f"**${usd_shown(r.total_usd)}**",
        ]
    )
    out += md_table(["item", "size", "qty", "credits/unit", "credits", "USD"], rows, {2, 3, 4, 5})
    out += [""] + [f"Note: {md(n)}" for n in r.notes]
    out += [f"Tip: {md(c.sentence())}" for c in r.cost_cliffs]
    out.append(
        f"1 credit = ${usd_shown(r.credit_usd)}; rates checked {r.checked}, source {r.source}."
    )
    return out


def request_text(size: str, inputs: Sequence[str], batch: int = 1) -> str:
    """``1920x1080 + 2 inputs (1024x1024, 512x512), batch of 4``."""
    text = size + (f" + {plural(len(inputs), 'input')} ({', '.join(inputs)})" if inputs else "")
    return text + (f", batch of {batch:,}" if batch != 1 else "")


def compare_title(r: QuoteCompareReport) -> str:
    inputs = [f"{i.width}x{i.height}" for i in r.inputs]
    return request_text(f"{r.width}x{r.height}", inputs, r.batch)


def compare_status(m: ModelPrice) -> str:
    """``cheapest, --model`` or ``cannot: <reason>``."""
    if not m.can_serve:
        return f"cannot: {m.reason or ''}"
    words = (("cheapest", m.cheapest), ("--model", m.asked), ("API sets size", m.api_sets_size))
    return ", ".join(word for word, on in words if on)


def _money(value: Decimal | None, sign: str = "") -> str:
    return "" if value is None else f"{sign}${usd_shown(value)}"


def _quote_compare_markdown(r: QuoteCompareReport) -> list[str]:
    out = [f"### fluxcost quote --compare: {compare_title(r)}, cheapest first", ""]
    rows = [
        [
            f"`{m.model}`",
            _money(m.per_image_usd),
            _money(m.per_1000_usd),
            _money(m.total_usd),
            _money(m.vs_cheapest_usd, "+"),
            md(compare_status(m)),
        ]
        for m in r.models
    ]
    header = ["model", "per image", "per 1,000 images", "total", "vs cheapest", "status"]
    if r.batch == 1:  # the total is the per-image price
        header, rows = header[:3] + header[4:], [row[:3] + row[4:] for row in rows]
    return out + md_table(header, rows, {1, 2, 3} if r.batch == 1 else {1, 2, 3, 4})


def _sizes_markdown(r: SizesReport) -> list[str]:
    source = f" (from {r.given_size})" if r.given_size else ""
    out = [f"### fluxcost sizes: {r.aspect}{source}, the largest size per billed MP", ""]
    rows = [
        [
            f"`{row.model}`",
            f"{row.billed_mp} MP",
            row.size,
            row.exact_mp,
            _money(row.per_image_usd),
            _money(row.per_1000_usd),
            md(row.note),
        ]
        for row in r.rows
    ]
    header = ["model", "billed", "size", "MP", "per image", "per 1,000 images", "note"]
    out += md_table(header, rows, {3, 4, 5})
    return out + [""] + [f"Note: {md(n)}" for n in r.notes]


def _models_markdown(r: ModelsReport) -> list[str]:
    out = [f"### fluxcost models (1 credit = ${usd_shown(r.credit_usd)})", ""]
    rows = [
        [
            f"`{e.model.id}`",
            md(e.model.name),
            md(e.rates_text),
            md(e.limits_text),
            f"[{e.model.checked}]({e.model.source})",
        ]
        for e in r.models
    ]
    header = ["id", "name", "rates (credits)", "limits", "checked"]
    if r.size is not None:  # --size: ranked by the request's price, cheapest first
        out[0] += f", ranked by the price of {request_text(r.size, r.inputs or ())}"
        header += ["per image", "per 1,000 images"]
        for row, e in zip(rows, r.models, strict=True):
            if (p := e.price) is not None:
                cannot = "" if p.can_serve else f"cannot: {md(p.reason or '')}"
                row += [_money(p.per_image_usd) or cannot, _money(p.per_1000_usd)]
    out += md_table(header, rows, {5, 6} if r.size is not None else set())
    return out


def _plan_markdown(r: PlanReport) -> list[str]:
    title = f"### fluxcost: {md(r.name)} (per {r.period})"
    out = [title + (f", {md(r.converted_from)}" if r.converted_from else ""), ""]
    rows = [
        [
            md(line.name),
            f"`{line.model}`" + (" (cheapest)" if line.model_chosen_as_cheapest else ""),
            billed_text(line.images, line.billed_images),
            f"{line.batch:,}",
            line.size
            + (
                f" + {plural(len(line.inputs), 'input')} ({', '.join(line.inputs)})"
                if line.inputs
                else ""
            ),
            f"${usd_shown(line.per_image_usd)}",
            f"${usd_shown(line.total_usd)}",
        ]
        for line in r.lines
    ]
    rows.append(["**total**", "", "", "", "", "", f"**${usd_shown(r.total_usd)}**"])
    out += md_table(
        ["line", "model", "images", "batch", "size", "per image", "total"], rows, {2, 3, 5, 6}
    )
    if sentence := r.budget_sentence():
        out += ["", f"**{sentence}**" if r.over_budget else sentence]
        if r.budget_warning:
            out += ["", f"**Warning:** past the {r.warn_at_percent}% warning line."]
    if r.models is not None:
        out += ["", "#### Every model", ""]
        model_rows = []
        for m in r.models:
            if m.total_usd is None:
                model_rows.append([f"`{m.model}`", "", "", "", "", f"cannot: {md(m.reason or '')}"])
                continue
            status = ", ".join(
                word
                for word, on in (("cheapest", m.cheapest), ("over budget", m.over_budget))
                if on
            )
            per_image = "" if m.per_image_usd is None else f"${usd_shown(m.per_image_usd)}"
            model_rows.append(
                [
                    f"`{m.model}`",
                    per_image,
                    _money(m.per_1000_usd),
                    f"${usd_shown(m.total_usd)}",
                    f"+${usd_shown(m.difference_usd or Decimal(0))}",
                    status,
                ]
            )
        if (own := r.selfhost) is not None:
            more = own.difference_usd
            shown = "" if more is None else signed_usd(more)
            how = f"your GPU ${usd_shown(own.usd_per_hour)}/h x {own.seconds_per_image} s"
            total = f"${usd_shown(own.total_usd)}"
            status = f"{how} + licence ${usd_shown(own.licence_usd)}"
            model_rows.append([f"self-hosted `{own.model}`", "", "", total, shown, status])
        out += md_table(
            ["model", "per image", "per 1,000 images", "total", "vs cheapest", "status"],
            model_rows,
            {1, 2, 3, 4},
        )
    return out


def _mp_findings_markdown(rec: Reconcile) -> list[str]:
    """Rows whose megapixels, as the API reported them, disagree with their sizes."""
    out = [
        "",
        f"Reconcile: {rec.mp_rows_mismatched:,} of {rec.mp_rows_checked:,} rows with the API's"
        " megapixels disagree with their sizes.",
    ]
    if rec.mp_mismatches:
        rows = [[f"{m.line:,}", md(m.reason)] for m in rec.mp_mismatches[:20]]
        out += ["", *md_table(["line", "finding"], rows, {0})]
    if rec.mp_rows_mismatched > 20:
        out += ["", f"... and {rec.mp_rows_mismatched - 20:,} more (--format json)."]
    return out


def _bill_markdown(r: BillReport) -> list[str]:
    from fluxcost.bill_report import credits_text, dollars_text, signed_text

    out = [f"### fluxcost bill: {md(r.log)}", ""]
    key = (lambda k: f"`{k}`") if r.group_by == "model" else md
    rows = [
        [
            key(g.key),
            f"{g.requests:,}",
            f"{g.images:,}",
            credits_text(g.total_credits),
            dollars_text(g.total_usd, g.usd_rounded),
        ]
        for g in r.groups
    ]
    rows.append(
        [
            "**total**",
            f"{r.requests:,}",
            f"{r.images:,}",
            credits_text(r.total_credits),
            f"**{dollars_text(r.total_usd, r.usd_rounded)}**",
        ]
    )
    out += md_table([r.group_by, "requests", "images", "credits", "USD"], rows, {1, 2, 3, 4})
    if r.providers is not None:
        rows = [[f"`{p.provider}`", f"{p.requests:,}", f"{p.images:,}",
                 credits_text(p.total_credits), dollars_text(p.total_usd, p.usd_rounded)]
                for p in r.providers]  # fmt: skip
        out += ["", *md_table(["provider", "requests", "images", "credits", "USD"], rows,
                              {1, 2, 3, 4})]  # fmt: skip
    out += [f"\nNote: {md(sentence)}." for sentence in r.sentences()]
    if r.rows_rejected:
        out += ["", f"**{plural(r.rows_rejected, 'row')} rejected** (not in the total)."]
    out += [f"\nNote: {epoch.sentence()}." for epoch in r.earlier_prices or ()]
    if (rec := r.reconcile) is not None and rec.rows_checked:
        out += [
            "",
            f"Reconcile: {rec.rows_mismatched:,} of {rec.rows_checked:,} charged rows"
            f" differ from the rate table; charged {credits_shown(rec.charged_credits)} credits,"
            f" expected {credits_shown(rec.expected_credits)} (difference"
            f" {credits_shown(rec.difference_credits)} credits, {signed_usd(rec.difference_usd)}).",
        ]
    if rec is not None and rec.mp_rows_checked:
        out += _mp_findings_markdown(rec)
    if r.models is not None:
        out += ["", "#### The same requests on every model", ""]
        rows = [
            [
                f"`{m.model}`",
                f"${usd_shown(m.total_usd)}",
                signed_text(m.difference_usd or Decimal(0), m.difference_rounded),
                "",
            ]
            if m.total_usd is not None
            else [
                f"`{m.model}`",
                "",
                "",
                f"cannot serve {plural(m.requests_unservable, 'request')}",
            ]
            for m in r.models
        ]
        out += md_table(["model", "total", "vs actual", "note"], rows, {1, 2})
    return out


DIFF_COLUMNS = (
    "name",
    "status",
    "base_model",
    "head_model",
    "base_images",
    "head_images",
    "base_usd",
    "head_usd",
    "change_usd",
)


def _diff_csv(r: DiffReport) -> str:
    rows = [_row(line, DIFF_COLUMNS) for line in r.lines]
    total = ["TOTAL", "unchanged" if r.unchanged else "changed", "", "", "", ""]
    rows.append([*total, r.base_total_usd, r.head_total_usd, r.change_usd])
    return csv_text(DIFF_COLUMNS, rows)


def _signed_percent(value: Decimal | None) -> str:
    return "new" if value is None else f"{value:+.0f}%"


def _diff_markdown(r: DiffReport) -> list[str]:
    """A pull-request comment: the verdict, the lines that changed, the rest folded away."""
    out = [f"### fluxcost: {md(r.summary())}", ""]
    if r.over_threshold and (sentence := r.threshold_sentence()):
        out += [f"**{md(sentence)}**", ""]
    moved = [line for line in r.lines if line.status != "unchanged"]
    if moved:
        rows = [
            [
                md(line.name),
                line.status,
                f"`{line.base_model}`" if line.base_model else "",
                f"`{line.head_model}`" if line.head_model else "",
                f"{line.base_images:,}",
                f"{line.head_images:,}",
                f"${usd_shown(line.base_usd)}",
                f"${usd_shown(line.head_usd)}",
                signed_usd(line.change_usd),
            ]
            for line in moved
        ]
        rows.append(
            [
                "**total**",
                "",
                "",
                "",
                "",
                "",
                f"${usd_shown(r.base_total_usd)}",
                f"${usd_shown(r.head_total_usd)}",
                f"**{signed_usd(r.change_usd)}**",
            ]
        )
        header = [
            "line",
            "change",
            "model before",
            "model after",
            "images before",
            "images after",
            "before",
            "after",
            "difference",
        ]
        out += md_table(header, rows, {4, 5, 6, 7, 8})
    out += ["", "<details><summary>Every line, per " + r.period + "</summary>", ""]
    rows = [
        [md(line.name), line.status, f"${usd_shown(line.head_usd)}", signed_usd(line.change_usd)]
        for line in r.lines
    ]
    out += md_table(["line", "change", "cost", "difference"], rows, {2, 3})
    out += ["", f"Base: `{md(r.base)}`; head: `{md(r.head)}`.", "", "</details>"]
    return out


# -- selfhost -----------------------------------------------------------------------------
SELFHOST_COLUMNS = (
    "option",
    "model",
    "per_image_usd",
    "fixed_usd_per_month",
    "images",
    "total_usd",
    "per_image_all_in_usd",
    "break_even_images",
    "rounded",
)


def _selfhost_csv(r: SelfhostReport) -> str:
    from fractions import Fraction

    from fluxcost.selfhost_report import Usd

    own = ["self-hosted", r.model, r.gpu_per_image, r.licence_per_period, r.images,
           r.selfhost_total, r.selfhost_per_image_all_in, r.break_even_images]  # fmt: skip
    api = ["api", r.api_model, r.api_per_image, Usd(Fraction(0)), r.images, r.api_total,
           None if r.images is None else r.api_per_image, None]  # fmt: skip
    rows = [[*row, any(v.json_data()["rounded"] for v in row if isinstance(v, Usd))]
            for row in (own, api)]  # fmt: skip
    return csv_text(SELFHOST_COLUMNS, rows)


def _selfhost_markdown(r: SelfhostReport) -> list[str]:
    out = [
        f"### fluxcost selfhost: `{r.model}` or the API (`{r.api_model}`), {r.size},"
        f" USD per {r.period}",
        "",
    ]
    rows = [[md(what), *(u.dollars if u else "" for u in figures)] for what, *figures in r.rows()]
    out += md_table(["", "self-hosted", "API"], rows, {1, 2})
    out += ["", md(r.gpu_sentence()), "", md(r.licence_sentence()), ""]
    out.append(f"**{md(r.break_even_sentence())}**")
    if saving := r.saving_sentence():
        out += ["", md(saving)]
    out += [line for w in r.warnings for line in ("", f"**Warning:** {md(w)}")]
    if r.tiers:
        out += ["", f"#### BFL licence tiers that cover `{r.model}` (prices quoted by BFL)", ""]
        tiers = [[md(t.tier), md(t.models), "" if t.images_per_month is None
                  else f"{t.images_per_month:,}", md(t.terms)] for t in r.tiers]  # fmt: skip
        out += md_table(["tier", "models", f"images/{r.period}", "terms"], tiers, {2})
        out += ["", md(r.reference_licence)]
    out += [line for n in r.all_notes() for line in ("", f"Note: {md(n)}")]
    out += ["", "Sources:", ""]
    out += [f"- {md(s.figure)}: <{s.url}> ({s.confidence}, checked {s.checked})"
            for s in r.sources]  # fmt: skip
    return out


# provider_report.py's reports render themselves (csv_rows, markdown).
PROVIDER_REPORTS = ("ProviderQuoteReport", "ProviderCompareReport", "ProviderModelsReport",
                    "ProviderPlanReport")  # fmt: skip

# Each report by its class name: dispatching on the name keeps the other commands' report
# modules (and their dataclasses) unimported.
_RENDERERS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "csv": {
        "QuoteReport": _quote_csv,
        "QuoteCompareReport": _quote_compare_csv,
        "SizesReport": _sizes_csv,
        "ModelsReport": _models_csv,
        "PlanReport": _plan_csv,
        "BillReport": _bill_csv,
        "DiffReport": _diff_csv,
        "SelfhostReport": _selfhost_csv,
        **dict.fromkeys(PROVIDER_REPORTS, lambda r: csv_text(*r.csv_rows())),
    },
    "markdown": {
        "QuoteReport": _quote_markdown,
        "QuoteCompareReport": _quote_compare_markdown,
        "SizesReport": _sizes_markdown,
        "ModelsReport": _models_markdown,
        "PlanReport": _plan_markdown,
        "BillReport": _bill_markdown,
        "DiffReport": _diff_markdown,
        "SelfhostReport": _selfhost_markdown,
        **dict.fromkeys(PROVIDER_REPORTS, lambda r: r.markdown()),
    },
}


def to_markdown(report: Report) -> str:
    lines = _RENDERERS["markdown"][type(report).__name__](report)
    if basis := prices_used(report):  # which prices, when not today's published ones
        lines = [*lines, "", f"_{md(basis)}._"]
    return "\n".join(lines) + "\n"


def prices_used(report: object) -> str | None:
    """``Prices as of 2026-01-01; your rates: 15% off (...)`` for a report priced with other
    than today's published prices (``--as-of``, ``--discount``, ``--rates-overlay``)."""
    from fluxcost.rates import basis_line

    return basis_line(getattr(report, "prices_as_of", None), getattr(report, "your_rates", None))


def render(report: Report, fmt: str) -> str:
    """``report`` as JSON, CSV or Markdown text."""
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return str(_RENDERERS["csv"][type(report).__name__](report))
    return to_markdown(report)
