"""One request on every model: `quote --compare` and `models --size`, cheapest first, every model
listed (those that cannot serve it with the reason, never $0), with a per-1,000-images price;
and the per-1,000 column of `workload --compare`.

Figures by hand from the published rates (credits; 1 credit = $0.01): klein 4B 1.4 first MP +
0.1 per further or input MP, klein 9B 1.5 + 0.2, pro 3 + 1.5, flex 5 + 5, max 7 + 3; Kontext pro
4 and max 8, FLUX1.1 pro 4, Ultra and Raw 6, Fill 5 per image.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from conftest import Result

Cli = Callable[..., Result]


def _json(cli: Cli, *args: str) -> dict[str, Any]:
    r = cli(*args, "-f", "json")
    assert r.code == 0, r.err
    data: dict[str, Any] = json.loads(r.out)
    return data


def test_quote_compare_1920x1080(cli: Cli) -> None:
    # 1920x1080 bills 2 MP. klein 4B 1.5, klein 9B 1.7, Kontext pro 4, pro 4.5, Ultra and Raw 6,
    # Kontext max 8, flex 10 and max 10 (table order on a tie); then those that cannot.
    data = _json(cli, "quote", "--compare", "-s", "1920x1080")
    assert (data["cheapest"], data["model"], data["batch"]) == ("flux2-klein-4b", None, 1)
    rows = [(m["model"], m["per_image_usd"], m["per_1000_usd"]) for m in data["models"]]
    assert rows == [
        ("flux2-klein-4b", "0.015", "15.00"),
        ("flux2-klein-9b", "0.017", "17.00"),
        ("kontext-pro", "0.04", "40.00"),
        ("flux2-pro", "0.045", "45.00"),
        ("flux1.1-pro-ultra", "0.06", "60.00"),
        ("flux1.1-pro-raw", "0.06", "60.00"),
        ("kontext-max", "0.08", "80.00"),
        ("flux2-flex", "0.10", "100.00"),
        ("flux2-max", "0.10", "100.00"),
        ("flux2-dev", None, None),
        ("flux1.1-pro", None, None),
        ("flux1-fill-pro", None, None),
    ]
    reasons = {m["model"]: m["reason"] for m in data["models"] if not m["can_serve"]}
    assert reasons == {
        "flux2-dev": "open weights, runs locally only: no API price",
        "flux1.1-pro": "width 1920 is over flux1.1-pro's maximum of 1440 px",
        "flux1-fill-pro": "flux1-fill-pro edits an input image and was given none: give the"
        " image with --input WxH",
    }
    pro = data["models"][3]
    assert (pro["vs_cheapest_usd"], pro["cheapest"], pro["api_sets_size"]) == ("0.03", False, False)
    assert data["models"][2]["api_sets_size"] is True  # Kontext: the API sets the size


def test_quote_compare_with_a_batch_and_a_model(cli: Cli) -> None:
    # An edit with one 1024x1024 input, 4 images: pro 3 + 1.5 = 4.5 credits each, 18 in all.
    data = _json(cli, "quote", "--compare", "-m", "flux-2-pro", "-i", "1024x1024", "-b", "4")
    pro = next(m for m in data["models"] if m["model"] == "flux2-pro")
    assert (data["model"], pro["asked"], pro["per_image_usd"], pro["total_usd"]) == (
        "flux2-pro",
        True,
        "0.045",
        "0.18",
    )
    # klein 4B: 1.4 + 0.1 = 1.5 credits, x 4 = 6 credits = $0.06.
    assert (data["models"][0]["model"], data["models"][0]["total_usd"]) == (
        "flux2-klein-4b",
        "0.06",
    )


def test_quote_compare_table_csv_and_markdown(cli: Cli) -> None:
    table = cli("quote", "--compare", "-s", "1920x1080").out
    assert "1920x1080 on every model, cheapest first" in table
    assert "cannot: width 1920 is" in table
    rows = list(csv.DictReader(io.StringIO(cli("quote", "--compare", "-f", "csv").out)))
    # 1024x1024: klein 4B 1.4 credits = $0.014, $14.00 per 1,000.
    assert (rows[0]["model"], rows[0]["per_image_usd"], rows[0]["per_1000_usd"]) == (
        "flux2-klein-4b",
        "0.014",
        "14.00",
    )
    markdown = cli("quote", "--compare", "-f", "markdown").out
    assert "| `flux2-pro` | $0.03 | $30.00 | +$0.016 |  |" in markdown


def test_a_named_model_that_cannot_serve_it_exits_2_after_the_table(cli: Cli) -> None:
    r = cli("quote", "--compare", "-m", "flux1.1-pro", "-s", "1920x1080")
    assert r.code == 2
    assert "flux2-klein-4b" in r.out
    assert r.err == (
        "fluxcost: error: flux1.1-pro cannot serve this request: width 1920 is over"
        " flux1.1-pro's maximum of 1440 px\n"
    )


def test_a_fault_of_the_request_itself_is_one_line(cli: Cli) -> None:
    for args, message in [
        (["-s", "0x1080"], "output 0x1080 must have a positive width and height"),
        (["-i", "0x5"], "input 1 0x5 must have a positive width and height"),
    ]:
        r = cli("quote", "--compare", *args)
        assert (r.code, r.out) == (2, "")
        assert r.err == f"fluxcost: error: {message}\n"


def test_quote_without_model_or_compare(cli: Cli) -> None:
    r = cli("quote")
    assert r.code == 2
    assert r.err == (
        "fluxcost: error: Missing option '--model' / '-m' (or --compare for every model)\n"
    )


def test_models_ranked_by_a_request(cli: Cli) -> None:
    # 2048x1152 = 2,359,296 px = 2.25 MP -> 3 MP, plus one 1 MP input:
    # klein 4B 1.4 + 2 x 0.1 + 0.1 = 1.7; klein 9B 1.5 + 0.4 + 0.2 = 2.1; Kontext pro 4;
    # Fill 5; pro 3 + 3 + 1.5 = 7.5; Kontext max 8; max 7 + 6 + 3 = 16; flex 5 + 10 + 5 = 20.
    data = _json(cli, "models", "--size", "2048x1152", "--input", "1024x1024")
    assert (data["size"], data["inputs"]) == ("2048x1152", ["1024x1024"])
    ranked = [(m["id"], m["per_image_usd"], m["per_1000_usd"]) for m in data["models"]]
    assert ranked[:8] == [
        ("flux2-klein-4b", "0.017", "17.00"),
        ("flux2-klein-9b", "0.021", "21.00"),
        ("kontext-pro", "0.04", "40.00"),
        ("flux1-fill-pro", "0.05", "50.00"),
        ("flux2-pro", "0.075", "75.00"),
        ("kontext-max", "0.08", "80.00"),
        ("flux2-max", "0.16", "160.00"),
        ("flux2-flex", "0.20", "200.00"),
    ]
    cannot = {m["id"]: m["reason"] for m in data["models"] if not m["can_serve"]}
    assert list(cannot) == ["flux2-dev", "flux1.1-pro", "flux1.1-pro-ultra", "flux1.1-pro-raw"]
    assert cannot["flux1.1-pro"] == "width 2048 is over flux1.1-pro's maximum of 1440 px"
    assert cannot["flux1.1-pro-raw"] == (
        "flux1.1-pro-raw is text-to-image only and takes no input images"
    )
    assert all(m["per_image_usd"] is None for m in data["models"][8:])


def test_models_without_a_request_keep_their_json(cli: Cli) -> None:
    data = _json(cli, "models")
    assert "size" not in data and "inputs" not in data
    assert [m["id"] for m in data["models"]][:3] == [
        "flux2-klein-4b",
        "flux2-klein-9b",
        "flux2-pro",
    ]
    assert "per_image_usd" not in data["models"][0]


def test_models_ranked_table_csv_and_markdown(cli: Cli) -> None:
    table = cli("models", "--size", "1920x1080").out
    assert "FLUX API models by the price of 1920x1080 in USD, cheapest first" in table
    rows = list(csv.DictReader(io.StringIO(cli("models", "-s", "1920x1080", "-f", "csv").out)))
    assert (rows[0]["id"], rows[0]["per_image_usd"], rows[0]["per_1000_usd"]) == (
        "flux2-klein-4b",
        "0.015",
        "15.00",
    )
    markdown = cli("models", "-s", "1920x1080", "-f", "markdown").out
    assert markdown.startswith(
        "### fluxcost models (1 credit = $0.01), ranked by the price of 1920x1080"
    )


def test_workload_compare_has_a_per_1000_column(cli: Cli) -> None:
    # 10,000 images at 1 MP: klein 4B 1.4 credits = $0.014 each, $14.00 per 1,000.
    data = _json(cli, "workload", "-n", "10000", "--compare")
    first = data["models"][0]
    assert (first["model"], first["per_image_usd"], first["per_1000_usd"]) == (
        "flux2-klein-4b",
        "0.014",
        "14.00",
    )
    rows = list(csv.DictReader(io.StringIO(cli("workload", "-n", "10000", "-c", "-f", "csv").out)))
    assert rows[2]["model"] == "flux2-pro" and rows[2]["per_1000_usd"] == "30.00"
