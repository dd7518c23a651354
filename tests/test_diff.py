"""`fluxcost diff`: what a change to a workload adds to the bill, and the gate on it.

Figures by hand from pricing.yaml: examples/workload.yaml costs $354.00 a month (drafts $112,
finals $80, edits $120, thumbnails $42). finals is 500 images of 2048x2048 on flux2-max at
7 + 3 x 3 = 16 credits = $0.16 each; 1,500 of them cost $240.00, +$160.00.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

Cli = Callable[..., Result]
BASE = Path("examples/workload.yaml")


@pytest.fixture
def head(tmp_path: Path) -> Path:
    path = tmp_path / "head.yaml"
    path.write_text(BASE.read_text().replace("images: 500", "images: 1500"))
    return path


def test_a_changed_line(cli: Cli, head: Path) -> None:
    r = cli("diff", str(BASE), str(head), "-f", "json")
    assert r.code == 0
    data = json.loads(r.out)
    assert (data["base_total_usd"], data["head_total_usd"]) == ("354.00", "514.00")
    assert (data["change_usd"], data["change_percent"]) == ("160.00", "45.2")  # 160/354
    finals = next(line for line in data["lines"] if line["name"] == "finals")
    assert finals["status"] == "changed"
    assert (finals["base_images"], finals["head_images"], finals["change_usd"]) == (
        500,
        1500,
        "160.00",
    )
    assert {line["status"] for line in data["lines"] if line["name"] != "finals"} == {"unchanged"}
    assert r.err == "fluxcost: +$160.00 a month (+45%): from $354.00 to $514.00\n"


def test_added_and_removed_lines(cli: Cli, tmp_path: Path) -> None:
    text = BASE.read_text()
    head = tmp_path / "head.yaml"
    # thumbnails removed (-$42.00); a new line of 1,000 flux2-pro images (+$30.00)
    cut = text[: text.index("  - name: thumbnails")]
    head.write_text(cut + "  - name: banners\n    model: flux2-pro\n    images: 1000\n")
    data = json.loads(cli("diff", str(BASE), str(head), "-f", "json").out)
    statuses = {line["name"]: (line["status"], line["change_usd"]) for line in data["lines"]}
    assert statuses["thumbnails"] == ("removed", "-42.00")
    assert statuses["banners"] == ("added", "30.00")
    assert data["change_usd"] == "-12.00"


def test_no_change_says_so(cli: Cli) -> None:
    r = cli("diff", str(BASE), str(BASE))
    assert r.code == 0
    assert "no change: $354.00 a month" in r.out


@pytest.mark.parametrize(
    ("gate", "code"),
    [
        (["--fail-above", "100"], 1),
        (["--fail-above", "160"], 0),  # exactly at the limit passes
        (["--fail-above-percent", "45"], 1),
        (["--fail-above-percent", "50%"], 0),
    ],
)
def test_the_gate(cli: Cli, head: Path, gate: list[str], code: int) -> None:
    r = cli("diff", str(BASE), str(head), *gate, "-f", "markdown")
    assert r.code == code
    if code:
        assert "COST INCREASE over" in r.err


def test_markdown_is_a_pull_request_comment(cli: Cli, head: Path) -> None:
    md = cli("diff", str(BASE), str(head), "-f", "markdown").out.splitlines()
    assert md[0] == "### fluxcost: +$160.00 a month (+45%): from $354.00 to $514.00"
    assert "| finals | changed | `flux2-max` | `flux2-max` | 500 | 1,500 | $80.00 | $240.00 |" \
        " +$160.00 |" in md  # fmt: skip
    assert "<details><summary>Every line, per month</summary>" in md
    assert md[-1] == "</details>"


def test_base_from_git(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(BASE.read_text())
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "plan.yaml"], check=True)
    subprocess.run([*git, "commit", "-qm", "plan"], check=True)
    plan.write_text(BASE.read_text().replace("images: 500", "images: 1500"))
    data = json.loads(cli("diff", str(plan), "--base-ref", "HEAD", "-f", "json").out)
    assert data["change_usd"] == "160.00"
    assert data["base"] == f"HEAD:{plan}"
    r = cli("diff", str(plan), "--base-ref", "no-such-ref")
    assert r.code == 2
    assert r.err.startswith("fluxcost: error: --base-ref no-such-ref: ")


def test_periods_are_converted_not_relabelled(cli: Cli, tmp_path: Path) -> None:
    yearly = tmp_path / "yearly.yaml"
    yearly.write_text(BASE.read_text().replace("period: month", "period: year"))
    data = json.loads(cli("diff", str(BASE), str(yearly), "-f", "json").out)
    # the base's $354.00 a month is $4,248.00 a year; the head's same figures are per year
    assert (data["period"], data["base_total_usd"], data["head_total_usd"]) == (
        "year",
        "4248.00",
        "354.00",
    )
    assert data["change_usd"] == "-3894.00"


@pytest.mark.parametrize(
    "args",
    [["diff", "examples/workload.yaml"], ["diff", "a.yaml", "b.yaml", "c.yaml"],
     ["diff", "examples/workload.yaml", "examples/workload.yaml", "--fail-above", "lots"]],
)  # fmt: skip
def test_bad_input(cli: Cli, args: list[str]) -> None:
    r = cli(*args)
    assert r.code == 2
    assert r.err.startswith("fluxcost: error: ") and r.err.count("\n") == 1
