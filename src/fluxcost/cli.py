"""The ``fluxcost`` command line: parse options, call the engine, render the result.

Heavy modules (pydantic, yaml via the rate table; rich for tables) are imported inside the
commands that need them, so ``--format json`` in CI never pays for rich.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional

import typer

from fluxcost.errors import (
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_INTERNAL,
    EXIT_OK,
    FluxcostError,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from rich.console import Console

    from fluxcost.rates import RateTable
    from fluxcost.workload import Workload

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 a check you asked for failed (over budget, reconcile mismatch);"
    " 2 bad input (option, file or row)."
)

app = typer.Typer(
    name="fluxcost",
    help="Offline cost estimator for the Black Forest Labs FLUX image API.",
    epilog=EXIT_CODES_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from fluxcost import __version__

        sys.stdout.write(f"fluxcost {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_version,
                     is_eager=True),
    ] = False,
) -> None:  # fmt: skip
    # Only here for --version; the commands are below.
    return


RatesOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads this annotation at run time
    typer.Option(
        "--rates",
        help="Price with this rate-table YAML instead of the packaged one (always validated).",
        metavar="FILE",
    ),
]


TableOrJson = Annotated[
    Literal["table", "json"], typer.Option("--format", "-f", help="Output format.")
]
Format = Annotated[
    Literal["table", "json", "csv", "markdown"],
    typer.Option("--format", "-f", help="Output format."),
]
OutputOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--output", "-o", help="Write the report here instead of stdout.", metavar="FILE"),
]


def _rates(path: Path | None) -> RateTable:
    from fluxcost.rates import load_rates

    return load_rates(path)


def _json_text(data: Any) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _output_size(width: int | None, height: int | None, size: str | None) -> tuple[int, int]:
    from fluxcost.sizes import Size

    if size is not None:
        if width is not None or height is not None:
            raise FluxcostError("give either --size or --width/--height, not both")
        parsed = Size.parse(size, "--size")
        return parsed.width, parsed.height
    return (1024 if width is None else width), (1024 if height is None else height)


@app.command(epilog=EXIT_CODES_HELP)
def quote(
    model: Annotated[
        str,
        typer.Option(
            "--model", "-m", help="Model id or alias, any case (see `models`).", metavar="MODEL"
        ),
    ],
    width: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--width", "-W", help="Output width in pixels (default 1024).", metavar="PX"),
    ] = None,
    height: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--height", "-H", help="Output height in pixels (default 1024).", metavar="PX"
        ),
    ] = None,
    size: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--size", "-s", help="Output size as WxH, instead of --width/--height.", metavar="WxH"
        ),
    ] = None,
    inputs: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--input",
            "-i",
            help="An input/reference image as WxH; repeat for several. FLUX.2 prices each"
            " input by its megapixels as given (BFL does not document rescaling before"
            " billing; inputs over 4 MP are billed as 4 MP).",
            metavar="WxH",
        ),
    ] = None,
    batch: Annotated[
        int, typer.Option("--batch", "-b", help="Images to generate.", metavar="N")
    ] = 1,
    rates: RatesOption = None,
    fmt: TableOrJson = "table",
) -> None:
    """Price one request, itemised: first MP, extra MP, each input image, x batch."""
    from fluxcost.api import quote as price
    from fluxcost.views import quote_view

    table = _rates(rates)
    w, h = _output_size(width, height, size)
    view = quote_view(price(model, w, h, inputs or (), batch, table), table)
    if fmt == "json":
        _emit(_json_text(view), None)
    else:
        from fluxcost.tables import print_quote

        _emit(None, None, lambda console: print_quote(view, console))


@app.command(epilog=EXIT_CODES_HELP)
def models(
    rates: RatesOption = None,
    fmt: TableOrJson = "table",
) -> None:
    """List every model with its billing, rates, limits, source and checked date."""
    from fluxcost.views import limits_text, models_view, rates_text

    table = _rates(rates)
    view = models_view(table)
    if fmt == "json":
        _emit(_json_text(view), None)
    else:
        from fluxcost.tables import print_models

        rates_column = [rates_text(m) for m in table.models]
        limits_column = [limits_text(m) for m in table.models]
        _emit(None, None, lambda console: print_models(view, rates_column, limits_column, console))


def _decimal_option(text: str | None, option: str, example: str) -> Decimal | None:
    from decimal import Decimal, InvalidOperation

    if text is None:
        return None
    cleaned = text.strip().removeprefix("$").removesuffix("%").replace(",", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise FluxcostError(f"{option} {text!r} is not a number of 0 or more, e.g. {example}")
    if option == "--warn-at" and value == 0:
        raise FluxcostError(f"--warn-at must be more than 0 percent, e.g. {example}")
    return value


def _emit(
    text: str | None, output: Path | None, draw: Callable[[Console], None] | None = None
) -> None:
    """Write ``text`` (or a rich drawing) to ``--output`` FILE or to stdout."""
    if output is None:
        if text is not None:
            sys.stdout.write(text)
        elif draw is not None:
            from fluxcost.tables import console

            draw(console())
        return
    try:
        with output.open("w", encoding="utf-8") as handle:
            if text is not None:
                handle.write(text)
            elif draw is not None:
                from rich.console import Console

                draw(Console(file=handle, width=100, no_color=True, highlight=False))
    except OSError as exc:
        raise FluxcostError(f"cannot write --output {output}: {exc.strerror or exc}") from None


def _step_summary(markdown: Callable[[], str]) -> None:
    """Append to the GitHub Actions job summary when running there."""
    import os

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(markdown() + "\n")
    except OSError as exc:
        sys.stderr.write(f"fluxcost: warning: cannot append to GITHUB_STEP_SUMMARY: {exc}\n")


def _load_workload(
    file: Path | None,
    preset: str | None,
    images: int | None,
    model: str | None,
    size: str | None,
    inputs: list[str] | None,
    batch: int | None,
) -> Workload:
    from fluxcost.engine import build_request
    from fluxcost.workload import WorkLine, Workload

    if file is not None and preset is not None:
        raise FluxcostError("give --file or --preset, not both")
    if file is not None or preset is not None:
        given = [
            flag
            for flag, value in (
                ("--images", images),
                ("--size", size),
                ("--input", inputs),
                ("--batch", batch),
            )
            if value is not None
        ]
        if given:
            source = "--file" if file is not None else "--preset"
            raise FluxcostError(
                f"{', '.join(given)} cannot be combined with {source}: the lines come from"
                " there (use --model to move every line to one model)"
            )
        from fluxcost.workload_file import load_preset, load_workload

        return load_workload(file) if file is not None else load_preset(str(preset))
    if images is None:
        raise FluxcostError("say how many images: --images N, or use --file or --preset")
    if images < 0:
        raise FluxcostError(f"--images must be 0 or more, got {images}")
    if batch is not None and batch < 1:
        raise FluxcostError(f"--batch must be at least 1, got {batch}")
    request = build_request(size or "1024x1024", inputs or ())
    line = WorkLine("images", model, images, request, batch or 1)
    return Workload((line,), name=f"{images:,} images")


@app.command(epilog=EXIT_CODES_HELP + " GITHUB_STEP_SUMMARY: when set, the Markdown report is"
             " appended to it whatever --format is.")  # fmt: skip
def workload(
    images: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--images", "-n", help="Images generated per period.", metavar="N"),
    ] = None,
    model: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--model",
            "-m",
            help="Price on this model (with --file/--preset: move every line to it)."
            " Without it, the cheapest model that can serve the workload.",
            metavar="MODEL",
        ),
    ] = None,
    size: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--size", "-s", help="Output size (default 1024x1024).", metavar="WxH"),
    ] = None,
    inputs: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--input", "-i", help="Input image per generation; repeat.", metavar="WxH"),
    ] = None,
    batch: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--batch",
            "-b",
            help="Images per request (default 1); a partly used last batch is paid in full.",
            metavar="N",
        ),
    ] = None,
    compare: Annotated[
        bool, typer.Option("--compare", "-c", help="Price it on every model, cheapest first.")
    ] = False,
    file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--file",
            "-F",
            help="A workload YAML file (`fluxcost schema workload`).",
            metavar="FILE",
        ),
    ] = None,
    preset: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--preset", "-p", help="A named workload (`fluxcost presets`).", metavar="NAME"
        ),
    ] = None,
    period: Annotated[
        Optional[Literal["day", "week", "month", "quarter", "year"]],  # noqa: UP045
        typer.Option("--period", help="What --images and --budget count per (default month)."),
    ] = None,
    budget: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--budget", help="USD per period; over it, exit 1.", metavar="USD"),
    ] = None,
    warn_at: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--warn-at", help="Warn (exit 0) past this % of the budget.", metavar="PCT"),
    ] = None,
    rates: RatesOption = None,
    fmt: Format = "table",
    output: OutputOption = None,
) -> int:
    """Cost of a workload per period, on one model or every model, with a budget gate."""
    from dataclasses import replace

    from fluxcost.formats import csv_text
    from fluxcost.workload import plan
    from fluxcost.workload_views import budget_sentence, plan_markdown, plan_rows, plan_view

    table = _rates(rates)
    work = _load_workload(file, preset, images, model, size, inputs, batch)
    budget_value = _decimal_option(budget, "--budget", "500 or 499.99")
    warn_value = _decimal_option(warn_at, "--warn-at", "80")
    if period is not None:
        work = replace(work, period=period)
    if budget_value is not None:
        work = replace(work, budget_usd=budget_value)
    if warn_value is not None:
        work = replace(work, warn_at_percent=warn_value)
    if work.warn_at_percent is not None and work.budget_usd is None:
        raise FluxcostError(
            "--warn-at needs a budget: add --budget USD (or budget_usd in the file)"
        )
    # With no model named anywhere, the answer to "what will it cost" is a comparison.
    named = model is not None or any(line.model for line in work.lines)
    result = plan(work, table, model_override=model, with_comparison=compare or not named)
    view = plan_view(result)
    if fmt == "json":
        _emit(_json_text(view), output)
    elif fmt == "csv":
        _emit(csv_text(*plan_rows(view)), output)
    elif fmt == "markdown":
        _emit(plan_markdown(view), output)
    else:
        from fluxcost.tables import print_plan

        _emit(None, output, lambda console: print_plan(view, console))
    _step_summary(lambda: plan_markdown(view))
    sentence = budget_sentence(view)
    # A table on the terminal already says it; anything else (JSON, a file, CI logs) needs
    # the verdict on stderr too.
    shown = fmt == "table" and output is None
    if view["over_budget"]:
        if not shown:
            sys.stderr.write(f"fluxcost: {sentence}\n")
        return EXIT_CHECK_FAILED
    if view["budget_warning"]:
        sys.stderr.write(
            f"fluxcost: warning: {sentence}, past the {view['warn_at_percent']}% warning line\n"
        )
    return EXIT_OK


@app.command(
    epilog=EXIT_CODES_HELP + " A log with rejected rows exits 2 (after pricing the good rows);"
    " --reconcile exits 1 when a charge differs. GITHUB_STEP_SUMMARY: when set, the Markdown"
    " report is appended to it whatever --format is."
)
def bill(
    log: Annotated[
        str,
        typer.Argument(
            help="Usage log, CSV or JSON Lines (by extension or --log-format); - for stdin.",
            metavar="LOG",
        ),
    ],
    log_format: Annotated[
        Optional[Literal["csv", "jsonl"]],  # noqa: UP045
        typer.Option("--log-format", help="Log format when the extension does not say."),
    ] = None,
    group_by: Annotated[
        Literal["model", "day", "month"],
        typer.Option("--group-by", "-g", help="Break the total down by this (UTC days)."),
    ] = "model",
    compare: Annotated[
        bool,
        typer.Option("--compare", "-c", help="What every request would have cost on each model."),
    ] = False,
    reconcile: Annotated[
        bool,
        typer.Option("--reconcile", help="Exit 1 if any charged_credits differs from the rates."),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at the first bad row (exit 2).")
    ] = False,
    rates: RatesOption = None,
    fmt: Format = "table",
    output: OutputOption = None,
) -> int:
    """Bill a usage log: totals by model, day or month; what-if on every model; reconcile.

    CSV columns (JSON Lines keys): timestamp, model, width, height, inputs (CSV: WxH sizes
    joined by ';'; JSON: a list of "WxH"), batch (default 1), charged_credits (optional).
    Other columns are ignored. Bad rows are reported as FILE:LINE: reason, never dropped.
    """
    from fluxcost.bill_views import bill_markdown, bill_rows, bill_view
    from fluxcost.billing import Biller
    from fluxcost.formats import csv_text
    from fluxcost.money import plural
    from fluxcost.usage_log import read_into

    shown = 0

    def report(line: int, reason: str) -> None:
        nonlocal shown
        shown += 1
        if shown <= 20:
            sys.stderr.write(f"{log}:{line}: {reason}\n")

    biller = Biller(_rates(rates), group_by, what_if=compare)
    read_into(biller, log, log_format, strict=strict, on_reject=report)
    result = biller.finish()
    rows = result.rows
    view = bill_view(result, log)
    if fmt == "json":
        _emit(_json_text(view), output)
    elif fmt == "csv":
        _emit(csv_text(*bill_rows(view)), output)
    elif fmt == "markdown":
        _emit(bill_markdown(view), output)
    else:
        from fluxcost.tables import print_bill

        _emit(None, output, lambda console: print_bill(view, console))
    _step_summary(lambda: bill_markdown(view))
    if rows == 0:
        sys.stderr.write(f"fluxcost: {log} has no requests to bill\n")
    if result.rows_rejected:
        if shown > 20:
            sys.stderr.write(
                f"... and {shown - 20:,} more rejected rows (--format json lists them)\n"
            )
        _error(
            f"{result.rows_rejected:,} of {rows:,} rows rejected; the bill covers the other"
            f" {rows - result.rows_rejected:,}"
        )
        return EXIT_BAD_INPUT
    if reconcile and result.mismatched_rows:
        rows_text = plural(result.mismatched_rows, "row")
        sys.stderr.write(
            f"fluxcost: reconcile failed: {rows_text} charged differently from the rate table\n"
        )
        return EXIT_CHECK_FAILED
    return EXIT_OK


@app.command()
def presets(
    show: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--show", help="Print this preset as a workload file.", metavar="NAME"),
    ] = None,
) -> None:
    """List the named workloads for `workload --preset`, or print one as YAML."""
    from fluxcost.workload_file import load_preset, preset_texts

    texts = preset_texts()
    if show is not None:
        load_preset(show)  # validates, and names the closest presets on a typo
        sys.stdout.write(texts[show])
        return
    for name in texts:
        sys.stdout.write(f"{name:20} {load_preset(name).description}\n")


@app.command()
def schema(
    kind: Annotated[Literal["workload"], typer.Argument(help="Which file: workload.")],
) -> None:
    """Print the JSON Schema of a file format, for editors to validate against."""
    from fluxcost.workload_file import workload_json_schema

    sys.stdout.write(_json_text(workload_json_schema()))


def _error(message: str) -> None:
    # Typer passes on pydantic's "Value error, " prefix; users need only the reason.
    text = " ".join(message.replace("Value error, ", "").split())
    sys.stderr.write(f"fluxcost: error: {text}\n")


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every failure is one line on stderr."""
    from typer.main import get_command

    command = get_command(app)
    try:
        result = command.main(
            args=sys.argv[1:] if argv is None else argv,
            prog_name="fluxcost",
            standalone_mode=False,
        )
    except FluxcostError as exc:
        _error(str(exc))
        return EXIT_BAD_INPUT
    except typer.TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.stderr.write(exc.format_message() + "\n")
            return EXIT_BAD_INPUT
        _error(exc.format_message())
        return exc.exit_code
    except typer.Abort:
        _error("aborted")
        return 130
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader stopped early (`fluxcost models | head`): not a failure. Point stdout at
        # /dev/null so that flushing it at exit does not complain again.
        import os

        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a bug: still one line, never a traceback
        _error(f"internal error ({type(exc).__name__}: {exc}); please report it")
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK


def main() -> None:
    sys.exit(run())
