"""Laws of a bill: it adds up to its requests' quotes, whatever the grouping or file format."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fluxcost
from fluxcost.billing import Biller
from fluxcost.rates import load_rates
from fluxcost.usage_log import read_into

MODELS = ["flux2-klein-4b", "flux-2-pro", "flux2-max", "kontext-pro", "kontext-max"]
# Sizes every model here can make, so that each row is a request to bill.
SIZES = [(1024, 1024), (1024, 768), (768, 1024), (512, 512), (1536, 1024), (2048, 2048)]


def _with_sides(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "width": r["size"][0], "height": r["size"][1]} for r in log]


rows = st.lists(
    st.fixed_dictionaries(
        {
            "timestamp": st.datetimes(
                # after the last price change (2026-01-28): every row at today's prices
                min_value=dt.datetime(2026, 2, 1),
                max_value=dt.datetime(2026, 12, 31),
            ).map(lambda t: t.isoformat(timespec="seconds") + "Z"),
            "model": st.sampled_from(MODELS),
            "size": st.sampled_from(SIZES),
            "inputs": st.lists(st.sampled_from(["512x512", "1024x1024"]), max_size=1),
            "batch": st.integers(min_value=1, max_value=4),
        }
    ),
    min_size=1,
    max_size=40,
).map(_with_sides)


def _quoted(row: dict[str, Any]) -> Decimal:
    q = fluxcost.quote(
        row["model"],
        width=row["width"],
        height=row["height"],
        inputs=row["inputs"],
        batch=row["batch"],
    )
    return q.total_credits


@given(rows)
def test_bill_is_the_sum_of_its_quotes_in_every_grouping(log: list[dict[str, Any]]) -> None:
    expected = sum((_quoted(row) for row in log), Decimal(0))
    for group_by in ("model", "day", "month"):
        bill = fluxcost.bill(log, group_by=group_by)
        assert bill.credits == expected
        assert sum((g.credits for g in bill.groups), Decimal(0)) == expected
        assert bill.requests == len(log)
        assert bill.images == sum(row["batch"] for row in log)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(rows)
def test_csv_and_jsonl_agree(tmp_path: Path, log: list[dict[str, Any]]) -> None:
    csv_file, jsonl_file = tmp_path / "log.csv", tmp_path / "log.jsonl"
    csv_file.write_text(
        "timestamp,model,width,height,inputs,batch\n"
        + "".join(
            f"{r['timestamp']},{r['model']},{r['width']},{r['height']},"
            f"{';'.join(r['inputs'])},{r['batch']}\n"
            for r in log
        )
    )
    jsonl_file.write_text("".join(json.dumps(r) + "\n" for r in log))
    bills = []
    for path in (csv_file, jsonl_file):
        biller = Biller(load_rates(), "day")
        read_into(biller, str(path))
        bills.append(biller.finish())
    assert bills[0].credits == bills[1].credits
    assert [(g.key, g.credits) for g in bills[0].groups] == [
        (g.key, g.credits) for g in bills[1].groups
    ]
