"""`fluxcost selfhost` as a table (every figure whole at 80 and 60 columns, with the terminal
chart), JSON, CSV, Markdown, and the chart file (SVG or HTML)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from fluxcost.selfhost_chart import CROSS

Cli = Callable[..., Result]
ISSUE = ("selfhost", "-m", "flux2-klein-9b", "--gpu-usd-hour", "2.70", "--seconds-per-image",
         "1", "--licence-usd-month", "999", "--images", "100000")  # fmt: skip
DEV = ("selfhost", "-m", "flux2-dev", "--gpu", "modal-h100", "--licence-usd-month", "999",
       "-n", "50000")  # fmt: skip
# What each table must show whole, worked out by hand:
# ISSUE: 2.70 x 1 / 3600 = 0.00075; 999 + 75 = 1,074.00; 1,500.00; 1,074 / 100,000 = 0.01074
# DEV: 3.9492 x 5.292 / 3600 = 0.005805324 -> ~0.00580532; 999 + 50,000 x 0.005805324 =
#      1,289.2662 -> ~1,289.27; / 50,000 = 0.025785324 -> ~0.0257853; flux2-pro 0.03 x 50,000
FIGURES = {
    ISSUE: ["flux2-klein-9b", "0.00075", "0.015", "999.00", "1,074.00", "1,500.00", "0.01074",
            "70,106", "426.00"],
    DEV: ["flux2-dev", "flux2-pro", "~0.00580532", "0.03", "999.00", "~1,289.27", "1,500.00",
          "~0.0257853", "41,291", "~210.73"],
}  # fmt: skip


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("args", list(FIGURES), ids=["klein-9b", "dev"])
def test_every_figure_is_whole(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    r = cli(*args)
    assert r.code == 0, r.err
    assert "…" not in r.out
    for line in r.out.splitlines():  # a source's URL stays whole; the terminal wraps it
        assert len(line) <= columns or line.startswith("    http"), line
    words = set(re.findall(r"[\w.,~+\-$]+", r.out))
    words |= {w.replace("$", "").rstrip(".,") for w in words}
    assert not [f for f in FIGURES[args] if f not in words], r.out


def test_the_table_tells_the_story(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = cli(*ISSUE).out
    assert "Break-even: 70,106 images a month." in out
    assert "self-hosting saves $426.00 a month" in out
    assert re.search(r"total, 100,000 images\s+│\s+1,074\.00 │\s+1,500\.00 │", out)
    # The chart: axes with units, both lines named, the crossing and the volume marked.
    for text in (
        "USD per month",
        "images per month",
        " API",
        " self-hosted",
        "150,000",
        f"{CROSS} break-even: 70,106 images a month",
        "┊ your volume: 100,000 images",
    ):
        assert text in out, text  # fmt: skip
    assert CROSS in out.split("images per month")[0]  # on the plot, not only in the legend


def test_json(cli: Cli) -> None:
    data = json.loads(cli(*ISSUE, "-f", "json").out)
    assert data["model"] == "flux2-klein-9b" and data["period"] == "month"
    assert data["gpu"]["price_from"] == "--gpu-usd-hour"
    assert data["gpu"]["seconds_from"] == "--seconds-per-image"
    assert data["licence"] == "FLUX Non-Commercial License"
    assert data["commercial_use_free"] is False
    assert {s["confidence"] for s in data["sources"]} <= {"official", "third-party", "inferred"}


def test_csv(cli: Cli) -> None:
    assert cli(*ISSUE, "-f", "csv").out == (
        "option,model,per_image_usd,fixed_usd_per_month,images,total_usd,per_image_all_in_usd,"
        "break_even_images,rounded\n"
        "self-hosted,flux2-klein-9b,0.00075,999.00,100000,1074.00,0.01074,70106,false\n"
        "api,flux2-klein-9b,0.015,0.00,100000,1500.00,0.015,,false\n"
    )


def test_csv_flags_a_rounded_row(cli: Cli) -> None:
    # 0.00075 / 70% never ends: 0.00107143, rounded; the API row is exact.
    rows = cli("selfhost", "-m", "klein-4b", "--gpu-usd-hour", "2.70", "--seconds-per-image", "1",
               "--utilization", "70", "-f", "csv").out.splitlines()  # fmt: skip
    assert rows[1] == "self-hosted,flux2-klein-4b,0.00107143,0.00,,,,,true"
    assert rows[2] == "api,flux2-klein-4b,0.014,0.00,,,,,false"


def test_markdown(cli: Cli) -> None:
    out = cli(*ISSUE, "-f", "markdown").out
    assert out.startswith(
        "### fluxcost selfhost: `flux2-klein-9b` or the API (`flux2-klein-9b`), 1024x1024,"
        " USD per month\n"
    )
    assert "| total, 100,000 images | $1,074.00 | $1,500.00 |" in out
    assert "**Break-even: 70,106 images a month." in out
    assert "| Platform | FLUX.2 \\[klein\\] 9B + FLUX.2 \\[dev\\] | 100,000 |  |" in out
    assert "<https://docs.us.bfl.ai/flux_2/flux2_overview>" in out


def test_output_file_has_no_colour(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    r = cli(*ISSUE, "-o", str(target))
    assert r.code == 0 and r.out == ""
    text = target.read_text(encoding="utf-8")
    assert "\x1b[" not in text and "1,074.00" in text


def test_svg_chart(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    assert cli(*ISSUE, "--chart", str(target)).code == 0
    svg = target.read_text(encoding="utf-8")
    root = ET.fromstring(svg)  # well-formed, standalone
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for text in (
        "images per month",
        "USD per month",
        "API",
        "self-hosted",
        "$2,500",
        "150,000",
        "break-even: 70,106 images a month",
        "your volume: 100,000 images a month",
        "API $1,500.00",
        "self-hosted $1,074.00",
        "API, flux2-klein-9b: $0.015 per image",
        "self-hosted, flux2-klein-9b: $999.00 a month + $0.00075 per image",
    ):
        assert text in texts, text  # fmt: skip
    assert len(root.findall("{http://www.w3.org/2000/svg}circle")) == 3  # crossing, 2 at volume


def test_html_chart(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "chart.HTML"
    assert cli(*ISSUE, "--chart", str(target), "-f", "json").code == 0
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<svg " in page and page.endswith("</html>\n")
    assert "<title>Self-hosting FLUX.2 [klein] 9B or the API? 1024x1024, per month</title>" in page


def test_a_chart_without_a_crossing_says_why(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    cli("selfhost", "-m", "klein-4b", "--gpu", "modal-h100", "--chart", str(target))
    svg = target.read_text(encoding="utf-8")
    assert "no break-even: self-hosting costs less from the first image" in svg
    assert "100,000" in svg  # the default range, with no volume and no crossing


def test_terminal_chart_fits_every_width(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    for columns in (40, 120, 200):
        monkeypatch.setenv("COLUMNS", str(columns))
        out = cli(*DEV).out
        chart = out[out.index("USD per month") : out.index("images per month")]
        assert max(len(line) for line in chart.splitlines()) <= columns
