"""The packaged rate table is complete and sourced; malformed tables are refused clearly."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from fluxcost import FluxcostError
from fluxcost.rate_file import parse_rates
from fluxcost.rates import PACKAGED_RATES, Flat, LocalOnly, PerMegapixel

API_MODELS = {
    "flux2-klein-4b": ("1.4", "0.1", "0.1", 4),
    "flux2-klein-9b": ("1.5", "0.2", "0.2", 4),
    "flux2-pro": ("3", "1.5", "1.5", 8),
    "flux2-flex": ("5", "5", "5", 8),
    "flux2-max": ("7", "3", "3", 8),
}
FLAT = {
    "kontext-pro": "4",
    "kontext-max": "8",
    "flux1.1-pro": "4",
    "flux1.1-pro-ultra": "6",
    "flux1.1-pro-raw": "6",
    "flux1-fill-pro": "5",
}


@pytest.fixture(scope="module")
def text() -> str:
    return PACKAGED_RATES.read_text(encoding="utf-8")


def test_packaged_table_validates_and_holds_the_published_rates(text: str) -> None:
    table = parse_rates(text, "pricing.yaml")
    assert table.credit_usd == Decimal("0.01")
    for model_id, (first, extra, per_input, refs) in API_MODELS.items():
        model = table.get(model_id)
        assert model.billing == PerMegapixel(Decimal(first), Decimal(extra), Decimal(per_input))
        assert model.limits.max_inputs == refs
    for model_id, credits in FLAT.items():
        assert table.get(model_id).billing == Flat(Decimal(credits))
    assert table.get("flux2-dev").billing == LocalOnly()
    assert not table.get("flux2-dev").on_api
    assert {m.id for m in table.models} == {*API_MODELS, *FLAT, "flux2-dev"}


def test_fill_takes_exactly_one_input(text: str) -> None:
    limits = parse_rates(text, "pricing.yaml").get("flux1-fill-pro").limits
    assert (limits.min_inputs, limits.max_inputs) == (1, 1)


def test_every_rate_names_a_source_and_a_date(text: str) -> None:
    for model in parse_rates(text, "pricing.yaml").models:
        assert model.source.startswith("https://"), model.id
        assert isinstance(model.checked, dt.date), model.id


def test_bfl_endpoint_names_are_aliases(text: str) -> None:
    table = parse_rates(text, "pricing.yaml")
    for endpoint, model_id in {
        "flux-2-pro": "flux2-pro",
        "flux-2-klein-4b": "flux2-klein-4b",
        "flux-kontext-pro": "kontext-pro",
        "flux-pro-1.1": "flux1.1-pro",
        "flux-pro-1.1-ultra": "flux1.1-pro-ultra",
        "flux-pro-1.0-fill": "flux1-fill-pro",
    }.items():
        assert table.get(endpoint).id == model_id


PRO = 'first_mp_credits: "3"\n'
PRO_KIND = 'kind: per_megapixel\n      first_mp_credits: "3"\n'
PRO_NOTE = "    note: Pricing page, skills"
KONTEXT = "checked: 2026-11-25\n    confidence: official\n    note: Outputs"
SOURCE = "source: https://docs.bfl.ai/quick_start/pricing\n    checked: 2026-11-25\n    confi"
NOT_INT = "Input should be a valid integer"
BROKEN = [
    (PRO, "first_mp_credits: -3\n", "model flux2-pro, field billing.first_mp_credits: Input shou"),
    (PRO, "first_mp_credits: true\n", "field billing.first_mp_credits: Decimal input should be"),
    (PRO, "first_mp_credits: NaN\n", "field billing.first_mp_credits: Input should be a finite"),
    (PRO, "first_mp_credits: -Infinity\n", "field billing.first_mp_credits: Input should be a fin"),
    ("      " + PRO, "", "model flux2-pro, field billing.first_mp_credits: Field required"),
    (PRO, PRO + "      colour: red\n", "field billing.colour: Extra inputs are not permitted"),
    (PRO_KIND, PRO_KIND.replace("per_megapixel", "flat"), "field billing.credits_per_image"),
    (PRO_KIND, PRO_KIND.replace("per_megapixel", "perMP"), "field billing.kind: must be one of"),
    (PRO_KIND, 'first_mp_credits: "3"\n', "field billing.kind: must be one of per_megapixel, fl"),
    (PRO_NOTE, "    colour: red\n" + PRO_NOTE, "model flux2-pro, field colour: Extra inputs"),
    ("max_total_pixels: 9437184", "max_total_pixel: 9437184", "field limits.max_total_pixel: E"),
    ("max_total_pixels: 9437184", "max_total_pixels: 0", "field limits.max_total_pixels: Inpu"),
    # Whole numbers and flags as written, not as YAML or pydantic would coerce them.
    ("max_inputs: 8", "max_inputs: 8.0", f"field limits.max_inputs: {NOT_INT}"),
    ("max_inputs: 8", "max_inputs: 1e3", f"field limits.max_inputs: {NOT_INT}"),
    ("max_inputs: 8", "max_inputs: true", f"field limits.max_inputs: {NOT_INT}"),
    ("max_inputs: 8", "max_inputs: '8'", f"field limits.max_inputs: {NOT_INT}"),
    ("sized_by_api: true", "sized_by_api: yes", "field limits.sized_by_api: Input should be a"),
    ("max_total_pixels: 9437184", "max_total_pixels: ~", "field limits.max_total_pixels: null is"),
    ('aspect_min: "3:7"', 'aspect_min: "3/7"', "field limits: aspect_min '3/7' is not W:H"),
    ("min_inputs: 1\n", "min_inputs: 2\n", "model flux1-fill-pro, field limits: min_inputs 2 is"),
    ("[flux-2-max, flux2max]", "[flux-2-max, flux-2-pro]", "of model flux2-max is already used"),
    ("  - id: flux2-flex", "  - id: flux2-pro", "name 'flux2-pro' of model flux2-pro is already"),
    ("  - id: flux2-flex", "  - id: Flux2-Flex", "model Flux2-Flex: id 'Flux2-Flex' may hold only"),
    (SOURCE, SOURCE.replace("https://", ""), "model flux2-klein-4b: source 'docs.bfl.ai/quick"),
    (SOURCE, SOURCE.replace("    confi", "    unconfi"), "field confidence: Field required"),
    (KONTEXT, KONTEXT.replace("2026-11-25", "someday"), "model kontext-pro, field checked"),
    ("schema_version: 2", "schema_version: 1", "field schema_version: this fluxcost reads sch"),
    ("currency: USD\n", "currency: USD\norigin: planted\n", "field origin: Extra inputs are not"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_malformed_table_names_model_and_field(old: str, new: str, message: str, text: str) -> None:
    assert old in text
    with pytest.raises(FluxcostError) as info:
        parse_rates(text.replace(old, new, 1), "bad.yaml")
    assert re.match(r"^bad\.yaml:\d+: ", str(info.value))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_error_points_at_the_line_of_the_bad_field(text: str) -> None:
    broken = text.replace('first_mp_credits: "7"\n', "first_mp_credits: -7\n")
    line = broken.splitlines().index("      first_mp_credits: -7") + 1
    with pytest.raises(FluxcostError) as info:
        parse_rates(broken, "bad.yaml")
    assert str(info.value).startswith(
        f"bad.yaml:{line}: model flux2-max, field billing.first_mp_credits"
    )


def test_prices_are_exact_decimals(text: str) -> None:
    finer = text.replace(PRO, "first_mp_credits: 3.0000000000000001\n")  # exact, unquoted
    model = parse_rates(finer, "x.yaml").get("flux2-pro")
    assert model.billing == PerMegapixel(
        Decimal("3.0000000000000001"), Decimal("1.5"), Decimal("1.5")
    )


def test_broken_yaml_names_the_line() -> None:
    with pytest.raises(FluxcostError, match=r"^x.yaml:3: did not find expected"):
        parse_rates("models:\n  - [unclosed\n", "x.yaml")


def test_not_a_mapping() -> None:
    with pytest.raises(FluxcostError, match=r"^x\.yaml:1: a rate table is a YAML mapping"):
        parse_rates("- 1\n", "x.yaml")


def test_rates_file_is_used_and_validated(tmp_path: Path, text: str) -> None:
    import fluxcost

    cheaper = tmp_path / "rates.yaml"
    cheaper.write_text(text.replace(PRO, "first_mp_credits: 2\n"))
    assert fluxcost.quote("flux2-pro", rates=cheaper).total_credits == Decimal(2)
    assert fluxcost.load_rates(cheaper).origin == str(cheaper)
    with pytest.raises(FluxcostError, match="cannot read rate table"):
        fluxcost.quote("flux2-pro", rates=tmp_path / "missing.yaml")
    cheaper.write_text(text.replace(PRO, "first_mp_credits: -2\n"))
    with pytest.raises(FluxcostError, match=r"rates\.yaml:\d+: model flux2-pro"):
        fluxcost.quote("flux2-pro", rates=cheaper)
