"""FLUX.2 sizes off the 16-px step are priced as requested, with the nearest sizes on the step
and their prices; sizes a model cannot make, and FLUX1.1 [pro]'s 32-px step, are still refused.

Figures by hand: 1 MP = 1,048,576 px, each image rounded up; pro 3 credits for the first MP and
1.5 for each further MP or input MP; 1 credit = $0.01.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import fluxcost
from conftest import Result

Cli = Callable[..., Result]


def test_1920x1080_is_priced_as_the_api_bills_it() -> None:
    # 1920 x 1080 = 2,073,600 px = 1.98 MP -> 2 MP: 3 + 1.5 = 4.5 credits = $0.045, as the
    # real pro response (output_mp 1.98, cost 4.5).
    q = fluxcost.quote("flux2-pro", width=1920, height=1080)
    assert q.total_credits == Decimal("4.5")
    assert q.total_usd == Decimal("0.045")
    assert q.items[0].detail == "1920x1080 = 1.98 MP -> 2 MP"


def test_the_note_names_the_nearest_sizes_on_the_step_and_their_prices() -> None:
    (note,) = fluxcost.quote("flux2-pro", width=1920, height=1080).notes
    assert note.startswith("1920x1080 is off flux2-pro's 16-px step: priced as requested")
    # 1920x1072 = 2,058,240 px and 1920x1088 = 2,088,960 px: both 2 MP, $0.045.
    assert note.endswith(
        "nearest on the step: 1920x1072 (2 MP, $0.045) or 1920x1088 (2 MP, $0.045)"
    )


@pytest.mark.parametrize(
    ("model", "size", "inputs", "credits", "nearest"),
    [
        # 1,000,000 px = 1 MP: 3 credits; 992x992 and 1008x1008 (1,016,064 px) are 1 MP too.
        ("flux2-pro", (1000, 1000), (), "3", "992x992 (1 MP, $0.03) or 1008x1008 (1 MP, $0.03)"),
        # 1030 x 1030 = 1,060,900 px: 2 MP, 4.5 credits; rounding down to 1024x1024 saves a MP.
        (
            "flux2-pro",
            (1030, 1030),
            (),
            "4.5",
            "1024x1024 (1 MP, $0.03) or 1040x1040 (2 MP, $0.045)",
        ),
        # 2040 x 2056 = 4,194,240 px, just within 4 MP: 7 + 3 x 3 = 16 credits on max. Rounded
        # up (2048x2064) is over 4 MP, so only 2032x2048 (4,161,536 px) is named.
        ("flux2-max", (2040, 2056), (), "16", "2032x2048 (4 MP, $0.16)"),
        # With an input the nearest sizes are priced with it: 3 + 1.5 + 1.5 = 6 credits.
        (
            "flux2-pro",
            (1920, 1080),
            ("1024x1024",),
            "6",
            "1920x1072 (2 MP, $0.06) or 1920x1088 (2 MP, $0.06)",
        ),
        # klein 4B: 1.4 + 0.1 = 1.5 credits for 2 MP.
        (
            "flux2-klein-4b",
            (1920, 1080),
            (),
            "1.5",
            "1920x1072 (2 MP, $0.015) or 1920x1088 (2 MP, $0.015)",
        ),
    ],
)
def test_off_step_sizes_on_flux2(
    model: str, size: tuple[int, int], inputs: tuple[str, ...], credits: str, nearest: str
) -> None:
    q = fluxcost.quote(model, width=size[0], height=size[1], inputs=inputs)
    assert q.total_credits == Decimal(credits)
    assert q.notes[-1].endswith(f"nearest on the step: {nearest}")


def test_sizes_on_the_step_have_no_note() -> None:
    assert fluxcost.quote("flux2-pro", width=1920, height=1088).notes == ()


@pytest.mark.parametrize(
    ("model", "size", "message"),
    [
        ("flux1.1-pro", (1000, 1024), "width 1000 is not a multiple of 32, which flux1.1-pro"),
        ("flux1.1-pro", (1440, 1472), "height 1472 is over flux1.1-pro's maximum of 1440 px"),
        ("flux2-pro", (60, 1080), "width 60 is below flux2-pro's minimum of 64 px"),
        # 2050 x 2050 = 4,202,500 px, over 4 MP.
        ("flux2-klein-9b", (2050, 2050), "flux2-klein-9b makes at most 4,194,304 px"),
    ],
)
def test_sizes_a_model_cannot_make_are_still_refused(
    model: str, size: tuple[int, int], message: str
) -> None:
    with pytest.raises(fluxcost.FluxcostError, match=message):
        fluxcost.quote(model, width=size[0], height=size[1])


def test_workload_at_1920x1080_stays_on_flux2(cli: Cli) -> None:
    # It used to jump to Kontext at $0.04. Cheapest now: klein 4B, 1,000 x $0.015 = $15.00.
    data = json.loads(cli("workload", "-n", "1000", "-s", "1920x1080", "-f", "json").out)
    assert (data["lines"][0]["model"], data["total_usd"]) == ("flux2-klein-4b", "15.00")


def test_a_bill_row_at_1920x1080_is_priced(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("timestamp,model,width,height\n2026-11-01T00:00:00Z,flux2-pro,1920,1080\n")
    r = cli("bill", str(log), "-f", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["total_usd"] == "0.045"


def test_the_cli_prints_the_note(cli: Cli) -> None:
    r = cli("quote", "-m", "flux2-pro", "-s", "1920x1080")
    assert r.code == 0
    text = " ".join(r.out.split())
    assert "note: 1920x1080 is off flux2-pro's 16-px step: priced as requested" in text
    assert "1920x1072 (2 MP, $0.045) or 1920x1088 (2 MP, $0.045)" in text
