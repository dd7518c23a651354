"""Prices as of a date: each model's dated history in pricing.yaml, `RateTable.as_of`, and
`--as-of` on quote, workload, diff and bill.

Figures by hand from pricing.yaml. FLUX.2 [flex] cost 6 credits per MP in and out from its
launch on 2025-11-25 and 5 from 2026-01-28 (BFL's skills repo, commit 937fe03): 1024x1024 is
6 credits = $0.06 on 2026-01-27 and 5 credits = $0.05 on 2026-01-28. FLUX.2 [klein] was
released on 2026-01-15, [max] is priced from 2026-01-24 (the first source we cite).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import Result
from fluxcost import FluxcostError, pricing
from fluxcost.rate_file import parse_rates
from fluxcost.rates import PACKAGED_RATES, NotYetSold, PerMegapixel, load_rates

Cli = Callable[..., Result]
EVE, DAY = "2026-01-27", "2026-01-28"  # the day before flex's change, and the day of it


def _json(r: Result) -> Any:
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_flex_before_and_after_its_change(cli: Cli) -> None:
    before = _json(cli("quote", "-m", "flux2-flex", "--as-of", EVE, "-f", "json"))
    after = _json(cli("quote", "-m", "flux2-flex", "--as-of", DAY, "-f", "json"))
    assert (before["total_credits"], before["total_usd"]) == ("6", "0.06")
    assert (after["total_credits"], after["total_usd"]) == ("5", "0.05")
    assert before["prices_as_of"] == EVE
    assert before["source"].endswith("/99cc90a65c1cce7eb975ed36e4d898e23080bd42")


def test_every_megapixel_and_input_at_the_old_rate(cli: Cli) -> None:
    # 2048x2048 = 4 MP: 6 + 3 x 6 = 24, one 1 MP input 6: 30 credits; from 2026-01-28, 25.
    args = ("quote", "-m", "flux2-flex", "-s", "2048x2048", "-i", "1024x1024", "-f", "json")
    assert _json(cli(*args, "--as-of", EVE))["total_usd"] == "0.30"
    assert _json(cli(*args, "--as-of", DAY))["total_usd"] == "0.25"


def test_a_model_before_its_first_price_is_an_error_naming_that_date(cli: Cli) -> None:
    r = cli("quote", "-m", "klein-4b", "--as-of", "2026-01-14")
    assert r.code == 2
    assert r.err == (
        "fluxcost: error: flux2-klein-4b has no price on 2026-01-14: its first known price is"
        " from 2026-01-15 (use a date from then on)\n"
    )
    assert (
        _json(cli("quote", "-m", "klein-4b", "--as-of", "2026-01-15", "-f", "json"))["total_usd"]
        == "0.014"
    )


def test_comparisons_list_models_not_sold_yet_never_at_zero(cli: Cli) -> None:
    then = _json(cli("workload", "-n", "10000", "--compare", "--as-of", "2026-01-01", "-f", "json"))
    rows = {row["model"]: row for row in then["models"]}
    assert len(rows) == 12
    for model, first in (("flux2-klein-4b", "2026-01-15"), ("flux2-max", "2026-01-24")):
        assert rows[model]["can_serve"] is False
        assert rows[model]["reason"] == f"not sold before {first}"
        assert rows[model]["total_usd"] is None
    # Without klein the cheapest is pro, 10,000 x $0.03; today it is klein 4B, 10,000 x $0.014.
    assert (then["lines"][0]["model"], then["total_usd"]) == ("flux2-pro", "300.00")
    now = _json(cli("workload", "-n", "10000", "--compare", "-f", "json"))
    assert (now["lines"][0]["model"], now["total_usd"]) == ("flux2-klein-4b", "140.00")
    assert "prices_as_of" not in now


def test_a_named_model_not_sold_yet_points_at_its_line(cli: Cli) -> None:
    r = cli("workload", "-F", "examples/workload.yaml", "--as-of", "2026-01-20")
    assert r.code == 2
    assert "examples/workload.yaml:16: line 'finals': flux2-max has no price on 2026-01-20" in r.err
    assert "first known price is from 2026-01-24" in r.err


@pytest.fixture
def plans(tmp_path: Path) -> tuple[str, str]:
    text = "lines:\n  - name: posters\n    model: flux2-flex\n    images: {}\n"
    base, head = tmp_path / "base.yaml", tmp_path / "head.yaml"
    base.write_text(text.format(1000))
    head.write_text(text.format(2000))
    return str(base), str(head)


def test_diff_prices_both_plans_on_the_day(cli: Cli, plans: tuple[str, str]) -> None:
    then = _json(cli("diff", *plans, "--as-of", EVE, "-f", "json"))
    assert (then["base_total_usd"], then["head_total_usd"], then["change_usd"]) == (
        "60.00",
        "120.00",
        "60.00",
    )
    assert then["prices_as_of"] == EVE
    now = _json(cli("diff", *plans, "-f", "json"))
    assert (now["base_total_usd"], now["head_total_usd"]) == ("50.00", "100.00")


def test_diff_markdown_says_which_prices(cli: Cli, plans: tuple[str, str]) -> None:
    r = cli("diff", *plans, "--as-of", EVE, "-f", "markdown")
    assert r.out.endswith("\n_Prices as of 2026-01-27._\n")


def test_bill_prices_the_whole_log_on_the_day(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    row = "2026-02-10T10:00:00Z,flux2-flex,1024,1024,,1\n"
    log.write_text("timestamp,model,width,height,inputs,batch\n" + row * 3)
    then = _json(cli("bill", str(log), "--as-of", EVE, "-f", "json"))
    assert (then["total_credits"], then["total_usd"], then["prices_as_of"]) == ("18", "0.18", EVE)
    assert _json(cli("bill", str(log), "-f", "json"))["total_usd"] == "0.15"


def test_bill_rejects_a_row_of_a_model_not_sold_on_the_day(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("timestamp,model,width,height\n2026-01-10T10:00:00Z,klein-4b,1024,1024\n")
    r = cli("bill", str(log), "--as-of", "2026-01-10")
    assert r.code == 2
    assert f"{log}:2: flux2-klein-4b has no price on 2026-01-10" in r.err


@pytest.mark.parametrize("text", ["2026-1-1", "2026-02-30", "yesterday", ""])
def test_a_bad_date_is_one_line(cli: Cli, text: str) -> None:
    r = cli("quote", "-m", "flux2-pro", "--as-of", text)
    assert r.code == 2
    assert r.err == (
        f"fluxcost: error: --as-of {text!r} is not a date: write YYYY-MM-DD, e.g. 2026-01-01\n"
    )


def test_the_table_as_of_a_day() -> None:
    table = load_rates()
    flex = table.get("flux2-flex")
    assert flex.price_dates == (dt.date(2025, 11, 25), dt.date(2026, 1, 28))
    assert flex.as_of(dt.date(2026, 1, 28)) is flex  # current prices: no copy, cheap per row
    old = flex.as_of(dt.date(2026, 1, 27))
    assert old.billing == PerMegapixel(Decimal(6), Decimal(6), Decimal(6))
    assert (old.since, old.history) == (dt.date(2025, 11, 25), ())
    gone = table.as_of(dt.date(2025, 11, 24)).get("flux2-flex")
    assert gone.billing == NotYetSold(first_priced=dt.date(2025, 11, 25), day=dt.date(2025, 11, 24))
    assert not gone.on_api
    assert table.get("flux2-dev").as_of(dt.date(2000, 1, 1)).billing.kind == "local_only"


def test_an_old_table_still_prices_with_the_engine() -> None:
    old = load_rates().as_of(dt.date(2026, 1, 27))
    q = pricing.quote(old.get("flux2-flex"), pricing.build_request("1024x1024"), 10, old.credit_usd)
    assert (q.total_credits, q.total_usd) == (Decimal(60), Decimal("0.60"))


def test_every_api_model_says_since_when_and_where() -> None:
    for model in load_rates().api_models():
        assert model.since is not None, model.id
        assert (model.since_source or model.source).startswith("https://"), model.id
        for earlier in model.history:
            assert earlier.source.startswith("https://"), model.id


def test_models_json_adds_since_and_history(cli: Cli) -> None:
    flex = next(m for m in _json(cli("models", "-f", "json"))["models"] if m["id"] == "flux2-flex")
    assert flex["since"] == DAY
    assert flex["first_mp_credits"] == "5"
    assert flex["history"] == [
        {
            "since": "2025-11-25",
            "billing": {
                "first_mp_credits": "6",
                "extra_mp_credits": "6",
                "input_mp_credits": "6",
                "kind": "per_megapixel",
            },
            "source": "https://github.com/black-forest-labs/skills/commit/99cc90a65c1cce7eb975ed36e4d898e23080bd42",
            "confidence": "official",
            "note": flex["history"][0]["note"],
        }
    ]


FLEX_SINCE = "    since: 2026-01-28\n"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (FLEX_SINCE, "    since: 2025-11-25\n", "2025-11-25 is not before 2025-11-25"),
        (FLEX_SINCE, "    since: 2025-01-01\n", "2025-11-25 is not before 2025-01-01"),
        (FLEX_SINCE, "", "history and since_source need `since`"),
        ("      - since: 2025-11-25\n", "      - since: 2025-11-25\n        extra: 1\n", "extra"),
        ("          kind: per_megapixel\n          first_mp_credits: \"6\"",
         "          kind: not_yet_sold\n          first_mp_credits: \"6\"", "must be one of"),
    ],
)  # fmt: skip
def test_a_bad_history_is_refused(old: str, new: str, message: str) -> None:
    text = PACKAGED_RATES.read_text(encoding="utf-8")
    assert text.count(old) == 1
    with pytest.raises(FluxcostError, match="model flux2-flex") as exc:
        parse_rates(text.replace(old, new), "pricing.yaml")
    assert message in str(exc.value)


@pytest.mark.parametrize("key", ["priced_on: 2026-01-01", "your_rates: null"])
def test_what_as_of_and_your_rates_set_is_not_a_file_key(key: str) -> None:
    text = PACKAGED_RATES.read_text(encoding="utf-8").replace(
        "currency: USD\n", f"currency: USD\n{key}\n"
    )
    with pytest.raises(FluxcostError, match="Extra inputs are not permitted"):
        parse_rates(text, "pricing.yaml")


def test_a_table_is_dated_once() -> None:
    old = load_rates().as_of(dt.date(2026, 1, 27))
    assert old.as_of(dt.date(2026, 1, 27)).priced_on == dt.date(2026, 1, 27)
    with pytest.raises(ValueError, match="already as of 2026-01-27"):
        old.as_of(dt.date(2026, 2, 1))


def test_price_periods_key_days_with_the_same_price() -> None:
    flex, pro = load_rates().get("flux2-flex"), load_rates().get("flux2-pro")
    days = [
        dt.date(2025, 11, 24),
        dt.date(2025, 11, 25),
        dt.date(2026, 1, 27),
        dt.date(2026, 1, 28),
    ]
    assert [flex.price_period(d) for d in days] == [0, 1, 1, 2]
    assert [pro.price_period(d) for d in days] == [0, 1, 1, 1]
    assert load_rates().get("flux2-dev").price_period(days[0]) == 0  # undated: one price


def test_a_day_before_every_price_is_one_line(cli: Cli) -> None:
    r = cli("workload", "--images", "10", "--as-of", "2000-01-01")
    assert (r.code, r.err) == (
        2,
        "fluxcost: error: --as-of 2000-01-01: no model has a price then; the first known price"
        " is from 2024-10-03\n",
    )
