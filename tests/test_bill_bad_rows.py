"""Bad rows are reported with line and reason, never dropped; the good rows are still priced."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

Cli = Callable[..., Result]
HEADER = "timestamp,model,width,height,inputs,batch,charged_credits\n"
GOOD = "2026-11-01T00:00:00Z,flux2-pro,1024,1024,,1,3\n"

BAD_CSV_ROWS = [
    ("2026-11-01T00:00:00Z,flux2-por,1024,1024,,1,", "unknown model 'flux2-por': did you mean"),
    ("2026-11-01T00:00:00Z,flux1.1-pro,1000,1024,,1,", "width 1000 is not a multiple of 32"),
    ("2026-11-01T00:00:00Z,flux2-pro,abc,1024,,1,", "width 'abc' is not a whole number"),
    ("2026-11-01T00:00:00Z,flux2-pro,1024,,,1,", "height is empty"),
    ("2026-11-01T00:00:00Z,,1024,1024,,1,", "model is missing"),
    ("2026-11-01T00:00:00Z,flux2-pro,1024,1024,big,1,", "input 1 'big' is not WIDTHxHEIGHT"),
    ("2026-11-01T00:00:00Z,flux2-pro,1024,1024,,0,", "batch must be at least 1, got 0"),
    ("2026-11-01T00:00:00Z,flux2-pro,1024,1024,,two,", "batch 'two' is not a whole number"),
    (
        "2026-11-01T00:00:00Z,flux2-pro,1024,1024,,1,lots",
        "charged_credits 'lots' is not a plain decimal number",
    ),
    ("yesterday,flux2-pro,1024,1024,,1,", "timestamp 'yesterday' is not ISO 8601"),
    (",flux2-pro,1024,1024,,1,", "timestamp is missing"),
    ("2026-11-01T00:00:00Z,flux2-pro,1024", "has 3 columns, the header has 7"),
    ("2026-11-01T00:00:00Z,flux2-dev,1024,1024,,1,", "flux2-dev is open weights"),
    ("2026-11-01T00:00:00Z,flux1.1-pro,1024,1024,512x512,1,", "text-to-image only"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_CSV_ROWS)
def test_each_bad_csv_row(cli: Cli, tmp_path: Path, row: str, reason: str) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + GOOD + row + "\n" + GOOD)
    r = cli("bill", str(log), "-f", "json")
    assert r.code == 2
    data = json.loads(r.out)
    assert (data["requests"], data["rows_rejected"], data["total_usd"]) == (2, 1, "0.06")
    assert data["rejected"][0]["line"] == 3
    assert reason in data["rejected"][0]["reason"]
    lines = r.err.splitlines()
    assert lines[0].startswith(f"{log}:3: ") and reason in lines[0]
    assert lines[-1] == "fluxcost: error: 1 of 3 rows rejected; the bill covers the other 2"
    assert "Traceback" not in r.err


BAD_JSONL_ROWS = [
    ('{"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro", "width": 1024', "broken JSON"),
    ("[1, 2, 3]", "a record must be a JSON object"),
    ('{"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro"}', "missing width, height"),
    (
        '{"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro", "width": [1], "height": 1}',
        "a value is a list or object",
    ),
    (
        '{"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro", "width": 1024.5,'
        ' "height": 1024}',
        "width 1024.5 is not a whole number",
    ),
    (
        '{"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro", "width": 1024,'
        ' "height": 1024, "inputs": "huge"}',
        "input 1 'huge' is not WIDTHxHEIGHT",
    ),
    (
        '{"timestamp": 5, "model": "flux2-pro", "width": 1024, "height": 1024}',
        "timestamp 5 is not ISO 8601",
    ),
]


@pytest.mark.parametrize(("row", "reason"), BAD_JSONL_ROWS)
def test_each_bad_jsonl_row(cli: Cli, tmp_path: Path, row: str, reason: str) -> None:
    good = (
        '{"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro", "width": 1024, "height": 1024}'
    )
    log = tmp_path / "log.jsonl"
    log.write_text(good + "\n" + row + "\n\n" + good + "\n")  # a blank line is skipped
    r = cli("bill", str(log), "-f", "json")
    assert r.code == 2
    data = json.loads(r.out)
    assert (data["requests"], data["rows_rejected"]) == (2, 1)
    assert data["rejected"][0]["line"] == 2
    assert reason in data["rejected"][0]["reason"]


def test_strict_stops_at_the_first_bad_row(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + GOOD + BAD_CSV_ROWS[0][0] + "\n" + BAD_CSV_ROWS[1][0] + "\n")
    r = cli("bill", str(log), "--strict")
    assert r.code == 2
    assert r.out == ""
    [line] = r.err.splitlines()  # the row is reported once, as the error
    assert line.startswith(f"fluxcost: error: {log}:3: unknown model")
    assert line.endswith("(--strict stops at the first bad row)")


def test_many_bad_rows_are_summarised_on_stderr(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + (BAD_CSV_ROWS[2][0] + "\n") * 30)
    r = cli("bill", str(log), "-f", "json")
    assert r.code == 2
    assert len(json.loads(r.out)["rejected"]) == 30
    lines = r.err.splitlines()
    assert len(lines) == 22  # 20 rows, one "and N more", the summary
    assert lines[20] == "... and 10 more rejected rows (--format json lists them)"


def test_missing_column_in_header(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("time,model,width,height\n2026-11-01,flux2-pro,1024,1024\n")
    r = cli("bill", str(log))
    assert r.code == 2
    assert r.err.startswith(f"fluxcost: error: {log}:1: the header has no timestamp column")


@pytest.mark.parametrize("text", ["", HEADER, "\n"])
def test_empty_log_is_a_message_not_a_crash(cli: Cli, tmp_path: Path, text: str) -> None:
    log = tmp_path / "log.csv"
    log.write_text(text)
    r = cli("bill", str(log), "-f", "json")
    assert r.code == 0
    assert json.loads(r.out)["total_usd"] == "0.00"
    assert r.err == f"fluxcost: {log} has no requests to bill\n"


def test_missing_file_and_bad_options(cli: Cli) -> None:
    r = cli("bill", "nope.csv")
    assert (r.code, r.err) == (
        2,
        "fluxcost: error: cannot read log nope.csv: No such file or directory\n",
    )
    assert cli("bill", "examples/usage-log.csv", "--group-by", "week").code == 2
    assert cli("bill", "examples/usage-log.csv", "--log-format", "xml").code == 2


def test_quoted_csv_keeps_line_numbers(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        HEADER + GOOD + '2026-11-01T00:00:00Z,"flux2-pro",1024,1024,"1024x1024;512x512",1,\n'
        '2026-11-01T00:00:00Z,"flux2-por",1024,1024,,1,\n'
    )
    data = json.loads(cli("bill", str(log), "-f", "json").out)
    assert data["total_credits"] == "9"  # 3 + (3 + 1.5 + 1.5: each input bills at least 1 MP)
    assert data["rejected"][0]["line"] == 4


def test_stdin_with_format_sniffing(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = Path("examples/usage-log.jsonl").read_text()
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    data = json.loads(cli("bill", "-", "-f", "json").out)
    assert data["total_usd"] == "0.734"
    monkeypatch.setattr("sys.stdin", io.StringIO(Path("examples/usage-log.csv").read_text()))
    assert json.loads(cli("bill", "-", "-f", "json").out)["total_usd"] == "0.734"


def test_unknown_extension_is_sniffed(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "usage.log"
    log.write_text(Path("examples/usage-log.jsonl").read_text())
    assert json.loads(cli("bill", str(log), "-f", "json").out)["total_usd"] == "0.734"
    assert json.loads(cli("bill", str(log), "--log-format", "jsonl", "-f", "json").out)
