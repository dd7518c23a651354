"""Load YAML and remember the line each key and list item stands on, for error messages."""

from __future__ import annotations

from typing import Any

from fluxcost.errors import FluxcostError

Path = tuple[Any, ...]


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
