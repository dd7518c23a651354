"""Rate-table files (pricing.yaml, ``--rates FILE``): YAML validated into the types of rates.py.

pydantic validates the very dataclasses that pricing uses: their ``Annotated`` constraints and
``__post_init__`` checks are the rules, so there is no second schema to keep in step. Any
problem is one line, ``FILE:LINE: model X, field Y: what is wrong``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    Discriminator,
    GetCoreSchemaHandler,
    RootModel,
    Strict,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic_core import CoreSchema, ErrorDetails, InitErrorDetails
from pydantic_core import core_schema as cs

from fluxcost.errors import read_user_file
from fluxcost.rates import BILLING_KINDS, RateTable
from fluxcost.yaml_files import load_validated

_KINDS = [f.default for kind in BILLING_KINDS for f in dataclasses.fields(kind) if f.name == "kind"]
_KIND_ERROR = ValueError(f"must be one of {', '.join(map(str, _KINDS))}")
_VERSION_ERROR = ValueError(
    "this fluxcost reads schema_version 2, where each model's prices go under `billing:`"
    " with their `kind` (see the packaged pricing.yaml)"
)
_DERIVED = frozenset({"origin", "priced_on", "your_rates"})
# pydantic's words for a dataclass's arguments, as a person editing a file would say them.
_FILE_WORDS = {
    "unexpected_keyword_argument": "extra_forbidden",
    "missing_keyword_only_argument": "missing",
    "missing_argument": "missing",
}


def boundary_schema(rule: str, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
    """The schema of a field that rates.py marks with a rule for files (``_Boundary``)."""
    if rule == "kind":
        # The member of the billing union is the one ``kind`` names. pydantic puts that
        # member's tag first in the location of an error inside it; it is taken out again, so
        # that the location is the file's own path (``billing.first_mp_credits``).
        tagged = Discriminator("kind").__get_pydantic_core_schema__(source, handler)
        return cs.no_info_wrap_validator_function(_untagged, tagged)
    if rule == "exact":  # pydantic's strict mode: 5, not 5.0, "5" or true
        return handler.generate_schema(Annotated[source, Strict()])
    schema = handler(source)  # "given": X | None, where only X may be written
    inner = schema["schema"] if schema["type"] == "nullable" else schema
    return cs.no_info_before_validator_function(_given, inner)


def _given(value: Any) -> Any:
    if value is None:
        raise ValueError("null is not a value here: leave the key out for no limit")
    return value


def _untagged(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError as exc:
        raise _rebuilt(exc, _without_tag) from None


def _without_tag(error: ErrorDetails) -> InitErrorDetails:
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return _value_error(("kind",), error["input"], _KIND_ERROR)
    return _detail(error, error["type"], error["loc"][1:])


def _in_file_words(error: ErrorDetails) -> InitErrorDetails:
    if error["loc"] == ("schema_version",):
        return _value_error(error["loc"], error["input"], _VERSION_ERROR)
    return _detail(error, _FILE_WORDS.get(error["type"], error["type"]), error["loc"])


def _value_error(loc: tuple[int | str, ...], value: Any, error: ValueError) -> InitErrorDetails:
    return {"type": "value_error", "loc": loc, "input": value, "ctx": {"error": error}}


def _detail(error: ErrorDetails, kind: str, loc: tuple[int | str, ...]) -> InitErrorDetails:
    detail: InitErrorDetails = {"type": kind, "loc": loc, "input": error["input"]}
    if "ctx" in error:
        detail["ctx"] = error["ctx"]
    return detail


def _rebuilt(
    exc: ValidationError, change: Callable[[ErrorDetails], InitErrorDetails]
) -> ValidationError:
    return ValidationError.from_exception_data(exc.title, [change(e) for e in exc.errors()])


class RateFile(RootModel[RateTable]):
    """A rate-table file: a RateTable, with only the keys a file may set."""

    @model_validator(mode="wrap")
    @classmethod
    def _as_a_file(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        # Where it was read from, and what --as-of and your rates made of it: not keys.
        if isinstance(data, dict) and (derived := _DERIVED.intersection(data)):
            raise ValidationError.from_exception_data(
                cls.__name__,
                [{"type": "extra_forbidden", "loc": (min(derived),), "input": None}],
            )
        try:
            return handler(data)
        except ValidationError as exc:
            raise _rebuilt(exc, _in_file_words) from None


def field_name(path: tuple[Any, ...], data: dict[str, Any]) -> str:
    """``("models", 2, "billing", "kind")`` -> ``model flux2-pro, field billing.kind``."""
    where: list[str] = []
    loc = list(path)
    if len(loc) >= 2 and loc[0] == "models" and isinstance(loc[1], int):
        index = loc[1]
        models = data.get("models")
        model_id = None
        if isinstance(models, list) and index < len(models) and isinstance(models[index], dict):
            model_id = models[index].get("id")
        where.append(f"model {model_id}" if model_id else f"models[{index}]")
        loc = loc[2:]
    if loc:
        where.append("field " + ".".join(str(part) for part in loc))
    return ", ".join(where) or "file"


def parse_rates(text: str, origin: str) -> RateTable:
    """Validate YAML text as a rate table; any problem is one FluxcostError line."""
    spec, _ = load_validated(
        text, origin, RateFile, "a rate table is a YAML mapping with a models list", field_name
    )
    return dataclasses.replace(spec.root, origin=origin)


def read_rates(path: str | Path) -> RateTable:
    """The rate table in the YAML file at ``path``, validated (as every ``--rates`` file is)."""
    return parse_rates(read_user_file(path, "rate table"), str(path))
