"""`fluxcost quote` and `fluxcost models` output, as a script and as a person read it."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import Result

Cli = Callable[..., Result]


def test_quote_json_has_the_contract_fields(cli: Cli) -> None:
    r = cli("quote", "--model", "flux2-pro", "--width", "2048", "--height", "2048", "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["model"] == "flux2-pro"
    assert (data["width"], data["height"], data["batch"]) == (2048, 2048, 1)
    assert data["per_image_usd"] == "0.075"
    assert data["total_usd"] == "0.075"
    assert data["total_credits"] == "7.5"
    assert [(i["item"], i["quantity"], i["credits"], i["usd"]) for i in data["line_items"]] == [
        ("output, first MP", 1, "3", "0.03"),
        ("output, additional MP", 3, "4.5", "0.045"),
    ]


def test_money_in_json_is_strings(cli: Cli) -> None:
    data = json.loads(cli("quote", "-m", "klein-4b", "-b", "1000", "-f", "json").out)
    assert data["total_usd"] == "14.00"
    assert data["total_credits"] == "1400"
    for key in ("per_image_usd", "total_usd", "total_credits", "per_image_credits"):
        assert isinstance(data[key], str)


def test_size_shorthand_inputs_and_alias(cli: Cli) -> None:
    r = cli("quote", "-m", "FLUX-2-PRO", "--size", "1024x1024", "-i", "1024x1024", "-f", "json")
    data = json.loads(r.out)
    assert data["model"] == "flux2-pro"
    assert data["inputs"] == [{"width": 1024, "height": 1024}]
    assert data["total_usd"] == "0.045"


def test_quote_table_is_itemised(cli: Cli) -> None:
    r = cli("quote", "--model", "flux2-pro", "--width", "2048", "--height", "2048")
    assert r.code == 0
    assert "FLUX.2 [pro] (flux2-pro), 2048x2048" in r.out
    assert "2048x2048 = 4.00 MP -> 4 MP" in r.out
    lines = [line for line in r.out.splitlines() if "3 MP" in line]  # output, additional MP
    assert lines and "4.5" in lines[0] and "0.045" in lines[0]
    assert "0.075" in r.out
    assert "checked 2026-11-25" in r.out


def test_quote_table_shows_batch_and_notes(cli: Cli) -> None:
    r = cli("quote", "-m", "kontext-pro", "-s", "1920x1080", "-b", "4")
    assert "batch of 4" in r.out
    assert "0.16" in r.out
    assert "the API sets the exact size" in " ".join(r.out.split())


def test_models_json_lists_every_model_with_source(cli: Cli) -> None:
    data = json.loads(cli("models", "--format", "json").out)
    ids = [m["id"] for m in data["models"]]
    assert ids[:5] == ["flux2-klein-4b", "flux2-klein-9b", "flux2-pro", "flux2-flex", "flux2-max"]
    assert "flux2-dev" in ids and "kontext-pro" in ids
    pro = data["models"][ids.index("flux2-pro")]
    assert (pro["first_mp_credits"], pro["extra_mp_credits"], pro["input_mp_credits"]) == (
        "3",
        "1.5",
        "1.5",
    )
    assert pro["limits"]["max_total_pixels"] == 9437184
    assert all(m["source"].startswith("https://") and m["checked"] for m in data["models"])


def test_models_table(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no prose cell wraps
    r = cli("models")
    assert r.code == 0
    for text in ("flux2-klein-4b", "1.4 first MP", "8 per image", "local only", "2026-11-25"):
        assert text in r.out
