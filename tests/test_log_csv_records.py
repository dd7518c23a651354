"""CSV records: a stray quote never swallows later lines, and every line is billed, part of a
quoted field of a billed row, or rejected; headers, BOMs, CRLF and blank lines.

Prices from pricing.yaml (1 credit = $0.01): flux2-pro 1024x1024 = 3 credits an image;
kontext-pro = 4 credits flat; flux2-klein-4b 1024x1024 = 1.4.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result

Cli = Callable[..., Result]
HEADER = "timestamp,model,width,height,inputs,batch,user\n"
T = "2026-11-01T09:15:00Z"
NINE_ROWS = [  # lines 2 to 10
    f"{T},flux2-pro,1024,1024,,1,ann",  # 3
    f"{T},kontext-pro,1024,1024,1024x1024,1,bob",  # 4
    f"{T},flux2-klein-4b,1024,1024,,2,cy",  # 2.8
    f'{T},flux2-pro,1024,1024,,1,"dee',  # line 5: the quote never closes
    f"{T},flux2-pro,1024,1024,,1,eve",  # 3
    f"{T},kontext-pro,1024,1024,,1,fay",  # 4
    f"{T},flux2-klein-4b,1024,1024,,1,gus",  # 1.4
    f"{T},flux2-pro,1024,1024,,2,hal",  # 6
    f"{T},kontext-pro,1024,1024,,3,ivy",  # 12
]


def _bill(cli: Cli, path: Path, *flags: str) -> tuple[Result, dict[str, Any]]:
    r = cli("bill", str(path), "-f", "json", *flags)
    return r, json.loads(r.out)


def _rejected(data: dict[str, Any]) -> list[tuple[int, str]]:
    return [(row["line"], row["reason"]) for row in data["rejected"]]


def test_an_unclosed_quote_rejects_its_own_line_only(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "\n".join(NINE_ROWS) + "\n")
    r, data = _bill(cli, log)
    assert r.code == 2
    # 3 + 4 + 2.8 + 3 + 4 + 1.4 + 6 + 12 = 36.2 credits
    assert (data["requests"], data["rows_rejected"], data["total_credits"]) == (8, 1, "36.2")
    assert data["total_usd"] == "0.362"
    assert _rejected(data) == [(5, "a quoted field opened on this line never closes")]
    assert r.err.splitlines()[0] == f"{log}:5: a quoted field opened on this line never closes"


def test_the_same_from_a_stream(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEADER + "\n".join(NINE_ROWS) + "\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    _, data = _bill(cli, Path("-"))
    assert (data["requests"], data["rows_rejected"], data["total_credits"]) == (8, 1, "36.2")
    assert _rejected(data) == [(5, "a quoted field opened on this line never closes")]


def test_a_second_stray_quote_does_not_hide_the_rows_between(cli: Cli, tmp_path: Path) -> None:
    # Lines 5 to 7 would make one valid record of 7 columns: the quote opened on line 5 ends
    # on line 7, with line 6 inside. Line 6 reads as a row, so line 5 is rejected; 6 and 7
    # are read again (7's quote is inside a field, so it is text).
    rows = [*NINE_ROWS]
    rows[5] += '"'  # line 7
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "\n".join(rows) + "\n")
    _, data = _bill(cli, log)
    assert (data["requests"], data["rows_rejected"], data["total_credits"]) == (8, 1, "36.2")
    assert _rejected(data) == [
        (
            5,
            "a quoted field opened on this line runs to line 7 and takes in line 6,"
            " which reads as a row of its own",
        )
    ]


def test_a_quoted_line_break_in_a_row_is_kept(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        HEADER
        + f'{T},flux2-pro,1024,1024,,1,"a prompt\nover two lines"\n'
        + f"{T},flux2-porr,1024,1024,,1,x\n"
    )
    _, data = _bill(cli, log)
    assert (data["requests"], data["total_credits"]) == (1, "3")
    assert [line for line, _ in _rejected(data)] == [4]  # lines stay physical lines


def test_a_quote_closing_with_the_wrong_column_count(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + f'{T},"flux2\npro",1024,1024,,1\n{T},flux2-pro,1024,1024,,1,y\n')
    _, data = _bill(cli, log)
    # Line 2 is rejected; line 3, read again, has its quote inside a field: plain text.
    assert _rejected(data) == [
        (
            2,
            "a quoted field opened on this line closes on line 3, leaving 6 columns"
            " (the header has 7)",
        ),
        (3, "has 5 columns, the header has 7"),
    ]
    assert (data["requests"], data["total_credits"]) == (1, "3")


def test_a_runaway_quote_stops_after_1000_lines(cli: Cli, tmp_path: Path) -> None:
    good = f"{T},flux2-klein-4b,1024,1024,,1,x\n"
    log = tmp_path / "log.csv"
    log.write_text(HEADER + f'{T},flux2-pro,1024,1024,,1,"open\n' + good * 1500)
    _, data = _bill(cli, log)
    assert (data["requests"], data["rows_rejected"]) == (1500, 1)
    assert data["total_credits"] == "2100"  # 1,500 x 1.4
    assert _rejected(data) == [
        (2, "a quoted field opened on this line is still open 1,000 lines later")
    ]


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        ('"' + "x" * 140_000 + '"', "a field is longer than 131,072 characters"),
        ('"' + "x" * 70_000 + "\n", "is still open after 65,536 characters"),
        ('"a"b', "not valid CSV: ',' expected after '\"'"),
    ],
)
def test_oversized_and_malformed_quoted_fields(
    cli: Cli, tmp_path: Path, field: str, reason: str
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + f"{T},flux2-pro,1024,1024,,1,{field}\n{T},flux2-pro,1024,1024,,1,y\n")
    r, data = _bill(cli, log)
    assert r.code == 2
    assert (data["requests"], data["rows_rejected"], data["total_credits"]) == (1, 1, "3")
    assert data["rejected"][0]["line"] == 2 and reason in data["rejected"][0]["reason"]


def test_a_column_fluxcost_reads_given_twice(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("timestamp,model,width,height,Model\n")
    r = cli("bill", str(log))
    assert (r.code, r.err) == (2, f"fluxcost: error: {log}:1: column 'model' appears twice\n")


def test_other_columns_may_repeat(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(f"timestamp,model,width,height,note,note\n{T},flux2-pro,1024,1024,a,b\n")
    assert _bill(cli, log)[1]["total_credits"] == "3"


def test_a_header_quote_that_never_closes(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text('timestamp,model,width,height,"note\n')
    r = cli("bill", str(log))
    assert r.code == 2
    assert r.err.startswith(f"fluxcost: error: {log}:1: the header is not valid CSV")


@pytest.mark.parametrize("quoted", [False, True])
def test_bom_and_crlf(cli: Cli, tmp_path: Path, quoted: bool) -> None:
    # Excel's "CSV UTF-8": a BOM, CRLF line ends; the timestamp last, so the line end is on it.
    model = '"flux2-pro"' if quoted else "flux2-pro"
    log = tmp_path / "log.csv"
    log.write_bytes(
        b"\xef\xbb\xbfmodel,width,height,timestamp\r\n"
        + f"{model},1024,1024,{T}\r\nkontext-pro,1024,1024,{T}\r\n".encode()
    )
    r, data = _bill(cli, log)
    assert (r.code, data["requests"], data["total_credits"]) == (0, 2, "7")


def test_blank_lines_are_not_requests(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(f"\n  \ntimestamp,model,width,height\n  \n{T},flux2-pro,1024,1024\n\n")
    r, data = _bill(cli, log)
    assert (r.code, data["requests"], data["rows_rejected"], data["total_credits"]) == (
        0,
        1,
        0,
        "3",
    )


def test_a_short_row_counts_its_own_columns(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(f"model,HEIGHT,timestamp,WIDTH\nFLUX-2-PRO,1024,{T}\n")
    assert _rejected(_bill(cli, log)[1]) == [(2, "has 3 columns, the header has 4")]
