"""A bill as plain data (JSON), CSV rows and GitHub Markdown."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fluxcost.billing import Bill
from fluxcost.formats import md_table
from fluxcost.money import plain, plural, signed_usd, usd


def bill_view(bill: Bill, log: str) -> dict[str, Any]:
    rate = bill.credit_usd
    view: dict[str, Any] = {
        "log": log,
        "total_usd": usd(bill.usd),
        "total_credits": plain(bill.credits),
        "requests": bill.requests,
        "images": bill.images,
        "rows_rejected": bill.rows_rejected,
        "rejected": [{"line": r.line, "reason": r.reason} for r in bill.rejected],
        "group_by": bill.group_by,
        "groups": [
            {
                "key": g.key,
                "requests": g.requests,
                "images": g.images,
                "total_credits": plain(g.credits),
                "total_usd": usd(g.credits * rate),
            }
            for g in bill.groups
        ],
    }
    if bill.rows_with_charge:
        difference = bill.charged_credits - bill.expected_credits_charged_rows
        view["reconcile"] = {
            "rows_checked": bill.rows_with_charge,
            "rows_mismatched": bill.mismatched_rows,
            "expected_credits": plain(bill.expected_credits_charged_rows),
            "charged_credits": plain(bill.charged_credits),
            "difference_credits": plain(difference),
            "difference_usd": usd(difference * rate),
            "mismatches": [
                {
                    "line": m.line,
                    "expected_credits": plain(m.expected_credits),
                    "charged_credits": plain(m.charged_credits),
                    "difference_credits": plain(m.charged_credits - m.expected_credits),
                }
                for m in bill.mismatches
            ],
        }
    else:
        view["reconcile"] = None
    if bill.what_if is not None:
        view["models"] = [
            {
                "model": w.model.id,
                "model_name": w.model.name,
                "can_serve_all": w.unservable_requests == 0,
                "total_usd": usd(w.credits * rate) if not w.unservable_requests else None,
                "total_credits": plain(w.credits) if not w.unservable_requests else None,
                "difference_usd": (
                    usd((w.credits - bill.credits) * rate) if not w.unservable_requests else None
                ),
                "requests_unservable": w.unservable_requests,
                "reason": w.reason,
            }
            for w in bill.what_if
        ]
    return view


GROUP_COLUMNS = ["key", "requests", "images", "total_credits", "total_usd"]


def bill_rows(view: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """CSV: one row per group (first column named after --group-by) and a TOTAL row."""
    header = [view["group_by"], *GROUP_COLUMNS[1:]]
    rows = [[str(g[c]) for c in GROUP_COLUMNS] for g in view["groups"]]
    rows.append(
        [
            "TOTAL",
            str(view["requests"]),
            str(view["images"]),
            view["total_credits"],
            view["total_usd"],
        ]
    )
    return header, rows


def bill_markdown(view: dict[str, Any]) -> str:
    out = [f"### fluxcost bill: {view['log']}", ""]
    rows = [
        [f"`{g['key']}`" if view["group_by"] == "model" else g["key"], f"{g['requests']:,}",
         f"{g['images']:,}", g["total_credits"], f"${g['total_usd']}"]
        for g in view["groups"]
    ]  # fmt: skip
    rows.append(
        [
            "**total**",
            f"{view['requests']:,}",
            f"{view['images']:,}",
            view["total_credits"],
            f"**${view['total_usd']}**",
        ]
    )
    out += md_table([view["group_by"], "requests", "images", "credits", "USD"], rows, {1, 2, 3, 4})
    if view["rows_rejected"]:
        out += ["", f"**{view['rows_rejected']} rows rejected** (not in the total)."]
    rec = view["reconcile"]
    if rec is not None:
        out += [
            "",
            f"Reconcile: {rec['rows_mismatched']} of {rec['rows_checked']} charged rows differ"
            f" from the rate table; charged {rec['charged_credits']} credits, expected"
            f" {rec['expected_credits']} (difference {rec['difference_credits']} credits,"
            f" {signed_usd(Decimal(rec['difference_usd']))}).",
        ]
    if "models" in view:
        out += ["", "#### The same requests on every model", ""]
        model_rows = [
            [
                f"`{m['model']}`",
                f"${m['total_usd']}",
                signed_usd(Decimal(m["difference_usd"])),
                "",
            ]
            if m["can_serve_all"]
            else [
                f"`{m['model']}`",
                "",
                "",
                f"cannot serve {plural(m['requests_unservable'], 'request')}",
            ]
            for m in view["models"]
        ]
        out += md_table(["model", "total", "vs actual", "note"], model_rows, {1, 2})
    return "\n".join(out) + "\n"
