"""A cache of the validated packaged rate table, as JSON, keyed by a hash of the YAML bytes.

Only what pydantic already accepted is written, and a cache entry is trusted only for the
exact bytes (and fluxcost version) it was made from. Any problem reading or writing it just
means validating again: the cache can make start-up faster, never wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from fluxcost.rates import Limits, ModelRate, RateTable

_FORMAT = 1
_PRICES = ("first_mp_credits", "extra_mp_credits", "input_mp_credits", "credits_per_image")


def cache_dir() -> Path | None:
    """``$FLUXCOST_CACHE_DIR``, else the user cache dir; ``FLUXCOST_CACHE_DIR=""`` disables."""
    explicit = os.environ.get("FLUXCOST_CACHE_DIR")
    if explicit is not None:
        return Path(explicit) if explicit else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fluxcost"


def _path(raw: bytes) -> Path | None:
    from fluxcost import __version__

    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(raw)
    # The code that validates is part of the key too, so a stricter schema re-checks the file.
    for module in ("schema.py", "rates.py", "yaml_files.py"):
        digest.update((Path(__file__).with_name(module)).read_bytes())
    digest.update(f"{__version__}/{_FORMAT}".encode())
    return folder / f"rates-{digest.hexdigest()[:32]}.json"


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def packaged_table(raw: bytes, validate: Callable[[], RateTable]) -> RateTable:
    """The cached table for ``raw``, or ``validate()``'s result, cached for next time."""
    path = _path(raw)
    if path is None:
        return validate()
    table = _read(path)
    if table is None:
        table = validate()
        _write(path, table)
    return table


def _read(path: Path) -> RateTable | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        models = tuple(
            ModelRate(
                **{
                    **m,
                    **{k: None if m[k] is None else Decimal(m[k]) for k in _PRICES},
                    "aliases": tuple(m["aliases"]),
                    "limits": Limits(**m["limits"]),
                    "checked": dt.date.fromisoformat(m["checked"]),
                }
            )
            for m in data["models"]
        )
        return RateTable(
            models=models,
            credit_usd=Decimal(data["credit_usd"]),
            currency=data["currency"],
            prices_checked=dt.date.fromisoformat(data["prices_checked"]),
            origin=data["origin"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: Path, table: RateTable) -> None:
    data = {
        "credit_usd": table.credit_usd,
        "currency": table.currency,
        "prices_checked": table.prices_checked,
        "origin": table.origin,
        "models": [dataclasses.asdict(m) for m in table.models],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(f".{os.getpid()}.tmp")
        temp.write_text(json.dumps(data, default=_encode), encoding="utf-8")
        temp.replace(path)  # atomic: a concurrent reader sees the old file or the new one
    except OSError:
        pass
