"""The report of ``fluxcost models``: the rate table as a person and a script read it.

Money is Decimal; a Decimal field named ``usd`` or ``*_usd`` is dollars (see render_text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fluxcost.rates import Limits, ModelRate, RateTable


@dataclass(frozen=True, slots=True)
class ModelRow:
    id: str
    name: str
    family: str
    billing: str
    endpoint: str | None
    aliases: tuple[str, ...]
    first_mp_credits: Decimal | None
    extra_mp_credits: Decimal | None
    input_mp_credits: Decimal | None
    credits_per_image: Decimal | None
    limits: Limits
    source: str
    checked: dt.date
    confidence: str
    note: str
    rates_text: str  # the rates and limits as a person reads them
    limits_text: str


@dataclass(frozen=True, slots=True)
class ModelsReport:
    currency: str
    credit_usd: Decimal
    prices_checked: dt.date
    rates: str
    models: tuple[ModelRow, ...]


def _model_row(m: ModelRate) -> ModelRow:
    from fluxcost.views import limits_text, rates_text

    return ModelRow(
        id=m.id,
        name=m.name,
        family=m.family,
        billing=_kind(m),
        endpoint=m.endpoint,
        aliases=m.aliases,
        first_mp_credits=m.first_mp_credits,
        extra_mp_credits=m.extra_mp_credits,
        input_mp_credits=m.input_mp_credits,
        credits_per_image=m.credits_per_image,
        limits=m.limits,
        source=m.source,
        checked=m.checked,
        confidence=m.confidence,
        note=m.note,
        rates_text=rates_text(m),
        limits_text=limits_text(m),
    )


def models_report(table: RateTable) -> ModelsReport:
    return ModelsReport(
        currency=table.currency,
        credit_usd=table.credit_usd,
        prices_checked=table.prices_checked,
        rates=table.origin,
        models=tuple(_model_row(m) for m in table.models),
    )


def _kind(m: ModelRate) -> str:
    return m.billing
