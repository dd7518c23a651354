"""The cache of the validated packaged table gives exactly what validation gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluxcost import validated_cache
from fluxcost.rates import PACKAGED_RATES, RateTable, parse_rates


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FLUXCOST_CACHE_DIR", str(tmp_path))
    return tmp_path


def _validate() -> RateTable:
    return parse_rates(PACKAGED_RATES.read_text(encoding="utf-8"), "pricing.yaml")


def test_round_trip_equals_validation(cache: Path) -> None:
    raw = PACKAGED_RATES.read_bytes()
    first = validated_cache.packaged_table(raw, _validate)
    assert len(list(cache.glob("rates-*.json"))) == 1

    def must_not_validate() -> RateTable:
        raise AssertionError("a cache hit must not validate again")

    assert validated_cache.packaged_table(raw, must_not_validate) == first == _validate()


def test_other_bytes_miss_the_cache(cache: Path) -> None:
    raw = PACKAGED_RATES.read_bytes()
    validated_cache.packaged_table(raw, _validate)
    calls = []

    def validate() -> RateTable:
        calls.append(1)
        return _validate()

    validated_cache.packaged_table(raw + b"\n# edited\n", validate)
    assert calls == [1]


def test_corrupt_cache_is_validated_again(cache: Path) -> None:
    raw = PACKAGED_RATES.read_bytes()
    validated_cache.packaged_table(raw, _validate)
    (entry,) = cache.glob("rates-*.json")
    entry.write_text("{not json")
    assert validated_cache.packaged_table(raw, _validate) == _validate()


def test_empty_setting_disables_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLUXCOST_CACHE_DIR", "")
    assert validated_cache.cache_dir() is None
