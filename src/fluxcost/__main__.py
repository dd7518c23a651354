from __future__ import annotations

from fluxcost.cli import main

main()
