"""YAML files a user gives: loaded with the line of each key, validated with pydantic, and
any problem reported as one line, ``FILE:LINE: field: what is wrong``.

The loader reads one plain YAML document, YAML 1.2 style, and refuses anything that could
mean two things or cost minutes: duplicate keys, keys that are not text, numbers that YAML
1.1 reads differently (``017``, ``0x10``, ``1_000``, ``1:30``), dates that do not exist,
tags, and aliases that expand past a bound (a "billion laughs" file). Numbers with a point
or an exponent load as exact ``Decimal``: money never passes through binary floating point.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from yaml import MappingNode, Node, ScalarNode, SequenceNode

from fluxcost.errors import FluxcostError
from fluxcost.money import plural

if TYPE_CHECKING:
    from pydantic import BaseModel

Path = tuple[Any, ...]
Spec = TypeVar("Spec", bound="BaseModel")

MAX_CHARS = 250_000  # pricing.yaml is ~8 kB, a workload ~1 kB; this much loads in ~0.5 s
MAX_DEPTH = 50  # both file kinds nest 5 levels
MAX_ALIAS_NODES = 10_000  # nodes built again through aliases; pricing.yaml uses ~20
MAX_DIGITS = 100  # digits in a number, and the largest exponent (1e100)

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_YAML + t for t in ("str", "int", "float", "bool", "null"))
_DATE, _SEQ, _MAP = (_YAML + t for t in ("timestamp", "seq", "map"))
_AMBIGUOUS = "tag:fluxcost,2026:ambiguous-number"  # private: refused with its line below

_INT_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)")  # no "+": one spelling, as on the command line
_FLOAT_TEXT = re.compile(
    r"-?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|-?[0-9]+[eE][-+]?[0-9]+"
)
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What some YAML reader (1.1 or 1.2) takes for a number but a person may not: leading zeros,
# 0x/0o/0b, digit separators, sexagesimal 1:30, infinities and NaN.
_AMBIGUOUS_TEXT = re.compile(
    r"[-+]?(?:0[xob][0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
    r"|\.(?:inf|Inf|INF))|\.(?:nan|NaN|NAN)"
)
_PLAIN = (
    (_NULL, re.compile(r"~|null|Null|NULL")),
    (_BOOL, re.compile(r"true|True|TRUE|false|False|FALSE")),
    (_INT, _INT_TEXT),
    (_FLOAT, _FLOAT_TEXT),
    (_DATE, _DATE_TEXT),
    (_AMBIGUOUS, _AMBIGUOUS_TEXT),
)
_MAYBE_NOT_TEXT = frozenset("~nNtTfF0123456789+-.")  # first characters of the above
# Characters YAML allows in a stream; anything else (NUL, other controls) means not text.
_NOT_YAML_TEXT = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def load_validated(
    text: str,
    origin: str,
    spec: type[Spec],
    expected: str,
    field_name: Callable[[Path, dict[str, Any]], str],
) -> tuple[Spec, dict[Path, int]]:
    """``text`` validated as ``spec``, and the line of every key (see ``load``).

    ``expected`` says what the file should be when it is not a mapping at all;
    ``field_name(path, data)`` names a failing field as a person would.
    """
    from pydantic import ValidationError

    data, lines = load(text, origin)
    if not isinstance(data, dict):
        raise FluxcostError(f"{origin}:1: {expected}")
    try:
        return spec.model_validate(data), lines
    except ValidationError as exc:
        errors = exc.errors()
        path = tuple(errors[0]["loc"])
        at = line_of(lines, path) or 1
        message = str(errors[0]["msg"]).removeprefix("Value error, ")
        more = len(errors) - 1
        tail = f" (and {plural(more, 'more problem')})" if more else ""
        raise FluxcostError(f"{origin}:{at}: {field_name(path, data)}: {message}{tail}") from None


def load(text: str, origin: str) -> tuple[Any, dict[Path, int]]:
    """The data in ``text`` and a map from a path like ``("lines", 1, "images")`` to its line.

    Any problem is a one-line FluxcostError ``origin:LINE: what is wrong``.
    """
    _check_text(text, origin)
    loader = None
    try:
        loader = _loader_class()(text)
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text, origin) from None
    except RecursionError:  # the pure-Python composer, on deep nesting
        raise FluxcostError(f"{origin}:1: {_too_deep()}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None, {}
    builder = _Builder(origin)
    line = node.start_mark.line + 1  # a whole-file problem points at its first content line
    builder.lines[()] = line
    return builder.value(node, (), 0, line), builder.lines


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest parent that has one (a missing key)."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _check_text(text: str, origin: str) -> None:
    if len(text) > MAX_CHARS:
        raise FluxcostError(
            f"{origin}:1: the file is {len(text):,} characters long;"
            f" a YAML file for fluxcost is at most {MAX_CHARS:,}"
        )
    if bad := _NOT_YAML_TEXT.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        raise FluxcostError(
            f"{origin}:{line}: character U+{ord(bad.group()):04X} is not allowed in YAML"
            " (control characters and NUL are not text)"
        )


@lru_cache(maxsize=1)
def _loader_class() -> Any:
    """libyaml's safe loader where installed (fast), else PyYAML's, with our resolver."""
    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc]
        # Tags only: data is built by _Builder, never by PyYAML's constructors.
        resolve = staticmethod(_resolve)

    return Loader


def _resolve(kind: type[Node], value: str | None, implicit: Any) -> str:
    """The tag of an untagged node: YAML 1.2 core rules, plus the private ambiguous tag."""
    if kind is ScalarNode:  # implicit is (plain, quoted): quoted scalars are text
        return _plain_tag(value or "") if implicit[0] else _STR
    return _SEQ if kind is SequenceNode else _MAP


def _plain_tag(text: str) -> str:
    if not text:
        return _NULL
    if text[0] in _MAYBE_NOT_TEXT:
        for tag, pattern in _PLAIN:
            if pattern.fullmatch(text):
                return tag
    return _STR


def _syntax_error(exc: yaml.YAMLError, text: str, origin: str) -> FluxcostError:
    mark = getattr(exc, "problem_mark", None)
    position = getattr(exc, "position", None)  # a ReaderError has no mark
    if mark is not None:
        line = mark.line + 1
    else:
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else 1
    context = str(getattr(exc, "context", None) or "")
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or "not valid YAML"
    if "single document" in context:
        problem = "a file holds one YAML document, but a second one starts here"
    elif "duplicate anchor" in context:
        first = getattr(exc, "context_mark", None)
        problem = "an anchor is defined twice" + (
            f" (first on line {first.line + 1})" if first is not None else ""
        )
    elif "undefined alias" in problem:
        problem = "this alias (*name) refers to no anchor (&name) defined before it"
    elif "nesting depth" in problem:
        problem = _too_deep()
    return FluxcostError(f"{origin}:{line}: {problem}")


def _too_deep() -> str:
    return f"the data is nested more than {MAX_DEPTH} levels deep"


class _Builder:
    """Python data from a composed node graph, the line of every key and item, and checks.

    An alias is the very node of its anchor, so a node met a second time is an alias: its
    data is built again (a copy), and those copies are counted against MAX_ALIAS_NODES.
    """

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.lines: dict[Path, int] = {}
        self._seen: set[int] = set()  # nodes built once
        self._open: set[int] = set()  # collections being built: an alias to one is a loop
        self._alias_line: int | None = None  # where the alias being copied is used
        self._copied = 0

    def _error(self, line: int, message: str) -> FluxcostError:
        return FluxcostError(f"{self.origin}:{line}: {message}")

    def value(self, node: Node, path: Path, depth: int, used_at: int) -> Any:
        """``node`` as data; ``used_at`` is the line that uses it (its key's, for a value)."""
        if depth > MAX_DEPTH:
            raise self._error(used_at, _too_deep())
        if self._alias_line is not None:
            self._copied += 1
            if self._copied > MAX_ALIAS_NODES:
                raise self._error(
                    self._alias_line,
                    f"aliases expand the document by more than {MAX_ALIAS_NODES:,} values;"
                    " write the values out or use fewer aliases",
                )
        elif id(node) in self._seen:
            self._alias_line = used_at
            try:
                return self.value(node, path, depth, used_at)
            finally:
                self._alias_line = None
        else:
            self._seen.add(id(node))
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if id(node) in self._open:
            raise self._error(used_at, "an alias here refers to a list or mapping that holds it")
        self._open.add(id(node))
        data = (
            self._mapping(node, path, depth)
            if isinstance(node, MappingNode)
            else self._list(node, path, depth)
        )
        self._open.discard(id(node))
        return data

    def _list(self, node: Node, path: Path, depth: int) -> list[Any]:
        line = node.start_mark.line + 1
        self._check_tag(node, _SEQ, line)
        items: list[Any] = []
        for index, item in enumerate(node.value):
            self.lines[(*path, index)] = item.start_mark.line + 1
            items.append(self.value(item, (*path, index), depth + 1, line))
        return items

    def _mapping(self, node: Node, path: Path, depth: int) -> dict[str, Any]:
        self._check_tag(node, _MAP, node.start_mark.line + 1)
        data: dict[str, Any] = {}
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = self._key(key_node, line)
            if key in first:
                raise self._error(
                    line, f"key {_shown(key)} is given twice (first on line {first[key]})"
                )
            first[key] = line
            self.lines[(*path, key)] = line
            data[key] = self.value(value_node, (*path, key), depth + 1, line)
        return data

    def _key(self, node: Node, line: int) -> str:
        if not isinstance(node, ScalarNode):
            kind = "a mapping" if isinstance(node, MappingNode) else "a list"
            raise self._error(line, f"a key must be text, not {kind}")
        key = self._scalar(node)
        if not isinstance(key, str):
            raise self._error(
                line,
                f"key {_shown(node.value)} is {_kind(key)}, not text; quote it to use it as a name",
            )
        return key

    def _scalar(self, node: Node) -> Any:
        line = node.start_mark.line + 1
        construct = _SCALARS.get(node.tag)
        if construct is None:
            raise self._error(line, _bad_tag(node.tag))
        try:
            return construct(node.value)
        except ValueError as exc:
            raise self._error(line, str(exc)) from None

    def _check_tag(self, node: Node, expected: str, line: int) -> None:
        if node.tag != expected:
            raise self._error(line, _bad_tag(node.tag))


def _bad_tag(tag: str) -> str:
    name = "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag
    return (
        f"tag {_shown(name)} is not allowed here: fluxcost reads plain YAML"
        " (text, numbers, true/false, null, YYYY-MM-DD dates, lists and mappings)"
    )


def _shown(text: str) -> str:
    """``text`` quoted for a message, cut short: the message stays one readable line."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    return "a date" if isinstance(value, dt.date) else "a number"


def _integer(text: str) -> int:
    if not _INT_TEXT.fullmatch(text):
        raise ValueError(
            f"{_shown(text)} is not an integer: integers are plain decimal digits like 17"
        )
    if len(text.lstrip("+-")) > MAX_DIGITS:
        raise ValueError(_out_of_range(text))
    return int(text)


def _decimal(text: str) -> Decimal:
    if not (_FLOAT_TEXT.fullmatch(text) or _INT_TEXT.fullmatch(text)):
        raise ValueError(f"{_shown(text)} is not a number: write decimal digits like 499.99")
    if len(text) > 2 * MAX_DIGITS:
        raise ValueError(_out_of_range(text))
    number = Decimal(text)
    if len(number.as_tuple().digits) > MAX_DIGITS or abs(number.adjusted()) > MAX_DIGITS:
        raise ValueError(_out_of_range(text))
    return number


def _out_of_range(text: str) -> str:
    return (
        f"{_shown(text)} is out of range: numbers have at most {MAX_DIGITS} digits"
        f" and lie between 1e-{MAX_DIGITS} and 1e{MAX_DIGITS}"
    )


def _date(text: str) -> dt.date:
    if not _DATE_TEXT.fullmatch(text):
        raise ValueError(f"{_shown(text)} is not a date: dates are YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # the month has no such day, or no such month
        raise ValueError(f"{_shown(text)} is not a real date (dates are YYYY-MM-DD)") from None


def _boolean(text: str) -> bool:
    if text not in ("true", "True", "TRUE", "false", "False", "FALSE"):
        raise ValueError(f"{_shown(text)} is not true or false")
    return text[0] in "tT"


def _null(text: str) -> None:
    if text not in ("", "~", "null", "Null", "NULL"):
        raise ValueError(f"{_shown(text)} is not null (null, ~ or nothing)")


def _ambiguous(text: str) -> str:
    raise ValueError(
        f"{_shown(text)} is not a plain number: numbers are decimal digits like 17 or 499.99"
        " (no leading zeros, 0x, 0o, 0b, _, : or .inf/.nan); quote it if it is text"
    )


_SCALARS: dict[str, Callable[[str], Any]] = {
    _STR: str,
    _INT: _integer,
    _FLOAT: _decimal,
    _BOOL: _boolean,
    _NULL: _null,
    _DATE: _date,
    _AMBIGUOUS: _ambiguous,
}
