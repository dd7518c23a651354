"""The one exception type fluxcost raises for bad input, and the exit codes it maps to."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

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


class UnknownModel(FluxcostError):
    """A model name BFL's rate table does not know (``name``): another provider may sell it."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


def closest(name: str, spellings: dict[str, str], cutoff: float = 0.5) -> list[str]:
    """Up to three names that ``name`` may be a typo of: ``spellings`` maps each way to
    write a name (an id, an alias) to the name to suggest."""
    import difflib

    close = difflib.get_close_matches(name, list(spellings), n=6, cutoff=cutoff)
    return list(dict.fromkeys(spellings[c] for c in close))[:3]


def read_user_file(path: str | Path, what: str, limit: int = 1_000_000) -> str:
    """The text of a file the user named, or a one-line FluxcostError saying why not.

    At most ``limit`` bytes are read, so a huge file or an endless stream is refused without
    filling memory (a rate table or a workload is a few kilobytes)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise FluxcostError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(raw) > limit:
        raise FluxcostError(f"{what} {path} is over {limit:,} bytes; that is not a {what}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FluxcostError(f"cannot read {what} {path}: it is not UTF-8 text") from None
