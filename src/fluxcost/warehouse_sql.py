"""``fluxcost sql``: the rate table and per-row pricing as SQL to run in a warehouse.

Two views: ``fluxcost_rates`` (every name, aliases included, with each price's dates) and
``fluxcost_priced`` (the log table, plus ``model_id``, ``credits`` and ``usd`` per row). The
SQL is written in DuckDB's dialect (``rates_sql``); sqlglot, an optional extra, translates it
for the other warehouses, so DuckDB needs nothing more than this module.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from fluxcost import rates_sql
from fluxcost.errors import FluxcostError
from fluxcost.rates import RateTable

DIALECTS = ("duckdb", "bigquery", "snowflake", "spark", "postgres")
MISSING = "fluxcost sql --dialect {dialect} needs sqlglot: pip install 'fluxcost[sql]'"
# A table name, optionally qualified (dataset.table, db.schema.table): nothing to quote.
_TABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}")
_TEXT = ("name", "model_id")
_MONEY = ("flat", "first_mp", "extra_mp", "input_mp")
_DATES = ("valid_from", "valid_until")


def warehouse_sql(table: RateTable, dialect: str, log_table: str = "usage_log") -> str:
    """The two views as SQL in ``dialect``, with comments on the log's columns and the bill."""
    if not _TABLE.fullmatch(log_table):
        raise FluxcostError(
            f"--table {log_table!r} is not a table name: letters, digits and _, optionally"
            " qualified with dots (analytics.usage_log)"
        )
    statements = [_rates_view(table), _priced_view(table, log_table)]
    if dialect != "duckdb":
        statements = _translated(statements, dialect)
    return "\n".join((_header(table, log_table), *(s + ";\n" for s in statements), _footer()))


def _header(table: RateTable, log_table: str) -> str:
    return f"""-- fluxcost rates from {table.origin} (prices checked {table.prices_checked}).
-- The log table {log_table} holds "timestamp" (TIMESTAMP, UTC), model
-- (text, an id or alias), width and height (integers), inputs (text "WxH;WxH",
-- NULL or '' for none), batch (integer, NULL for 1), charged_credits (optional).
"""


def _footer() -> str:
    return """-- The bill: SELECT sum(usd) FROM fluxcost_priced;
-- Rows with no price (an unknown model, a size or input the model does not take, a day
-- before the model's first known price) have NULL credits; list them before you trust it:
-- SELECT * FROM fluxcost_priced WHERE credits IS NULL;
"""


def _rates_view(table: RateTable) -> str:
    money = rates_sql.money_type(table)
    rows = ",\n  ".join(
        "("
        + ", ".join(_cast(v, c, money) for v, c in zip(row, rates_sql.DATED_COLUMNS, strict=True))
        + ")"
        for row in rates_sql.dated_rate_rows(table)
    )
    columns = ", ".join(rates_sql.DATED_COLUMNS)
    return (
        f"CREATE OR REPLACE VIEW fluxcost_rates AS\nSELECT * FROM (VALUES\n  {rows}\n)"
        f" AS fluxcost_rates({columns})"
    )


def _cast(value: Any, column: str, money: str) -> str:
    """Every value cast to its column's type, so that no warehouse has to guess one."""
    kind = (
        "VARCHAR" if column in _TEXT else money if column in _MONEY
        else "DATE" if column in _DATES else "BIGINT"
    )  # fmt: skip
    if value is None:
        return f"CAST(NULL AS {kind})"
    if isinstance(value, dt.date):
        return f"CAST('{value.isoformat()}' AS DATE)"
    if isinstance(value, Decimal):
        return rates_sql.literal(value, money)
    return rates_sql.literal(value)


def _priced_view(table: RateTable, log_table: str) -> str:
    count = rates_sql.max_inputs(table)
    inputs = "coalesce(u.inputs, '')"
    pixels = rates_sql.input_columns(inputs, count)
    more = f"split_part({inputs}, ';', {count + 1}) = ''"
    cols = rates_sql.pricing_columns("u.width", "u.height", pixels, more)
    money = rates_sql.money_type(table)
    day = 'CAST(u."timestamp" AS DATE)'
    batch = "coalesce(u.batch, 1)"
    return f"""CREATE OR REPLACE VIEW fluxcost_priced AS
SELECT p.*, p.credits * CAST('{table.credit_usd}' AS {money}) AS usd
FROM (
  SELECT u.*, r.model_id AS model_id,
    CASE WHEN {batch} >= 1 THEN ({cols["credits"]}) * {batch} END AS credits
  FROM {log_table} AS u
  LEFT JOIN fluxcost_rates AS r
    ON r.name = lower(u.model)
    AND (r.valid_from IS NULL OR {day} >= r.valid_from)
    AND (r.valid_until IS NULL OR {day} < r.valid_until)
) AS p"""


def _translated(statements: list[str], dialect: str) -> list[str]:
    try:
        import sqlglot
    except ImportError:
        raise FluxcostError(MISSING.format(dialect=dialect)) from None
    out = []
    for statement in statements:
        tree = sqlglot.parse_one(statement, read="duckdb")
        if dialect == "bigquery":
            tree = _bigquery_split(tree)
        out.append(tree.sql(dialect=dialect, pretty=True))
    return out


def _bigquery_split(tree: Any) -> Any:  # sqlglot's tree type was renamed in 30
    """BigQuery has no split_part: SPLIT(...)[SAFE_OFFSET(k - 1)], '' past the end."""
    import sqlglot
    from sqlglot import exp

    def swap(node: Any) -> Any:
        # The innermost first: the text of the one being replaced must hold no split_part.
        if not isinstance(node, exp.SplitPart) or node.this.find(exp.SplitPart):
            return node
        text, sep = node.this.sql("bigquery"), node.args["delimiter"].sql("bigquery")
        k = int(node.args["part_index"].name)
        return sqlglot.parse_one(
            f"COALESCE(SPLIT({text}, {sep})[SAFE_OFFSET({k - 1})], '')", read="bigquery"
        )

    while tree.find(exp.SplitPart):
        tree = tree.transform(swap)
    return tree
