"""Reconciling the megapixels the API reported (output_mp, input_mp) against each row's size.

Figures by hand: 1 MP = 1,048,576 px; 1920x1080 = 2,073,600 px = 1.98 MP, billed 2 MP;
1025x1024 = 1.0010 MP (the API shows 1.00), billed 2; 512x512 = 0.25 MP; 2048x1024 = 2.00 MP.
FLUX.2 [pro]: 3 credits + 1.5 per extra output MP and per input MP; [flex] before 2026-01-28:
6 + 6 per MP. Kontext [pro]: 4 flat.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result
from fluxcost.billing import Biller, explain_record, library_request, mp_finding, record_time
from fluxcost.rates import load_rates
from fluxcost.sizes import Size

Cli = Callable[..., Result]

OUT_207 = "the API reported output_mp 2.07 (bills 3 MP) for 1920x1080 (2 MP)"
IN_100 = "the API reported input_mp 1.00 (1 MP) for inputs of 2.00 MP (2 MP)"

CSV = (
    "timestamp,model,width,height,inputs,batch,cost,output_mp,input_mp\n"
    "2026-11-01T00:00:00Z,flux2-pro,1920,1080,,,4.5,1.98,\n"  # 2: agrees (a real response)
    "2026-11-01T00:00:01Z,flux2-pro,1920,1080,,,4.5,2.07,\n"  # 3: decimal MP: 3 MP
    "2026-11-01T00:00:02Z,flux2-pro,1025,1024,,,4.5,1.00,\n"  # 4: 1.00 is 1.001 shown
    "2026-11-01T00:00:03Z,flux2-pro,1024,1024,1024x1024;512x512,,6,1.00,1.25\n"  # 5
    "2026-11-01T00:00:04Z,flux2-pro,1024,1024,2048x1024,,,,1.00\n"  # 6: inputs are 2 MP
    "2026-11-01T00:00:05Z,flux2-pro,65,65,,,3.0,0.00,\n"  # 7: at least 1 MP
    "2026-11-01T00:00:06Z,kontext-pro,1024,1024,,,4,9.99,\n"  # 8: flat: not checked
    "2026-01-20T00:00:00Z,flux2-flex,1920,1080,,,12,2.07,\n"  # 9: earlier prices, 3 MP
)

JSONL = "".join(
    json.dumps(r) + "\n"
    for r in (
        {"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro", "width": 1920,
         "height": 1080, "cost": 4.5, "output_mp": 1.98, "input_mp": None},
        {"timestamp": "2026-11-01T00:00:01Z", "model": "flux2-pro", "width": 1920,
         "height": 1080, "cost": 4.5, "output_mp": 2.07},
        {"timestamp": "2026-11-01T00:00:02Z", "model": "flux2-pro", "width": 1024,
         "height": 1024, "inputs": ["2048x1024"], "input_mp": 1.00},
        {"timestamp": "2026-11-01T00:00:03Z", "model": "flux2-pro", "width": 1024,
         "height": 1024, "output_mp": 1},  # an int is a figure too
    )
)  # fmt: skip


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_csv_findings_by_line(cli: Cli, tmp_path: Path) -> None:
    r = cli("bill", _write(tmp_path, "api.csv", CSV), "-f", "json")
    assert r.code == 0, r.err  # reported; only --reconcile fails on them
    data = json.loads(r.out)
    rec = data["reconcile"]
    assert (rec["mp_rows_checked"], rec["mp_rows_mismatched"]) == (7, 3)  # line 8 is flat
    assert rec["mp_mismatches"] == [
        {"line": 3, "reason": OUT_207},
        {"line": 6, "reason": IN_100},
        {"line": 9, "reason": OUT_207},
    ]
    # `cost` is the charge: every charged row agrees with the rates (flex 6 + 6 = 12).
    assert (rec["rows_checked"], rec["rows_mismatched"]) == (7, 0)
    assert (rec["charged_credits"], rec["expected_credits"]) == ("38.5", "38.5")
    assert data["total_credits"] == "44.5"  # 4.5 x 3 + 6 + 6 + 3 + 4 + 12


def test_jsonl_findings_by_line(cli: Cli, tmp_path: Path) -> None:
    data = json.loads(cli("bill", _write(tmp_path, "api.jsonl", JSONL), "-f", "json").out)
    rec = data["reconcile"]
    in_10 = IN_100.replace("1.00 (1 MP)", "1.0 (1 MP)")  # json.dumps writes 1.00 as 1.0
    assert rec["mp_mismatches"] == [{"line": 2, "reason": OUT_207}, {"line": 3, "reason": in_10}]
    assert (rec["mp_rows_checked"], rec["mp_rows_mismatched"]) == (4, 2)
    assert (rec["rows_checked"], rec["charged_credits"]) == (2, "9")


def test_megapixels_alone_make_a_reconcile(cli: Cli, tmp_path: Path) -> None:
    log = _write(tmp_path, "mp.csv", "timestamp,model,width,height,output_mp\n"
                 "2026-11-01T00:00:00Z,flux2-pro,1024,1024,1.00\n")  # fmt: skip
    rec = json.loads(cli("bill", log, "-f", "json").out)["reconcile"]
    assert (rec["rows_checked"], rec["mp_rows_checked"], rec["mp_mismatches"]) == (1 - 1, 1, [])
    table = cli("bill", log).out
    assert "reconcile: 0 of 1 rows with the API's megapixels disagree" in table
    assert "charged rows" not in table  # no charges were logged


def test_table_and_markdown_list_each_finding(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _write(tmp_path, "api.csv", CSV)
    markdown = cli("bill", log, "-f", "markdown").out
    assert "Reconcile: 3 of 7 rows with the API's megapixels disagree with their sizes." in markdown
    assert "| 3 | the API reported output\\_mp 2.07 (bills 3 MP) for 1920x1080 (2 MP) |" in markdown
    assert (
        "| 6 | the API reported input\\_mp 1.00 (1 MP) for inputs of 2.00 MP (2 MP) |" in markdown
    )
    for columns in ("80", "60"):
        monkeypatch.setenv("COLUMNS", columns)
        table = cli("bill", log).out
        assert "…" not in table
        assert max(len(line) for line in table.splitlines()) <= int(columns)
        assert "reconcile: 3 of 7 rows with the API's megapixels disagree" in " ".join(
            table.split()
        )
        words = table.split()
        assert {"2.07", "1920x1080", "2.00", "9"} <= set(words), table


def test_bad_figures_are_rejected_rows(cli: Cli, tmp_path: Path) -> None:
    log = _write(tmp_path, "bad.jsonl", "".join(
        json.dumps({"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro", "width": 1024,
                    "height": 1024, **extra}) + "\n"
        for extra in ({"output_mp": "x"}, {"output_mp": True}, {"input_mp": -1}, {"output_mp": 1})
    ))  # fmt: skip
    r = cli("bill", log, "-f", "json")
    assert r.code == 2
    assert [(x["line"], x["reason"]) for x in json.loads(r.out)["rejected"]] == [
        (1, "output_mp 'x' is not a plain decimal number, e.g. 1.98"),
        (2, "output_mp true is not a plain decimal number, e.g. 1.98"),
        (3, "input_mp -1 must be 0 or more, e.g. 1.98"),
    ]


def test_a_finding_fails_reconcile() -> None:
    # The CLI's --reconcile asks Bill.reconcile_failed (see the report for cli.py's line).
    biller = Biller(load_rates())
    rows = [{"timestamp": "2026-11-01T00:00:00Z", "model": "flux2-pro", "width": 1920,
             "height": 1080, "output_mp": "2.07"}]  # fmt: skip
    biller.consume(rows, library_request, record_time, explain_record, lambda i: i + 1)
    bill = biller.finish()
    assert (bill.mismatched_rows, bill.mp_mismatched_rows, bill.reconcile_failed) == (0, 1, True)


@pytest.mark.parametrize(
    ("inputs", "reported", "expected"),
    [
        ((), Decimal("0"), ""),
        ((), Decimal("0.5"), "the API reported input_mp 0.5 (1 MP) for no inputs"),
        ((Size(3000, 3000),), Decimal("8.58"), ""),  # 8.58 MP as given
        ((Size(3000, 3000),), Decimal("4.00"), ""),  # or resized to 4 MP
        ((Size(3000, 3000),), Decimal("9.5"), "the API reported input_mp 9.5 (10 MP) for inputs"
         " of 4.00 MP (4 MP) or 8.58 MP (9 MP)"),
        ((Size(1024, 1024), Size(1024, 512)), Decimal("1.5"), ""),  # 2 MP billed, total 1.5
        ((Size(1024, 1024), Size(1024, 512)), Decimal("2.51"),
         "the API reported input_mp 2.51 (3 MP) for inputs of 1.50 MP (2 MP)"),
    ],
)  # fmt: skip
def test_input_mp_is_checked_as_a_total(
    inputs: tuple[Size, ...], reported: Decimal, expected: str
) -> None:
    pro = load_rates().get("flux2-pro")
    assert mp_finding(pro, 1024, 1024, inputs, None, reported) == expected


@pytest.mark.parametrize("quote", ["", '"'])
def test_an_extra_cell_is_never_read_as_an_absent_column(
    cli: Cli, tmp_path: Path, quote: str
) -> None:
    # No output_mp column: a row with one cell too many must not have it read as output_mp.
    log = _write(tmp_path, "extra.csv", "timestamp,model,width,height,user\n"
                 f"2026-11-01T00:00:00Z,flux2-pro,1024,1024,{quote}u1{quote},9.99\n")  # fmt: skip
    data = json.loads(cli("bill", log, "-f", "json").out)
    assert (data["total_credits"], data["reconcile"], data["rows_rejected"]) == ("3", None, 0)


def test_reconcile_exits_1_on_megapixels_alone(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "mp.csv"
    # 1920x1080 bills 2 MP; an API figure of 2.07 would bill 3
    log.write_text("timestamp,model,width,height,output_mp\n"
                   "2026-11-01T00:00:00Z,flux2-pro,1920,1080,2.07\n")  # fmt: skip
    r = cli("bill", str(log), "--reconcile", "-f", "json")
    assert r.code == 1
    assert r.err == (
        "fluxcost: reconcile failed: 1 row with the API's megapixels disagreeing with their sizes\n"
    )
    assert cli("bill", str(log), "-f", "json").code == 0  # without --reconcile: reported only
