"""README.md shows real output: every ```console block is run and compared.

A block starts with `$ fluxcost ...`; the lines after it are what the command prints (stdout,
then stderr). `UPDATE_README=1 pytest tests/test_readme.py` rewrites the blocks.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from fluxcost.cli import run

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ (?P<cmd>[^\n]+)\n(?P<out>.*?)```", re.S)


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _run(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    argv = shlex.split(command)
    assert argv[0] == "fluxcost", command
    run(argv[1:])
    captured = capsys.readouterr()
    return _normal(captured.out + captured.err)


def _commands() -> list[str]:
    return [m["cmd"] for m in BLOCK.finditer(README.read_text(encoding="utf-8"))]


@pytest.fixture(autouse=True)
def _default_width(monkeypatch: pytest.MonkeyPatch) -> None:
    # README shows what an 80-column terminal (the default for piped output) shows.
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.mark.parametrize("command", _commands())
def test_readme_output_is_real(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = README.read_text(encoding="utf-8")
    if os.environ.get("UPDATE_README"):

        def fill(match: re.Match[str]) -> str:
            if match["cmd"] != command:
                return match[0]
            return f"```console\n$ {command}\n{_run(command, capsys)}\n```"

        README.write_text(BLOCK.sub(fill, text), encoding="utf-8")
        return
    shown = next(m["out"] for m in BLOCK.finditer(text) if m["cmd"] == command)
    assert _run(command, capsys) == _normal(shown)


def test_readme_quick_start_names_the_issue_command() -> None:
    text = README.read_text(encoding="utf-8")
    assert "fluxcost quote --model flux2-pro --width 2048 --height 2048" in text
    assert "pip install -q -e '.[dev]' && .venv/bin/pytest" in text


def test_readme_python_examples_run() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 2
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, "README.md", "exec"), namespace)
        # The values the README shows in comments are the values the code gives.
        for expression, shown in re.findall(r"^(\S[^#\n]*?)\s+# (Decimal\('[^']*'\))", block, re.M):
            assert repr(eval(expression, namespace)) == shown, expression


def test_guarantees_name_real_test_files() -> None:
    named = set(re.findall(r"`(test_\w+\.py)`", README.read_text(encoding="utf-8")))
    assert named and all((ROOT / "tests" / name).is_file() for name in named), named
