"""`import fluxcost` is a library: cheap to import, no CLI machinery, one error type."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

import fluxcost


def test_quote_returns_decimal_totals() -> None:
    q = fluxcost.quote("flux2-pro", width=2048, height=2048, batch=2)
    assert q.total_usd == Decimal("0.15")
    assert q.total_credits == Decimal(15)


def test_inputs_take_text_or_pairs() -> None:
    a = fluxcost.quote("flux2-pro", inputs=["1024x1024", (2048, 1024)])
    b = fluxcost.quote("flux2-pro", inputs=[(1024, 1024), "2048x1024"])
    assert a.total_credits == b.total_credits == Decimal("7.5")  # 3 + 1.5 + 2 x 1.5


HEAVY = ("yaml", "pydantic", "pydantic_core", "typer", "rich", "click")


@pytest.mark.parametrize(
    "code",
    [
        "import fluxcost; fluxcost.quote('flux2-pro', width=2048, height=2048)",
        "import fluxcost.rates",
        "import fluxcost; fluxcost.load_rates().get('kontext-pro')",
    ],
)
def test_library_loads_no_yaml_pydantic_or_cli(code: str) -> None:
    # The packaged table is compiled Python data: validating it is the build's job.
    check = f"{code}; import sys; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_json_quote_does_not_import_rich() -> None:
    code = (
        "import sys; from fluxcost.cli import run;"
        "code = run(['quote', '-m', 'flux2-pro', '-f', 'json']);"
        "sys.stderr.write(str('rich' in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr == "False"
