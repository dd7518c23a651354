"""The one exception type fluxcost raises for bad input, and the exit codes it maps to."""

from __future__ import annotations

# Exit codes are a contract with shell scripts and CI jobs: never renumber them.
EXIT_OK = 0
EXIT_CHECK_FAILED = 1  # a check the user asked for failed: over budget, reconcile mismatch
EXIT_BAD_INPUT = 2  # an option, file or row was wrong
EXIT_INTERNAL = 3  # a bug in fluxcost; should never happen


class FluxcostError(ValueError):
    """Bad input: an unknown model, a size a model cannot make, a malformed file or row.

    The message is one line, says what was wrong and what is allowed, and is exactly what
    the CLI prints after ``fluxcost: error:``.
    """
