"""`workload --compare` with a self-hosted row: GPU time for every billed image plus the licence
for the period. $2.70 an hour at 0.6 s an image is 2.70 x 0.6 / 3600 = $0.00045 an image."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result

Cli = Callable[..., Result]
GPU = ["--selfhost-gpu-usd-hour", "2.70", "--selfhost-seconds-per-image", "0.6"]


def _json(cli: Cli, *args: str) -> dict[str, Any]:
    r = cli("workload", *args, "-f", "json")
    assert r.code == 0, r.err
    data: dict[str, Any] = json.loads(r.out)
    return data


def test_klein_4b_on_your_gpu(cli: Cli) -> None:
    data = _json(cli, "-n", "100000", "--compare", *GPU)
    own = data["selfhost"]
    # 100,000 x $0.00045 = $45.00; Apache 2.0, so no licence; klein 4B's API: $1,400.00
    assert (own["model"], own["gpu_usd"], own["licence_usd"], own["total_usd"]) == (
        "flux2-klein-4b",
        "45.00",
        "0.00",
        "45.00",
    )
    assert own["difference_usd"] == "-1355.00"
    assert own["rounded"] is False


def test_a_licensed_model_for_a_year(cli: Cli) -> None:
    data = _json(
        cli, "-n", "1200000", "--period", "year", "--selfhost-model", "flux2-klein-9b",
        "--selfhost-gpu-usd-hour", "2.70", "--selfhost-seconds-per-image", "1",
        "--selfhost-licence-usd-month", "999",
    )  # fmt: skip
    own = data["selfhost"]
    # GPU: 1,200,000 x 2.70 x 1 / 3600 = $900.00; licence: $999 x 12 months = $11,988.00
    assert (own["gpu_usd"], own["licence_usd"], own["total_usd"]) == ("900.00", "11988.00",
                                                                       "12888.00")  # fmt: skip


def test_the_row_asks_for_a_comparison(cli: Cli) -> None:
    data = _json(cli, "-n", "1000", "-m", "flux2-pro", *GPU)
    assert data["models"] and data["selfhost"]["total_usd"] == "0.45"  # 1,000 x $0.00045


def test_one_image_is_rounded_and_says_so(cli: Cli) -> None:
    own = _json(cli, "-n", "1", *GPU)["selfhost"]
    assert (own["total_usd"], own["rounded"]) == ("0.00", True)  # $0.00045, half up to cents


def test_from_the_workload_file(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "lines:\n  - name: a\n    model: flux2-pro\n    images: 20000\n"
        "selfhost:\n  gpu_usd_hour: 2.70\n  seconds_per_image: 0.6\n"
    )
    own = _json(cli, "-F", str(plan), "--compare")["selfhost"]
    assert own["total_usd"] == "9.00"  # 20,000 x $0.00045
    # flags win over the file's block: 1.2 s is twice the GPU time
    own = _json(cli, "-F", str(plan), "--compare", "--selfhost-seconds-per-image", "1.2")[
        "selfhost"
    ]
    assert own["total_usd"] == "18.00"


def test_table_markdown_and_csv(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    table = cli("workload", "-n", "100000", "--compare", *GPU).out
    assert "self-hosted: $2.70/h x 0.6 s + licence $0.00" in " ".join(table.split())
    assert "-1,355.00" in table
    md = cli("workload", "-n", "100000", "--compare", *GPU, "-f", "markdown").out
    assert "| self-hosted `flux2-klein-4b` |  |  | $45.00 | -$1,355.00 |" in md
    rows = list(csv.DictReader(io.StringIO(cli("workload", "-n", "100000", "--compare", *GPU,
                                                "-f", "csv").out)))  # fmt: skip
    assert rows[-1]["model"] == "self-hosted:flux2-klein-4b" and rows[-1]["total_usd"] == "45.00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "week"], "a self-hosted row needs a period of whole months"),
        (["--selfhost-model", "flux2-pro"], "flux2-pro has no open weights"),
        (["--selfhost-model", "flux2-klein-9b"], "give --selfhost-licence-usd-month USD"),
        (["--selfhost-gpu-usd-hour", "1,5"], "--selfhost-gpu-usd-hour '1,5' is not a plain"),
    ],
)
def test_bad_input(cli: Cli, args: list[str], message: str) -> None:
    r = cli("workload", "-n", "100", *GPU, *args)
    assert r.code == 2
    assert message in r.err and r.err.count("\n") == 1
