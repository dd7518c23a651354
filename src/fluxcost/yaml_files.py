"""YAML files a user gives: loaded with the line of each key, validated with pydantic, and
any problem reported as one line, ``FILE:LINE: field: what is wrong``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from fluxcost.errors import FluxcostError

if TYPE_CHECKING:
    from pydantic import BaseModel

Path = tuple[Any, ...]
Spec = TypeVar("Spec", bound="BaseModel")


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
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise FluxcostError(f"{origin}:{at}: {field_name(path, data)}: {message}{tail}") from None


def load(text: str, origin: str) -> tuple[Any, dict[Path, int]]:
    """The data in ``text`` and a map from a path like ``("lines", 1, "images")`` to its line."""
    import yaml

    loader_class: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise FluxcostError(f"{origin}{line}: {problem}") from None
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, lines


def _walk(node: Any, path: Path, lines: dict[Path, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node.value, list):
        for index, item in enumerate(node.value):
            if isinstance(item, tuple):  # a mapping's (key node, value node)
                key, value = item
                lines[(*path, key.value)] = key.start_mark.line + 1
                _walk(value, (*path, key.value), lines)
            else:
                lines[(*path, index)] = item.start_mark.line + 1
                _walk(item, (*path, index), lines)


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest parent that has one (a missing key)."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
