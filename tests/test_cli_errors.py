"""Every bad input gives exit 2 and one line on stderr, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

Cli = Callable[..., Result]

BAD_QUOTES = [
    (["quote"], "Missing option '--model'"),
    (["quote", "-m", "flux2-por"], "unknown model 'flux2-por': did you mean flux2-pro"),
    (["quote", "-m", "gpt-image"], "unknown model 'gpt-image'"),
    (["quote", "-m", "flux2-pro", "--width", "abc"], "--width 'abc' is not a whole number"),
    (["quote", "-m", "flux2-pro", "--width", "0"], "--width must be at least 1, got 0"),
    (["quote", "-m", "flux2-pro", "--width", "-16"], "--width must be at least 1, got -16"),
    (["quote", "-m", "flux1.1-pro", "--width", "1000"], "not a multiple of 32"),
    (["quote", "-m", "flux2-pro", "--size", "4096x4096"], "makes at most 4,194,304 px"),
    (["quote", "-m", "flux2-pro", "--size", "1024"], "--size '1024' is not WIDTHxHEIGHT"),
    (["quote", "-m", "flux2-pro", "--size", "1024x1024", "--width", "512"], "not both"),
    (["quote", "-m", "flux2-pro", "--batch", "0"], "--batch must be at least 1, got 0"),
    (["quote", "-m", "flux2-pro", "--batch", "two"], "--batch 'two' is not a whole number"),
    (["quote", "-m", "flux2-pro", "-i", "10x"], "input 1 '10x' is not WIDTHxHEIGHT"),
    (["quote", "-m", "klein-4b", *["-i", "512x512"] * 5], "at most 4 input images, got 5"),
    (["quote", "-m", "flux1.1-pro", "-i", "512x512"], "text-to-image only"),
    (["quote", "-m", "flux2-dev"], "open weights and runs locally only"),
    (["quote", "-m", "kontext-pro", "--size", "3000x1000"], "outside kontext-pro's range"),
    (["quote", "-m", "flux2-pro", "--format", "xml"], "'xml' is not one of 'table', 'json'"),
    (["quote", "-m", "flux2-pro", "--rates", "/no/such.yaml"], "cannot read rate table"),
    (["quote", "--wdth", "3"], "No such option: --wdth"),
    (["models", "--format", "yaml"], "'yaml' is not one of"),
    (["nosuchcommand"], "No such command"),
]


@pytest.mark.parametrize(("args", "message"), BAD_QUOTES)
def test_bad_input_is_one_line_and_exit_2(cli: Cli, args: list[str], message: str) -> None:
    r = cli(*args)
    assert r.code == 2
    assert r.out == ""
    assert r.err.count("\n") == 1, r.err
    assert r.err.startswith("fluxcost: error: ")
    assert message in r.err
    assert "Traceback" not in r.err


def test_malformed_rates_file(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "rates.yaml"
    bad.write_text("schema_version: 2\ncurrency: EUR\n")
    r = cli("quote", "-m", "flux2-pro", "--rates", str(bad))
    assert r.code == 2
    assert r.err.startswith(f"fluxcost: error: {bad}:2: field currency: Input should be 'USD'")


def test_installed_entry_point_has_no_traceback() -> None:
    # The real process: no pretty-exception hook or stray output sneaks past run().
    r = subprocess.run(
        [sys.executable, "-m", "fluxcost", "quote", "-m", "flux1.1-pro", "--width", "999"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 2
    assert r.stderr.startswith("fluxcost: error: width 999 is not a multiple of 32")
    assert r.stderr.count("\n") == 1


def test_a_bug_is_still_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("fluxcost.quote_report.quote_report", broken)
    r = cli("quote", "-m", "flux2-pro")
    assert r.code == 3
    assert r.err == "fluxcost: error: internal error (RuntimeError: boom); please report it\n"


def test_version(cli: Cli) -> None:
    import fluxcost

    r = cli("--version")
    assert (r.code, r.out) == (0, f"fluxcost {fluxcost.__version__}\n")


def test_no_arguments_prints_the_help_as_laid_out(cli: Cli) -> None:
    r = cli()
    assert r.code == 2
    assert r.err.startswith("Usage: fluxcost [OPTIONS] COMMAND [ARGS]...\n")
    assert "\n  quote " in r.err
