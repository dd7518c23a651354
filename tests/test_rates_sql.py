"""`fluxcost sql`: the views it prints bill a log table as the Python engine does (DuckDB runs
them here), and every other dialect parses back. Figures worked out by hand:

  row 1  pro 1 MP                                        3
  row 2  pro 2 MP + a 12 MP input (billed as 4 MP)       3 + 1.5 + 4 x 1.5 = 10.5
  row 3  Kontext pro, one input, batch 2                 4 x 2 = 8
  row 4  klein 4b (an alias) 1 MP, batch NULL (1)        1.4
  row 5  an unknown model                                NULL
  row 6  klein 4b on 2026-01-14, before its first price  NULL
  row 7  pro 32x32, below its 64 px side                 NULL
  total 22.9 credits = $0.229
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import fluxcost
from fluxcost import cli
from fluxcost.rates import DatedBilling, Flat, RateTable, load_rates
from fluxcost.warehouse_sql import DIALECTS, warehouse_sql

duckdb = pytest.importorskip("duckdb")

ROWS: list[tuple[str, str, int, int, str | None, int | None]] = [
    ("2026-03-01 10:00:00", "flux2-pro", 1024, 1024, None, 1),
    ("2026-03-01 23:30:00", "flux-2-pro", 2048, 1024, "3024x4032", 1),
    ("2026-03-02 08:00:00", "kontext-pro", 1024, 1024, "1024x1024", 2),
    ("2026-03-02 09:00:00", "KLEIN4B", 1024, 1024, "", None),
    ("2026-03-02 09:00:00", "nope", 1024, 1024, None, 1),
    ("2026-01-14 09:00:00", "klein-4b", 1024, 1024, None, 1),
    ("2026-03-03 09:00:00", "flux2-pro", 32, 32, None, 1),
]


def priced(table: RateTable, rows: list[Any], name: str = "usage_log") -> list[tuple[Any, ...]]:
    """(model_id, credits, usd) per row, from the DuckDB views over ``rows``."""
    con = duckdb.connect()
    con.execute(
        f'CREATE TABLE {name} ("timestamp" TIMESTAMP, model VARCHAR, width BIGINT,'
        " height BIGINT, inputs VARCHAR, batch BIGINT, charged_credits DECIMAL(18, 6))"
    )
    con.executemany(f"INSERT INTO {name} VALUES (?, ?, ?, ?, ?, ?, NULL)", rows)
    con.execute(warehouse_sql(table, "duckdb", name))
    query = 'SELECT model_id, credits, usd FROM fluxcost_priced ORDER BY "timestamp", model'
    out: list[tuple[Any, ...]] = con.execute(query).fetchall()
    return out


def python_bill(table: RateTable, rows: list[Any]) -> fluxcost.Bill:
    return fluxcost.bill(
        (
            {"timestamp": ts.replace(" ", "T") + "Z", "model": model, "width": w, "height": h,
             "inputs": inputs.split(";") if inputs else [], "batch": batch or 1}
            for ts, model, w, h, inputs, batch in rows
        ),
        rates=table,
    )  # fmt: skip


def test_duckdb_view_is_the_bill_of_the_python_engine() -> None:
    table = load_rates()
    out = priced(table, ROWS)
    credits = sum(c for _, c, _ in out if c is not None)
    usd = sum(u for _, _, u in out if u is not None)
    assert (credits, usd) == (Decimal("22.9"), Decimal("0.229"))
    assert sum(c is None for _, c, _ in out) == 3
    bill = python_bill(table, ROWS)
    assert (bill.credits, bill.usd, len(bill.rejected)) == (credits, usd, 3)


def test_aliases_give_the_canonical_model_id() -> None:
    out = priced(load_rates(), ROWS[3:5], name="analytics_log")
    assert [(m, c) for m, c, _ in out] == [("flux2-klein-4b", Decimal("1.4")), (None, None)]


def test_price_history_prices_each_day_at_the_price_then() -> None:
    pro = load_rates().get("kontext-pro")
    earlier = DatedBilling(since=dt.date(2025, 1, 1), billing=Flat(Decimal("2.5")),
                           source="https://example.com/old", confidence="official")  # fmt: skip
    dated = replace(pro, history=(earlier,), since=dt.date(2026, 3, 2))
    table = replace(load_rates(), models=(dated,))
    rows = [
        ("2024-12-31 12:00:00", "kontext-pro", 1024, 1024, None, 1),  # before any price
        ("2026-03-01 23:59:59", "kontext-pro", 1024, 1024, None, 2),  # 2.5 x 2 = 5
        ("2026-03-02 00:00:00", "kontext-pro", 1024, 1024, None, 1),  # 4
    ]
    assert [c for _, c, _ in priced(table, rows)] == [None, Decimal(5), Decimal(4)]
    bill = python_bill(table, rows)
    assert (bill.credits, len(bill.rejected)) == (Decimal(9), 1)


@pytest.mark.parametrize("dialect", [d for d in DIALECTS if d != "duckdb"])
def test_other_dialects_parse_back(dialect: str) -> None:
    sqlglot = pytest.importorskip("sqlglot")
    text = warehouse_sql(load_rates(), dialect, "analytics.usage_log")
    views = [s for s in sqlglot.parse(text, read=dialect) if s and s.key == "create"]
    assert [v.this.sql(dialect) for v in views] == ["fluxcost_rates", "fluxcost_priced"]
    assert views[1].find(sqlglot.exp.Join) is not None
    assert "analytics.usage_log" in text
    if dialect == "bigquery":  # no split_part there
        assert "SPLIT_PART" not in text.upper()


def test_without_sqlglot_other_dialects_name_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "sqlglot", None)  # import sqlglot now fails
    assert cli.run(["sql", "--dialect", "snowflake"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "fluxcost: error: fluxcost sql --dialect snowflake needs sqlglot:"
        " pip install 'fluxcost[sql]'\n"
    )
    assert cli.run(["sql"]) == 0  # DuckDB's needs nothing more


def test_a_table_name_that_is_not_one_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["sql", "--table", "log; DROP TABLE x"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_readme_shows_the_real_start_of_the_sql() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n\$ (fluxcost sql [^|\n]+) \| head -(\d+)\n(.*?)```", readme, re.S)
    assert block is not None
    argv = shlex.split(block[1])
    assert argv[:5] == ["fluxcost", "sql", "--dialect", "postgres", "--table"]
    text = warehouse_sql(load_rates(), "postgres", argv[5])
    assert text.splitlines()[: int(block[2])] == block[3].splitlines()
