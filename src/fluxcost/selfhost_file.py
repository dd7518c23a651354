"""selfhost.yaml, the sourced facts of ``fluxcost selfhost``: read and validated with pydantic
against the very dataclasses the engine uses (selfhost.py), so there is no second schema."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import RootModel

from fluxcost.errors import read_user_file
from fluxcost.selfhost import SelfhostFacts
from fluxcost.yaml_files import load_validated

PACKAGED_FACTS = Path(__file__).with_name("selfhost.yaml")


class FactsFile(RootModel[SelfhostFacts]):
    """The facts file: a SelfhostFacts mapping."""


def _field_name(path: tuple[Any, ...], data: dict[str, Any]) -> str:
    """``("offers", 2, "usd_per_hour")`` -> ``offers[2] (modal-l40s), usd_per_hour``."""
    if len(path) >= 2 and isinstance(path[1], int):
        items = data.get(path[0])
        item = items[path[1]] if isinstance(items, list) and path[1] < len(items) else None
        name = item.get("id") or item.get("model") if isinstance(item, dict) else None
        label = f"{path[0]}[{path[1]}]" + (f" ({name})" if isinstance(name, str) else "")
        rest = ".".join(map(str, path[2:]))
        return f"{label}, {rest}" if rest else label
    return ".".join(map(str, path)) or "file"


def parse_facts(text: str, origin: str) -> SelfhostFacts:
    """Validate YAML text as self-hosting facts; any problem is one FluxcostError line."""
    spec, _ = load_validated(
        text, origin, FactsFile, "the self-hosting facts are a YAML mapping", _field_name
    )
    return spec.root


@lru_cache(maxsize=1)
def load_facts() -> SelfhostFacts:
    """The packaged facts (selfhost.yaml), validated once per process."""
    return parse_facts(read_user_file(PACKAGED_FACTS, "self-hosting facts"), PACKAGED_FACTS.name)
