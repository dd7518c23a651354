"""fluxcost: what FLUX image generation will cost, offline.

``fluxcost.quote(...)`` prices one request; importing this package loads neither typer nor rich.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
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
    from fluxcost.api import quote
    from fluxcost.billing import Bill, bill
    from fluxcost.engine import Quote
    from fluxcost.errors import FluxcostError
    from fluxcost.rates import RateTable, load_rates

_LAZY = {
    "quote": "fluxcost.api",
    "bill": "fluxcost.billing",
    "Bill": "fluxcost.billing",
    "Quote": "fluxcost.engine",
    "FluxcostError": "fluxcost.errors",
    "RateTable": "fluxcost.rates",
    "load_rates": "fluxcost.rates",
}


def __getattr__(name: str) -> Any:
    # Lazy so that `import fluxcost` stays cheap; the CLI only pays for what a command uses.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'fluxcost' has no attribute {name!r}")
