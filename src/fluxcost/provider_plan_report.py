"""The report of ``fluxcost workload --provider NAME`` and ``workload --providers``: the plan
at a provider, and the same workload at every provider asked for, cheapest first.

Money is exact and rounded once, for display (``Usd``: totals half-up to the cent, per-image
figures to 6 significant digits); JSON carries the exact value where its decimal ends, else
the rounded one with ``"rounded": true``. CSV and Markdown are here (render_text.py dispatches
to them); provider_tables.py draws the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar

from fluxcost.money import plural
from fluxcost.provider_report import ROUNDING_NOTE, _table
from fluxcost.quote_report import PER_THOUSAND
from fluxcost.selfhost_report import Usd

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fluxcost.provider_workload import PricedAt, ProviderOption
    from fluxcost.workload import Workload


@dataclass(frozen=True, slots=True)
class ProviderPlanLine:
    name: str
    model: str
    model_name: str
    model_chosen_as_cheapest: bool
    images: int
    batch: int
    requests: int
    billed_images: int
    size: str
    inputs: tuple[str, ...]
    steps: int | None  # the steps priced, when the price depends on them
    per_image_usd: Usd
    total_usd: Usd
    confidence: str
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProviderPlanOption:
    """The whole workload at one provider (on ``model`` when moved to one), or why not."""

    provider: str
    models: tuple[str, ...]  # the models its lines are priced on (none when it cannot serve)
    can_serve: bool
    reason: str | None
    per_image_usd: Usd | None  # only for a one-line workload
    per_1000_usd: Usd | None
    total_usd: Usd | None
    difference_usd: Usd | None  # more than the cheapest
    cheapest: bool
    over_budget: bool | None

    @property
    def more(self) -> Usd | None:
        """How much more than the cheapest, when it is more."""
        difference = self.difference_usd
        return difference if difference is not None and difference.exact else None


@dataclass(frozen=True, slots=True)
class ProviderPlanReport:
    name: str
    period: str
    provider: str  # where the plan as written is priced
    provider_name: str
    total_usd: Usd
    budget_usd: Decimal | None
    over_budget: bool
    warn_at_percent: Decimal | None
    budget_warning: bool
    lines: tuple[ProviderPlanLine, ...]
    providers: tuple[ProviderPlanOption, ...] | None = None  # with --providers or --compare
    converted_from: str | None = None
    notes: tuple[str, ...] = ()

    omit_if_none: ClassVar[tuple[str, ...]] = ("providers", "converted_from")

    def budget_sentence(self) -> str | None:
        """``within budget: $50.00 of $60.00 per month (83%)``, or the over-budget verdict."""
        budget = self.budget_usd
        if budget is None:
            return None
        total = self.total_usd
        share = f" ({_percent(total.exact * 100 / Fraction(budget)):.0f}%)" if budget else ""
        at = f" at {self.provider}"
        if self.over_budget:
            over = Usd(total.exact - Fraction(budget))
            return (f"OVER BUDGET: {total.dollars} per {self.period}{at} is {over.dollars} over"
                    f" the budget of {Usd(Fraction(budget)).dollars}{share}")  # fmt: skip
        return (f"within budget: {total.dollars} of {Usd(Fraction(budget)).dollars} per"
                f" {self.period}{at}{share}")  # fmt: skip

    def title(self) -> str:
        converted = f" ({self.converted_from})" if self.converted_from else ""
        return f"Workload {self.name} at {self.provider_name}, per {self.period}{converted}"

    def all_notes(self) -> tuple[str, ...]:
        figures = [self.total_usd, *(f for line in self.lines for f in (line.per_image_usd,
                   line.total_usd))]  # fmt: skip
        figures += [f for o in self.providers or () for f in (o.per_image_usd, o.total_usd) if f]
        notes = sorted(set(self.notes))
        return (*notes, *((ROUNDING_NOTE,) if any(f.display_rounded for f in figures) else ()))

    def csv_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        if self.providers is not None:  # the comparison is what was asked for
            options = (
                "provider",
                "models",
                "can_serve",
                "per_image_usd",
                "per_1000_usd",
                "total_usd",
                "difference_usd",
                "cheapest",
                "over_budget",
                "reason",
            )
            return options, [[o.provider, o.models, o.can_serve, o.per_image_usd, o.per_1000_usd,
                             o.total_usd, o.difference_usd, o.cheapest, o.over_budget, o.reason]
                            for o in self.providers]  # fmt: skip
        header = ("name", "provider", "model", "images", "batch", "requests", "billed_images",
                  "size", "inputs", "steps", "per_image_usd", "total_usd")  # fmt: skip
        rows: list[list[object]] = [
            [line.name, self.provider, line.model, line.images, line.batch, line.requests,
             line.billed_images, line.size, line.inputs, line.steps, line.per_image_usd,
             line.total_usd] for line in self.lines]  # fmt: skip
        rows.append(["TOTAL", self.provider, *[""] * 9, self.total_usd])
        return header, rows

    def markdown(self) -> list[str]:
        out = [f"### fluxcost: {self.title()}", ""]
        rows = [[line.name, line.model + (" (cheapest)" if line.model_chosen_as_cheapest
                 else ""), f"{line.images:,}" + _billed(line), _size(line),
                 line.per_image_usd.dollars, line.total_usd.dollars]
                for line in self.lines]  # fmt: skip
        rows.append(["**total**", "", "", "", "", f"**{self.total_usd.dollars}**"])
        header = ["line", "model", "images", "size", "per image", "total"]
        out += _table(header, rows, {2, 4, 5})
        if sentence := self.budget_sentence():
            out += ["", f"**{sentence}**" if self.over_budget else sentence]
            if self.budget_warning:
                out += ["", f"**Warning:** past the {self.warn_at_percent}% warning line."]
        if self.providers is not None:
            out += ["", "#### Every provider, cheapest first", ""]
            header = ["provider", "model", "per image", "per 1,000", "total", "vs cheapest",
                      "status or reason"]  # fmt: skip
            out += _table(header, [_option_cells(o) for o in self.providers], {2, 3, 4, 5})
        return out + [line for n in self.all_notes() for line in ("", f"Note: {n}")]


def _percent(value: Fraction) -> Decimal:
    # As the BFL report shows a share (a Decimal formatted to whole percent).
    return Decimal(value.numerator) / Decimal(value.denominator)


def _billed(line: ProviderPlanLine) -> str:
    return "" if line.billed_images == line.images else f" ({line.billed_images:,} billed)"


def _size(line: ProviderPlanLine) -> str:
    inputs = f" + {plural(len(line.inputs), 'input')}" if line.inputs else ""
    steps = "" if line.steps is None else f", {plural(line.steps, 'step')}"
    return line.size + inputs + steps


def status(o: ProviderPlanOption) -> str:
    """``cheapest, over budget``, or ``cannot: <reason>``."""
    if not o.can_serve:
        return f"cannot: {o.reason}"
    return ", ".join(w for w, on in (("cheapest", o.cheapest), ("over budget", o.over_budget))
                     if on)  # fmt: skip


def _option_cells(o: ProviderPlanOption) -> list[str]:
    figures = [u.dollars if u else "" for u in (o.per_image_usd, o.per_1000_usd, o.total_usd)]
    more = "" if o.more is None else f"+{o.more.dollars}"
    return [o.provider, ", ".join(o.models), *figures, more, status(o)]


# -- building it --------------------------------------------------------------------------
def _line(p: PricedAt) -> ProviderPlanLine:
    q, request = p.quote, p.line.request
    confidence = q.model.confidence if q.offer is None else q.offer.confidence
    return ProviderPlanLine(
        name=p.line.name,
        model=q.model.id,
        model_name=q.model.name,
        model_chosen_as_cheapest=p.chosen,
        images=p.line.images,
        batch=p.line.batch,
        requests=p.requests,
        billed_images=p.billed_images,
        size=str(request.output),
        inputs=tuple(str(i) for i in request.inputs),
        steps=q.steps,
        per_image_usd=Usd(q.per_image, per_image=True),
        total_usd=Usd(p.total),
        confidence=confidence,
        notes=q.notes,
    )


def _over(total: Fraction | None, budget: Decimal | None) -> bool | None:
    return None if total is None or budget is None else total > Fraction(budget)


def _option(o: ProviderOption, low: Fraction | None, budget: Decimal | None) -> ProviderPlanOption:
    lines = o.lines or ()
    models = (o.model,) if o.model else tuple(dict.fromkeys(p.quote.model.id for p in lines))
    each = lines[0].quote.per_image if len(lines) == 1 else None
    total = o.total
    return ProviderPlanOption(
        provider=o.provider,
        models=models,
        can_serve=o.lines is not None,
        reason=o.reason,
        per_image_usd=None if each is None else Usd(each, per_image=True),
        per_1000_usd=None if each is None else Usd(each * PER_THOUSAND),
        total_usd=None if total is None else Usd(total),
        difference_usd=None if total is None or low is None else Usd(total - low),
        # Nothing to generate costs nothing everywhere: no provider is "cheapest" then.
        cheapest=total is not None and total == low and bool(total),
        over_budget=_over(total, budget),
    )


def provider_plan_report(
    work: Workload,
    at: tuple[str, str],
    lines: Sequence[PricedAt],
    options: Sequence[ProviderOption] | None = None,
) -> ProviderPlanReport:
    """The plan as written at ``at`` (provider id and name), and the comparison if made."""
    total = sum((p.total for p in lines), Fraction(0))
    budget, share = work.budget_usd, work.warn_at_percent
    over = bool(_over(total, budget))
    served = [o.total for o in options or () if o.total is not None]
    low = min(served) if served else None
    warn = budget is not None and share is not None and not over
    return ProviderPlanReport(
        name=work.name,
        period=work.period,
        provider=at[0],
        provider_name=at[1],
        total_usd=Usd(total),
        budget_usd=budget,
        over_budget=over,
        warn_at_percent=share,
        budget_warning=warn and total * 100 >= Fraction(budget or 0) * Fraction(share or 0),
        lines=tuple(_line(p) for p in lines),
        providers=None if options is None else tuple(_option(o, low, budget) for o in options),
        converted_from=work.converted_from,
        notes=tuple(dict.fromkeys(n for p in lines for n in p.quote.notes)),
    )
