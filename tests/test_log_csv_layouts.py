"""A CSV log is billed the same whichever way it is read: the fast path for unquoted logs in
the documented column order (timestamp, the request's columns, then others), the general
split for other orders, and csv.reader once a quote appears anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fluxcost.billing import Bill, Biller
from fluxcost.rates import load_rates
from fluxcost.usage_log import read_into

COLUMNS = ["timestamp", "model", "width", "height", "inputs", "batch", "charged_credits", "user"]
CELLS = {
    "timestamp": ["2026-11-01T10:00:00Z", "2026-11-02T23:30:00+02:00", "yesterday", ""],
    "model": ["flux2-pro", "flux-2-pro", "kontext-pro", "flux2-dev", "nope", ""],
    "width": ["1024", "1536", "1,024", "1000", "x", ""],
    "height": ["1024", "768", ""],
    "inputs": ["", "1024x1024", "512x512;1024x1024", "big"],
    "batch": ["", "1", "2", "0"],
    "charged_credits": ["", "3", "4.5", "6", "abc"],
    "user": ["u1", "u2", " "],
}
ROW = st.fixed_dictionaries({name: st.sampled_from(cells) for name, cells in CELLS.items()})
# Most rows whole; some cut short or with a column too many, as broken exports are.
SHAPE = st.sampled_from([0] * 8 + [-1, -3, -6, 1])


def _write(path: Path, order: list[str], rows: list[tuple[dict[str, str], int]]) -> None:
    lines = [",".join(order)]
    for row, change in rows:
        cells = [row[name] for name in order]
        cells = cells + ["extra"] * change if change > 0 else cells[: len(cells) + change]
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")


def _bill(path: Path) -> tuple[Any, ...]:
    biller = Biller(load_rates(), "day")
    read_into(biller, str(path))
    bill: Bill = biller.finish()
    groups = [(g.key, g.requests, g.images, g.credits) for g in bill.groups]
    return (bill.credits, groups, bill.rejected, bill.mismatches, bill.charged_credits)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(ROW, SHAPE), max_size=25))
def test_fast_general_and_quoted_readers_agree(
    tmp_path: Path, rows: list[tuple[dict[str, str], int]]
) -> None:
    fast, general = tmp_path / "fast.csv", tmp_path / "general.csv"
    _write(fast, COLUMNS, rows)
    # The model first: the request's columns no longer follow the timestamp.
    _write(general, [COLUMNS[1], COLUMNS[0], *COLUMNS[2:]], rows)
    assert _bill(general) == _bill(fast)
    # A quote anywhere: csv.reader reads the file. It takes a line ending off a short row's
    # last cell, where a split leaves it on, so compare rows that are not short.
    whole = [(row, change) for row, change in rows if change >= 0]
    _write(fast, COLUMNS, whole)
    expected = _bill(fast)
    fast.write_text(fast.read_text() + '2026-11-01T10:00:00Z,flux2-pro,1024,1024,,,,"u"\n')
    credits, _, rejected, mismatches, charged = _bill(fast)
    assert (rejected, mismatches, charged) == expected[2:]
    assert credits == expected[0] + 3  # the row with the quote: FLUX.2 [pro], 1 MP
