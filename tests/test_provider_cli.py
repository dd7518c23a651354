"""`quote --provider`, `quote --providers` and `models --provider(s)` on the command line:
figures computed by hand from each provider's page, every format, and one-line errors."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import Result

Cli = Callable[..., Result]


def test_quote_at_a_provider_is_itemised(cli: Cli) -> None:
    # fal FLUX.2 [max]: $0.07 + $0.03 (1920x1080 is 2 MP) + 4 MP x $0.03 (input capped).
    r = cli("quote", "--provider", "fal", "-m", "fal-ai/flux-2-max", "-s", "1920x1080",
            "-i", "3000x3000", "-b", "10", "--format", "json")  # fmt: skip
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["provider"] == "fal" and data["model"] == "flux2-max"
    assert [i["quantity"] for i in data["line_items"]] == ["1", "1", "4"]
    assert data["per_image_usd"] == {"usd": "0.22", "rounded": False}
    assert data["total_usd"] == {"usd": "2.20", "rounded": False}


def test_a_true_division_is_exact_in_json_and_rounded_once_in_the_table(cli: Cli) -> None:
    # DeepInfra FLUX.2 [dev] at 50 steps: $0.01 x 50/28 = $1/56, a decimal that never ends.
    args = ("quote", "--provider", "deepinfra", "-m", "flux2-dev", "--steps", "50")
    data = json.loads(cli(*args, "--format", "json").out)
    assert data["per_image_usd"] == {"usd": "0.0178571", "rounded": True}
    assert data["line_items"][0]["quantity"] == "25/14"
    table = cli(*args, "-b", "1000").out
    assert "~0.0178571" in table and "~17.86" in table and "rounded for display" in table


def test_quote_providers_is_cheapest_first_and_lists_every_provider(cli: Cli) -> None:
    r = cli("quote", "--providers", "-m", "flux2-dev", "--steps", "28", "--format", "csv")
    lines = r.out.splitlines()
    assert lines[0].startswith("provider,model,can_serve,reason,per_image_usd")
    assert lines[1].startswith("deepinfra,flux2-dev,true,,0.01,10.00,0.01,true,official")
    assert lines[2].startswith("fal,flux2-dev,true,,0.012,")
    assert lines[3].startswith("cloudflare,flux2-dev,true,,0.04592,45.92,")
    assert "replicate,flux2-dev,false,does not sell flux2-dev,,,,false," in r.out
    assert len(lines) == 8  # bfl and six providers


def test_quote_providers_markdown(cli: Cli) -> None:
    r = cli("quote", "--providers", "-m", "flux2-klein-4b", "--format", "markdown")
    # cloudflare 4 tiles x $0.000287; fal 1 MP x $0.005; openrouter $0.014; bfl 1.4 credits.
    assert "| cloudflare (cheapest) | flux2-klein-4b | $0.001148 |" in r.out
    assert "| fal | flux2-klein-4b | $0.005 |" in r.out
    assert "| bfl | flux2-klein-4b | $0.014 |" in r.out


def test_models_of_a_provider(cli: Cli) -> None:
    data = json.loads(cli("models", "--provider", "deepinfra", "--format", "json").out)
    assert [o["model"] for o in data["offers"]] == ["flux2-dev", "flux1-dev", "flux1-schnell"]
    assert (
        data["offers"][1]["price"] == "$0.009 x (W/1024) x (H/1024) x (steps/25); default 25 steps"
    )
    every = json.loads(cli("models", "--providers", "--format", "json").out)
    assert every["providers"][0] == "bfl" and len(every["providers"]) == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["quote", "--provider", "fall", "-m", "flux2-pro"],
            "unknown provider 'fall': did you mean fal",
        ),
        (
            ["quote", "--provider", "fal", "-m", "flux1.1-pro"],
            "fal does not sell flux1.1-pro (sold by bfl, replicate)",
        ),
        (["quote", "--provider", "cloudflare", "-m", "flux2-dev"], "give --steps N"),
        (
            ["quote", "-m", "flux2-pro", "--steps", "4"],
            "--steps is for providers that bill per step",
        ),
        (
            ["quote", "--provider", "fal", "-m", "flux2-pro", "--discount", "10%"],
            "--discount apply to BFL's own prices only",
        ),
        (["models", "--provider", "nope"], "unknown provider 'nope'"),
    ],
)
def test_bad_provider_input_is_one_line_exit_2(cli: Cli, args: list[str], message: str) -> None:
    r = cli(*args)
    assert r.code == 2
    assert r.err.startswith("fluxcost: error: ") and message in r.err
    assert len(r.err.strip().splitlines()) == 1


def test_provider_bfl_is_the_plain_quote(cli: Cli) -> None:
    plain = cli("quote", "-m", "flux2-pro", "--format", "json").out
    assert cli("quote", "--provider", "bfl", "-m", "flux2-pro", "--format", "json").out == plain


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (("quote", "-m", "flux1-schnell"),
         "model 'flux1-schnell' is not sold by BFL's API (sold by fal, replicate, deepinfra,"
         " cloudflare): price it at a provider with --provider NAME"),
        (("workload", "-n", "10", "-m", "fal-ai/flux-2-pro"),
         "model 'fal-ai/flux-2-pro' is fal's name for flux2-pro (sold by bfl, fal, openrouter)"),
        (("quote", "-m", "nosuch"), "unknown model 'nosuch': no model has a similar name."),
    ],
)  # fmt: skip
def test_a_model_bfl_does_not_sell_says_who_does(
    cli: Cli, command: tuple[str, ...], message: str
) -> None:
    r = cli(*command)
    assert r.code == 2 and message in r.err and r.err.count("\n") == 1, r.err
