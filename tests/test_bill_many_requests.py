"""A log of many distinct requests: each costs a compact cache entry, not a quote, and the
garbage collector is paused only while rows are read."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from fluxcost.billing import Biller
from fluxcost.rates import load_rates
from fluxcost.usage_log import read_into

HEADER = "timestamp,model,width,height,inputs,batch,charged_credits,user\n"


def _distinct_log(path: Path, count: int) -> None:
    """``count`` requests, each of another size (FLUX.2 [pro] at 16-px steps, <= 4 MP)."""
    sides = range(256, 2049, 16)
    sizes = [(w, h) for w in sides for h in sides][:count]
    path.write_text(
        HEADER
        + "".join(
            f"2026-11-0{n % 9 + 1}T10:00:00Z,flux2-pro,{w},{h},1024x1024,1,,u{n}\n"
            for n, (w, h) in enumerate(sizes)
        )
    )


def test_memory_per_distinct_request(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    _distinct_log(log, 10_000)
    biller = Biller(load_rates())
    tracemalloc.start()
    try:
        read_into(biller, str(log))
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    bill = biller.finish()
    assert (bill.requests, bill.rows_rejected) == (10_000, 0)
    # Each distinct request keeps its key, a counting entry and its priced shape: about 400
    # bytes here (when each was an itemised quote, about 2 KB).
    assert held / 10_000 < 600


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(tmp_path: Path, enabled: bool) -> None:
    log = tmp_path / "log.csv"
    _distinct_log(log, 10)
    (gc.enable if enabled else gc.disable)()
    try:
        biller = Biller(load_rates())
        read_into(biller, str(log))
        assert gc.isenabled() is enabled
        biller.finish()
        assert gc.isenabled() is enabled
        with pytest.raises(OSError):
            biller.consume(_failing_rows(), tuple, str, lambda row, exc: None, lambda i: i)
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def _failing_rows() -> Iterator[tuple[str, ...]]:
    yield ("flux2-pro", "1024", "1024", "", "", "")
    raise OSError("the disk went away")
