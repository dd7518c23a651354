"""providers.yaml, every provider's prices: read and validated with pydantic against the very
dataclasses the engine uses (providers.py), so there is no second schema. Loaded only by a
command that asks for a provider other than ``bfl``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import RootModel

from fluxcost.errors import read_user_file
from fluxcost.providers import ProviderTable
from fluxcost.yaml_files import load_validated

PACKAGED_PROVIDERS = Path(__file__).with_name("providers.yaml")


class ProvidersFile(RootModel[ProviderTable]):
    """The providers file: a ProviderTable mapping."""


def _field_name(path: tuple[Any, ...], data: dict[str, Any]) -> str:
    """``("providers", 1, "offers", 2, "source")`` -> ``providers[1] (replicate), offers[2]
    (kontext-pro), source``."""
    parts: list[str] = []
    node: Any = data
    index = 0
    while index < len(path):
        key = path[index]
        node = node.get(key) if isinstance(node, dict) else None
        if index + 1 < len(path) and isinstance(path[index + 1], int) and isinstance(node, list):
            number = path[index + 1]
            node = node[number] if number < len(node) else None
            name = node.get("id") or node.get("model") if isinstance(node, dict) else None
            parts.append(f"{key}[{number}]" + (f" ({name})" if isinstance(name, str) else ""))
            index += 2
        else:
            parts.append(str(key))
            index += 1
    return ", ".join(parts) or "file"


def parse_providers(text: str, origin: str) -> ProviderTable:
    """Validate YAML text as a provider table; any problem is one FluxcostError line."""
    spec, _ = load_validated(
        text, origin, ProvidersFile, "the provider table is a YAML mapping", _field_name
    )
    return spec.root


@lru_cache(maxsize=1)
def load_providers() -> ProviderTable:
    """The packaged provider table (providers.yaml), validated once per process."""
    text = read_user_file(PACKAGED_PROVIDERS, "provider table")
    return parse_providers(text, PACKAGED_PROVIDERS.name)
