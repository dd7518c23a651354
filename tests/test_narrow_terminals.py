"""Every figure is shown in full in an 80- and a 60-column terminal: no ellipsis, no cut ids.

Each command's table is compared with its own JSON: every model id, total and per-image price
in the JSON must appear whole in the table text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal

import pytest

from conftest import Result

Cli = Callable[..., Result]

COMMANDS = [
    ["quote", "-m", "flux2-max", "-s", "2048x2048", "--input", "1024x1024", "--input", "3000x3000"],
    ["models"],
    ["workload", "--images", "10000", "--compare"],
    ["workload", "--file", "examples/workload.yaml", "--compare"],
    ["workload", "--images", "123456789", "--model", "flux2-max", "--size", "2048x2048"],
    ["bill", "examples/usage-log.csv", "--compare"],
    ["bill", "examples/usage-log.jsonl", "--group-by", "day"],
    ["quote", "--compare", "-s", "1920x1080", "-i", "1024x1024", "-b", "1000"],
    ["quote", "-m", "flux2-pro", "-s", "1040x1040", "-i", "2100x1000"],
    ["sizes", "--size", "1920x1080"],
    ["sizes", "--aspect", "1000:1", "-m", "flux2-klein-4b"],
    ["models", "--size", "2048x1152", "--input", "1024x1024"],
    ["diff", "examples/workload.yaml", "examples/workload-next.yaml"],
    ["workload", "--images", "10000", "--compare", "--as-of", "2026-01-10", "--discount", "15%"],
    ["quote", "-m", "flux2pro", "--rates-overlay", "examples/rates-overlay.yaml"],
    ["quote", "--provider", "deepinfra", "-m", "flux2-dev", "-s", "1920x1080", "--steps", "50"],
    ["quote", "--providers", "-m", "flux2-dev", "--steps", "28", "-b", "1000"],
    ["models", "--providers"],
    ["workload", "--file", "examples/workload.yaml", "--provider", "fal"],
    ["workload", "--file", "examples/workload.yaml", "--providers", "all"],
    ["workload", "-n", "1000", "-m", "flux2-dev", "--provider", "deepinfra", "--steps", "50"],
    ["workload", "-n", "123456789", "-m", "flux2-dev", "--steps", "28", "--providers", "all"],
    ["bill", "examples/usage-log-providers.csv", "--compare"],
]


def _shown(value: str) -> str:
    """A JSON money or count string as the table shows it (thousands grouped)."""
    whole, dot, fraction = value.partition(".")
    return f"{int(whole):,}{dot}{fraction}"


FIGURES = ("total_usd", "per_image_usd", "base_usd", "head_usd", "change_usd")


def _exact_shown(value: str, key: str) -> str:
    """Exact money (``{"usd", "rounded"}``) as the table shows it, rounded once for display."""
    from fractions import Fraction

    from fluxcost.selfhost_report import Usd

    return Usd(Fraction(value), per_image=key.startswith("per_image")).text.lstrip("-")


def _bill_shown(value: str) -> str:
    from fluxcost.bill_report import usd_text

    return usd_text(Decimal(value), True).lstrip("~")


def _figures(data: object) -> set[str]:
    """Ids and money figures in a report's JSON."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and key in ("model", "id"):
                found.add(value)
            elif isinstance(value, dict) and "rounded" in value and key.endswith(FIGURES):
                found.add(_exact_shown(value["usd"], key))
            elif isinstance(value, str) and key.endswith(FIGURES) and data.get("usd_rounded"):
                found.add(_bill_shown(value))  # a bill's figure that never ends
            elif isinstance(value, str) and key.endswith(FIGURES):
                found.add(_shown(value.lstrip("-")))
            else:
                found |= _figures(value)
    elif isinstance(data, list):
        for item in data:
            found |= _figures(item)
    return found


@pytest.mark.parametrize("columns", ["80", "60"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_every_figure_is_whole(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, args: list[str], columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    table = cli(*args)
    data = json.loads(cli(*args, "--format", "json").out)
    assert table.code in (0, 1), table.err
    assert "…" not in table.out
    assert max(len(line) for line in table.out.splitlines()) <= int(columns)
    words = set(re.findall(r"[\w.,+\-]+", table.out))
    missing = {f for f in _figures(data) if f not in words and f.strip("+") not in words}
    assert not missing, table.out


def test_the_seed_workload_total_at_80_columns(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("workload", "--images", "10000", "--compare").out
    # klein 4B: 10,000 x 1.4 credits = 14,000 credits = $140.00
    assert "total 14,000 credits = $140.00" in out
    # per image, per 1,000 images, for 10,000 images, more than klein 4B
    assert re.search(r"flux2-max[\s│]+0\.07[\s│]+70\.00[\s│]+700\.00[\s│]+\+560\.00", out)


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "10"])
def test_silly_columns_still_print_everything(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    r = cli("workload", "--images", "10000", "--model", "flux2-pro")
    assert r.code == 0
    assert "300.00" in r.out  # 10,000 x 3 credits = 30,000 credits = $300.00
    assert "…" not in r.out


def test_large_figures_keep_every_digit(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    # 123,456,789 images of 2048x2048 on max: 7 + 3 x 3 = 16 credits each = $0.16
    # 123,456,789 x 16 = 1,975,308,624 credits = $19,753,086.24
    args = ("workload", "--images", "123456789", "--model", "flux2-max", "--size", "2048x2048")
    assert "19,753,086.24" in cli(*args).out
    total = json.loads(cli(*args, "-f", "json").out)["total_usd"]
    assert Decimal(total) == Decimal("19753086.24")
