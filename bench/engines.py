"""`fluxcost bill` by engine against a hand-written DuckDB query over the same realistic log.

The log is bench/bill.py's realistic one (``--rows`` rows), as CSV, JSON Lines and Parquet
(written by DuckDB from the CSV, columns typed as it detects them). For each format, three
commands run as fresh processes, alternated run by run: the hand-written query (this file with
``--query``: typed columns, credits summed by model in SQL from the rate table, no per-row
checks, no line numbers), ``fluxcost bill --engine duckdb`` and ``--engine python`` (text logs
only: it reads no Parquet), each ``--format json``. Medians of wall and CPU time and the peak
resident memory are printed with the ratio to the query. Target: the DuckDB engine within
1.3x of the query, under 1 GiB. Not a test: timings are too noisy to gate on.

    python bench/engines.py [--rows 1000000] [--runs 3] [--folder DIR]

``--folder DIR`` reuses (or first writes) realistic.csv, realistic.jsonl and realistic.parquet
there, so a 10,000,000-row log is generated once (about 2.2 GiB of text).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bill import ENV, Command, compare, write_realistic
from fluxcost import rates_sql
from fluxcost.rates import load_rates

FORMATS = ("csv", "jsonl", "parquet")
COLUMNS = "'model': 'VARCHAR', 'width': 'BIGINT', 'height': 'BIGINT', 'batch': 'BIGINT'"
READERS = {
    "csv": "read_csv(PATH, header=true, types={" + COLUMNS + ", 'inputs': 'VARCHAR'})",
    "jsonl": "read_json(PATH, format='newline_delimited', columns={"
    + COLUMNS
    + ", 'inputs': 'VARCHAR[]'})",
    "parquet": "read_parquet(PATH)",
}


def query(path: Path, fmt: str) -> str:
    """The bill by model of the log at ``path``, as a person would write it in DuckDB."""
    table = load_rates()
    count = rates_sql.max_inputs(table)
    pixels = rates_sql.input_columns("inputs", count)
    more = f"split_part(inputs, ';', {count + 1}) = ''"
    cols = rates_sql.pricing_columns("width", "height", [f"px{k}" for k in range(count)], more)
    inputs = "array_to_string(inputs, ';')" if fmt == "jsonl" else "inputs"
    read = READERS[fmt].replace("PATH", rates_sql.literal(str(path)))
    return f"""
SELECT r.model_id, sum({cols["credits"]} * batch) AS credits, count(*) AS requests
FROM (
  SELECT *, {", ".join(f"{p} AS px{k}" for k, p in enumerate(pixels))}
  FROM (SELECT lower(model) AS name, width, height, coalesce(batch, 1) AS batch,
    coalesce({inputs}, '') AS inputs FROM {read})
) t JOIN ({rates_sql.rates_values(table)}) r USING (name)
GROUP BY ALL ORDER BY credits DESC"""


def run_query(path: Path, fmt: str) -> None:
    import duckdb

    rows = duckdb.connect().execute(query(path, fmt)).fetchall()
    print(f"{sum(row[1] for row in rows)} credits, {sum(row[2] for row in rows)} requests")


def logs(folder: Path, rows: int) -> dict[str, Path]:
    paths = {fmt: folder / f"realistic.{fmt}" for fmt in FORMATS}
    if not all(path.exists() for path in paths.values()):
        write_realistic(folder, rows)
        import duckdb

        duckdb.execute(
            f"COPY (SELECT * FROM read_csv({rates_sql.literal(str(paths['csv']))}))"
            f" TO {rates_sql.literal(str(paths['parquet']))} (FORMAT parquet)"
        )
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="where the logs are (or are written)")
    parser.add_argument("--only", choices=FORMATS, action="append")
    parser.add_argument("--query", nargs=2, metavar=("FORMAT", "LOG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query:
        run_query(Path(args.query[1]), args.query[0])
        return
    with tempfile.TemporaryDirectory() as name:
        paths = logs(args.folder or Path(name), args.rows)
        for fmt in args.only or FORMATS:
            path = paths[fmt]
            print(f"\n{path.name}: {path.stat().st_size / 2**20:.1f} MiB")
            hand = [sys.executable, __file__, "--query", fmt, str(path)]
            bill = [sys.executable, "-m", "fluxcost", "bill", str(path), "--format", "json"]
            engines = ("duckdb",) if fmt == "parquet" else ("duckdb", "python")
            compare(
                f"realistic, {fmt}, by engine",
                Command("hand-written query", hand, ENV),
                [Command(f"--engine {e}", [*bill, "--engine", e], ENV) for e in engines],
                args.runs,
                "--engine duckdb <= 1.3x the query, < 1 GiB",
            )


if __name__ == "__main__":
    main()
