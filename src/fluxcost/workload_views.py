"""Workload results as plain data (JSON), CSV rows and GitHub Markdown."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fluxcost.formats import md_table
from fluxcost.money import plain, usd
from fluxcost.workload import ModelOption, Plan, PricedLine


def _opt_usd(value: Decimal | None) -> str | None:
    return None if value is None else usd(value)


def _line(p: PricedLine) -> dict[str, Any]:
    request = p.line.request
    return {
        "name": p.line.name,
        "model": p.quote.model.id,
        "model_name": p.quote.model.name,
        "model_chosen_as_cheapest": p.chosen,
        "images": p.line.images,
        "batch": p.line.batch,
        "requests": p.requests,
        "billed_images": p.billed_images,
        "size": str(request.output),
        "inputs": [str(i) for i in request.inputs],
        "per_image_credits": plain(p.quote.per_image_credits),
        "per_image_usd": usd(p.quote.per_image_usd),
        "total_credits": plain(p.total_credits),
        "total_usd": usd(p.total_usd),
        "notes": list(p.quote.notes),
    }


def _option(plan: Plan, option: ModelOption, cheapest: Decimal | None) -> dict[str, Any]:
    total = option.total_usd
    lines = option.lines or ()
    return {
        "model": option.model.id,
        "model_name": option.model.name,
        "can_serve": option.lines is not None,
        "reason": option.reason,
        "per_image_usd": usd(lines[0].quote.per_image_usd) if len(lines) == 1 else None,
        "total_usd": _opt_usd(total),
        "total_credits": None if option.total_credits is None else plain(option.total_credits),
        "difference_usd": None if total is None or cheapest is None else usd(total - cheapest),
        "cheapest": total is not None and total == cheapest,
        "over_budget": plan.over(total),
    }


def plan_view(plan: Plan) -> dict[str, Any]:
    w = plan.workload
    view: dict[str, Any] = {
        "name": w.name,
        "period": w.period,
        "total_usd": usd(plan.total_usd),
        "total_credits": plain(plan.total_credits),
        "budget_usd": _opt_usd(w.budget_usd),
        "over_budget": plan.over_budget,
        "warn_at_percent": None if w.warn_at_percent is None else plain(w.warn_at_percent),
        "budget_warning": plan.budget_warning,
        "lines": [_line(p) for p in plan.lines],
    }
    if plan.options is not None:
        served = [o.total_usd for o in plan.options if o.total_usd is not None]
        cheapest = min(served) if served else None
        view["models"] = [_option(plan, o, cheapest) for o in plan.options]
    return view


def billed_text(line: dict[str, Any]) -> str:
    """``10`` or, when a partly used last batch is paid in full, ``10 (12 billed)``."""
    text = f"{line['images']:,}"
    if line["billed_images"] != line["images"]:
        text += f" ({line['billed_images']:,} billed)"
    return text


def inputs_text(inputs: list[str]) -> str:
    if not inputs:
        return ""
    return f" + {len(inputs)} input{'s' * (len(inputs) > 1)} ({', '.join(inputs)})"


def budget_sentence(view: dict[str, Any]) -> str | None:
    if view["budget_usd"] is None:
        return None
    total, budget = Decimal(view["total_usd"]), Decimal(view["budget_usd"])
    share = f" ({total * 100 / budget:.0f}%)" if budget else ""
    if view["over_budget"]:
        return (
            f"OVER BUDGET: ${view['total_usd']} per {view['period']} is ${usd(total - budget)}"
            f" over the budget of ${view['budget_usd']}{share}"
        )
    return (
        f"within budget: ${view['total_usd']} of ${view['budget_usd']} per {view['period']}{share}"
    )


LINE_COLUMNS = [
    "name", "model", "images", "batch", "requests", "billed_images", "size", "inputs",
    "per_image_usd", "total_usd", "total_credits",
]  # fmt: skip
MODEL_COLUMNS = [
    "model", "can_serve", "per_image_usd", "total_usd", "total_credits", "difference_usd",
    "cheapest", "over_budget", "reason",
]  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def plan_rows(view: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """CSV: one row per model with --compare, else one row per line plus a total row."""
    if "models" in view:
        return MODEL_COLUMNS, [[_cell(m[c]) for c in MODEL_COLUMNS] for m in view["models"]]
    rows = [[_cell(line[c]) for c in LINE_COLUMNS] for line in view["lines"]]
    total = {
        "name": "TOTAL",
        "total_usd": view["total_usd"],
        "total_credits": view["total_credits"],
    }
    rows.append([_cell(total.get(c)) for c in LINE_COLUMNS])
    return LINE_COLUMNS, rows


def plan_markdown(view: dict[str, Any]) -> str:
    lines = [f"### fluxcost: {view['name']} (per {view['period']})", ""]
    rows = [
        [
            line["name"],
            f"`{line['model']}`" + (" (cheapest)" if line["model_chosen_as_cheapest"] else ""),
            billed_text(line),
            f"{line['batch']}",
            line["size"] + inputs_text(line["inputs"]),
            f"${line['per_image_usd']}",
            f"${line['total_usd']}",
        ]
        for line in view["lines"]
    ]
    rows.append(["**total**", "", "", "", "", "", f"**${view['total_usd']}**"])
    header = ["line", "model", "images", "batch", "size", "per image", "total"]
    lines += md_table(header, rows, {2, 3, 5, 6})
    if sentence := budget_sentence(view):
        lines += ["", ("**" + sentence + "**") if view["over_budget"] else sentence]
    if "models" in view:
        lines += ["", "#### Every model", ""]
        model_rows = []
        for m in view["models"]:
            if not m["can_serve"]:
                model_rows.append([f"`{m['model']}`", "", "", "", f"cannot: {m['reason']}"])
                continue
            status = "cheapest" if m["cheapest"] else ""
            if m["over_budget"]:
                status = (status + ", over budget").lstrip(", ")
            model_rows.append(
                [
                    f"`{m['model']}`",
                    f"${m['per_image_usd']}" if m["per_image_usd"] else "",
                    f"${m['total_usd']}",
                    f"+${m['difference_usd']}",
                    status,
                ]
            )
        lines += md_table(
            ["model", "per image", "total", "vs cheapest", "status"], model_rows, {1, 2, 3}
        )
    return "\n".join(lines) + "\n"
