"""The ``fluxcost`` command line: parse options, call the domain, render, set the exit code.

Heavy modules (pydantic and yaml for a rate or workload file, rich for tables) are imported
inside the commands that need them, so ``--format json`` in CI never pays for rich.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional

import typer

from fluxcost import cli_output
from fluxcost.errors import (
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_INTERNAL,
    EXIT_OK,
    FluxcostError,
    UnknownModel,
)

if TYPE_CHECKING:
    from fluxcost.plan_report import PlanReport
    from fluxcost.pricing import Request
    from fluxcost.provider_plan_report import ProviderPlanReport
    from fluxcost.rates import RateTable
    from fluxcost.selfhost import WorkloadCost
    from fluxcost.sizes import Size
    from fluxcost.workload import Plan, Workload

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 a check you asked for failed (over budget, reconcile mismatch);"
    " 2 bad input (an option, file or row); 3 a bug in fluxcost."
)
SUMMARY_HELP = (
    " When GITHUB_STEP_SUMMARY is set, the Markdown report is appended to it whatever --format is."
)

APP_SETTINGS: dict[str, Any] = {
    "name": "fluxcost",
    "help": "Offline cost estimator for the Black Forest Labs FLUX image API.",
    "epilog": EXIT_CODES_HELP,
    "no_args_is_help": True,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,  # plain click help: no rich import, flags shown as flags
    "context_settings": {"help_option_names": ["-h", "--help"], "max_content_width": 100},
}
app = typer.Typer(**APP_SETTINGS)


def _plain_argument_names() -> None:
    # Typer writes a required argument as "{LOG}" and appends its Python type ("LOG <str>");
    # show it as every other command line tool does: "LOG".
    from typer.core import TyperArgument

    def usage_name(self: TyperArgument) -> str:
        return str(self.display_name_raw) + ("..." if self.nargs != 1 else "")

    def no_type(self: TyperArgument, ctx: object) -> None:
        return None

    setattr(TyperArgument, "_usage_display_name", usage_name)  # noqa: B010
    setattr(TyperArgument, "display_type_rich", no_type)  # noqa: B010


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


# Counts and amounts are read as text and parsed by fluxcost.numbers: one rule for digits
# everywhere (no "1,5" read as 15, no exponents, no other scripts' digits).
RatesOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads this annotation at run time
    typer.Option(
        "--rates",
        help="Price with this rate-table YAML instead of the packaged one (always validated).",
        metavar="FILE",
    ),
]
Format = Annotated[
    Literal["table", "json", "csv", "markdown"],
    typer.Option("--format", "-f", help="Output format."),
]
OutputOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--output", "-o", help="Write the report here instead of stdout.", metavar="FILE"),
]
SizeOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--size", "-s", help="Output size as WxH (default 1024x1024).", metavar="WxH"),
]
InputsOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--input",
        "-i",
        help="An input/reference image as WxH; repeat for several. FLUX.2 bills each input"
        " by its megapixels (an input over 4 MP as 4 MP: the API resizes it).",
        metavar="WxH",
    ),
]


AS_OF_HELP = "Price at the rates in effect on this day, YYYY-MM-DD (default today)."
AsOfOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--as-of", help=AS_OF_HELP, metavar="DATE"),
]
ProviderOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--provider",
        help="Price at this provider, in its own units (default bfl, BFL's own API; see"
        " `models --providers`). Its endpoint names are accepted as --model.",
        metavar="NAME",
    ),
]
StepsOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--steps",
        help="Inference steps, for providers that bill per step (default: the provider's).",
        metavar="N",
    ),
]
DiscountOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--discount",
        help="Your rates: this percentage off every price, e.g. 15% (a credit is worth that"
        " much less; credits stay as BFL counts them).",
        metavar="PCT",
    ),
]
OverlayOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--rates-overlay",
        help="Your rates: a YAML of your own prices per model, e.g. flux2-pro:"
        ' {first_mp_credits: "2.5"}; only the prices it names change.',
        metavar="FILE",
    ),
]


def _rates(
    path: Path | None,
    as_of: str | None = None,
    discount: str | None = None,
    overlay: Path | None = None,
) -> RateTable:
    """The rate table, as of ``as_of`` (default today), with your discount and overlay."""
    from fluxcost.rates import load_rates

    table = load_rates(path)
    if as_of is None and discount is None and overlay is None and not table.dated_after(today()):
        return table  # today's published prices: nothing to change
    from fluxcost.numbers import amount
    from fluxcost.your_rates import adjusted, parse_day

    day = today() if as_of is None else parse_day(as_of)
    share = None if discount is None else amount(discount, "--discount", "15%", percent=True)
    return adjusted(table, day, dated=as_of is not None, discount=share, overlay=overlay)


def _count(text: str | None, option: str, minimum: int = 0) -> int | None:
    from fluxcost.numbers import whole

    return None if text is None else whole(text, option, minimum=minimum)


@app.command(short_help="Price one request, itemised; or on every model.", epilog=EXIT_CODES_HELP)
def quote(
    model: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--model",
            "-m",
            help="Model id or alias, any case (see `models`); required unless --compare.",
            metavar="MODEL",
        ),
    ] = None,
    width: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--width", "-W", help="Output width in pixels (default 1024).", metavar="PX"),
    ] = None,
    height: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--height", "-H", help="Output height in pixels (default 1024).", metavar="PX"
        ),
    ] = None,
    size: SizeOption = None,
    inputs: InputsOption = None,
    batch: Annotated[
        str, typer.Option("--batch", "-b", help="Images to generate (default 1).", metavar="N")
    ] = "1",
    compare: Annotated[
        bool,
        typer.Option("--compare", "-c", help="Price the request on every model, cheapest first."),
    ] = False,
    provider: ProviderOption = None,
    providers: Annotated[
        bool,
        typer.Option(
            "--providers",
            help="Price it at every provider (of --model, else of every model), cheapest first.",
        ),
    ] = False,
    steps: StepsOption = None,
    rates: RatesOption = None,
    as_of: AsOfOption = None,
    discount: DiscountOption = None,
    rates_overlay: OverlayOption = None,
    fmt: Format = "table",
    output: OutputOption = None,
) -> int:
    """Price one request, itemised: first MP, extra MP, each input image, x batch.

    An image just over a whole megapixel gets a hint: the size of the same aspect ratio that
    bills one MP less, and what it saves. FLUX.2 sizes off the 16-px step are priced as
    requested, with the nearest sizes on the step.
    """
    from fluxcost.api import quote as price
    from fluxcost.numbers import MAX_SIDE
    from fluxcost.quote_report import quote_report
    from fluxcost.sizes import Size

    if size is not None and (width is not None or height is not None):
        raise FluxcostError("give either --size or --width/--height, not both")
    if size is not None:
        out = Size.parse(size, "--size")
    else:
        from fluxcost.numbers import whole

        out = Size(
            whole("1024" if width is None else width, "--width", minimum=1, maximum=MAX_SIDE),
            whole("1024" if height is None else height, "--height", minimum=1, maximum=MAX_SIDE),
        )
    count = _count(batch, "--batch", minimum=1) or 1
    if provider is not None or providers or steps is not None:  # else no provider import
        from fluxcost import provider_commands as at

        if at.wanted(provider, providers, steps):
            bfl_only = {"--compare": compare, "--as-of": as_of, "--discount": discount,
                        "--rates-overlay": rates_overlay}  # fmt: skip
            at.refuse_bfl_only(bfl_only)
            ask = (model, provider, providers)
            return at.quote(_rates(rates), ask, (out, inputs or [], count), steps, (fmt, output))
    table = _rates(rates, as_of, discount, rates_overlay)
    if compare:
        return _quote_compare(model, out, inputs or [], count, table, (fmt, output))
    if model is None:
        raise FluxcostError("Missing option '--model' / '-m' (or --compare for every model)")
    q = price(model, width=out.width, height=out.height, inputs=inputs or (), batch=count,
              rates=table)  # fmt: skip
    cli_output.emit(quote_report(q, table), fmt, output)
    return EXIT_OK


def _quote_compare(
    model: str | None,
    out: Size,
    inputs: list[str],
    batch: int,
    table: RateTable,
    where: tuple[str, Path | None],
) -> int:
    """``quote --compare``: every model, cheapest first; exit 2 when the model named, or
    every model, cannot serve the request."""
    from fluxcost.pricing import build_request, on_every_model
    from fluxcost.quote_report import quote_compare_report

    asked = None if model is None else table.get(model).id
    request = build_request(out, inputs)
    _refuse_a_fault_of_the_request(request, table)
    priced = on_every_model(table.models, request, batch, table.credit_usd)
    cli_output.emit(quote_compare_report(priced, request, batch, asked, table), *where)
    failed = next((p for p in priced if p.model.id == asked and p.quote is None), None)
    if failed is not None:
        cli_output.error(f"{failed.model.id} cannot serve this request: {failed.reason}")
        return EXIT_BAD_INPUT
    if all(p.quote is None for p in priced):
        cli_output.error(f"no model can serve {request.output} with these inputs")
        return EXIT_BAD_INPUT
    return EXIT_OK


def _refuse_a_fault_of_the_request(request: Request, table: RateTable) -> None:
    """A request that every API model refuses for the same reason (a 0-px side, a bad input)
    is bad input: say so once, instead of a table of the same reason."""
    from fluxcost.pricing import cannot_serve

    inputs = ((f"input {n}", image) for n, image in enumerate(request.inputs, 1))
    for what, image in (("output", request.output), *inputs):
        if min(image.width, image.height) < 1:
            raise FluxcostError(f"{what} {image} must have a positive width and height")
    reasons = {cannot_serve(model, request) for model in table.api_models()}
    if len(reasons) == 1 and None not in reasons:
        raise FluxcostError(str(reasons.pop()))


@app.command(short_help="Every model's rates, limits and sources.", epilog=EXIT_CODES_HELP)
def models(
    max_age: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--max-age",
            help="Exit 1 when the rate table was checked more than DAYS days ago (a CI gate"
            " that keeps it honest).",
            metavar="DAYS",
        ),
    ] = None,
    size: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--size",
            "-s",
            help="Rank the models by the price of this output size, with a per-image and a"
            " per-1,000-images column (default 1024x1024 when only --input is given).",
            metavar="WxH",
        ),
    ] = None,
    inputs: InputsOption = None,
    provider: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--provider", help="List what this provider sells, at its prices.", metavar="NAME"
        ),
    ] = None,
    providers: Annotated[
        bool, typer.Option("--providers", help="List what every provider sells, at its prices.")
    ] = False,
    rates: RatesOption = None,
    fmt: Format = "table",
    output: OutputOption = None,
) -> int:
    """List every model with its billing, rates, limits, source and checked date."""
    if provider is not None or providers:
        from fluxcost import provider_commands as at

        at.wanted(provider, providers, None)
        at.refuse_bfl_only({"--max-age": max_age, "--size": size, "--input": inputs})
        return at.models(_rates(rates), provider, (fmt, output))
    from fluxcost.models_report import models_report
    from fluxcost.money import plural

    days = _count(max_age, "--max-age")
    table = _rates(rates)
    request = None
    if size is not None or inputs:
        from fluxcost.pricing import build_request
        from fluxcost.sizes import Size

        request = build_request(Size.parse(size or "1024x1024", "--size"), inputs or ())
        _refuse_a_fault_of_the_request(request, table)
    cli_output.emit(models_report(table, request), fmt, output)
    if days is not None:
        age = (today() - table.prices_checked).days
        if age > days:
            message = (
                f"the rate table was checked on {table.prices_checked} ({plural(age, 'day')}"
                f" ago), over --max-age {days}: check the prices and update pricing.yaml"
            )
            cli_output.stderr_line(f"fluxcost: {message}")
            cli_output.annotate("error", message)
            return EXIT_CHECK_FAILED
    return EXIT_OK


def today() -> dt.date:
    """Today's date (UTC); a function, so that tests can set the day."""
    return dt.datetime.now(dt.UTC).date()


def _workload(
    file: Path | None,
    preset: str | None,
    model: str | None,
    period: str | None,
    flags: tuple[str | None, str | None, list[str] | None, str | None],
) -> Workload:
    """The workload that ``--file``, ``--preset`` or ``--images``, ``--size``, ``--input``
    and ``--batch`` (``flags``, as typed) describe."""
    from fluxcost import workload

    if file is not None and preset is not None:
        raise FluxcostError("give --file or --preset, not both")
    images, size, inputs, batch = flags
    if file is not None or preset is not None:
        named = zip(("--images", "--size", "--input", "--batch"), flags, strict=True)
        if given := [flag for flag, value in named if value is not None]:
            source = "--file" if file is not None else "--preset"
            raise FluxcostError(
                f"{', '.join(given)} cannot be combined with {source}: the lines come from"
                " there (use --model to move every line to one model)"
            )
        from fluxcost.workload_file import load_preset, load_workload

        work = load_workload(file) if file is not None else load_preset(str(preset))
        return workload.in_period(work, period) if period else work
    from fluxcost.pricing import build_request

    count = _count(images, "--images")
    if count is None:
        raise FluxcostError("say how many images: --images N, or use --file or --preset")
    per_request = _count(batch, "--batch", minimum=1) or 1
    request = build_request(size or "1024x1024", inputs or ())
    return workload.from_flags(count, model, request, per_request, period or "month")


@app.command(
    short_help="A workload's cost per period, with a budget gate.",
    epilog=EXIT_CODES_HELP + SUMMARY_HELP,
)
def workload(
    images: Annotated[
        Optional[str],  # noqa: UP045
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
    size: SizeOption = None,
    inputs: InputsOption = None,
    batch: Annotated[
        Optional[str],  # noqa: UP045
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
        typer.Option(
            "--period",
            help="What --images and --budget count per (default month). On a file, its"
            " figures are converted where the factor is exact (month x 12 = year).",
        ),
    ] = None,
    budget: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--budget", help="USD per period; over it, exit 1.", metavar="USD"),
    ] = None,
    warn_at: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--warn-at", help="Warn (exit 0) past this percentage of the budget.", metavar="PCT"
        ),
    ] = None,
    selfhost_model: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--selfhost-model",
            help="Also price it self-hosted on this open-weight model (default flux2-klein-4b),"
            " as a row of the comparison, given --selfhost-gpu-usd-hour and"
            " --selfhost-seconds-per-image, or --selfhost-gpu.",
            metavar="MODEL",
        ),
    ] = None,
    selfhost_gpu: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--selfhost-gpu", help="A GPU preset, as `selfhost --gpu`.", metavar="GPU"),
    ] = None,
    selfhost_gpu_usd_hour: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--selfhost-gpu-usd-hour", help="Your GPU's price per hour.", metavar="USD"),
    ] = None,
    selfhost_seconds: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--selfhost-seconds-per-image", help="Measured seconds per image.", metavar="S"
        ),
    ] = None,
    selfhost_licence: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--selfhost-licence-usd-month",
            help="The licence per month (0 for FLUX.2 [klein] 4B, Apache 2.0).",
            metavar="USD",
        ),
    ] = None,
    provider: ProviderOption = None,
    providers: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--providers",
            help="The same workload at each of these providers (`all`, or NAME,NAME), cheapest"
            " first, with the reason for each that cannot serve it; the plan is the cheapest.",
            metavar="NAMES",
        ),
    ] = None,
    steps: StepsOption = None,
    rates: RatesOption = None,
    as_of: AsOfOption = None,
    discount: DiscountOption = None,
    rates_overlay: OverlayOption = None,
    fmt: Format = "table",
    output: OutputOption = None,
) -> int:
    """Cost of a workload per period, on one model or every model, with a budget gate."""
    from dataclasses import replace

    from fluxcost.numbers import amount
    from fluxcost.plan_report import plan_report
    from fluxcost.workload import plan

    work = _workload(file, preset, model, period, (images, size, inputs, batch))
    if budget is not None:
        budget_usd = amount(budget, "--budget", "500 or 499.99")
        work = replace(work, budget_usd=budget_usd, where_budget="")  # the flag, not a file
    if warn_at is not None:
        share = amount(warn_at, "--warn-at", "80", percent=True)
        if not share:
            raise FluxcostError("--warn-at must be more than 0 percent, e.g. 80")
        work = replace(work, warn_at_percent=share)
    if work.warn_at_percent is not None and work.budget_usd is None:
        raise FluxcostError(
            "--warn-at needs a budget: add --budget USD (or budget_usd in the file)"
        )
    flags = (selfhost_model, selfhost_gpu, selfhost_gpu_usd_hour, selfhost_seconds,
             selfhost_licence)  # fmt: skip
    work = _with_selfhost(work, flags)
    if provider is not None or providers is not None or steps is not None:  # else no import
        from fluxcost import provider_commands as at

        if at.wanted(provider, providers is not None, steps):
            at.refuse_bfl_only({"--as-of": as_of, "--discount": discount,
                                "--rates-overlay": rates_overlay})  # fmt: skip
            ask = (model, provider, providers, compare)
            found = at.workload(_rates(rates), work, ask, steps)
            return _budget_gate(found, (fmt, output), file, work.where_budget)
    table = _rates(rates, as_of, discount, rates_overlay)
    # A self-hosted row is a row of the comparison: asking for one asks for that.
    wanted = compare or work.selfhost is not None
    result = plan(work, table, model_override=model, with_comparison=wanted)
    selfhosted = None
    if work.selfhost is not None and result.options is not None:
        selfhosted = _selfhost_cost(work, result, table)
    report = plan_report(result, table, selfhosted)
    return _budget_gate(report, (fmt, output), file, work.where_budget)


def _budget_gate(
    report: PlanReport | ProviderPlanReport,
    where: tuple[str, Path | None],
    file: Path | None,
    where_budget: str,
) -> int:
    """Emit a workload's report and its step summary; exit 1 over the budget, warn past
    --warn-at (with GitHub annotations at the file's budget line)."""
    fmt, output = where
    cli_output.emit(report, fmt, output, () if file is None else (str(file),))
    cli_output.step_summary(report)
    sentence = report.budget_sentence()
    if report.over_budget:
        # A table on the terminal says it already; JSON, a file or a CI log needs it here.
        if fmt != "table" or output is not None:
            cli_output.stderr_line(f"fluxcost: {sentence}")
        cli_output.annotate("error", str(sentence), where_budget)
        return EXIT_CHECK_FAILED
    if report.budget_warning:
        warning = f"{sentence}, past the {report.warn_at_percent}% warning line"
        cli_output.warning(warning)
        cli_output.annotate("warning", warning, where_budget)
    return EXIT_OK


def _with_selfhost(work: Workload, flags: tuple[str | None, ...]) -> Workload:
    """The workload's self-hosted row, from the file's ``selfhost:`` block and the flags (which
    win over it)."""
    from dataclasses import replace

    from fluxcost.numbers import amount
    from fluxcost.workload import SelfhostOptions

    model, gpu, usd_hour, seconds, licence = flags
    if all(flag is None for flag in flags):
        return work
    base = work.selfhost or SelfhostOptions()
    options = replace(
        base,
        model=model or base.model,
        gpu=gpu or base.gpu,
        gpu_usd_hour=base.gpu_usd_hour
        if usd_hour is None
        else amount(usd_hour, "--selfhost-gpu-usd-hour", "2.70"),
        seconds_per_image=base.seconds_per_image
        if seconds is None
        else amount(seconds, "--selfhost-seconds-per-image", "0.6"),
        licence_usd_month=base.licence_usd_month
        if licence is None
        else amount(licence, "--selfhost-licence-usd-month", "999"),
    )
    return replace(work, selfhost=options)


def _selfhost_cost(work: Workload, result: Plan, table: RateTable) -> WorkloadCost:
    """The whole workload on your own GPU (selfhost.py), for the comparison's extra row."""
    from dataclasses import asdict

    from fluxcost import selfhost
    from fluxcost.selfhost_file import load_facts

    options = work.selfhost
    assert options is not None  # the caller checked
    ask = selfhost.Ask(**asdict(options))  # the same fields as `selfhost`'s options
    images = [(p.line.request.output, p.billed_images) for p in result.lines]
    try:
        return selfhost.workload_cost(load_facts(), table, ask, images, work.period)
    except FluxcostError as exc:  # the engine names `selfhost`'s flags; here they are prefixed
        text = str(exc)
        for flag in ("--licence-usd-month", "--gpu-usd-hour", "--seconds-per-image", "--gpu "):
            text = text.replace(flag, "--selfhost-" + flag.removeprefix("--"))
        raise FluxcostError(text) from None


@app.command(
    short_help="Bill a usage log; compare models; reconcile.",
    epilog=EXIT_CODES_HELP + " A log with rejected rows exits 2 after pricing the good rows;"
    " --reconcile exits 1 when a charge differs." + SUMMARY_HELP,
)
def bill(
    log: Annotated[
        str,
        typer.Argument(
            help="Usage log: CSV or JSON Lines, optionally gzipped; - for stdin.",
            metavar="LOG",
            show_default=False,
        ),
    ],
    log_format: Annotated[
        Optional[Literal["csv", "jsonl"]],  # noqa: UP045
        typer.Option("--log-format", help="Log format when the file name does not say."),
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
        typer.Option(
            "--reconcile",
            help="Exit 1 if a charge (charged_credits or cost) differs from the rates, or the"
            " API's output_mp/input_mp disagree with a row's sizes.",
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at the first bad row (exit 2).")
    ] = False,
    engine: Annotated[
        Literal["auto", "python", "duckdb"],
        typer.Option(
            "--engine",
            help="duckdb: price in DuckDB (pip install 'fluxcost[duckdb]'); reads Parquet too."
            " auto: DuckDB, when installed, for Parquet and for text logs over 50 MB.",
        ),
    ] = "auto",
    rates: RatesOption = None,
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--as-of",
            help="Price the whole log at the rates in effect on this day, YYYY-MM-DD.",
            metavar="DATE",
        ),
    ] = None,
    discount: DiscountOption = None,
    rates_overlay: OverlayOption = None,
    provider: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--provider",
            help="Where rows with no provider were made (default bfl; see `models --providers`).",
            metavar="NAME",
        ),
    ] = None,
    steps: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--steps",
            help="Inference steps of rows with none, at providers that bill per step.",
            metavar="N",
        ),
    ] = None,
    fmt: Format = "table",
    output: OutputOption = None,
) -> int:
    """Bill a usage log: totals by model, day or month; what-if on every model; reconcile.

    CSV columns (JSON Lines keys): timestamp, model, width, height, inputs (CSV: WxH sizes
    joined by ';'; JSON: a list of "WxH"), batch (default 1), optionally what the API
    reported: charged_credits (or cost), output_mp, input_mp, and where it was made:
    provider (default bfl, or --provider) and steps (for providers that bill per step).
    Other columns are ignored. Bad rows are reported as FILE:LINE: reason, never dropped.
    """
    from fluxcost import bill_duckdb
    from fluxcost.bill_report import bill_report
    from fluxcost.billing import Biller, provider_options
    from fluxcost.money import plural
    from fluxcost.usage_log import read_into

    if output is not None:  # before a long read, not after it
        cli_output.refuse_overwrite(output, (log,))
    if log == "-" and sys.stdin is None:
        raise FluxcostError("cannot read log -: stdin is closed")
    shown = 0

    def report_row(line: int, reason: str) -> None:
        nonlocal shown
        shown += 1
        if shown <= 20:
            cli_output.stderr_line(f"{log}:{line}: {reason}")

    table = _rates(rates, as_of, discount, rates_overlay)
    at = provider_options(table, provider or "bfl", steps, "--steps")
    # Each row at its own day's prices, unless --as-of names one day for the whole log.
    biller = Biller(table, group_by, what_if=compare, dated=as_of is None, **at)
    # --strict stops at the first bad row with that row as its error: print it once.
    if bill_duckdb.choose(engine, log, compare) == "duckdb":
        dated = as_of is None
        result = bill_duckdb.bill(biller, log, log_format, dated, strict, report_row)
    else:
        read_into(biller, log, log_format, strict=strict, on_reject=None if strict else report_row)
        result = biller.finish()
    report = bill_report(result, log, table)
    cli_output.emit(report, fmt, output, (log,))
    cli_output.step_summary(report)
    if result.rows == 0:
        cli_output.stderr_line(f"fluxcost: {log} has no requests to bill")
    if result.rows_rejected:
        if shown > 20:
            cli_output.stderr_line(
                f"... and {shown - 20:,} more rejected rows (--format json lists them)"
            )
        cli_output.error(
            f"{result.rows_rejected:,} of {plural(result.rows, 'row')} rejected; the bill"
            f" covers the other {result.rows - result.rows_rejected:,}"
        )
        return EXIT_BAD_INPUT
    if reconcile and result.reconcile_failed:
        if result.mismatched_rows:
            cli_output.stderr_line(
                f"fluxcost: reconcile failed: {plural(result.mismatched_rows, 'row')} charged"
                " differently from the rate table"
            )
        if result.mp_mismatched_rows:
            cli_output.stderr_line(
                f"fluxcost: reconcile failed: {plural(result.mp_mismatched_rows, 'row')} with"
                " the API's megapixels disagreeing with their sizes"
            )
        return EXIT_CHECK_FAILED
    return EXIT_OK


@app.command(short_help="Named workloads for `workload --preset`.")
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
        text = texts[show]
    else:
        text = "".join(f"{name:20} {load_preset(name).description}\n" for name in texts)
    cli_output.write_text(text)


@app.command(short_help="The JSON Schema of the workload file.")
def schema(
    kind: Annotated[
        Literal["workload"], typer.Argument(help="Which file: workload.", show_default=False)
    ],
) -> None:
    """Print the JSON Schema of a file format, for editors to validate against."""
    import json

    from fluxcost.workload_file import workload_json_schema

    cli_output.write_text(json.dumps(workload_json_schema(), indent=2, ensure_ascii=False) + "\n")


@app.command(
    short_help="What a change to a workload adds to the bill.",
    epilog=EXIT_CODES_HELP + " --fail-above and --fail-above-percent exit 1 when the increase"
    " is larger." + SUMMARY_HELP,
)
def diff(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="BASE HEAD: two workload files; with --base-ref, only HEAD.",
            metavar="[BASE] HEAD",
            show_default=False,
        ),
    ],
    base_ref: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--base-ref",
            help="Read the base from git: HEAD's file as it was at this revision (e.g. main).",
            metavar="REF",
        ),
    ] = None,
    model: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--model", "-m", help="Move every line of both to this model.", metavar="MODEL"
        ),
    ] = None,
    fail_above: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--fail-above", help="Exit 1 if the cost rises by more than USD.", metavar="USD"
        ),
    ] = None,
    fail_above_percent: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--fail-above-percent", help="Exit 1 if the cost rises by more than PCT.", metavar="PCT"
        ),
    ] = None,
    rates: RatesOption = None,
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--as-of", help=AS_OF_HELP + " Both plans are priced then.", metavar="DATE"),
    ] = None,
    discount: DiscountOption = None,
    rates_overlay: OverlayOption = None,
    fmt: Format = "table",
    output: OutputOption = None,
) -> int:
    """The change in cost per period between two workload files (BASE and HEAD), line by line.

    Lines are matched by name. The base is counted per the head's period (converted where
    the factor is exact). --format markdown is a ready pull-request comment.
    """
    from fluxcost.diff_report import diff_report
    from fluxcost.numbers import amount
    from fluxcost.plan_diff import diff as compare_plans
    from fluxcost.workload_file import load_workload, load_workload_at

    if base_ref is not None:
        if len(files) != 1:
            raise FluxcostError("with --base-ref, give one file: HEAD (the base is read from git)")
        head_path = files[0]
        base, base_name = load_workload_at(base_ref, head_path), f"{base_ref}:{head_path}"
    else:
        if len(files) != 2:
            raise FluxcostError(
                "give two workload files, BASE and HEAD (or HEAD and --base-ref REF)"
            )
        base, base_name, head_path = load_workload(files[0]), str(files[0]), files[1]
    head = load_workload(head_path)
    above = None if fail_above is None else amount(fail_above, "--fail-above", "50")
    share = None
    if fail_above_percent is not None:
        share = amount(fail_above_percent, "--fail-above-percent", "10", percent=True)
    table = _rates(rates, as_of, discount, rates_overlay)
    result = compare_plans(base, head, table, model)
    report = diff_report(result, base_name, str(head_path), above, share, table)
    cli_output.emit(report, fmt, output, tuple(str(f) for f in files))
    cli_output.step_summary(report)
    if sentence := report.threshold_sentence():
        if fmt != "table" or output is not None:
            cli_output.stderr_line(f"fluxcost: {sentence}")
        cli_output.annotate("error", sentence, f"{head_path}:1")
        return EXIT_CHECK_FAILED
    if fmt != "table" or output is not None:
        cli_output.stderr_line(f"fluxcost: {report.summary()}")
    return EXIT_OK


@app.command(
    short_help="The largest size of an aspect ratio per billed megapixel, priced.",
    epilog=EXIT_CODES_HELP,
)
def sizes(
    aspect: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--aspect", "-a", help="Aspect ratio as W:H, e.g. 16:9.", metavar="W:H"),
    ] = None,
    size: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--size",
            "-s",
            help="Take the aspect ratio from this size, and price the size itself too.",
            metavar="WxH",
        ),
    ] = None,
    model: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--model",
            "-m",
            help="A model billed per megapixel; repeat for several (default: every FLUX.2"
            " model with an API price).",
            metavar="MODEL",
        ),
    ] = None,
    rates: RatesOption = None,
    fmt: Format = "table",
    output: OutputOption = None,
) -> None:
    """For an aspect ratio, the largest size that bills 1, 2, 3 and 4 MP, and its price.

    FLUX.2 bills whole megapixels, rounded up: pick the largest size of a bill. Each size has
    exactly the aspect ratio, with both sides on the model's step (16 px) and at least 256 px;
    where no such size bills that many MP, the largest within 1% of the ratio is given, and
    said so.
    """
    from fluxcost.size_advice import Aspect
    from fluxcost.sizes import Size
    from fluxcost.sizes_report import sizes_report

    if aspect is not None and size is not None:
        raise FluxcostError("give --aspect W:H or --size WxH, not both")
    given = None if size is None else Size.parse(size, "--size")
    if given is not None:
        shape = Aspect.of_size(given)
    elif aspect is not None:
        shape = Aspect.parse(aspect)
    else:
        raise FluxcostError("give --aspect W:H (e.g. 16:9) or --size WxH (e.g. 1920x1080)")
    cli_output.emit(sizes_report(_rates(rates), shape, given, model or ()), fmt, output)


@app.command(
    short_help="Self-host the open weights or use the API? Break-even volume and a chart.",
    epilog=EXIT_CODES_HELP,
)
def selfhost(
    model: Annotated[
        str,
        typer.Option(
            "--model",
            "-m",
            help="An open-weight model: flux2-klein-4b, flux2-klein-9b or flux2-dev.",
            metavar="MODEL",
        ),
    ],
    gpu: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--gpu",
            help="A priced GPU preset (modal-h100, lambda-h100-sxm, runpod-h100-sxm, modal-l4,"
            " ...) or a GPU (h100, b200, rtx5090): its sourced price and measured speed."
            " Your own figures below win over a preset's.",
            metavar="NAME",
        ),
    ] = None,
    gpu_usd_hour: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--gpu-usd-hour", help="What the GPU costs, USD per hour.", metavar="USD"),
    ] = None,
    seconds_per_image: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--seconds-per-image",
            help="Your measured seconds per image at --size, used as given. Without it, the"
            " preset's speed at 1024x1024, scaled by megapixels.",
            metavar="S",
        ),
    ] = None,
    utilization: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--utilization",
            help="Share of the paid GPU time spent generating, percent (default 100, as with"
            " per-second billing). GPU cost per image is divided by it.",
            metavar="PCT",
        ),
    ] = None,
    licence_usd_month: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--licence-usd-month",
            help="Licence fee, USD per month. Default 0 for klein 4B (Apache 2.0); required for"
            " klein 9B and dev, whose licence BFL prices on request.",
            metavar="USD",
        ),
    ] = None,
    licence_tier: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--licence-tier",
            help="The BFL tier you license (builder, platform, professional, enterprise):"
            " images over its cap are a warning.",
            metavar="TIER",
        ),
    ] = None,
    images: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--images", "-n", help="Images generated per month.", metavar="N"),
    ] = None,
    size: SizeOption = None,
    vs: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--vs",
            help="The API model to compare with (default: klein 4B and 9B with themselves,"
            " dev with flux2-pro).",
            metavar="MODEL",
        ),
    ] = None,
    chart: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--chart",
            help="Also write the break-even chart to FILE: SVG, or an HTML page for .html.",
            metavar="FILE",
        ),
    ] = None,
    rates: RatesOption = None,
    fmt: Format = "table",
    output: OutputOption = None,
) -> int:
    """Self-host an open-weight model or use the API? GPU time plus licence against the
    per-image price: per image, per month, the break-even volume, and a chart."""
    from decimal import Decimal

    from fluxcost.numbers import amount, decimal
    from fluxcost.selfhost import Ask, compare
    from fluxcost.selfhost_chart import chart_file
    from fluxcost.selfhost_file import load_facts
    from fluxcost.selfhost_report import selfhost_report
    from fluxcost.sizes import Size

    def dollars(text: str | None, option: str, example: str) -> Decimal | None:
        return None if text is None else amount(text, option, example)

    seconds = None
    if seconds_per_image is not None:
        seconds = decimal(seconds_per_image, "--seconds-per-image", "0.6")
        if not seconds:
            raise FluxcostError("--seconds-per-image must be more than 0, e.g. 0.6")
    share = Decimal(100)
    if utilization is not None:
        share = amount(utilization, "--utilization", "60", percent=True)
    ask = Ask(
        model=model,
        size=Size.parse(size, "--size") if size is not None else Size(1024, 1024),
        gpu=gpu,
        gpu_usd_hour=dollars(gpu_usd_hour, "--gpu-usd-hour", "2.70"),
        seconds_per_image=seconds,
        utilization_percent=share,
        licence_usd_month=dollars(licence_usd_month, "--licence-usd-month", "999"),
        licence_tier=licence_tier,
        images=_count(images, "--images"),
        vs=vs,
    )
    report = selfhost_report(compare(load_facts(), _rates(rates), ask))
    if chart is not None:
        if output is not None and chart.resolve() == output.resolve():
            raise FluxcostError("--chart and --output name the same file: give two")
        try:
            chart.write_text(chart_file(report, chart.name), encoding="utf-8")
        except OSError as exc:
            raise FluxcostError(f"cannot write --chart {chart}: {exc.strerror or exc}") from None
    cli_output.emit(report, fmt, output)
    if fmt != "table" or output is not None:  # a table on the terminal says it already
        for warning in report.warnings:
            cli_output.warning(warning)
    return EXIT_OK


@app.command(short_help="The rate table as SQL, to bill a log in your warehouse.")
def sql(
    dialect: Annotated[
        Literal["duckdb", "bigquery", "snowflake", "spark", "postgres"],
        typer.Option(
            "--dialect",
            help="The warehouse's SQL; all but duckdb need pip install 'fluxcost[sql]'.",
        ),
    ] = "duckdb",
    log_table: Annotated[
        str, typer.Option("--table", help="The table holding the log.", metavar="NAME")
    ] = "usage_log",
) -> None:
    """Print views for your warehouse: fluxcost_rates (every name, with each price's dates)
    and fluxcost_priced (the log table plus model_id, credits and usd per row), so that
    SELECT sum(usd) FROM fluxcost_priced is the bill."""
    from fluxcost.rates import load_rates
    from fluxcost.warehouse_sql import warehouse_sql

    cli_output.write_text(warehouse_sql(load_rates(), dialect, log_table))


def _only(name: str) -> typer.Typer:
    """The app with just the command ``name`` when that is one: Typer builds every command it
    holds on each run (reading every option's annotations), and a CI call runs one. Anything
    else (`--help`, a typo, `--install-completion`) gets the whole app."""
    chosen = [
        c
        for c in app.registered_commands
        if (c.name or getattr(c.callback, "__name__", "")) == name
    ]
    if not chosen:
        return app
    single = typer.Typer(**APP_SETTINGS)
    single.registered_callback = app.registered_callback
    single.registered_commands = chosen
    return single


def _sold_elsewhere(error: UnknownModel) -> str | None:
    """A model BFL sells no API for that another provider sells: say who, and how to ask."""
    from fluxcost.provider_commands import catalog
    from fluxcost.provider_pricing import sold_elsewhere
    from fluxcost.rates import load_rates

    try:
        said = sold_elsewhere(catalog(load_rates()), error.name)
    except FluxcostError:
        return None
    return said and (f"{said}: price it at a provider with --provider NAME (`fluxcost quote"
                     f" --providers -m {error.name}` compares them)")  # fmt: skip


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every failure is one line on stderr."""
    from typer.main import get_command

    cli_output.prepare_streams()
    _plain_argument_names()
    import decimal

    from fluxcost.numbers import PRECISION

    decimal.getcontext().prec = PRECISION  # the CLI's own process: no total is ever rounded
    args = sys.argv[1:] if argv is None else argv
    command = get_command(_only(args[0]) if args else app)
    try:
        result = command.main(
            args=args,
            prog_name="fluxcost",
            standalone_mode=False,
        )
    except UnknownModel as exc:  # sold elsewhere? (the provider tables, only now)
        cli_output.error(_sold_elsewhere(exc) or str(exc))
        return EXIT_BAD_INPUT
    except FluxcostError as exc:
        cli_output.error(str(exc))
        return EXIT_BAD_INPUT
    except typer.TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # the help, as it is laid out
            cli_output.stderr_text(exc.format_message() + "\n")
            return EXIT_BAD_INPUT
        # Typer passes on pydantic's "Value error, " prefix; users need only the reason.
        cli_output.error(exc.format_message().replace("Value error, ", ""))
        return exc.exit_code
    except typer.Abort:
        cli_output.error("aborted")
        return 130
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # --help into `| head`: reports handle this themselves
        cli_output.silence_stdout()
        return EXIT_OK
    except Exception as exc:  # a bug: still one line, never a traceback
        cli_output.error(f"internal error ({type(exc).__name__}: {exc}); please report it")
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK


def main() -> None:
    # One short process: what it builds (a big log's cache of requests, say) lives until it
    # exits, so a garbage collection would scan all of it to free next to nothing.
    gc.disable()
    sys.exit(run())
