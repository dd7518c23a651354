"""The packaged table is compiled from pricing.yaml at build time, and trusted only while the
installed YAML is the file it was compiled from; fluxcost writes no cache anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from fluxcost import FluxcostError, compile_rates, rates, rates_data
from fluxcost.rate_file import parse_rates
from fluxcost.rates import PerMegapixel, load_rates


def test_compiled_module_is_up_to_date() -> None:
    fresh = compile_rates.render(rates.PACKAGED_RATES.read_bytes())
    assert fresh == compile_rates.OUTPUT.read_text(encoding="utf-8"), (
        "rates_data.py is out of date with pricing.yaml: run python -m fluxcost.compile_rates"
    )
    assert compile_rates.main(["--check"]) == 0


def test_compiled_table_is_the_validated_yaml() -> None:
    validated = parse_rates(rates.PACKAGED_RATES.read_text(encoding="utf-8"), "pricing.yaml")
    assert validated == rates_data.TABLE
    assert rates_data.TABLE.get("flux-2-pro") is rates_data.TABLE.get("flux2-pro")


@pytest.fixture
def fresh_packaged() -> Iterator[None]:
    rates._packaged.cache_clear()
    yield
    rates._packaged.cache_clear()


@pytest.mark.usefixtures("fresh_packaged")
def test_unchanged_yaml_gives_the_compiled_table() -> None:
    assert load_rates() is rates_data.TABLE


@pytest.mark.usefixtures("fresh_packaged")
def test_edited_yaml_is_validated_instead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = rates.PACKAGED_RATES.read_text(encoding="utf-8")
    edited = tmp_path / "pricing.yaml"
    edited.write_text(text.replace('first_mp_credits: "3"\n', "first_mp_credits: 2.5\n", 1))
    monkeypatch.setattr(rates, "PACKAGED_RATES", edited)
    table = load_rates()
    assert table.get("flux2-pro").billing == PerMegapixel(
        Decimal("2.5"), Decimal("1.5"), Decimal("1.5")
    )
    assert table.origin == "pricing.yaml"


@pytest.mark.usefixtures("fresh_packaged")
def test_a_broken_edit_is_an_error_not_the_stale_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = rates.PACKAGED_RATES.read_text(encoding="utf-8")
    edited = tmp_path / "pricing.yaml"
    edited.write_text(text.replace('first_mp_credits: "3"\n', "first_mp_credits: -3\n", 1))
    monkeypatch.setattr(rates, "PACKAGED_RATES", edited)
    with pytest.raises(FluxcostError, match=r"^pricing\.yaml:\d+: model flux2-pro, field billing"):
        load_rates()


def test_a_quote_writes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    command = [sys.executable, "-m", "fluxcost", "quote", "-m", "flux2-pro", "-f", "json"]
    subprocess.run(command, cwd=home, env=env, capture_output=True, check=True)
    assert list(home.iterdir()) == []


def test_the_generator_writes_the_module_and_refuses_a_bad_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    committed = Path(str(rates_data.__file__)).read_text(encoding="utf-8")
    output = tmp_path / "rates_data.py"
    monkeypatch.setattr(compile_rates, "OUTPUT", output)
    assert compile_rates.main(["--check"]) == 1  # no module yet
    assert compile_rates.main([]) == 0
    assert output.read_text(encoding="utf-8") == committed
    assert compile_rates.main(["--check"]) == 0
    broken = tmp_path / "pricing.yaml"
    text = rates.PACKAGED_RATES.read_text(encoding="utf-8")
    broken.write_text(text.replace('first_mp_credits: "3"\n', "first_mp_credits: -3\n", 1))
    monkeypatch.setattr(compile_rates, "PACKAGED_RATES", broken)
    capsys.readouterr()
    assert compile_rates.main([]) == 2
    assert capsys.readouterr().err.startswith("compile_rates: error: pricing.yaml:")
    assert output.read_text(encoding="utf-8") == committed  # left as it was
