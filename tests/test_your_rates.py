"""Your rates: `--discount PCT` and `--rates-overlay FILE` on quote, workload, diff and bill,
shown as "your rates" in every format.

Figures by hand: 10,000 FLUX.2 [pro] images at 1024x1024 are 30,000 credits = $300.00; 15%
off is $300.00 x 0.85 = $255.00 (a credit worth $0.0085). An overlay setting pro's first MP
to 2.5 credits makes 1024x1024 2.5 credits = $0.025 and 2048x2048 2.5 + 3 x 1.5 = 7 credits
= $0.07 (the extra MP keeps its published 1.5).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result

Cli = Callable[..., Result]
PRO = ("-m", "flux2-pro", "-n", "10000")


def _json(r: Result) -> Any:
    assert r.code == 0, r.err
    return json.loads(r.out)


@pytest.fixture
def overlay(tmp_path: Path) -> str:
    path = tmp_path / "mine.yaml"
    path.write_text('# negotiated\nflux2-pro:\n  first_mp_credits: "2.5"\n')
    return str(path)


def test_a_discount_takes_its_share_off_every_price(cli: Cli) -> None:
    data = _json(cli("workload", *PRO, "--discount", "15%", "-f", "json"))
    assert (data["total_usd"], data["total_credits"]) == ("255.00", "30000")
    assert data["discount_percent"] == "15"
    assert data["your_rates"] == "15% off ($0.0085 a credit, not $0.01)"
    assert "your_rates" not in _json(cli("workload", *PRO, "-f", "json"))


def test_a_discount_reads_like_any_percentage(cli: Cli) -> None:
    data = _json(cli("quote", "-m", "flux2-pro", "--discount", "12.5", "-f", "json"))
    assert (data["total_usd"], data["credit_usd"]) == ("0.02625", "0.00875")  # 3 x 0.00875


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "--discount 0% is not a discount: give more than 0 and less than 100"),
        ("100%", "--discount 100% is not a discount: give more than 0 and less than 100"),
        ("abc", "--discount 'abc' is not a plain decimal number, e.g. 15%"),
    ],
)
def test_a_bad_discount_is_one_line(cli: Cli, text: str, message: str) -> None:
    r = cli("quote", "-m", "flux2-pro", "--discount", text)
    assert (r.code, r.err) == (2, f"fluxcost: error: {message}\n")


def test_an_overlay_changes_only_the_prices_it_names(cli: Cli, overlay: str) -> None:
    small = _json(cli("quote", "-m", "flux2-pro", "--rates-overlay", overlay, "-f", "json"))
    assert (small["total_credits"], small["total_usd"]) == ("2.5", "0.025")
    large = cli(
        "quote", "-m", "flux2-pro", "-s", "2048x2048", "--rates-overlay", overlay, "-f", "json"
    )
    assert _json(large)["total_usd"] == "0.07"
    assert _json(large)["your_rates"] == f"from {overlay} (flux2-pro first_mp_credits 2.5)"
    flat = _json(cli("quote", "-m", "kontext-pro", "--rates-overlay", overlay, "-f", "json"))
    assert flat["total_usd"] == "0.04"


def test_an_overlay_then_a_discount(cli: Cli, overlay: str) -> None:
    data = _json(
        cli("quote", "-m", "flux2-pro", "--rates-overlay", overlay, "--discount", "15%", "-f",
            "json")
    )  # fmt: skip
    assert data["total_usd"] == "0.02125"  # 2.5 credits x $0.0085
    assert data["your_rates"] == (
        f"from {overlay} (flux2-pro first_mp_credits 2.5), then 15% off ($0.0085 a credit,"
        " not $0.01)"
    )


def test_every_format_says_your_rates(cli: Cli) -> None:
    table = cli("workload", *PRO, "--discount", "15%")
    assert "Your rates: 15% off ($0.0085 a credit, not $0.01)" in table.out
    markdown = cli("workload", *PRO, "--discount", "15%", "-f", "markdown")
    assert markdown.out.endswith("\n_Your rates: 15% off ($0.0085 a credit, not $0.01)._\n")
    dated = cli("quote", "-m", "flux2-pro", "--discount", "15%", "--as-of", "2026-02-01")
    assert "Prices as of 2026-02-01; your rates: 15% off" in dated.out


def test_a_discount_keeps_the_credits_bfl_charges(cli: Cli) -> None:
    # The example log has one row charged 20 credits where the table says 15 (flex).
    plain = cli("bill", "examples/usage-log.csv", "--reconcile", "-f", "json")
    mine = cli("bill", "examples/usage-log.csv", "--reconcile", "--discount", "15%", "-f", "json")
    assert (plain.code, mine.code) == (1, 1)
    before, after = json.loads(plain.out), json.loads(mine.out)
    assert (before["total_credits"], before["total_usd"]) == ("73.4", "0.734")
    assert (after["total_credits"], after["total_usd"]) == ("73.4", "0.6239")  # x 0.85
    assert after["reconcile"]["rows_mismatched"] == before["reconcile"]["rows_mismatched"] == 1


def test_diff_with_your_rates(cli: Cli, tmp_path: Path) -> None:
    text = "lines:\n  - name: a\n    model: flux2-pro\n    images: {}\n"
    base, head = tmp_path / "b.yaml", tmp_path / "h.yaml"
    base.write_text(text.format(10000))
    head.write_text(text.format(20000))
    data = _json(cli("diff", str(base), str(head), "--discount", "15%", "-f", "json"))
    assert (data["base_total_usd"], data["change_usd"]) == ("255.00", "255.00")
    assert data["discount_percent"] == "15"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("flux2-pr:\n  first_mp_credits: 2\n", ":1: model flux2-pr: unknown model 'flux2-pr'"),
        (
            "flux2-pro:\n  credits_per_image: 2\n",
            ":1: model flux2-pro: flux2-pro is billed per_megapixel: it has no credits_per_image",
        ),
        ("flux2-pro:\n  first_mp_credits: -1\n", ":2: model flux2-pro, field first_mp_credits:"),
        ("flux2-pro:\n  first_mp_credit: 2\n", ":2: model flux2-pro, field first_mp_credit:"),
        (
            "flux2-pro:\n  first_mp_credits: null\n",
            ":2: model flux2-pro, field first_mp_credits: null is not a price",
        ),
        ("flux2-pro: {}\n", ":1: model flux2-pro: names no price"),
        ("{}\n", ":1: the overlay names no model"),
        ("- flux2-pro\n", ":1: a rates overlay is a YAML mapping of model ids"),
        (
            "flux2-pro:\n  first_mp_credits: 2\nflux-2-pro:\n  extra_mp_credits: 1\n",
            ":3: model flux-2-pro: flux2-pro is already overridden as flux2-pro",
        ),
        (
            "flux2-dev:\n  first_mp_credits: 2\n",
            ":1: model flux2-dev: flux2-dev is billed local_only: it has no first_mp_credits",
        ),
    ],
)
def test_a_bad_overlay_names_its_line(cli: Cli, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    r = cli("quote", "-m", "flux2-pro", "--rates-overlay", str(path))
    assert r.code == 2
    assert r.err.startswith(f"fluxcost: error: {path}{message}"), r.err
    assert r.err.count("\n") == 1


def test_a_missing_overlay_is_one_line(cli: Cli, tmp_path: Path) -> None:
    r = cli("quote", "-m", "flux2-pro", "--rates-overlay", str(tmp_path / "none.yaml"))
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert "none.yaml" in r.err
