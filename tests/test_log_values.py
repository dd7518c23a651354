"""Values in a log: one rule for numbers (numbers.py), JSON numbers read exactly, and the same
verdict for a row wherever it stands in the file, on every path and in the library.

Prices from pricing.yaml (1 credit = $0.01): flux2-pro 1024x1024 = 3 credits an image, and
1.5 more for a 1024x1024 input image.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import fluxcost
from conftest import Result

Cli = Callable[..., Result]
T = "2026-11-01T09:15:00Z"
HEAD = f'{{"timestamp": "{T}", "model": "flux2-pro"'
PLAIN = f'{HEAD}, "width": 1024, "height": 1024}}'  # 3 credits
WHOLE = "is not a whole number: write digits, e.g. 1024 or 10,000"
POINT = "is not a whole number: write it without a point or exponent, e.g. 1024"


def _bill(cli: Cli, tmp_path: Path, lines: list[str], *flags: str) -> tuple[int, dict[str, Any]]:
    name = "log.csv" if lines[0].startswith("timestamp,") else "log.jsonl"
    log = tmp_path / name
    log.write_text("\n".join(lines) + "\n")
    r = cli("bill", str(log), "-f", "json", *flags)
    return r.code, json.loads(r.out)


def _rejected(data: dict[str, Any]) -> list[tuple[int, str]]:
    return [(row["line"], row["reason"]) for row in data["rejected"]]


ODD_ROWS = [
    (f'{HEAD}, "width": 1024.0, "height": 1024}}', f"width 1024.0 {POINT}"),
    (f'{HEAD}, "width": 1024, "height": 1.024e3}}', f"height 1024 {POINT}"),
    (f'{HEAD}, "width": 1024, "height": 1024, "batch": true}}', f"batch true {WHOLE}"),
    (f'{HEAD}, "width": 1024, "height": 1024, "batch": 1.0}}', f"batch 1.0 {POINT}"),
    (
        f'{HEAD}, "width": 1024, "height": 1024, "charged_credits": true}}',
        "charged_credits true is not a plain decimal number, e.g. 4.5",
    ),
]


@pytest.mark.parametrize(("row", "reason"), ODD_ROWS)
@pytest.mark.parametrize("group_by", ["model", "day"])
def test_the_same_verdict_before_or_after_a_plain_row(
    cli: Cli, tmp_path: Path, row: str, reason: str, group_by: str
) -> None:
    # 1024.0 == 1024 and True == 1 in Python: a cache keyed on values alone mixed them up.
    for lines, odd_line in (([row, PLAIN], 1), ([PLAIN, row], 2), ([PLAIN, row, PLAIN], 2)):
        code, data = _bill(cli, tmp_path, lines, "-g", group_by)
        assert (code, _rejected(data)) == (2, [(odd_line, reason)])
        assert data["total_credits"] == str(3 * (len(lines) - 1))


TEXT_FIELDS = [  # where text belongs, a JSON number is the text it is written as
    ('"model": 2e3', '"model": "2e3"', "unknown model '2e3': no model has a similar name."),
    (
        '"model": "flux2-pro", "provider": 2e3',
        '"model": "flux2-pro", "provider": "2e3"',
        "unknown provider '2e3': the providers are bfl,",
    ),
    (
        '"model": "flux2-pro", "inputs": [2e3]',
        '"model": "flux2-pro", "inputs": ["2e3"]',
        "input 1 '2e3' is not WIDTHxHEIGHT in pixels,",
    ),
]


@pytest.mark.parametrize(("number", "text", "reason"), TEXT_FIELDS)
def test_a_json_number_where_text_belongs_is_that_text(
    cli: Cli, tmp_path: Path, number: str, text: str, reason: str
) -> None:
    # 2e3 and "2e3" share a cache key; the first of them, even at an earlier day's prices
    # (2026-01-20), must not give the other its reason.
    row = '{"timestamp": "%s", "width": 1024, "height": 1024, %s}'
    for first, then in ((number, text), (text, number)):
        lines = [row % ("2026-01-20T00:00:00Z", first), row % (T, then), row % (T, first)]
        reasons = [r[: len(reason)] for _, r in _rejected(_bill(cli, tmp_path, lines)[1])]
        assert reasons == [reason] * 3


def test_json_numbers_are_read_exactly(cli: Cli, tmp_path: Path) -> None:
    def charged(value: str) -> str:
        return f'{HEAD}, "width": 1024, "height": 1024, "charged_credits": {value}}}'

    code, data = _bill(
        cli, tmp_path, [charged("3.000001"), charged("3.0"), charged("3")], "--reconcile"
    )
    assert code == 1  # a float would also see 3.000001, but read 3.0000000000000001 as 3
    assert data["reconcile"]["mismatches"] == [
        {
            "line": 1,
            "expected_credits": "3",
            "charged_credits": "3.000001",
            "difference_credits": "0.000001",
        }
    ]
    # The case: a binary float would read this as 3 and miss the mismatch.
    code, data = _bill(cli, tmp_path, [charged("3.0000000000000001")], "--reconcile")
    assert code == 1
    assert data["reconcile"]["difference_credits"] == "0.0000000000000001"
    assert data["total_credits"] == "3"  # billed at the table's price, never dropped


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9e999999", "charged_credits is over the limit of 1,000,000,000,000"),
        ("1e-999999", "charged_credits 1E-999999 has more than 20 decimal places, e.g. 4.5"),
        ("NaN", "charged_credits NaN is not a number, e.g. 4.5"),
        ("-Infinity", "charged_credits -Infinity is not a number, e.g. 4.5"),
        ("-1", "charged_credits -1 must be 0 or more, e.g. 4.5"),
        ('"lots"', "charged_credits 'lots' is not a plain decimal number, e.g. 4.5"),
    ],
)
def test_absurd_charges_in_json(cli: Cli, tmp_path: Path, value: str, reason: str) -> None:
    row = f'{HEAD}, "width": 1024, "height": 1024, "charged_credits": {value}}}'
    code, data = _bill(cli, tmp_path, [row, row, PLAIN])
    assert (code, _rejected(data), data["total_credits"]) == (2, [(1, reason), (2, reason)], "3")


@pytest.mark.parametrize(
    ("width", "reason"),
    [
        ("9" * 4301, "width is over the limit of 1,000,000"),
        ("--1024", f"width '--1024' {WHOLE}"),
        ("1024²", f"width '1024²' {WHOLE}"),
        ("١٠٢٤", f"width '١٠٢٤' {WHOLE}"),  # Arabic-Indic digits, which int() reads
        ("1000001", "width 1,000,001 is over the limit of 1,000,000"),
    ],
)
def test_csv_widths(cli: Cli, tmp_path: Path, width: str, reason: str) -> None:
    lines = ["timestamp,model,width,height", f"{T},flux2-pro,{width},1024"]
    code, data = _bill(cli, tmp_path, lines)
    assert (code, _rejected(data)) == (2, [(2, reason)])


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (f'{HEAD}, "width": {"9" * 4301}, "height": 1024}}', "width has more than 4,300 digits"),
        (
            f'{HEAD}, "width": {"9" * 4000}, "height": 1024}}',
            "width is over the limit of 1,000,000",
        ),
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "broken JSON: nested too deeply"),
        (
            '{"a": ' + "9" * 4301 + ', "b": ' + "[" * 100_000,
            "a number in the record has more than 4,300 digits",
        ),
        (
            f'{HEAD}, "model": "flux2-max", "width": 1024, "height": 1024}}',
            "key 'model' appears twice",
        ),
        (f'{HEAD}, "width" : 1024, "width" : 2048, "height": 1024}}', "key 'width' appears twice"),
        (
            '{"timestamp": "2026-11-01T09\\u003a15:00Z", "model": "flux2-pro", "width": 1024,'
            ' "height": 1024, "height": 768}',
            "key 'height' appears twice",
        ),
    ],
)
def test_json_records_that_are_refused(cli: Cli, tmp_path: Path, record: str, reason: str) -> None:
    code, data = _bill(cli, tmp_path, [PLAIN, record, PLAIN])
    assert (code, _rejected(data), data["total_credits"]) == (2, [(2, reason)], "6")


def test_keys_fluxcost_does_not_read_may_repeat(cli: Cli, tmp_path: Path) -> None:
    row = f'{HEAD}, "width": 1024, "height": 1024, "user": "a:b", "user": "c"}}'
    assert _bill(cli, tmp_path, [row])[1]["total_credits"] == "3"


EDGE_DAYS = [  # UTC days just outside datetime's calendar: billed in groups of their own
    ("0001-01-01T00:00:00+01:00", "0000-12-31", "0000-12"),
    ("9999-12-31T23:00:00-02:00", "10000-01-01", "10000-01"),
]


@pytest.mark.parametrize(("stamp", "day", "month"), EDGE_DAYS)
@pytest.mark.parametrize("edge_first", [True, False])
def test_timestamps_at_the_ends_of_the_calendar(
    cli: Cli, tmp_path: Path, stamp: str, day: str, month: str, edge_first: bool
) -> None:
    edge = f"{stamp},flux2-pro,1024,1024"
    plain = f"{T},flux2-pro,1024,1024"
    rows = [edge, plain, edge] if edge_first else [plain, edge, plain]
    edges = 2 if edge_first else 1
    for group_by, key in (("day", day), ("month", month), ("model", "flux2-pro")):
        code, data = _bill(cli, tmp_path, ["timestamp,model,width,height", *rows], "-g", group_by)
        groups = {g["key"]: g["requests"] for g in data["groups"]}
        assert (code, data["requests"], data["total_credits"]) == (0, 3, "9")
        if group_by != "model":
            assert groups[key] == edges


def test_the_library_has_the_same_rules() -> None:
    def row(**values: Any) -> dict[str, Any]:
        return {"timestamp": T, "model": "flux2-pro", "width": 1024, "height": 1024, **values}

    bill = fluxcost.bill(
        [
            row(),
            row(width=1024.0),
            row(batch=True),
            row(charged_credits=4.5),
            row(charged_credits=Decimal("4.5"), inputs=[(1024, 1024)]),
            row(inputs=[(1024.0, 1024)]),
            row(inputs=["1024x1024"]),
        ]
    )
    assert (bill.requests, bill.credits) == (3, Decimal("12"))  # 3 + 4.5 + 4.5
    assert [(r.line, r.reason) for r in bill.rejected] == [
        (2, f"width 1024.0 {POINT}"),
        (3, f"batch true {WHOLE}"),
        (4, "charged_credits 4.5 is a binary float: give a Decimal, an int or text"),
        (6, f"input 1 width 1024.0 {POINT}"),
    ]
