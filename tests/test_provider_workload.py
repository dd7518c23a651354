"""`workload --provider NAME` and `workload --providers all|NAME,NAME`: figures computed by hand
from providers.yaml's prices, every format, the budget gate, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result

Cli = Callable[..., Result]
PLAN = "examples/workload.yaml"


def _json(r: Result) -> Any:
    assert r.code in (0, 1), r.err
    return json.loads(r.out)


def test_a_thousand_flex_images_at_fal(cli: Cli) -> None:
    # fal FLUX.2 [flex]: $0.05 per MP; 1024x1024 is 1 MP: 1,000 x $0.05 = $50.00.
    data = _json(cli("workload", "-n", "1000", "-m", "fal-ai/flux-2-flex", "--provider", "fal",
                     "--format", "json"))  # fmt: skip
    assert data["provider"] == "fal"
    assert data["total_usd"] == {"usd": "50.00", "rounded": False}
    [line] = data["lines"]
    assert line["model"] == "flux2-flex" and line["per_image_usd"]["usd"] == "0.05"


def test_a_partly_used_last_batch_is_paid_in_full(cli: Cli) -> None:
    # fal FLUX.2 [max], 2048x2048 = 4 MP: $0.07 + 3 x $0.03 = $0.16; 10 images in batches of
    # 4 are 3 requests, 12 billed images: $1.92.
    data = _json(cli("workload", "-n", "10", "-b", "4", "-m", "flux2-max", "-s", "2048x2048",
                     "--provider", "fal", "--format", "json"))  # fmt: skip
    [line] = data["lines"]
    assert (line["requests"], line["billed_images"]) == (3, 12)
    assert data["total_usd"] == {"usd": "1.92", "rounded": False}


def test_per_step_money_is_exact_and_rounded_once(cli: Cli) -> None:
    # DeepInfra FLUX.2 [dev]: $0.01 x 50/28 steps = $1/56 an image; x 1,000 = $17.857142...
    args = ("workload", "-n", "1000", "-m", "flux2-dev", "--provider", "deepinfra",
            "--steps", "50")  # fmt: skip
    data = _json(cli(*args, "--format", "json"))
    assert data["total_usd"] == {"usd": "17.86", "rounded": True}
    assert data["lines"][0]["per_image_usd"] == {"usd": "0.0178571", "rounded": True}
    table = cli(*args).out
    assert "~17.86" in table and "~0.0178571" in table and "rounded for display" in table


def test_a_file_at_a_provider_line_by_line(cli: Cli) -> None:
    # fal: drafts 8,000 x $0.005 = $40; finals 4 MP $0.16 x 500 = $80; edits 1 MP $0.03 +
    # 2 inputs x 1 MP x $0.015 = $0.06 x 2,000 = $120; thumbnails (no model): fal's cheapest,
    # FLUX.1 [schnell] $0.003 x 3,000 = $9. Total $249.00, within the $400 budget.
    r = cli("workload", "-F", PLAN, "--provider", "fal", "--format", "csv")
    assert r.code == 0, r.err
    rows = [line.split(",") for line in r.out.splitlines()]
    assert [(row[0], row[2], row[-1]) for row in rows[1:]] == [
        ("drafts", "flux2-klein-4b", "40.00"),
        ("finals", "flux2-max", "80.00"),
        ("edits", "flux2-pro", "120.00"),
        ("thumbnails", "flux1-schnell", "9.00"),
        ("TOTAL", "", "249.00"),
    ]


def test_a_line_the_provider_cannot_serve_is_one_line_naming_it(cli: Cli) -> None:
    r = cli("workload", "-F", PLAN, "--provider", "replicate")
    assert r.code == 2 and r.out == ""
    assert r.err == (
        "fluxcost: error: examples/workload.yaml:10: line 'drafts': replicate does not sell"
        " flux2-klein-4b (sold by bfl, fal, cloudflare, openrouter)\n"
    )


def test_per_step_without_a_default_needs_steps(cli: Cli) -> None:
    r = cli("workload", "-n", "10", "-m", "flux2-dev", "--provider", "deepinfra")
    assert r.code == 2 and "states no default step count: give --steps N" in r.err


def test_over_budget_and_warning_at_a_provider(cli: Cli) -> None:
    over = cli("workload", "-F", PLAN, "--provider", "fal", "--budget", "200", "--format", "json")
    assert over.code == 1 and _json(over)["over_budget"] is True
    assert over.err == (
        "fluxcost: OVER BUDGET: $249.00 per month at fal is $49.00 over the budget of $200.00"
        " (124%)\n"
    )
    warned = cli("workload", "-F", PLAN, "--provider", "fal", "--budget", "300")
    assert warned.code == 0  # $249 of $300 is 83%, past the file's 80% warning line
    assert "past the 80% warning line" in warned.err


def test_step_summary_and_annotation(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("budget_usd: 40\nlines:\n  - {name: a, model: flux2-flex, images: 1000}\n")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    r = cli("workload", "-F", str(plan), "--provider", "fal", "--format", "json")
    assert r.code == 1  # $50.00 at fal is over $40
    assert f"::error file={plan},line=1::OVER BUDGET: $50.00 per month at fal" in r.err
    assert "| a | flux2-flex | 1,000 | 1024x1024 | $0.05 | $50.00 |" in summary.read_text()


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
@pytest.mark.parametrize("args", [("-F", PLAN, "--compare"), ("-n", "1000", "-b", "3")])
def test_provider_bfl_is_todays_output(cli: Cli, fmt: str, args: tuple[str, ...]) -> None:
    today = cli("workload", *args, "--format", fmt)
    assert cli("workload", *args, "--provider", "BFL", "--format", fmt) == today


def test_every_provider_cheapest_first_with_reasons(cli: Cli) -> None:
    # 1,000 FLUX.2 [dev] images at 28 steps: DeepInfra $0.01 x 28/28 = $10.00; fal $0.012/MP =
    # $12.00; Cloudflare 2 x 2 tiles x 28 steps x $0.00041 = $0.04592 = $45.92. The rest
    # cannot, each with its reason.
    r = cli("workload", "-n", "1000", "-m", "flux2-dev", "--steps", "28", "--providers", "all",
            "--compare", "--format", "json")  # fmt: skip
    data = _json(r)
    rows = data["providers"]
    assert [(o["provider"], o["total_usd"] and o["total_usd"]["usd"]) for o in rows] == [
        ("deepinfra", "10.00"),
        ("fal", "12.00"),
        ("cloudflare", "45.92"),
        ("bfl", None),
        ("replicate", None),
        ("runware", None),
        ("openrouter", None),
    ]
    assert rows[1]["difference_usd"] == {"usd": "2.00", "rounded": False}
    assert "BFL sells no API for it" in rows[3]["reason"]
    assert rows[4]["reason"] == "does not sell flux2-dev (sold by fal, deepinfra, cloudflare)"
    assert data["provider"] == "deepinfra" and data["total_usd"]["usd"] == "10.00"


def test_no_model_is_each_providers_cheapest(cli: Cli) -> None:
    # No model: fal's and Replicate's cheapest is FLUX.1 [schnell] at $0.003 (1 MP) = $3.00;
    # BFL's is FLUX.2 [klein] 4B, 1.4 credits = $0.014 = $14.00. Ties keep the order given.
    r = cli("workload", "-n", "1000", "--providers", "bfl,fal,replicate", "--format", "csv")
    assert r.code == 0, r.err
    rows = [line.split(",")[:6] for line in r.out.splitlines()[1:]]
    assert rows == [
        ["fal", "flux1-schnell", "true", "0.003", "3.00", "3.00"],
        ["replicate", "flux1-schnell", "true", "0.003", "3.00", "3.00"],
        ["bfl", "flux2-klein-4b", "true", "0.014", "14.00", "14.00"],
    ]


def test_compare_at_one_provider_moves_the_workload_to_each_model(cli: Cli) -> None:
    r = cli("workload", "-n", "1000", "--provider", "replicate", "--compare", "--format", "csv")
    rows = [line.split(",")[:6] for line in r.out.splitlines()[1:3]]
    # Replicate: FLUX.1 [schnell] $0.003, FLUX.1 [dev] $0.025 an image.
    assert rows == [["replicate", "flux1-schnell", "true", "0.003", "3.00", "3.00"],
                    ["replicate", "flux1-dev", "true", "0.025", "25.00", "25.00"]]  # fmt: skip


def test_markdown_lists_every_provider(cli: Cli) -> None:
    r = cli("workload", "-F", PLAN, "--providers", "fal,bfl,replicate", "--format", "markdown")
    assert "| fal | flux2-klein-4b, flux2-max, flux2-pro, flux1-schnell |  |  | $249.00 |" in r.out
    assert "| bfl | flux2-klein-4b, flux2-max, flux2-pro |  |  | $354.00 | +$105.00 |" in r.out
    assert "cannot: line 'drafts': does not sell flux2-klein-4b" in r.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--provider", "fal", "--providers", "all"), "give --provider NAME or --providers"),
        (("--provider", "fal", "--as-of", "2026-01-10"), "--as-of apply to BFL's own prices"),
        (("--providers", "fall"), "unknown provider 'fall': did you mean fal"),
        (("--providers", "al"), "unknown provider 'al': did you mean fal, all?"),
        (("--providers", " , "), "--providers needs `all` or provider names"),
        (("--steps", "4"), "--steps is for providers that bill per step"),
        (("--providers", "deepinfra", "-m", "kontext-pro"), "no provider asked for can serve"),
        (("--provider", "fal", "--selfhost-gpu", "h100"), "a self-hosted row is compared"),
    ],
)
def test_bad_options_are_one_line(cli: Cli, args: tuple[str, ...], message: str) -> None:
    r = cli("workload", "-n", "100", *args)
    assert r.code == 2 and message in r.err and r.err.count("\n") == 1, r.err


def test_a_bfl_workload_does_not_load_providers() -> None:
    code = (
        "import sys\n"
        "from fluxcost.cli import run\n"
        "assert run(['workload', '-F', 'examples/workload.yaml', '--compare', '--format',"
        " 'json']) == 0\n"
        "assert 'fluxcost.providers' not in sys.modules, 'providers imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_all_with_names_is_all(cli: Cli) -> None:
    every = cli("workload", "-n", "10", "-m", "flux2-pro", "--providers", "all", "-f", "json")
    named = cli("workload", "-n", "10", "-m", "flux2-pro", "--providers", "fal,all", "-f", "json")
    assert named.code == 0 and named.out == every.out
