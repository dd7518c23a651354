"""Pydantic models for ``pricing.yaml``: the strict boundary between raw YAML and the engine."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

_ASPECT = re.compile(r"^[1-9][0-9]*:[1-9][0-9]*$")


def _exact_decimal(value: Any) -> Any:
    # A YAML float has already gone through binary floating point; money must not.
    if isinstance(value, float):
        raise ValueError("write prices as quoted strings (e.g. '1.5'), not floats")
    if isinstance(value, bool):
        raise ValueError("a price must be a number")
    return value


Credits = Annotated[Decimal, BeforeValidator(_exact_decimal), Field(ge=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LimitsSpec(_Strict):
    multiple_of: int | None = Field(default=None, ge=1)
    min_side: int | None = Field(default=None, ge=1)
    warn_below_side: int | None = Field(default=None, ge=1)
    max_side: int | None = Field(default=None, ge=1)
    max_output_pixels: int | None = Field(default=None, ge=1)
    max_total_pixels: int | None = Field(default=None, ge=1)
    aspect_min: str | None = Field(default=None, pattern=_ASPECT.pattern)
    aspect_max: str | None = Field(default=None, pattern=_ASPECT.pattern)
    max_inputs: int = Field(default=0, ge=0)
    sized_by_api: bool = False


class ModelSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    name: str = Field(min_length=1)
    family: Literal["flux2", "flux1"]
    billing: Literal["per_megapixel", "flat", "local_only"]
    endpoint: str | None = None
    aliases: list[str] = Field(default_factory=list)
    first_mp_credits: Credits | None = None
    extra_mp_credits: Credits | None = None
    input_mp_credits: Credits | None = None
    credits_per_image: Credits | None = None
    limits: LimitsSpec = Field(default_factory=LimitsSpec)
    source: str = Field(pattern=r"^https?://\S+$")
    checked: dt.date
    confidence: Literal["official", "third-party", "provisional"]
    note: str = ""

    @model_validator(mode="after")
    def _prices_match_billing(self) -> ModelSpec:
        per_mp = ("first_mp_credits", "extra_mp_credits", "input_mp_credits")
        given = {name for name in (*per_mp, "credits_per_image") if getattr(self, name) is not None}
        if self.billing == "per_megapixel":
            required, allowed = set(per_mp), set(per_mp)
        elif self.billing == "flat":
            required, allowed = {"credits_per_image"}, {"credits_per_image"}
        else:  # local_only: no API, so no price at all
            required, allowed = set(), set()
        if missing := sorted(required - given):
            raise ValueError(f"billing {self.billing} needs {', '.join(missing)}")
        if extra := sorted(given - allowed):
            raise ValueError(f"billing {self.billing} does not take {', '.join(extra)}")
        return self


class RateFileSpec(_Strict):
    schema_version: Literal[1]
    currency: Literal["USD"]
    credit_usd: Credits
    prices_checked: dt.date
    models: list[ModelSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_unique(self) -> RateFileSpec:
        owner: dict[str, str] = {}
        for model in self.models:
            for name in (model.id, *model.aliases):
                key = name.lower()
                if key in owner:
                    raise ValueError(
                        f"name {name!r} of model {model.id} is already used by {owner[key]}"
                    )
                owner[key] = model.id
        return self


def field_name(path: tuple[Any, ...], data: dict[str, Any]) -> str:
    """``("models", 2, "first_mp_credits")`` -> ``model flux2-pro, field first_mp_credits``."""
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
