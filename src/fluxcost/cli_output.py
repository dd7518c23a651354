"""Where a command's output goes: stdout or ``--output FILE``, one-line messages on stderr,
and the GitHub Actions step summary.

A gate's result is its exit code, so nothing here changes it: a reader that goes away early
(``| head``, a broken pipe) is not an error. A report that cannot be written at all (stdout
closed, a full disk) is bad input to say so, exit 2, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fluxcost.errors import FluxcostError

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import IO

    from fluxcost.render_text import Report


def prepare_streams() -> None:
    """Never fail on a character the terminal's encoding lacks: escape it instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def stderr_line(text: str) -> None:
    """One line on stderr (control characters shown as escapes); silent if stderr is gone."""
    from fluxcost.render_text import safe

    if sys.stderr is None:
        return
    try:
        sys.stderr.write(safe(" ".join(text.split())) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def stderr_text(text: str) -> None:
    """Several lines on stderr as they are (help text); silent if stderr is gone."""
    if sys.stderr is None:
        return
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def error(message: str) -> None:
    stderr_line(f"fluxcost: error: {message}")


def warning(message: str) -> None:
    stderr_line(f"fluxcost: warning: {message}")


def annotate(level: str, message: str, where: str = "") -> None:
    """A GitHub Actions annotation (``::error file=plan.yaml,line=4::...``) when running
    there; the runner reads workflow commands on stderr as well as stdout, and stderr keeps
    them out of a JSON or CSV report."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    place = ""
    if where:
        file, _, line = where.rpartition(":")
        place = f" file={_escape(file, True)},line={line}" if file and line.isdigit() else ""
    stderr_line(f"::{level}{place}::{_escape(message, False)}")


def _escape(text: str, in_property: bool) -> str:
    # The escapes GitHub's workflow commands define (as its toolkit does).
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if in_property else text


def silence_stdout() -> None:
    # Point stdout at /dev/null so that flushing it again at exit does not complain.
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    finally:
        os.close(null)


def _to_stdout(write: Callable[[IO[str]], None]) -> None:
    stream = sys.stdout
    if stream is None:
        raise FluxcostError("cannot write the report: stdout is closed (use --output FILE)")
    try:
        write(stream)
        stream.flush()
    except BrokenPipeError:
        silence_stdout()  # the reader stopped early (`| head`): not a failure
    except OSError as exc:
        raise FluxcostError(f"cannot write the report to stdout: {exc.strerror or exc}") from None


def refuse_overwrite(output: Path, inputs: tuple[str, ...]) -> None:
    """``--output`` must never be a file the command reads."""
    for given in inputs:
        if given != "-" and _same_file(output, Path(given)):
            raise FluxcostError(f"--output {output} is the input {given}: it would be overwritten")


def _to_file(path: Path, write: Callable[[IO[str]], None], inputs: tuple[str, ...]) -> None:
    refuse_overwrite(path, inputs)
    try:
        with path.open("w", encoding="utf-8", errors="backslashreplace") as handle:
            write(handle)
    except OSError as exc:
        raise FluxcostError(f"cannot write --output {path}: {exc.strerror or exc}") from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def write_text(text: str) -> None:
    """Plain text to stdout (a preset, a schema)."""

    def write(stream: IO[str]) -> None:
        stream.write(text)

    _to_stdout(write)


def emit(report: Report, fmt: str, output: Path | None, inputs: tuple[str, ...] = ()) -> None:
    """Render ``report`` as ``fmt`` to ``output`` (a file) or stdout. ``inputs`` are files
    the command reads, which ``--output`` must not overwrite."""
    if fmt == "table":

        def write(stream: IO[str]) -> None:
            from fluxcost.render_rich import console, draw

            draw(report, console(stream, colour=None if output is None else False))

    else:
        from fluxcost.render_text import render

        text = render(report, fmt)

        def write(stream: IO[str]) -> None:
            stream.write(text)

    if output is None:
        _to_stdout(write)
    else:
        _to_file(output, write, inputs)


def step_summary(report: Report) -> None:
    """Append the Markdown report to the GitHub Actions job summary when running there."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    from fluxcost.render_text import to_markdown

    try:
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(to_markdown(report) + "\n")
    except OSError as exc:
        warning(f"cannot append to GITHUB_STEP_SUMMARY: {exc.strerror or exc}")
