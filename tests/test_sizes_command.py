"""`fluxcost sizes`: for an aspect ratio, the largest size on each FLUX.2 model's 16-px step that
bills each whole megapixel, and its price, in every format; bad input is one line, exit 2.

Figures by hand: 1 MP = 1,048,576 px, each image rounded up, sizes at least 256 px a side;
pro 3 credits + 1.5 per further MP, klein 4B 1.4 + 0.1; 1 credit = $0.01.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from conftest import Result

Cli = Callable[..., Result]


def _rows(cli: Cli, *args: str) -> list[dict[str, Any]]:
    r = cli("sizes", *args, "-f", "json")
    assert r.code == 0, r.err
    rows: list[dict[str, Any]] = json.loads(r.out)["rows"]
    return rows


def _ladder(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (row["billed_mp"], row["size"], row["exact_mp"], row["match"], row["per_image_usd"])
        for row in rows
    ]


def test_square_on_pro(cli: Cli) -> None:
    # 1 MP: 1024x1024. 2 MP: sqrt(2,097,152) = 1448.2, so 1440 (1440^2 = 2,073,600 = 1.98 MP);
    # 1408x1408 (1.89 MP) also bills 2 MP but is smaller. 3 MP: sqrt(3,145,728) = 1773.6 ->
    # 1760 (3,097,600 px = 2.95 MP). 4 MP: 2048x2048. Prices 3, 4.5, 6, 7.5 credits.
    rows = _rows(cli, "--aspect", "1:1", "-m", "flux2-pro")
    assert _ladder(rows) == [
        (1, "1024x1024", "1.00", "exact", "0.03"),
        (2, "1440x1440", "1.98", "exact", "0.045"),
        (3, "1760x1760", "2.95", "exact", "0.06"),
        (4, "2048x2048", "4.00", "exact", "0.075"),
    ]
    assert [row["per_1000_usd"] for row in rows] == ["30.00", "45.00", "60.00", "75.00"]


def test_16_9_from_1920x1080_on_every_flux2_model(cli: Cli) -> None:
    # Exact 16:9 on the 16-px step: multiples of 256x144 (36,864 px). n = 5, 7, 9, 10 are the
    # largest under 1, 2, 3, 4 MP: 1280x720 (0.88 MP), 1792x1008 (1.72), 2304x1296 (2.85),
    # 2560x1440 (3.52). 1920x1080 itself (1.98 MP) bills 2 MP.
    r = cli("sizes", "--size", "1920x1080", "-f", "json")
    data = json.loads(r.out)
    assert (data["aspect"], data["given_size"]) == ("16:9", "1920x1080")
    assert data["models"] == [
        "flux2-klein-4b",
        "flux2-klein-9b",
        "flux2-pro",
        "flux2-flex",
        "flux2-max",
    ]
    assert "flux2-dev is not listed: open weights, runs locally only: no API price" in data["notes"]
    pro = [row for row in data["rows"] if row["model"] == "flux2-pro"]
    assert _ladder(pro) == [
        (1, "1280x720", "0.88", "exact", "0.03"),
        (2, "1792x1008", "1.72", "exact", "0.045"),
        (2, "1920x1080", "1.98", "given", "0.045"),
        (3, "2304x1296", "2.85", "exact", "0.06"),
        (4, "2560x1440", "3.52", "exact", "0.075"),
    ]
    assert pro[2]["note"] == "your size, off the 16-px step: priced as requested"
    # klein 4B: 1.4, 1.5, 1.6, 1.7 credits.
    klein = [row["per_image_usd"] for row in data["rows"] if row["model"] == "flux2-klein-4b"]
    assert klein == ["0.014", "0.015", "0.015", "0.016", "0.017"]


def test_1408x1408_bills_2_mp(cli: Cli) -> None:
    # 1408 x 1408 = 1,982,464 px = 1.89 MP -> 2 MP: 4.5 credits on pro.
    given = [
        row
        for row in _rows(cli, "--size", "1408x1408", "-m", "flux2-pro")
        if row["match"] == "given"
    ]
    assert [(row["billed_mp"], row["exact_mp"], row["per_image_usd"]) for row in given] == [
        (2, "1.89", "0.045")
    ]


def test_a_size_a_model_cannot_make_is_listed_with_its_reason(cli: Cli) -> None:
    # 3000 x 2000 = 6,000,000 px = 5.72 MP: over 4 MP, so no price, never $0.
    rows = _rows(cli, "--size", "3000x2000", "-m", "flux2-max")
    given = rows[-1]
    assert (given["billed_mp"], given["per_image_usd"], given["per_1000_usd"]) == (6, None, None)
    assert given["note"].startswith("cannot: output 3000x2000 is 6,000,000 px (5.72 MP)")


def test_where_no_exact_size_exists_it_says_so_and_gives_the_nearest(cli: Cli) -> None:
    # 1000:1 at least 256 px high: the widest 1 MP size is 4096x256 (exactly 1,048,576 px).
    rows = _rows(cli, "--aspect", "1000:1", "-m", "klein-4b")
    first = rows[0]
    assert (first["size"], first["match"], first["aspect"]) == ("4096x256", "nearest", "16:1")
    assert first["note"] == "no 1000:1 size on the 16-px step bills 1 MP; the nearest is 16:1"
    assert first["per_image_usd"] == "0.014"


def test_a_near_ratio_says_how_near(cli: Cli) -> None:
    # 128:65 on the 16-px step: only 2048x1040 and its multiples, 3 MP and up. At 1 MP the
    # largest within 1% is 1424x720: (1424 x 65) / (720 x 128) = 92,560 / 92,160 = 1.0043.
    first = _rows(cli, "--size", "2048x1040", "-m", "flux2-pro")[0]
    assert (first["size"], first["match"], first["exact_mp"]) == ("1424x720", "nearest", "0.98")
    assert first["note"] == "no 128:65 size on the 16-px step bills 1 MP; this is 0.4% off it"


def test_the_aspect_is_shown_as_typed(cli: Cli) -> None:
    # 21:9 is 7:3: multiples of 112x48; the largest under 1 MP is 13 x that = 1456x624.
    data = json.loads(cli("sizes", "--aspect", "21:9", "-m", "flux2-max", "-f", "json").out)
    assert data["aspect"] == "21:9"
    assert data["rows"][0]["size"] == "1456x624"
    assert data["rows"][0]["per_image_usd"] == "0.07"


def test_csv_and_markdown(cli: Cli) -> None:
    text = cli("sizes", "--aspect", "16:9", "-m", "flux2-pro", "-f", "csv").out
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["size"], r["per_image_usd"], r["per_1000_usd"]) for r in rows] == [
        ("1280x720", "0.03", "30.00"),
        ("1792x1008", "0.045", "45.00"),
        ("2304x1296", "0.06", "60.00"),
        ("2560x1440", "0.075", "75.00"),
    ]
    markdown = cli("sizes", "--aspect", "16:9", "-m", "flux2-pro", "-f", "markdown").out
    assert "| `flux2-pro` | 2 MP | 1792x1008 | 1.72 | $0.045 | $45.00 |  |" in markdown


def test_table(cli: Cli) -> None:
    out = cli("sizes", "--size", "1920x1080", "-m", "flux2-pro").out
    assert "flux2-pro: the largest 16:9 size per billed MP (from 1920x1080)" in out
    for figure in ("1792x1008", "1.72", "0.045", "45.00", "2560x1440", "75.00"):
        assert figure in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--aspect", "16:0"], "--aspect '16:0' has a 0: both terms must be at least 1"),
        (["--aspect", "abc"], "--aspect 'abc' is not W:H in whole numbers, e.g. 16:9"),
        (["--aspect", "2.39:1"], "--aspect '2.39:1' is not W:H in whole numbers"),
        (["--aspect", "-16:9"], "--aspect '-16:9' is not W:H in whole numbers"),
        (["--aspect", "9999999:1"], "each term must be at most 1,000,000"),
        (["--aspect", "16:9", "--size", "1920x1080"], "give --aspect W:H or --size WxH, not both"),
        ([], "give --aspect W:H (e.g. 16:9) or --size WxH (e.g. 1920x1080)"),
        (["--size", "0x1080"], "--size 0x1080: width and height must be 1 to 1,000,000 px"),
        (["--size", "1920"], "--size '1920' is not WIDTHxHEIGHT"),
        (["--aspect", "1:1", "-m", "kontext-pro"], "kontext-pro costs the same at any size"),
        (["--aspect", "1:1", "-m", "flux2-dev"], "flux2-dev is open weights"),
        (["--aspect", "1:1", "-m", "flux2-por"], "unknown model 'flux2-por'"),
    ],
)
def test_bad_input(cli: Cli, args: list[str], message: str) -> None:
    r = cli("sizes", *args)
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("fluxcost: error: ") and message in r.err, r.err
    assert r.err.count("\n") == 1
