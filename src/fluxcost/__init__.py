"""fluxcost: what FLUX image generation will cost, offline.

``fluxcost.quote(...)`` prices one request; importing this package loads neither typer nor rich.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "Bill",
    "FluxcostError",
    "Quote",
    "RateTable",
    "__version__",
    "bill",
    "load_rates",
    "quote",
]

if TYPE_CHECKING:
    __version__: str
    from fluxcost.api import bill, quote
    from fluxcost.billing import Bill
    from fluxcost.errors import FluxcostError
    from fluxcost.pricing import Quote
    from fluxcost.rates import RateTable, load_rates

_LAZY = {
    "quote": "fluxcost.api",
    "bill": "fluxcost.api",
    "Bill": "fluxcost.billing",
    "Quote": "fluxcost.pricing",
    "FluxcostError": "fluxcost.errors",
    "RateTable": "fluxcost.rates",
    "load_rates": "fluxcost.rates",
}


def __getattr__(name: str) -> Any:
    # Lazy so that `import fluxcost` stays cheap; the CLI only pays for what a command uses.
    if name == "__version__":  # one source of truth: the installed package's metadata
        from importlib.metadata import version

        return version("fluxcost")
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'fluxcost' has no attribute {name!r}")
