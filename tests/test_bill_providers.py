"""`bill` of a log whose rows were made at other providers (a `provider` column, `--provider`,
a `steps` column, `--steps`): each row in that provider's dollars, computed here by hand from
the prices in providers.yaml (fal, DeepInfra, Cloudflare) and pricing.yaml (BFL)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import fluxcost
from conftest import Result

Cli = Callable[..., Result]

MIXED = """timestamp,model,width,height,inputs,batch,provider,steps
2026-11-01T10:00:00Z,flux2-pro,1024,1024,,1,,
2026-11-01T10:00:00Z,flux2-pro,1024,1024,,1,fal,
2026-11-01T11:00:00Z,fal-ai/flux-2-pro,1920,1080,,2,FAL,
2026-11-02T10:00:00Z,flux2-dev,1920,1080,,1,deepinfra,28
2026-11-02T10:00:00Z,flux2-klein-4b,1024,1024,,1,cloudflare,
2026-11-02T12:00:00Z,flux2-pro,1024,1024,,1,bfl,
"""


def _log(tmp_path: Path, text: str, name: str = "log.csv") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_each_row_is_priced_at_its_provider(cli: Cli, tmp_path: Path) -> None:
    # BFL flux2-pro 1024x1024: 3 credits = $0.03 (two rows: 6 credits, $0.06).
    # fal flux2-pro: first MP $0.03, each further MP $0.015. 1024x1024 = 1 MP: $0.03;
    # 1920x1080 = 2,073,600 px = 1.98 MP, rounded up to 2: $0.045 a image, batch 2 = $0.09.
    # DeepInfra FLUX.2 [dev]: $0.01 x 1920/1024 x 1080/1024 x 28/28 = $0.019775390625.
    # Cloudflare klein 4B: 1024x1024 = 2 x 2 tiles of 512 px x $0.000287 = $0.001148.
    # Total: 0.06 + 0.12 + 0.019775390625 + 0.001148 = $0.200923390625.
    r = cli("bill", _log(tmp_path, MIXED), "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["total_usd"] == "0.200923390625"
    assert data["total_credits"] is None and data["usd_rounded"] is False
    assert data["requests"] == 6 and data["images"] == 7
    groups = {g["key"]: (g["requests"], g["total_credits"], g["total_usd"]) for g in data["groups"]}
    assert groups == {
        "fal:flux2-pro": (2, None, "0.12"),
        "flux2-pro": (2, "6", "0.06"),
        "deepinfra:flux2-dev": (1, None, "0.019775390625"),
        "cloudflare:flux2-klein-4b": (1, None, "0.001148"),
    }
    assert [g["key"] for g in data["groups"]][:2] == ["fal:flux2-pro", "flux2-pro"]
    providers = [(p["provider"], p["requests"], p["images"], p["total_credits"], p["total_usd"])
                 for p in data["providers"]]  # fmt: skip
    assert providers == [
        ("bfl", 2, 2, "6", "0.06"),
        ("fal", 2, 3, None, "0.12"),
        ("deepinfra", 1, 1, None, "0.019775390625"),
        ("cloudflare", 1, 1, None, "0.001148"),
    ]


def test_the_table_says_whose_credits_and_lists_providers(cli: Cli, tmp_path: Path) -> None:
    r = cli("bill", _log(tmp_path, MIXED))
    assert r.code == 0, r.err
    assert "0.200923390625" in r.out and "By provider" in r.out
    assert "credits are BFL's" in r.out


def test_provider_option_is_where_rows_without_one_were_made(cli: Cli, tmp_path: Path) -> None:
    # With --provider fal the empty cell is fal ($0.03); the "bfl" cell stays BFL's 3 credits.
    log = "timestamp,model,width,height,provider\n"
    log += (
        "2026-11-01T10:00:00Z,flux2-pro,1024,1024,\n2026-11-01T10:00:00Z,flux2-pro,1024,1024,bfl\n"
    )
    data = json.loads(cli("bill", _log(tmp_path, log), "--provider", "fal", "-f", "json").out)
    assert {g["key"]: g["total_usd"] for g in data["groups"]} == {
        "fal:flux2-pro": "0.03",
        "flux2-pro": "0.03",
    }
    assert data["total_usd"] == "0.06"


def test_a_bfl_log_reads_as_it_always_did(cli: Cli, tmp_path: Path) -> None:
    log = "timestamp,model,width,height,provider\n2026-11-01T10:00:00Z,flux2-pro,2048,2048,bfl\n"
    data = json.loads(cli("bill", _log(tmp_path, log), "-f", "json").out)
    # 2048x2048 = 4 MP: 3 + 3 x 1.5 = 7.5 credits.
    assert data["total_credits"] == "7.5" and data["total_usd"] == "0.075"
    assert not {"providers", "usd_rounded", "notes"} & set(data)
    assert "usd_rounded" not in data["groups"][0]


def test_a_price_that_never_ends_is_exact_in_json_and_marked_in_tables(
    cli: Cli, tmp_path: Path
) -> None:
    # DeepInfra at 3 steps: $0.01 x 1 x 1 x 3/28 = $3/2800 = 0.00107142857142857142857...
    log = "timestamp,model,width,height,provider,steps\n"
    log += "2026-11-01T10:00:00Z,flux2-dev,1024,1024,deepinfra,3\n"
    path = _log(tmp_path, log)
    data = json.loads(cli("bill", path, "-f", "json").out)
    assert data["total_usd"] == "0.00107142857142857143" and data["usd_rounded"] is True
    table = cli("bill", path).out
    assert "~0.00107143" in table and "rounded for display" in table
    markdown = cli("bill", path, "-f", "markdown").out
    assert "~$0.00107143" in markdown


def test_steps_option_fills_rows_at_providers_that_bill_per_step(cli: Cli, tmp_path: Path) -> None:
    # --steps 14 at DeepInfra: $0.01 x 14/28 = $0.005. Cloudflare klein runs exactly 4 steps
    # and bills tiles: --steps does not touch it ($0.001148), and it is not refused.
    log = "timestamp,model,width,height,provider\n"
    log += "2026-11-01T10:00:00Z,flux2-dev,1024,1024,deepinfra\n"
    log += "2026-11-01T10:00:00Z,flux2-klein-4b,1024,1024,cloudflare\n"
    r = cli("bill", _log(tmp_path, log), "--steps", "14", "-f", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["total_usd"] == "0.006148"


def test_a_default_step_count_is_said(cli: Cli, tmp_path: Path) -> None:
    # Cloudflare FLUX.1 [schnell]: 4 tiles x $0.000053 + 4 steps (its default) x $0.00011.
    log = "timestamp,model,width,height,provider\n"
    log += "2026-11-01T10:00:00Z,flux1-schnell,1024,1024,cloudflare\n"
    data = json.loads(cli("bill", _log(tmp_path, log), "-f", "json").out)
    assert data["total_usd"] == "0.000652"
    assert data["notes"] == [
        "cloudflare, flux1-schnell: rows with no steps priced at its default of 4 steps (a steps"
        " column or --steps gives them)"
    ]


def test_bad_provider_rows_are_rejected_with_their_line(cli: Cli, tmp_path: Path) -> None:
    log = "timestamp,model,width,height,provider,cost,steps\n"
    log += "2026-11-01T10:00:00Z,flux2-pro,1024,1024,fall,,\n"  # line 2
    log += "2026-11-01T10:00:00Z,flux2-pro,1024,1024,fal,3,\n"  # line 3
    log += "2026-11-01T10:00:00Z,flux2-dev,1024,1024,deepinfra,,\n"  # line 4
    log += "2026-11-01T10:00:00Z,flux2-pro,1024,1024,deepinfra,,\n"  # line 5
    log += "2026-11-01T10:00:00Z,flux2-dev,1024,1024,deepinfra,,1.5\n"  # line 6
    path = _log(tmp_path, log, "bad.csv")
    r = cli("bill", path, "-f", "json")
    assert r.code == 2
    reasons = {row["line"]: row["reason"] for row in json.loads(r.out)["rejected"]}
    assert reasons[2] == "unknown provider 'fall': did you mean fal, bfl?"
    assert reasons[3] == (
        "charged_credits is what BFL's API reports; a row at fal has none: leave it empty"
    )
    assert reasons[4] == (
        "deepinfra bills per step and states no default step count: give a steps column or"
        " --steps N"
    )
    assert reasons[5].startswith("deepinfra does not sell flux2-pro")
    assert reasons[6].startswith("steps '1.5' is not a whole number")
    assert f"{path}:2: unknown provider 'fall'" in r.err


def test_bad_options_are_one_line(cli: Cli, tmp_path: Path) -> None:
    path = _log(tmp_path, MIXED)
    r = cli("bill", path, "--provider", "replicat")
    assert r.code == 2 and r.err.strip() == (
        "fluxcost: error: unknown provider 'replicat': did you mean replicate?"
    )
    r = cli("bill", path, "--steps", "0")
    assert r.code == 2 and r.err.count("\n") == 1 and "--steps" in r.err


def test_steps_on_bfl_rows_are_said_not_used(cli: Cli, tmp_path: Path) -> None:
    log = "timestamp,model,width,height,steps\n2026-11-01T10:00:00Z,flux2-pro,1024,1024,50\n"
    data = json.loads(cli("bill", _log(tmp_path, log), "-f", "json").out)
    assert data["total_usd"] == "0.03"
    assert data["notes"] == [
        "steps do not change BFL's prices (it bills the image): its rows' steps are not used"
    ]


def test_steps_in_json_lines_are_read_on_bfl_rows(cli: Cli, tmp_path: Path) -> None:
    # One BFL request (3 credits) plain, with steps 50 (not used, and said) and with steps
    # "many" (rejected): the hot path reads a key that makes a record not plain on every row.
    plain = {"timestamp": "2026-11-01T10:00:00Z", "model": "flux2-pro", "width": 1024,
             "height": 1024}  # fmt: skip
    rows = [plain, {**plain, "steps": 50}, {**plain, "steps": "many"}]
    path = _log(tmp_path, "".join(json.dumps(r) + "\n" for r in rows), "log.jsonl")
    data = json.loads(cli("bill", path, "-f", "json").out)
    assert (data["total_credits"], data["total_usd"]) == ("6", "0.06")
    assert [(r["line"], r["reason"][:27]) for r in data["rejected"]] == [
        (3, "steps 'many' is not a whole")
    ]
    assert data["notes"] == [
        "steps do not change BFL's prices (it bills the image): its rows' steps are not used"
    ]


def test_json_lines_and_grouping_by_day(cli: Cli, tmp_path: Path) -> None:
    # Day 1: BFL 3 credits ($0.03) and fal $0.03; day 2: DeepInfra at 7 steps, $0.0025.
    rows = [
        {"timestamp": "2026-11-01T10:00:00Z", "model": "flux2-pro", "width": 1024, "height": 1024},
        {"timestamp": "2026-11-01T10:00:00Z", "model": "flux2-pro", "width": 1024, "height": 1024,
         "provider": "fal"},
        {"timestamp": "2026-11-02T10:00:00Z", "model": "flux2-dev", "width": 1024, "height": 1024,
         "provider": "deepinfra", "steps": 7},
    ]  # fmt: skip
    path = _log(tmp_path, "".join(json.dumps(r) + "\n" for r in rows), "log.jsonl")
    data = json.loads(cli("bill", path, "-g", "day", "-f", "json").out)
    days = [(g["key"], g["total_credits"], g["total_usd"]) for g in data["groups"]]
    assert days == [("2026-11-01", None, "0.06"), ("2026-11-02", None, "0.0025")]
    assert data["total_usd"] == "0.0625"


def test_compare_moves_every_row_to_each_bfl_model(cli: Cli, tmp_path: Path) -> None:
    # The two rows (fal $0.03 and BFL $0.03, 1024x1024 each) on flux2-klein-4b at BFL:
    # 2 x 1.4 credits = 2.8 credits = $0.028; $0.032 less than the log's $0.06.
    log = "timestamp,model,width,height,provider\n"
    log += (
        "2026-11-01T10:00:00Z,flux2-pro,1024,1024,fal\n2026-11-01T10:00:00Z,flux2-pro,1024,1024,\n"
    )
    data = json.loads(cli("bill", _log(tmp_path, log), "--compare", "-f", "json").out)
    klein = next(m for m in data["models"] if m["model"] == "flux2-klein-4b")
    assert klein["total_usd"] == "0.028" and klein["difference_usd"] == "-0.032"


def test_the_library_bills_at_providers() -> None:
    row = {"timestamp": "2026-11-01T00:00:00Z", "model": "fal-ai/flux-2-pro", "width": 1920,
           "height": 1080, "batch": 2}  # fmt: skip
    bill = fluxcost.bill([row], provider="fal")
    assert bill.usd == Decimal("0.09") and bill.exact_usd == Fraction(9, 100)
    assert bill.credits == 0 and bill.provider_requests == 1
    with pytest.raises(fluxcost.FluxcostError, match="unknown provider 'nope'"):
        fluxcost.bill([row], provider="nope")


def test_a_bfl_bill_does_not_load_the_provider_tables(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = _log(
        tmp_path, MIXED.split("\n")[0] + "\n2026-11-01T10:00:00Z,flux2-pro,1024,1024,,1,bfl,\n"
    )
    code = (
        "import sys\n"
        "from fluxcost.cli import run\n"
        f"assert run(['bill', {path!r}, '--format', 'json']) == 0\n"
        "assert 'fluxcost.providers' not in sys.modules, 'providers imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_example_log_adds_up_by_hand(cli: Cli) -> None:
    # examples/usage-log-providers.csv, as README "Providers" works it out:
    # bfl 3 + 4 credits = $0.07; fal $0.09 + $0.045 = $0.135; DeepInfra 4 x $0.01 = $0.04 plus
    # $0.01 x 1.875 x 1.0546875 x 50/28 = $0.0353131975446428571428...; Replicate $0.04;
    # Cloudflare 4 x $0.000287 = $0.001148. Sum $0.3214611975446428571428..., to 20 places.
    root = Path(__file__).resolve().parent.parent
    data = json.loads(cli("bill", str(root / "examples/usage-log-providers.csv"), "-f", "json").out)
    assert data["total_usd"] == "0.32146119754464285714" and data["usd_rounded"] is True
    by_provider = {p["provider"]: p["total_usd"] for p in data["providers"]}
    assert by_provider == {
        "bfl": "0.07",
        "fal": "0.135",
        "deepinfra": "0.07531319754464285714",
        "replicate": "0.04",
        "cloudflare": "0.001148",
    }


def test_compare_marks_a_difference_it_rounds(cli: Cli) -> None:
    # Every row of the example on flux2-klein-4b at BFL (1.4 credits the first MP, 0.1 each
    # further or input MP): 1.4 + 2 x 1.5 + 1.5 + 4 x 1.4 + 1.5 + 1.4 + 1.4 (1024x768 is 1 MP)
    # + 1.5 = 17.3 credits = $0.173; $0.173 - $0.32146119754464285714... never ends.
    root = Path(__file__).resolve().parent.parent
    args = ("bill", str(root / "examples/usage-log-providers.csv"), "--compare")
    data = json.loads(cli(*args, "-f", "json").out)
    klein = next(m for m in data["models"] if m["model"] == "flux2-klein-4b")
    assert klein["total_usd"] == "0.173" and klein["difference_rounded"] is True
    assert klein["difference_usd"] == "-0.14846119754464285714"
    table = cli(*args).out
    assert "~-$0.15" in table and "to each model at BFL" in table


def test_csv_flags_rounded_figures(cli: Cli) -> None:
    root = Path(__file__).resolve().parent.parent
    out = cli("bill", str(root / "examples/usage-log-providers.csv"), "-f", "csv").out
    lines = out.splitlines()
    assert lines[0] == "model,requests,images,total_credits,total_usd,usd_rounded"
    assert "deepinfra:flux2-dev,2,5,,0.07531319754464285714,true" in lines
    assert lines[-1] == "TOTAL,8,12,,0.32146119754464285714,true"


def test_bfl_only_options_say_they_change_bfl_rows_only(cli: Cli, tmp_path: Path) -> None:
    # 15% off BFL's 3 credits: $0.0255; fal's $0.03 is not discounted.
    log = "timestamp,model,width,height,provider\n"
    log += (
        "2026-11-01T10:00:00Z,flux2-pro,1024,1024,fal\n2026-11-01T10:00:00Z,flux2-pro,1024,1024,\n"
    )
    r = cli("bill", _log(tmp_path, log), "--discount", "15%")
    assert "0.0555" in r.out and "change BFL's prices only" in r.out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"provider": None}, "provider must be a provider id such as 'fal'; got None"),
        ({"steps": 10**6}, "steps 1,000,000 is over the limit of 10,000"),
        ({"steps": True}, "steps must be a whole number of steps, 1 to 10,000; got True"),
    ],
)
def test_the_library_refuses_bad_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(fluxcost.FluxcostError) as caught:
        fluxcost.bill([], **options)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_the_duckdb_engine_gives_the_same_bill(cli: Cli) -> None:
    pytest.importorskip("duckdb")
    root = Path(__file__).resolve().parent.parent
    log = str(root / "examples/usage-log-providers.csv")
    python = cli("bill", log, "--engine", "python", "-f", "csv").out
    assert cli("bill", log, "--engine", "duckdb", "-f", "csv").out == python
    assert python.splitlines()[1].startswith("fal:flux2-pro,")  # the dearest first, in dollars


def test_notes_speak_only_of_rows_counted(cli: Cli, tmp_path: Path) -> None:
    # Line 2's batch 0 and line 3's unknown model are rejected: no note about them; line 4 is
    # fal's flux2-pro at 1024x1024, $0.03.
    log = "timestamp,model,width,height,batch,provider,steps\n"
    log += "2026-11-02T09:15:00Z,flux1-dev,1024,1024,0,deepinfra,\n"
    log += "2026-11-02T09:15:00Z,nosuch,1024,1024,1,bfl,28\n"
    log += "2026-11-02T09:15:00Z,flux2-pro,1024,1024,1,fal,\n"
    data = json.loads(cli("bill", _log(tmp_path, log), "-f", "json").out)
    assert data["rows_rejected"] == 2 and data["total_usd"] == "0.03"
    assert "notes" not in data


def test_steps_are_checked_on_every_row_and_said_when_unused(cli: Cli, tmp_path: Path) -> None:
    log = "timestamp,model,width,height,provider,steps\n"
    log += "2026-11-02T09:15:00Z,flux2-pro,1024,1024,bfl,abc\n"  # line 2
    log += "2026-11-02T09:15:00Z,flux2-pro,1024,1024,fal,30\n"  # line 3: fal bills per MP
    data = json.loads(cli("bill", _log(tmp_path, log), "--steps", "20", "-f", "json").out)
    assert [r["line"] for r in data["rejected"]] == [2]
    assert data["rejected"][0]["reason"].startswith("steps 'abc' is not a whole number")
    assert data["total_usd"] == "0.03"
    assert data["notes"] == [
        "fal, flux2-pro: steps do not change its price: its rows' steps are not used",
        "--steps 20 was not used: no row without steps is at a provider that bills per step",
    ]


def test_a_model_bfl_does_not_sell_names_who_does(cli: Cli, tmp_path: Path) -> None:
    log = "timestamp,model,width,height\n"
    log += "2026-11-02T09:15:00Z,flux1-schnell,1024,1024\n"
    log += "2026-11-02T09:15:00Z,fal-ai/flux-2-pro,1024,1024\n"
    data = json.loads(cli("bill", _log(tmp_path, log), "-f", "json").out)
    reasons = [r["reason"] for r in data["rejected"]]
    assert reasons == [
        "model 'flux1-schnell' is not sold by BFL's API (sold by fal, replicate,"
        " deepinfra, cloudflare): give the row's provider (a provider column, or --provider NAME)",
        "model 'fal-ai/flux-2-pro' is fal's name for flux2-pro (sold by bfl, fal, openrouter):"
        " give the row's provider (a provider column, or --provider NAME)",
    ]


def test_a_blank_provider_is_the_default_and_ties_go_by_name(cli: Cli, tmp_path: Path) -> None:
    # Replicate and fal both bill Kontext [pro] $0.04 an image: equal shares, by name.
    rows = [
        {"timestamp": "2026-11-02T09:15:00Z", "model": "kontext-pro", "width": 1024,
         "height": 1024, "inputs": ["1024x1024"], "provider": name}
        for name in ("replicate", "fal", "   ")
    ]  # fmt: skip
    path = _log(tmp_path, "".join(json.dumps(r) + "\n" for r in rows), "tie.jsonl")
    data = json.loads(cli("bill", path, "-f", "json").out)
    assert [(p["provider"], p["total_usd"]) for p in data["providers"]] == [
        ("bfl", "0.04"),
        ("fal", "0.04"),
        ("replicate", "0.04"),
    ]
