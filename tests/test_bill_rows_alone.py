"""A log's bill is its rows' bills added up, each row read alone: whatever the hot path and the
caches keep from rows seen before (a request's key, its output's and its inputs' prices), a
row is counted or rejected as it is when it comes first. Values are drawn from small pools of
spellings that Python holds equal (1 and true, 1024 and 1024.0, "9" and 9) so that rows share
keys and parts often."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fluxcost.billing import Bill, Biller
from fluxcost.rates import load_rates
from fluxcost.usage_log import read_into

TABLE = load_rates()
SLOW = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Before and after the last price change (2026-01-28), with offsets, and not timestamps.
STAMPS = ["2026-11-01T09:15:00Z", "2026-11-02T09:15:00+01:00", "2026-01-27T23:30:00-02:00",
          "2025-12-01T10:00:00+01:00", "2026-01-28T00:10:00+02:00", "yesterday"]  # fmt: skip
MODELS = ["flux2-pro", "flux-2-pro", "kontext-pro", "flux-pro"]


# Each field: the plain spellings a log's first row takes, then the spellings its other rows
# may take instead (one field respelled on each row).
JSON_SPELLINGS: dict[str, tuple[list[Any], list[Any]]] = {
    "timestamp": (STAMPS[:2], STAMPS),
    "model": (MODELS[:2], MODELS),
    "width": ([1024], [1024, 1024.0, True, "1024", 1, 1920]),
    "height": ([1024, 768], [1024, 768, 1024.0]),
    "inputs": ([None, []], [[], ["1024x1024"], ["3840x2160", "0x5"], "1024x1024", [[1, 1]]]),
    "batch": ([None, 1, 2], [1, True, 2, 1.0, "2", None]),
    "charged_credits": ([None, 3], [3, 3.0, "3", 4.5, True, None]),
    # A record with none of these five is plain (usage_log): every one of them must count.
    "provider": ([None], [None, "", "bfl", "fal"]),
    "output_mp": ([None], [None, 1, "1.00", 2]),
    "input_mp": ([None], [None, 0, "1.00", 3]),
    "cost": ([None], [None, 3, 4.5]),
    "steps": ([None], [None, 28, "28", "many"]),
}
CSV_SPELLINGS: list[tuple[list[str], list[str]]] = [
    (STAMPS[:2], STAMPS),
    (MODELS[:2], MODELS),
    (["1024"], ["1024", " 1024", "1024.0", "1,024", "1e3", "0", "1920"]),
    (["1024", "768"], ["1024", "768", "01024"]),
    ([""], ["", "1024x1024", "1024X1024", "3840x2160;0x5", "big"]),
    (["", "1"], ["", "1", "2", "1.0", "true"]),
    (["", "3"], ["", "3", "3.0", "4.5", "nine"]),
]


def _respelled(spellings: list[tuple[list[Any], list[Any]]]) -> st.SearchStrategy[list[Any]]:
    """Rows that are one plain row with one field respelled on each."""
    base = st.tuples(*(st.sampled_from(plain) for plain, _ in spellings)).map(list)
    change = st.integers(0, len(spellings) - 1).flatmap(
        lambda i: st.tuples(st.just(i), st.sampled_from(spellings[i][1]))
    )
    return st.tuples(base, st.lists(change, min_size=1, max_size=30)).map(
        lambda drawn: [drawn[0], *(_with(drawn[0], i, value) for i, value in drawn[1])]
    )


def _with(row: list[Any], index: int, value: Any) -> list[Any]:
    changed = list(row)
    changed[index] = value
    return changed


JSON_ROWS = _respelled(list(JSON_SPELLINGS.values())).map(
    lambda rows: [
        {k: v for k, v in zip(JSON_SPELLINGS, row, strict=True) if v is not None or k == "inputs"}
        for row in rows
    ]
)
CSV_ROWS = _respelled(CSV_SPELLINGS)


def _bill(path: Path, text: str, group_by: str) -> Bill:
    path.write_text(text)
    biller = Biller(TABLE, group_by)
    read_into(biller, str(path))
    return biller.finish()


def _assert_sum(whole: Bill, alone: list[Bill], first_line: int) -> None:
    """``whole`` (the log) is the rows of ``alone`` (each its own log, its row on line
    ``first_line``) added up."""
    assert whole.requests == sum(b.requests for b in alone)
    assert whole.images == sum(b.images for b in alone)
    assert whole.credits == sum((b.credits for b in alone), Decimal(0))
    assert whole.rows_rejected == sum(b.rows_rejected for b in alone)
    assert whole.charged_credits == sum((b.charged_credits for b in alone), Decimal(0))
    assert whole.mismatched_rows == sum(b.mismatched_rows for b in alone)
    assert whole.mp_rows_checked == sum(b.mp_rows_checked for b in alone)
    assert whole.mp_mismatched_rows == sum(b.mp_mismatched_rows for b in alone)
    assert whole.provider_usd == sum(b.provider_usd for b in alone)
    rejected = [(r.line, r.reason) for r in whole.rejected]
    assert rejected == [
        (index + first_line, r.reason) for index, b in enumerate(alone) for r in b.rejected
    ]
    groups: dict[str, Decimal] = {}
    for bill in alone:
        for group in bill.groups:
            groups[group.key] = groups.get(group.key, Decimal(0)) + group.credits
    assert {g.key: g.credits for g in whole.groups} == groups


def _twins(**respelled: Any) -> list[dict[str, Any]]:
    """A plain record, then the same with each of ``respelled`` (Python holds them equal)."""
    plain = {"timestamp": STAMPS[0], "model": "flux2-pro", "width": 1024, "height": 1024,
             "batch": 1, "charged_credits": 3}  # fmt: skip
    return [plain, *({**plain, name: value} for name, value in respelled.items())]


@SLOW
@given(JSON_ROWS, st.sampled_from(["model", "day"]))
@example(_twins(batch=True, width=1024.0, height=True, charged_credits="3"), "model")
@example(_twins(charged_credits=3.0, inputs=None, batch=1.0), "day")
@example(_twins(provider="fal", output_mp=2, input_mp=3, cost=4.5, steps="many"), "model")
def test_json_lines(tmp_path: Path, rows: list[dict[str, Any]], group_by: str) -> None:
    lines = [json.dumps(row) + "\n" for row in rows]
    path = tmp_path / "log.jsonl"
    alone = [_bill(path, line, group_by) for line in lines]
    _assert_sum(_bill(path, "".join(lines), group_by), alone, 1)


@SLOW
@given(CSV_ROWS, st.sampled_from(["model", "month"]))
@example([[STAMPS[0], "flux2-pro", "1024", "1024", "", "1", "3"],
          [STAMPS[0], "flux2-pro", "1024", "1024", "", "1.0", "3.0"]], "model")  # fmt: skip
def test_csv(tmp_path: Path, rows: list[list[str]], group_by: str) -> None:
    header = "timestamp,model,width,height,inputs,batch,charged_credits,user\n"
    lines = [",".join((*row, "u1")) + "\n" for row in rows]
    path = tmp_path / "log.csv"
    alone = [_bill(path, header + line, group_by) for line in lines]
    _assert_sum(_bill(path, header + "".join(lines), group_by), alone, 2)
