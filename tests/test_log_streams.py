"""A log from a pipe, FIFO or stdin is read once and every row is billed; gzip is read directly,
and a BOM is skipped.

The log: 10,000 rows, four shapes in turn, 2,500 of each (prices from pricing.yaml, 1 credit =
$0.01): flux2-pro 1024x1024 = 3 credits; kontext-pro = 4 credits flat; flux2-klein-4b
1024x1024 = 1.4; flux2-pro with batch 2 = 6. Total 2,500 x (3 + 4 + 1.4 + 6) = 36,000 credits,
$360.00. It is about 600 KB: far more than a pipe holds, so a second reader would steal rows.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Result

Cli = Callable[..., Result]
SHAPES = [
    "flux2-pro,1024,1024,,1",
    "kontext-pro,1024,1024,1024x1024,1",
    "flux2-klein-4b,1024,1024,,1",
    "flux2-pro,1024,1024,,2",
]
LOG = "timestamp,model,width,height,inputs,batch,user\n" + "".join(
    f"2026-11-{1 + n % 30:02d}T09:15:00Z,{SHAPES[n % 4]},user-{n}\n" for n in range(10_000)
)
FULL_BILL = (10_000, 0, "36000", "360.00")


def _figures(json_text: str) -> tuple[Any, ...]:
    data = json.loads(json_text)
    return data["requests"], data["rows_rejected"], data["total_credits"], data["total_usd"]


def _bill_process(log: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    """``fluxcost bill LOG -f json`` in a fresh process, fed ``stdin`` through a pipe."""
    return subprocess.run(
        [sys.executable, "-m", "fluxcost", "bill", log, "-f", "json"],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_a_pipe_on_stdin_is_billed_in_full(name: str) -> None:
    done = _bill_process(name, LOG.encode())
    assert (done.returncode, done.stderr) == (0, b"")
    assert _figures(done.stdout.decode()) == FULL_BILL


def test_gzip_on_stdin_is_unzipped() -> None:
    done = _bill_process("-", gzip.compress(LOG.encode()))
    assert (done.returncode, done.stderr) == (0, b"")
    assert _figures(done.stdout.decode()) == FULL_BILL


def test_a_fifo_is_billed_in_full(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "usage.csv"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "w", encoding="utf-8") as out:
            out.write(LOG)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    r = cli("bill", str(fifo), "-f", "json")
    writer.join(timeout=10)
    assert (r.code, r.err) == (0, "")
    assert _figures(r.out) == FULL_BILL


@pytest.mark.parametrize("name", ["usage.csv.gz", "usage.gz", "usage-without-extension"])
def test_a_gzip_file_is_read_by_its_first_bytes(cli: Cli, tmp_path: Path, name: str) -> None:
    log = tmp_path / name
    log.write_bytes(gzip.compress(LOG.encode()))
    r = cli("bill", str(log), "-f", "json")
    assert (r.code, r.err) == (0, "")
    assert _figures(r.out) == FULL_BILL


def test_gzipped_jsonl_takes_its_format_from_the_name_before_gz(cli: Cli, tmp_path: Path) -> None:
    record = '{"timestamp": "2026-11-01T09:15:00Z", "model": "kontext-pro", "width": 1024,'
    log = tmp_path / "usage.jsonl.gz"
    log.write_bytes(gzip.compress(f'{record} "height": 1024}}\n'.encode() * 3))
    assert _figures(cli("bill", str(log), "-f", "json").out) == (3, 0, "12", "0.12")


def test_a_stream_that_is_not_a_file_is_read_once(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # stdin with no file descriptor at all (as an embedding program may give): a stream.
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(LOG.encode())))
    assert _figures(cli("bill", "-", "-f", "json").out) == FULL_BILL


def test_broken_gzip_is_a_clean_error(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "usage.csv.gz"
    log.write_bytes(gzip.compress(LOG.encode())[:2000])  # cut short
    r = cli("bill", str(log))
    assert r.code == 2
    assert r.err.startswith(f"fluxcost: error: cannot read log {log}: broken gzip data (")
    assert len(r.err.splitlines()) == 1


def test_stdin_closed_is_a_clean_error(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", None)  # what Python sets when started with stdin closed
    r = cli("bill", "-")
    assert (r.code, r.err) == (2, "fluxcost: error: cannot read log -: stdin is closed\n")


def test_a_bom_before_the_first_json_record(cli: Cli, tmp_path: Path) -> None:
    record = '{"timestamp": "2026-11-01T09:15:00Z", "model": "flux2-pro", "width": 1024'
    log = tmp_path / "usage.jsonl"
    log.write_bytes(b"\xef\xbb\xbf" + f'{record}, "height": 1024}}\r\n\r\n'.encode())
    assert _figures(cli("bill", str(log), "-f", "json").out) == (1, 0, "3", "0.03")


def test_a_stream_that_never_ends_a_line_is_refused() -> None:
    # /dev/zero, or a binary piped in by mistake: a clean error, not all of memory.
    done = subprocess.run(
        [sys.executable, "-m", "fluxcost", "bill", "-"],
        input=b"x" * (17 << 20),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 2
    assert (
        done.stderr == b"fluxcost: error: a line of the log runs past 16,777,216 bytes: not a log\n"
    )
