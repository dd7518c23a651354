"""Workload files: a bad one is one line naming FILE:LINE and the field, exit 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result

Cli = Callable[..., Result]

GOOD_LINE = "lines:\n  - name: a\n    images: 10\n"

BAD_FILES = [
    ("lines:\n  - name: a\n    images: ten\n", ":3: line 1 'a', images: Input should be a valid"),
    (GOOD_LINE + "    colour: red\n", ":4: line 1 'a', colour: Extra inputs are not permitted"),
    ("budget_usd: -5\n" + GOOD_LINE, ":1: budget_usd: Input should be greater than or equal to 0"),
    (GOOD_LINE + "  - images: 5\n", ":4: line 2, name: Field required"),
    ("lines: []\n", ":1: lines: List should have at least 1 item"),
    (GOOD_LINE + "    model: flux2-por\n", ":4: line 'a': unknown model 'flux2-por'"),
    (GOOD_LINE + "    model: flux1.1-pro\n    size: 1000x1000\n", ":5: line 'a': width 1000"),
    (GOOD_LINE + "    size: big\n", ":4: line 1 'a', size: size 'big' is not WIDTHxHEIGHT"),
    (GOOD_LINE + "    model: kontext-pro\n    inputs: [1x1, 1x1]\n", ":5: line 'a': kontext-pro"),
    (GOOD_LINE + "    model: flux2-dev\n", ":4: line 'a': flux2-dev is open weights"),
    (GOOD_LINE + "    batch: 0\n", ":4: line 1 'a', batch: Input should be greater than or equal"),
    ("period: fortnight\n" + GOOD_LINE, ":1: period: Input should be 'day', 'week'"),
    ("- 1\n", ":1: a workload file is a YAML mapping with a 'lines' list"),
    ("", ":1: a workload file is a YAML mapping"),
    ("lines:\n  - name: a\n   images: 10\n", ":3: did not find expected '-' indicator"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_bad_file(cli: Cli, tmp_path: Path, text: str, message: str) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    r = cli("workload", "--file", str(plan), "--budget", "1")
    assert r.code == 2
    assert r.out == ""
    assert r.err.startswith(f"fluxcost: error: {plan}{message}"), r.err
    assert r.err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "say how many images: --images N, or use --file or --preset"),
        (["--images", "-5"], "--images must be at least 0, got -5"),
        (["--images", "10", "--batch", "0"], "--batch must be at least 1"),
        (["--file", "x.yaml", "--preset", "app-feature"], "give --file or --preset, not both"),
        (["--preset", "app-feature", "--images", "5"], "--images cannot be combined with --preset"),
        (["--file", "missing.yaml"], "cannot read workload file missing.yaml"),
        (["--preset", "app"], "unknown preset 'app': did you mean app-feature?"),
        (["--images", "10", "--budget", "lots"], "--budget 'lots' is not a plain decimal number"),
        (["--images", "10", "--warn-at", "80"], "--warn-at needs a budget"),
        (["--images", "10", "--model", "flux2-por"], "unknown model 'flux2-por'"),
        (["--images", "10", "--size", "1000x1000", "-m", "flux1.1-pro"], "not a multiple of 32"),
        (["--images", "10", "--format", "yaml"], "'yaml' is not one of"),
        (["--images", "10", "--output", "/no/such/dir/x"], "cannot write --output"),
    ],
)
def test_bad_workload_options(cli: Cli, args: list[str], message: str) -> None:
    r = cli("workload", *args)
    assert r.code == 2
    assert r.err.startswith("fluxcost: error: ") and message in r.err, r.err
    assert r.err.count("\n") == 1


def test_budget_with_decimals_from_yaml_is_exact(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("budget_usd: 299.99\nlines:\n  - {name: a, model: flux2-pro, images: 10000}\n")
    r = cli("workload", "--file", str(plan), "-f", "json")
    assert json.loads(r.out)["budget_usd"] == "299.99"
    assert r.code == 1


def test_json_schema_describes_the_file(cli: Cli) -> None:
    r = cli("schema", "workload")
    assert r.code == 0
    schema = json.loads(r.out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["lines"]
    line = schema["$defs"]["LineSpec"]
    assert set(line["properties"]) == {"name", "model", "images", "size", "inputs", "batch"}
    assert line["properties"]["size"]["pattern"]
    assert schema["additionalProperties"] is False


def test_example_file_validates_against_the_schema_keys(cli: Cli) -> None:
    import yaml

    schema = json.loads(cli("schema", "workload").out)
    example = yaml.safe_load(Path("examples/workload.yaml").read_text())
    assert set(example) <= set(schema["properties"])
    for line in example["lines"]:
        assert set(line) <= set(schema["$defs"]["LineSpec"]["properties"])


def test_presets_list_and_show(cli: Cli) -> None:
    r = cli("presets")
    names = [line.split()[0] for line in r.out.splitlines()]
    assert names == ["app-feature", "drafts-and-finals", "editing-feature", "marketing-finals"]
    shown = cli("presets", "--show", "editing-feature")
    assert "inputs: [1024x1024]" in shown.out
    assert cli("presets", "--show", "nope").code == 2


@pytest.mark.parametrize(
    ("preset", "total"),
    [
        ("app-feature", "140.00"),  # 10,000 x klein 4B 1.4 credits
        ("marketing-finals", "17.00"),  # 1,000 x klein 4B at 4 MP, 1.7 credits
        ("editing-feature", "75.00"),  # 5,000 x klein 4B 1.4 + 0.1 input MP
        ("drafts-and-finals", "312.00"),  # 112 + 80 + 2,000 x pro 6 credits = 120
    ],
)
def test_every_preset_prices(cli: Cli, preset: str, total: str) -> None:
    r = cli("workload", "--preset", preset, "-f", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["total_usd"] == total
