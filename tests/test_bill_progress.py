"""Progress shows on a terminal for big logs only; odd files are one-line errors."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from fluxcost.usage_log import Progress

Cli = Callable[..., Result]


def test_progress_reports_every_50000_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    lines = [f"{n:09d}\n" for n in range(100_000)]  # 10 bytes a line, 1,000,000 bytes
    file = io.BytesIO("".join(lines).encode())
    text = io.TextIOWrapper(file, encoding="utf-8", newline="")
    progress = Progress("big.csv", 1_000_000, file.tell)  # the share is of bytes read so far
    assert list(progress.counted(text)) == lines
    assert err.getvalue() == (
        "\rbilling big.csv: 50%, 50,000 lines\rbilling big.csv: 100%, 100,000 lines"
    )


def test_no_progress_when_not_a_terminal() -> None:
    assert not Progress("big.csv", 10**9, None).enabled  # pytest's stderr is not a terminal
    assert not Progress("small.csv", 1000, None).enabled


def test_log_that_is_not_utf8(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "latin1.csv"
    log.write_bytes(
        "timestamp,model,width,height\n2026-11-01,flux2-pro,1024,1024 \xe9\n".encode("latin-1")
    )
    r = cli("bill", str(log))
    assert (r.code, r.err) == (2, f"fluxcost: error: cannot read log {log}: it is not UTF-8 text\n")
