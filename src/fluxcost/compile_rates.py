"""Compile pricing.yaml into rates_data.py: the packaged rate table as plain Python data.

    python -m fluxcost.compile_rates          # validate pricing.yaml, write rates_data.py
    python -m fluxcost.compile_rates --check  # exit 1 if rates_data.py is out of date

pricing.yaml is validated here, with pydantic, when the package is built. At run time fluxcost
imports the compiled table (no yaml, no pydantic) while the installed YAML's sha256 is the one
recorded in the module, and validates the YAML itself otherwise. The module is written as
``ruff format`` would write it, so that it is committed and checked like any other.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from fluxcost.errors import FluxcostError
from fluxcost.rate_file import parse_rates
from fluxcost.rates import PACKAGED_RATES

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

OUTPUT = Path(__file__).with_name("rates_data.py")
WIDTH = 100  # the repository's line length (pyproject.toml)
INDENT = "    "

HEADER = '''\
"""The packaged rate table, compiled from pricing.yaml: do not edit, regenerate.

Written by ``python -m fluxcost.compile_rates`` after validating pricing.yaml with pydantic; a
test fails while it is out of date. rates.py uses it only while the installed pricing.yaml is
the file it was compiled from, the one whose sha256 is below.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fluxcost.rates import {names}

YAML_SHA256 = "{digest}"

'''


def render(raw: bytes) -> str:
    """The text of rates_data.py for the pricing.yaml bytes ``raw`` (validated first)."""
    table = parse_rates(raw.decode("utf-8"), "pricing.yaml")
    names = ", ".join(sorted(_classes(table)))
    header = HEADER.format(names=names, digest=hashlib.sha256(raw).hexdigest())
    return header + "\n".join(_lines("TABLE = ", table, "", 0)) + "\n"


def _classes(value: object) -> set[str]:
    """The names of the dataclasses that building ``value`` calls."""
    if isinstance(value, tuple) or dataclasses.is_dataclass(value):
        _, items, _ = _parts(value)
        inner = set().union(*(_classes(item) for _, item in items))
        return inner if isinstance(value, tuple) else {type(value).__name__, *inner}
    return set()


def _arguments(value: DataclassInstance) -> list[tuple[str, object]]:
    """A dataclass's constructor arguments, leaving out those at their default."""
    out = []
    for f in dataclasses.fields(value):
        given = getattr(value, f.name)
        if not f.init:
            continue
        if f.default is not dataclasses.MISSING and given == f.default:
            continue
        if f.default_factory is not dataclasses.MISSING and given == f.default_factory():
            continue
        out.append((f"{f.name}=", given))
    return out


def _parts(value: object) -> tuple[str, list[tuple[str, object]], str]:
    """Opening text, (prefix, value) items and closing text of a call or tuple."""
    if isinstance(value, tuple):
        return "(", [("", item) for item in value], ",)" if len(value) == 1 else ")"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return f"{type(value).__name__}(", _arguments(value), ")"
    raise TypeError(f"{value!r} is not a call or a tuple")


def _flat(value: object) -> str:
    """``value`` as one line of Python."""
    if isinstance(value, tuple) or dataclasses.is_dataclass(value):
        start, items, end = _parts(value)
        return start + ", ".join(prefix + _flat(item) for prefix, item in items) + end
    if isinstance(value, Decimal):
        return f'Decimal("{value}")'
    if isinstance(value, dt.date):
        return f"dt.date({value.year}, {value.month}, {value.day})"
    if isinstance(value, str):
        return _string(value)
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    raise TypeError(f"cannot compile a {type(value).__name__}")


def _string(text: str) -> str:
    # Double quotes, as ruff format writes them, unless that would need escapes.
    literal = repr(text)
    if literal.startswith('"') or '"' in text:
        return literal
    return f'"{literal[1:-1]}"'


def _lines(head: str, value: object, tail: str, depth: int) -> list[str]:
    """``head + value + tail`` at ``depth``, split where it does not fit, as ruff format does."""
    indent = INDENT * depth
    line = f"{indent}{head}{_flat(value)}{tail}"
    if len(line) <= WIDTH:
        return [line]
    inner = INDENT * (depth + 1)
    if isinstance(value, str):  # parenthesised, in pieces that each fit
        pieces = _pieces(value, WIDTH - len(inner) - 2)
        return [f"{indent}{head}(", *(inner + _string(p) for p in pieces), f"{indent}){tail}"]
    start, items, end = _parts(value)
    end = end.removeprefix(",")  # a split tuple of one ends with its item's comma
    together = inner + ", ".join(prefix + _flat(item) for prefix, item in items)
    together += "," if isinstance(value, tuple) and len(items) == 1 else ""
    if len(together) <= WIDTH:
        body = [together]
    else:
        body = [text for prefix, item in items for text in _lines(prefix, item, ",", depth + 1)]
    return [f"{indent}{head}{start}", *body, f"{indent}{end}{tail}"]


def _pieces(text: str, width: int) -> list[str]:
    """``text`` cut before spaces into pieces of at most ``width`` characters."""
    pieces = [""]
    for word in text.split(" "):
        joined = f"{pieces[-1]} {word}" if pieces[-1] else word
        if len(joined) > width and pieces[-1]:
            pieces.append(f" {word}")
        else:
            pieces[-1] = joined
    return pieces


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the module is stale")
    check = parser.parse_args(argv).check
    try:
        text = render(PACKAGED_RATES.read_bytes())
    except FluxcostError as exc:  # pricing.yaml does not validate: say where, write nothing
        print(f"compile_rates: error: {exc}", file=sys.stderr)
        return 2
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    if check:
        if text != current:
            print(f"{OUTPUT.name} is out of date: run python -m fluxcost.compile_rates")
            return 1
        return 0
    if text != current:
        OUTPUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
