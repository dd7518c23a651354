"""The ``fluxcost`` command line: parse options, call the engine, render the result.

Heavy modules (pydantic, yaml via the rate table; rich for tables) are imported inside the
commands that need them, so ``--format json`` in CI never pays for rich.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional

import typer

from fluxcost.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, FluxcostError

if TYPE_CHECKING:
    from fluxcost.rates import RateTable

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

RatesOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads this annotation at run time
    typer.Option(
        "--rates",
        help="Price with this rate-table YAML instead of the packaged one (always validated).",
        metavar="FILE",
    ),
]


def _rates(path: Path | None) -> RateTable:
    from fluxcost.rates import load_rates

    return load_rates(path)


def _print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


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
    fmt: Annotated[
        Literal["table", "json"], typer.Option("--format", "-f", help="Output format.")
    ] = "table",
) -> None:
    """Price one request, itemised: first MP, extra MP, each input image, x batch."""
    from fluxcost.api import quote as price
    from fluxcost.views import quote_view

    table = _rates(rates)
    w, h = _output_size(width, height, size)
    view = quote_view(price(model, w, h, inputs or (), batch, table), table)
    if fmt == "json":
        _print_json(view)
    else:
        from fluxcost.tables import console, print_quote

        print_quote(view, console())


@app.command(epilog=EXIT_CODES_HELP)
def models(
    rates: RatesOption = None,
    fmt: Annotated[
        Literal["table", "json"], typer.Option("--format", "-f", help="Output format.")
    ] = "table",
) -> None:
    """List every model with its billing, rates, limits, source and checked date."""
    from fluxcost.views import limits_text, models_view, rates_text

    table = _rates(rates)
    view = models_view(table)
    if fmt == "json":
        _print_json(view)
    else:
        from fluxcost.tables import console, print_models

        print_models(
            view,
            [rates_text(m) for m in table.models],
            [limits_text(m) for m in table.models],
            console(),
        )


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
        return EXIT_OK
    except Exception as exc:  # a bug: still one line, never a traceback
        _error(f"internal error ({type(exc).__name__}: {exc}); please report it")
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK


def main() -> None:
    sys.exit(run())
