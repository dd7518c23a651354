"""Names from files reach no terminal or Markdown raw; --output never overwrites an input;
the small things a new user notices (item 17 of the edges issue)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

Cli = Callable[..., Result]

HOSTILE = (
    'name: "evil\\e[31mred\\n### injected | cell"\n'
    'lines:\n  - name: "a\\e]0;t\\a"\n    model: flux2-pro\n    images: 10\n'
)


def test_control_characters_are_shown_escaped(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text(HOSTILE)
    for fmt in ("table", "markdown"):
        out = cli("workload", "-F", str(path), "-f", fmt).out
        assert "\x1b" not in out and "\x07" not in out
        assert "\n### injected" not in out
    md = cli("workload", "-F", str(path), "-f", "markdown").out
    # Escaped for Markdown, it renders as: evil\x1b[31mred\n### injected | cell
    assert md.splitlines()[0] == (
        "### fluxcost: evil\\\\x1b\\[31mred\\\\n### injected \\| cell (per month)"
    )


def test_step_summary_is_escaped_too(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text(HOSTILE)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    cli("workload", "-F", str(path), "-f", "json")
    assert "\x1b" not in summary.read_text() and "\n### injected" not in summary.read_text()


def test_output_never_overwrites_the_log(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    original = Path("examples/usage-log.csv").read_text()
    log.write_text(original)
    r = cli("bill", str(log), "-o", str(log))
    assert r.code == 2
    assert r.err == f"fluxcost: error: --output {log} is the input {log}: it would be overwritten\n"
    assert log.read_text() == original


def test_no_images_has_no_cheapest_model(cli: Cli) -> None:
    data = json.loads(cli("workload", "--images", "0", "-f", "json").out)
    assert data["total_usd"] == "0.00"
    assert not any(m["cheapest"] for m in data["models"])


def test_bill_compare_csv_is_the_comparison(cli: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("bill", "examples/usage-log.csv", "-c",
                                               "-f", "csv").out)))  # fmt: skip
    by_model = {row["model"]: row for row in rows}
    # The log's 9 requests, 14 images, on FLUX.2 [max]: see tests/test_bill_totals.py
    assert "flux2-max" in by_model
    assert by_model["flux2-dev"]["can_serve_all"] == "false"


def test_one_of_a_thing_is_singular(cli: Cli) -> None:
    md = cli("workload", "-n", "5", "-m", "kontext-pro", "-i", "1024x1024", "-f", "markdown").out
    assert "1024x1024 + 1 input (1024x1024)" in md
    q = cli("quote", "-m", "flux2-pro", "-b", "1", "-f", "markdown").out
    assert "**total, 1 image**" in q


def test_help_shows_flags_as_flags(cli: Cli) -> None:
    text = cli("bill", "--help").out
    assert "<bool>" not in text and "{LOG}" not in text and "<str>" not in text
    assert "Usage: fluxcost bill [OPTIONS] LOG" in text
    assert "3 a bug in fluxcost" in text


def test_a_file_name_that_is_not_utf8(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    name = os.fsdecode(b"caf\xe9.csv")  # a Latin-1 name: a lone surrogate in Python
    log = tmp_path / name
    log.write_text("timestamp,model,width,height\n2026-11-01T00:00:00Z,flux2-pro,1024,1024\n")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    r = cli("bill", str(log), "-o", str(tmp_path / "out.txt"))
    assert r.code == 0, r.err
    assert "caf\\udce9.csv" in summary.read_text()
    assert "$0.03" in summary.read_text()  # flux2-pro at 1024x1024: 3 credits
