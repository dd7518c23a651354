"""Parquet folders and globs: rows numbered across the files in name order, and an inputs
column written as a list of "WxH" (as JSON Lines holds it). Figures by hand: flux2-pro at
1024x1024 is 3 credits, plus 1.5 a started input MP."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

duckdb = pytest.importorskip("duckdb")

Cli = Callable[..., Result]


def _write(path: Path, rows: list[tuple[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    values = ", ".join(
        f"(TIMESTAMPTZ '2026-06-01 00:00:00+00', '{model}', 1024, 1024, {inputs}::VARCHAR[])"
        for model, inputs in rows
    )
    duckdb.connect().execute(
        f"COPY (SELECT * FROM (VALUES {values}) t(timestamp, model, width, height, inputs))"
        f" TO '{path}' (FORMAT PARQUET)"
    )


def test_rows_are_numbered_in_file_name_order(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    _write(folder / "b.parquet", [("flux2-pro", "['1024x1024']"), ("nosuch-b", "[]")])
    _write(folder / "c.parquet", [("nosuch-c", "[]")])
    _write(folder / "B" / "y.parquet", [("nosuch-y", "[]")])
    _write(folder / "a" / "z.parquet", [("flux2-pro", "['1024x1024', '512x512']")])
    r = cli("bill", str(folder), "--format", "json")
    assert r.code == 2
    data = json.loads(r.out)
    # B/y.parquet (line 1), a/z.parquet (2), b.parquet (3, 4), c.parquet (5): byte order.
    lines = {row["line"]: row["reason"].split("'")[1] for row in data["rejected"]}
    assert lines == {1: "nosuch-y", 4: "nosuch-b", 5: "nosuch-c"}
    # 3 + 1.5 (one 1 MP input) + 3 + 2 x 1.5 (1.25 MP of inputs, 2 MP started) = 10.5.
    assert data["total_credits"] == "10.5"


def test_a_glob_that_matches_nothing_is_one_line(cli: Cli, tmp_path: Path) -> None:
    r = cli("bill", str(tmp_path / "none-*.parquet"))
    assert r.code == 2 and r.err.count("\n") == 1 and "no file matches" in r.err
