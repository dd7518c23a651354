"""The models report and limits text show every rate field: they are derived from the rate types,
so a field added to them cannot be silently left out."""

from __future__ import annotations

import dataclasses
from typing import Any, get_args, get_type_hints

import pytest

from fluxcost.models_report import limits_text, models_report, rates_text
from fluxcost.rates import Limits, ModelRate, load_rates
from fluxcost.render_text import to_data

# The keys scripts read today (README, `fluxcost models --format json`), with flux2-pro's values.
PRO = {
    "id": "flux2-pro",
    "name": "FLUX.2 [pro]",
    "family": "flux2",
    "billing": "per_megapixel",
    "endpoint": "flux-2-pro",
    "aliases": ["flux-2-pro", "flux2pro"],
    "first_mp_credits": "3",
    "extra_mp_credits": "1.5",
    "input_mp_credits": "1.5",
    "credits_per_image": None,
    "source": "https://docs.bfl.ai/quick_start/pricing",
    "checked": "2026-11-25",
    "confidence": "official",
}
PRO_LIMITS = {
    "multiple_of": 16,
    "min_side": 64,
    "max_side": None,
    "max_output_pixels": 4194304,
    "max_total_pixels": 9437184,
    "aspect_min": None,
    "aspect_max": None,
    "max_inputs": 8,
    # Left out before the view was derived from the rate types:
    "warn_below_side": 256,
    "sized_by_api": False,
    "min_inputs": 0,
}


@pytest.fixture(scope="module")
def models() -> dict[str, dict[str, Any]]:
    view = to_data(models_report(load_rates()))
    assert (view["currency"], view["credit_usd"], view["rates"]) == ("USD", "0.01", "pricing.yaml")
    return {m["id"]: m for m in view["models"]}


def test_models_json_keeps_every_key_and_value(models: dict[str, dict[str, Any]]) -> None:
    pro = models["flux2-pro"]
    assert {key: pro[key] for key in PRO} == PRO
    assert pro["limits"] == PRO_LIMITS
    assert models["flux1-fill-pro"]["credits_per_image"] == "5"
    assert models["flux1-fill-pro"]["limits"]["min_inputs"] == 1
    assert models["flux2-dev"]["billing"] == "local_only"
    prices = ("first_mp_credits", "extra_mp_credits", "input_mp_credits", "credits_per_image")
    assert [models["flux2-dev"][key] for key in prices] == [None] * 4


def test_every_model_field_is_in_the_view(models: dict[str, dict[str, Any]]) -> None:
    names = {f.name for f in dataclasses.fields(ModelRate)} - {"billing", "limits"}
    for model in models.values():
        assert names <= set(model)
        assert set(model["limits"]) == {f.name for f in dataclasses.fields(Limits)}


def _sample(name: str) -> Any:
    """A value, other than the default, for the Limits field ``name``."""
    kind = get_type_hints(Limits)[name]
    return True if kind is bool else "2:1" if str in get_args(kind) else 3


@pytest.mark.parametrize("limit", dataclasses.fields(Limits), ids=lambda f: f.name)
def test_limits_text_shows_every_limit(limit: dataclasses.Field[object]) -> None:
    model = load_rates().get("flux1.1-pro-ultra")
    base: dict[str, Any] = {"max_inputs": 5} if limit.name == "min_inputs" else {}
    without = dataclasses.replace(model, limits=Limits(**base))
    with_it = dataclasses.replace(model, limits=Limits(**base, **{limit.name: _sample(limit.name)}))
    assert limits_text(with_it) != limits_text(without)


def test_texts_as_a_person_reads_them() -> None:
    table = load_rates()
    assert rates_text(table.get("flux2-klein-4b")) == (
        "1.4 first MP, 0.1 per extra MP, 0.1 per input MP"
    )
    assert rates_text(table.get("kontext-pro")) == "4 per image"
    assert rates_text(table.get("flux2-dev")) == "local only, no API price"
    assert limits_text(table.get("flux2-pro")) == (
        "sides >= 64 px in steps of 16, noted below 256 px, output <= 4 MP,"
        " output + inputs <= 9 MP, up to 8 inputs"
    )
    assert limits_text(table.get("kontext-max")) == (
        "aspect 3:7 to 7:3, the API sets the size, up to 1 input"
    )
    assert limits_text(table.get("flux1-fill-pro")) == "exactly 1 input"
    assert limits_text(table.get("flux2-dev")) == "-"
