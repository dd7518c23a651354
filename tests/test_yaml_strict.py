"""The YAML loader of workload files and rate tables: one meaning per scalar, no surprises.

Duplicate keys, keys that are not text, YAML 1.1 numbers, impossible dates, tags, alias
bombs, deep nesting and files that are not YAML text are each one ``FILE:LINE`` error.
Every rule holds with libyaml and with PyYAML's pure-Python parser (the fallback).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fluxcost
from conftest import Result
from fluxcost import FluxcostError, yaml_files
from fluxcost.rates import PACKAGED_RATES
from fluxcost.yaml_files import load

Cli = Callable[..., Result]

PLAIN_NUMBER = (
    "is not a plain number: numbers are decimal digits like 17 or 499.99"
    " (no leading zeros, 0x, 0o, 0b, _, : or .inf/.nan); quote it if it is text"
)
TAG = (
    "is not allowed here: fluxcost reads plain YAML"
    " (text, numbers, true/false, null, YYYY-MM-DD dates, lists and mappings)"
)
OUT_OF_RANGE = "is out of range: numbers have at most 100 digits and lie between 1e-100 and 1e100"
TOO_DEEP = "the data is nested more than 50 levels deep"
NOT_TEXT = "is not allowed in YAML (control characters and NUL are not text)"
NOT_A_NAME = "not text; quote it to use it as a name"
DIGITS = "integers are plain decimal digits like 17"
REAL_DATE = "is not a real date (dates are YYYY-MM-DD)"


def billion_laughs(key: str) -> str:
    """The classic 9 levels of 9 aliases (~10^9 strings once expanded), then ``key: *i``."""
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for before, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [{','.join(['*' + before] * 9)}]\n"
    return text + f"{key}: *i\n"


@pytest.fixture(params=["libyaml", "pure-python"], autouse=True)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test runs with libyaml's parser and again with PyYAML's own."""
    if request.param == "pure-python":
        monkeypatch.delattr(yaml, "CSafeLoader")
    yaml_files._loader_class.cache_clear()
    yield request.param
    yaml_files._loader_class.cache_clear()


def test_the_loader_builds_on_libyaml_when_it_is_installed(parser: str) -> None:
    base = yaml.SafeLoader if parser == "pure-python" else yaml.CSafeLoader
    assert issubclass(yaml_files._loader_class(), base)


def test_plain_scalars_are_read_as_yaml_1_2_with_exact_decimals() -> None:
    text = (
        "ints: [0, 17, -5, -0]\n"
        "bools: [true, True, TRUE, false, False, FALSE]\n"
        "words: [yes, no, on, off, y, n, tRuE, 1.2.3, 1-2, 2026-1-5]\n"
        "nulls: [null, Null, NULL, ~]\n"
        "empty:\n"
        "decimals: [499.99, 0.1, -0.5, .5, 1., 1e3, 2.5E-3, 08.5]\n"
        "day: 2026-02-28\n"
        "stamp: 2026-01-01T00:00:00Z\n"
        "quoted: ['017', \"0x10\", '1:30', 'true', '2026-02-30', !!str 1_000]\n"
        "tagged: [!!int 12, !!float 5, !!bool false, !!null null, !!timestamp 2026-03-01]\n"
    )
    data, _ = load(text, "f.yaml")
    assert data == {
        "ints": [0, 17, -5, 0],
        "bools": [True, True, True, False, False, False],
        "words": ["yes", "no", "on", "off", "y", "n", "tRuE", "1.2.3", "1-2", "2026-1-5"],
        "nulls": [None, None, None, None],
        "empty": None,
        "decimals": [
            Decimal("499.99"),
            Decimal("0.1"),
            Decimal("-0.5"),
            Decimal("0.5"),
            Decimal("1"),
            Decimal("1E+3"),
            Decimal("0.0025"),
            Decimal("8.5"),
        ],
        "day": dt.date(2026, 2, 28),
        "stamp": "2026-01-01T00:00:00Z",
        "quoted": ["017", "0x10", "1:30", "true", "2026-02-30", "1_000"],
        "tagged": [12, Decimal(5), False, None, dt.date(2026, 3, 1)],
    }
    # Money keeps the digits as written: never a binary float.
    assert [type(v) for v in data["decimals"]] == [Decimal] * 8
    assert str(data["decimals"][0]) == "499.99"
    assert type(data["ints"][0]) is int and type(data["bools"][0]) is bool


# The parser fixture only picks a class: sharing it between examples is harmless.
shared_fixture = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@shared_fixture
@given(st.decimals(allow_nan=False, allow_infinity=False, places=4))
def test_every_decimal_written_plainly_loads_exactly(number: Decimal) -> None:
    written = f"{number:f}"
    data, _ = load(f"budget: {written}\n", "f.yaml")
    assert data["budget"] == number
    assert str(data["budget"]) == written


def test_a_leading_plus_is_refused_as_on_the_command_line() -> None:
    with pytest.raises(FluxcostError, match=r"f.yaml:1: '\+5' is not a plain number"):
        load("images: +5\n", "f.yaml")


@shared_fixture
@given(st.integers(min_value=-(10**60), max_value=10**60))
def test_every_integer_written_plainly_loads_as_an_int(number: int) -> None:
    data, _ = load(f"images: {number}\n", "f.yaml")
    assert data["images"] == number and type(data["images"]) is int


BAD = [
    # Duplicate keys, anywhere: both lines named.
    ("a: 1\nb: 2\na: 3\n", "f.yaml:3: key 'a' is given twice (first on line 1)"),
    (
        "lines:\n  - name: a\n    images: 5000\n    size: 1024x1024\n    images: 5\n",
        "f.yaml:5: key 'images' is given twice (first on line 3)",
    ),
    ("{x: 1,\n y: 2, x: 3}\n", "f.yaml:2: key 'x' is given twice (first on line 1)"),
    ("a: 1\n'a': 2\n", "f.yaml:2: key 'a' is given twice (first on line 1)"),
    # Numbers some YAML reader takes differently: refused, never guessed.
    ("images: 017\n", f"f.yaml:1: '017' {PLAIN_NUMBER}"),
    ("images: 08\n", f"f.yaml:1: '08' {PLAIN_NUMBER}"),
    ("images: 0x10\n", f"f.yaml:1: '0x10' {PLAIN_NUMBER}"),
    ("images: 0o17\n", f"f.yaml:1: '0o17' {PLAIN_NUMBER}"),
    ("images: 0b101\n", f"f.yaml:1: '0b101' {PLAIN_NUMBER}"),
    ("images: 1_000\n", f"f.yaml:1: '1_000' {PLAIN_NUMBER}"),
    ("a: 1\nimages: 1:30\n", f"f.yaml:2: '1:30' {PLAIN_NUMBER}"),
    ("budget: 1_000.50\n", f"f.yaml:1: '1_000.50' {PLAIN_NUMBER}"),
    ("budget: .inf\n", f"f.yaml:1: '.inf' {PLAIN_NUMBER}"),
    ("budget: -.Inf\n", f"f.yaml:1: '-.Inf' {PLAIN_NUMBER}"),
    ("budget: .nan\n", f"f.yaml:1: '.nan' {PLAIN_NUMBER}"),
    ("images: " + "9" * 4301 + "\n", f"f.yaml:1: '{'9' * 37}...' {OUT_OF_RANGE}"),
    ("budget: 1e999999\n", f"f.yaml:1: '1e999999' {OUT_OF_RANGE}"),
    ("budget: 1e-999999\n", f"f.yaml:1: '1e-999999' {OUT_OF_RANGE}"),
    # Dates that do not exist, and tags.
    ("a: 1\nchecked: 2026-02-30\n", f"f.yaml:2: '2026-02-30' {REAL_DATE}"),
    ("checked: 2026-13-01\n", f"f.yaml:1: '2026-13-01' {REAL_DATE}"),
    ("a:\n  - !!timestamp abc\n", "f.yaml:2: 'abc' is not a date: dates are YYYY-MM-DD"),
    ("images: !!int abc\n", f"f.yaml:1: 'abc' is not an integer: {DIGITS}"),
    ("images: !!int 017\n", f"f.yaml:1: '017' is not an integer: {DIGITS}"),
    ("budget: !!float x\n", "f.yaml:1: 'x' is not a number: write decimal digits like 499.99"),
    ("on: !!bool yes\n", "f.yaml:1: 'yes' is not true or false"),
    ("a: !!null x\n", "f.yaml:1: 'x' is not null (null, ~ or nothing)"),
    ("a: !!python/object:os.system x\n", f"f.yaml:1: tag '!!python/object:os.system' {TAG}"),
    ("a: !!binary aGVsbG8=\n", f"f.yaml:1: tag '!!binary' {TAG}"),
    ("a: !!set {x}\n", f"f.yaml:1: tag '!!set' {TAG}"),
    ("a: !!omap [x: 1]\n", f"f.yaml:1: tag '!!omap' {TAG}"),
    ("a: !!int [1]\n", f"f.yaml:1: tag '!!int' {TAG}"),
    ("a: !local x\n", f"f.yaml:1: tag '!local' {TAG}"),
    # Keys are text.
    ("1: x\n", f"f.yaml:1: key '1' is an integer, {NOT_A_NAME}"),
    ("a: 1\nnull: x\n", f"f.yaml:2: key 'null' is null, {NOT_A_NAME}"),
    ("true: x\n", f"f.yaml:1: key 'true' is true/false, {NOT_A_NAME}"),
    ("2026-01-01: x\n", f"f.yaml:1: key '2026-01-01' is a date, {NOT_A_NAME}"),
    ("1.5: x\n", f"f.yaml:1: key '1.5' is a number, {NOT_A_NAME}"),
    ("? [a]\n: 1\n", "f.yaml:1: a key must be text, not a list"),
    ("{a: 1}: x\n", "f.yaml:1: a key must be text, not a mapping"),
    # One document of YAML text.
    ("a: 1\n---\nb: 2\n", "f.yaml:2: a file holds one YAML document, but a second one starts here"),
    ("a: 1\nb: \x00\n", f"f.yaml:2: character U+0000 {NOT_TEXT}"),
    ("a: 1\n\n\x1b[2J\x07\n", f"f.yaml:3: character U+001B {NOT_TEXT}"),
    ("a: 'caf\udce9'\n", f"f.yaml:1: character U+DCE9 {NOT_TEXT}"),
    (
        "a: " + "x" * 250_000 + "\n",
        "f.yaml:1: the file is 250,004 characters long;"
        " a YAML file for fluxcost is at most 250,000",
    ),
    # Anchors and aliases.
    ("a: &x 1\nb: &x 2\n", "f.yaml:2: an anchor is defined twice (first on line 1)"),
    ("b: *nowhere\n", "f.yaml:1: this alias (*name) refers to no anchor (&name) defined before it"),
    ("a: &a [1, *a]\n", "f.yaml:1: an alias here refers to a list or mapping that holds it"),
    ("a: &m\n  b: *m\n", "f.yaml:2: an alias here refers to a list or mapping that holds it"),
    # Nesting.
    ("a: " + "[" * 60 + "]" * 60 + "\n", f"f.yaml:1: {TOO_DEEP}"),
    ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", f"f.yaml:1: {TOO_DEEP}"),
    ("".join(" " * n + "k:\n" for n in range(60)), f"f.yaml:51: {TOO_DEEP}"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m.split(": ", 1)[1][:40] for _, m in BAD])
def test_hostile_yaml_is_one_line_naming_file_and_line(text: str, message: str) -> None:
    with pytest.raises(FluxcostError) as info:
        load(text, "f.yaml")
    assert str(info.value) == message


def test_billion_laughs_is_refused_at_once() -> None:
    bomb = billion_laughs("lines")
    assert len(bomb.encode()) == 352
    start = time.perf_counter()
    with pytest.raises(FluxcostError) as info:
        load(bomb, "bomb.yaml")
    assert time.perf_counter() - start < 1
    assert str(info.value) == (
        "bomb.yaml:5: aliases expand the document by more than 10,000 values;"
        " write the values out or use fewer aliases"
    )


def test_every_key_and_item_has_its_line() -> None:
    _, lines = load("# a comment\n\nname: x\nlines:\n  - a\n  - {b: 1,\n     c: 2}\n", "f.yaml")
    assert lines == {
        (): 3,  # the file as a whole: its first line of content
        ("name",): 3,
        ("lines",): 4,
        ("lines", 0): 5,
        ("lines", 1): 6,
        ("lines", 1, "b"): 6,
        ("lines", 1, "c"): 7,
    }


def test_aliases_that_stay_small_are_copied_with_their_lines() -> None:
    text = "base: &b {x: 1, y: [2, 3]}\none: *b\ntwo: *b\n"
    data, lines = load(text, "f.yaml")
    assert data["one"] == data["two"] == {"x": 1, "y": [2, 3]}
    assert data["one"] is not data["two"]  # copies: validating one never touches the other
    assert lines[("one",)] == 2 and lines[("two",)] == 3
    assert lines[("two", "y", 1)] == 1  # where the value is written


def test_merge_keys_are_plain_keys() -> None:
    # YAML 1.1's << merge is not YAML 1.2: it is a key like any other, so a schema refuses it.
    data, _ = load("a: &a {x: 1}\nb:\n  <<: *a\n  y: 2\n", "f.yaml")
    assert data["b"] == {"<<": {"x": 1}, "y": 2}


def _model(data: dict[str, Any], model_id: str) -> tuple[int, dict[str, Any]]:
    return next((n, m) for n, m in enumerate(data["models"]) if m["id"] == model_id)


def test_packaged_rate_table_keeps_its_anchors_and_aliases() -> None:
    text = PACKAGED_RATES.read_text(encoding="utf-8")
    data, lines = load(text, "pricing.yaml")
    _, klein_4b = _model(data, "flux2-klein-4b")
    at, klein_9b = _model(data, "flux2-klein-9b")
    assert klein_9b["limits"] == klein_4b["limits"]
    assert klein_9b["limits"]["max_output_pixels"] == 4194304
    alias_line = text.splitlines().index("    limits: *flux2_limits_klein") + 1
    assert lines[("models", at, "limits")] == alias_line
    assert data["prices_checked"] == dt.date(2026, 11, 25)
    model = fluxcost.quote("flux2-klein-9b", width=2048, height=2048, rates=PACKAGED_RATES)
    assert model.total_credits == Decimal("2.1")  # 1.5 + 3 extra MP x 0.2, as published


# Today's first-MP price of flux2-pro in the packaged table, quoted or not.
PRO_FIRST_MP = re.compile(r'^( +first_mp_credits: )"?3"?$', re.MULTILINE)


def test_unquoted_prices_in_a_rate_table_are_exact(tmp_path: Path) -> None:
    text = PACKAGED_RATES.read_text(encoding="utf-8")
    text = re.sub(r'credit_usd: "?0\.01"?', "credit_usd: 0.01", text)
    rates = tmp_path / "rates.yaml"
    rates.write_text(PRO_FIRST_MP.sub(r"\g<1>2.7", text, count=1))
    quote = fluxcost.quote("flux2-pro", rates=rates)
    assert quote.total_credits == Decimal("2.7")
    assert quote.total_usd == Decimal("0.027")


def test_a_rate_given_twice_is_refused(tmp_path: Path, cli: Cli) -> None:
    text = PACKAGED_RATES.read_text(encoding="utf-8")
    spot = PRO_FIRST_MP.search(text)
    assert spot is not None
    line = text.count("\n", 0, spot.start()) + 1
    rates = tmp_path / "rates.yaml"
    rates.write_text(text[: spot.end()] + f"\n{spot.group(1)}0" + text[spot.end() :])
    r = cli("quote", "--model", "flux2-pro", "--rates", str(rates))
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        f"fluxcost: error: {rates}:{line + 1}: key 'first_mp_credits' is given twice"
        f" (first on line {line})\n"
    )


@pytest.mark.parametrize("option", ["--rates", "--file"])
def test_billion_laughs_through_the_cli(tmp_path: Path, cli: Cli, option: str) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs("models" if option == "--rates" else "lines"))
    command = ["quote", "--model", "flux2-pro"] if option == "--rates" else ["workload"]
    start = time.perf_counter()
    r = cli(*command, option, str(bomb))
    assert time.perf_counter() - start < 1
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        f"fluxcost: error: {bomb}:5: aliases expand the document by more than 10,000 values;"
        " write the values out or use fewer aliases\n"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"lines:\n  - name: a\n    images: !!int abc\n", ":3: 'abc' is not an integer"),
        (b"lines:\n  - name: a\n    images: 0x10\n", f":3: '0x10' {PLAIN_NUMBER}"),
        (b"lines: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", f":1: {TOO_DEEP}"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", " is not UTF-8 text"),
        (b"lines: []\n\x00\x00\x00", ":2: character U+0000 is not allowed in YAML"),
        (b"lines: " + b"x" * 300_000, ":1: the file is 300,007 characters long"),
    ],
)
def test_hostile_workload_files_exit_2(tmp_path: Path, cli: Cli, data: bytes, message: str) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(data)
    r = cli("workload", "--file", str(plan))
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("fluxcost: error: ") and r.err.count("\n") == 1
    assert message in r.err, r.err
