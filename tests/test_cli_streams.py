"""What happens to stdout never changes the exit code; a report that cannot be written is a
clean exit 2; an encoding without a character escapes it. Real processes, real pipes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLUXCOST = [sys.executable, "-m", "fluxcost"]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*FLUXCOST, *args], cwd=ROOT, text=True, capture_output=True, env={**os.environ, **env}
    )


def test_broken_pipe_keeps_the_over_budget_code() -> None:
    # `fluxcost workload ... | true`: the reader is gone before a byte is read.
    shell = (
        f"{' '.join(FLUXCOST)} workload -n 100000 --budget 1 -c -f json | true; echo $PIPESTATUS"
    )
    done = subprocess.run(["bash", "-c", shell], cwd=ROOT, text=True, capture_output=True)
    assert done.stdout.split()[-1] == "1"  # over budget, as without the pipe
    assert "Traceback" not in done.stderr and "Broken" not in done.stderr


def test_broken_pipe_keeps_ok_and_bad_input_codes() -> None:
    shell = (
        f"{' '.join(FLUXCOST)} presets | head -0; echo ${{PIPESTATUS[0]}};"
        f" {' '.join(FLUXCOST)} bill examples/usage-log.csv -c | head -1 >/dev/null;"
        " echo ${PIPESTATUS[0]}"
    )
    done = subprocess.run(["bash", "-c", shell], cwd=ROOT, text=True, capture_output=True)
    assert done.stdout.split() == ["0", "0"]
    assert "Traceback" not in done.stderr


def test_closed_stdout_is_a_clean_error() -> None:
    done = subprocess.run(
        ["bash", "-c", f"{' '.join(FLUXCOST)} models >&-"], cwd=ROOT, text=True, capture_output=True
    )
    assert done.returncode == 2
    assert (
        done.stderr
        == "fluxcost: error: cannot write the report: stdout is closed (use --output FILE)\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_is_a_clean_error() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*FLUXCOST, "workload", "-n", "10", "-f", "json"], cwd=ROOT, text=True,
            stdout=full, stderr=subprocess.PIPE,
        )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == (
        "fluxcost: error: cannot write the report to stdout: No space left on device\n"
    )


def test_ascii_terminal_gets_escapes_not_a_crash() -> None:
    done = _run(["quote", "-m", "flüx"], {"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 2
    assert done.stderr.startswith("fluxcost: error: unknown model 'fl\\xfcx'")
    table = _run(["quote", "-m", "flux2-pro"], {"PYTHONIOENCODING": "ascii"})
    assert table.returncode == 0 and "0.03" in table.stdout


def test_closed_stdin_for_a_log_from_stdin() -> None:
    done = subprocess.run(
        ["bash", "-c", f"{' '.join(FLUXCOST)} bill - <&-"], cwd=ROOT, text=True, capture_output=True
    )
    assert done.returncode == 2
    assert done.stderr == "fluxcost: error: cannot read log -: stdin is closed\n"


def test_rejected_rows_exit_2_through_a_pipe(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "timestamp,model,width,height\n2026-11-01T00:00:00Z,flux2-pro,1024,1024\n"
        "2026-11-01T00:00:00Z,nope,1024,1024\n"
    )
    shell = f"{' '.join(FLUXCOST)} bill {log} | head -1 >/dev/null; echo ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", shell], cwd=ROOT, text=True, capture_output=True)
    assert done.stdout.split() == ["2"]
    assert "1 of 2 rows rejected" in done.stderr
