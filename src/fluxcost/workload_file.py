"""Workload files and presets: YAML validated with pydantic, errors pointing at FILE:LINE."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from fluxcost.errors import FluxcostError, closest, read_user_file
from fluxcost.pricing import Request
from fluxcost.sizes import Size
from fluxcost.workload import SelfhostOptions, WorkLine, Workload
from fluxcost.yaml_files import line_of, load_validated

PRESETS = Path(__file__).with_name("presets")  # one workload file per preset


def _as_written(value: Any) -> str:
    """A loaded YAML value as the file spells it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    return str(value)


def _whole(value: Any) -> Any:
    # Strict: YAML true, 1024.0 and "4" are not counts (pydantic would take all three).
    if type(value) is not int:
        raise ValueError(
            "Input should be a valid integer: plain digits like 5000, without quotes"
            f" (got {_as_written(value)})"
        )
    return value


def _exact_number(what: str) -> BeforeValidator:
    # Loaded YAML numbers are int or exact Decimal; text, true/false and floats are refused.
    def check(value: Any) -> Any:
        if type(value) is not int and not isinstance(value, Decimal):
            raise ValueError(f"Input should be {what}, without quotes (got {_as_written(value)})")
        return value

    return BeforeValidator(check)


Count = Annotated[int, BeforeValidator(_whole)]
Money = Annotated[
    Decimal,
    _exact_number("a number of dollars like 500 or 499.99"),
    Field(ge=0, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "minimum": 0}),
]
Percent = Annotated[
    Decimal,
    _exact_number("a percentage like 80 or 92.5"),
    Field(gt=0, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0}),
]


def _size(value: str) -> str:
    Size.parse(value)  # raises FluxcostError, a ValueError, with the message users see
    return value


SizeText = Annotated[
    str,
    AfterValidator(_size),
    Field(json_schema_extra={"pattern": r"^\s*\d+\s*[xX]\s*\d+\s*$"}, examples=["1024x1024"]),
]


class LineSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", title="Workload line")

    name: str = Field(min_length=1, description="What this line is for, e.g. 'drafts'.")
    model: str | None = Field(
        default=None,
        description="Model id or alias; leave out to price the cheapest model that can serve it.",
    )
    images: Count = Field(ge=0, description="Images generated per period (what BFL bills).")
    size: SizeText = Field(default="1024x1024", description="Output size, WIDTHxHEIGHT.")
    inputs: list[SizeText] = Field(
        default_factory=list, description="Input/reference images, each WIDTHxHEIGHT."
    )
    batch: Count = Field(default=1, ge=1, description="Images returned per request.")


class SelfhostSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", title="Self-hosted row")

    model: str = Field(default="flux2-klein-4b", description="An open-weight model.")
    gpu: str | None = Field(default=None, description="A GPU preset (`fluxcost selfhost -h`).")
    gpu_usd_hour: Money | None = Field(default=None, description="Your GPU's price per hour.")
    seconds_per_image: Money | None = Field(default=None, description="Measured seconds per image.")
    utilization_percent: Percent = Field(
        default=Decimal(100), description="Busy share of GPU time."
    )
    licence_usd_month: Money | None = Field(default=None, description="Licence per month.")


class WorkloadSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", title="fluxcost workload")

    name: str = Field(default="workload", min_length=1)
    description: str = ""
    period: Literal["day", "week", "month", "quarter", "year"] = "month"
    budget_usd: Money | None = Field(default=None, description="Budget in USD per period.")
    warn_at_percent: Percent | None = Field(
        default=None, description="Warn when the total passes this share of the budget."
    )
    lines: list[LineSpec] = Field(min_length=1)
    selfhost: SelfhostSpec | None = Field(
        default=None, description="Price the workload on your own GPU too, as a row in --compare."
    )


def _to_workload(spec: WorkloadSpec, origin: str, lines: dict[Any, int]) -> Workload:
    work: list[WorkLine] = []
    for index, line in enumerate(spec.lines):

        def where(*field: str, index: int = index) -> str:
            return f"{origin}:{line_of(lines, ('lines', index, *field)) or 1}"

        request = Request(
            Size.parse(line.size),
            tuple(Size.parse(text, f"input {n}") for n, text in enumerate(line.inputs, 1)),
        )
        work.append(
            WorkLine(
                line.name,
                line.model,
                line.images,
                request,
                line.batch,
                where=where(),
                where_model=where("model"),
                where_size=where("inputs") if line.inputs else where("size"),
            )
        )
    return Workload(
        tuple(work),
        name=spec.name,
        description=spec.description,
        period=spec.period,
        budget_usd=spec.budget_usd,
        warn_at_percent=spec.warn_at_percent,
        where_budget=f"{origin}:{line_of(lines, ('budget_usd',)) or 1}" if spec.budget_usd else "",
        selfhost=None if spec.selfhost is None else SelfhostOptions(**spec.selfhost.model_dump()),
    )


def _field_name(path: tuple[Any, ...], data: dict[str, Any]) -> str:
    """``("lines", 1, "images")`` -> ``line 2 'finals', images``: as a person counts."""
    if len(path) >= 2 and path[0] == "lines" and isinstance(path[1], int):
        items = data.get("lines")
        name = None
        if isinstance(items, list) and path[1] < len(items) and isinstance(items[path[1]], dict):
            name = items[path[1]].get("name")
        label = f"line {path[1] + 1}" + (f" {name!r}" if isinstance(name, str) else "")
        rest = _dotted(path[2:])
        return f"{label}, {rest}" if rest else label
    return _dotted(path) or "file"


def _dotted(path: tuple[Any, ...]) -> str:
    # A key may hold anything a quoted YAML string can (ESC, newlines): never print it raw.
    return ".".join(part if part.isprintable() else repr(part) for part in map(str, path))


def parse_workload(text: str, origin: str) -> Workload:
    spec, lines = load_validated(
        text,
        origin,
        WorkloadSpec,
        "a workload file is a YAML mapping with a 'lines' list",
        _field_name,
    )
    return _to_workload(spec, origin, lines)


def load_workload(path: str | Path) -> Workload:
    return parse_workload(read_user_file(path, "workload file"), str(path))


def load_workload_at(ref: str, path: str | Path) -> Workload:
    """The workload file ``path`` as it was at git revision ``ref`` (``--base-ref``)."""
    import subprocess

    where = Path(path)
    try:
        done = subprocess.run(
            ["git", "-C", str(where.parent), "show", f"{ref}:./{where.name}"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        raise FluxcostError("--base-ref needs git, which is not installed here") from None
    if done.returncode:
        reason = (done.stderr.strip().splitlines() or ["git show failed"])[-1]
        raise FluxcostError(f"--base-ref {ref}: {reason.removeprefix('fatal: ')}")
    return parse_workload(done.stdout, f"{ref}:{path}")


def preset_texts() -> dict[str, str]:
    """Each preset's workload file, by name (``fluxcost presets --show NAME`` prints it)."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(PRESETS.glob("*.yaml"))}


def load_preset(name: str) -> Workload:
    texts = preset_texts()
    if name not in texts:
        close = closest(name, {preset: preset for preset in texts}, cutoff=0.4)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise FluxcostError(f"unknown preset {name!r}: {hint}presets are {', '.join(texts)}")
    return parse_workload(texts[name], f"preset {name}")


def workload_json_schema() -> dict[str, Any]:
    schema = WorkloadSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
