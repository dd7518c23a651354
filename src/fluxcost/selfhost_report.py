"""The report of ``fluxcost selfhost``: self-hosting against the API, per image and per month.

Money is exact (a ``Fraction``: GPU cost per image is dollars per hour x seconds / 3600) and is
rounded once, for display: totals half-up to the cent, per-image figures to 6 significant
digits. JSON carries the exact value where its decimal ends, else the rounded one with
``"rounded": true``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from fluxcost.money import plain, plural, usd, usd_shown
from fluxcost.selfhost import PERIOD, Source, exact_decimal, magnitude

if TYPE_CHECKING:
    from fluxcost.selfhost import Comparison

PER_IMAGE_DIGITS = 6  # significant digits of a per-image figure on display
ROUNDED_MARK = "~"


def _half_up(value: Fraction, exponent: int) -> Decimal:
    """``value`` rounded half away from zero to a multiple of ``10 ** exponent``."""
    steps = math.floor(abs(value) / Fraction(10) ** exponent + Fraction(1, 2))
    return Decimal(f"{'-' if value < 0 else ''}{steps}E{exponent}")


@dataclass(frozen=True, slots=True)
class Usd:
    """Exact dollars, and how they are shown: to the cent, or to 6 significant digits."""

    exact: Fraction
    per_image: bool = False

    @property
    def rounded(self) -> Decimal:
        if not self.exact:
            return Decimal(0)
        if self.per_image:
            return _half_up(self.exact, magnitude(abs(self.exact)) - PER_IMAGE_DIGITS + 1)
        return _half_up(self.exact, -2)

    @property
    def display_rounded(self) -> bool:
        return Fraction(self.rounded) != self.exact

    @property
    def text(self) -> str:
        """``1,074.00``, ``0.00075``: the figure as shown, without a rounding mark."""
        return usd_shown(self.rounded)

    @property
    def shown(self) -> str:
        """The figure as shown, marked ``~`` when it was rounded for display."""
        return (ROUNDED_MARK if self.display_rounded else "") + self.text

    @property
    def dollars(self) -> str:
        """``$1,074.00``, ``~$0.000760417``."""
        return (ROUNDED_MARK if self.display_rounded else "") + "$" + self.text

    def json_data(self) -> dict[str, Any]:
        exact = exact_decimal(self.exact)
        return {"usd": usd(self.rounded if exact is None else exact), "rounded": exact is None}

    def __str__(self) -> str:  # a CSV cell: the JSON figure
        return str(self.json_data()["usd"])


@dataclass(frozen=True, slots=True)
class GpuRow:
    gpu: str  # the GPU's name, or "your GPU" when only its figures were given
    preset: str | None  # the --gpu name
    provider: str | None
    billing: str | None  # per_second or per_hour, for a priced preset
    usd_per_hour: Decimal
    price_from: str  # "--gpu-usd-hour" or the preset
    seconds_per_image: Decimal  # at the requested size
    seconds_from: str  # "--seconds-per-image" or the measurement it was scaled from
    utilization_percent: Decimal


@dataclass(frozen=True, slots=True)
class TierRow:
    tier: str
    models: str
    images_per_month: int | None  # None: no published cap
    terms: str


@dataclass(frozen=True, slots=True)
class SourceRow:
    figure: str
    url: str
    checked: dt.date
    confidence: str
    as_of: dt.date | None


@dataclass(frozen=True, slots=True)
class SelfhostReport:
    """Self-hosting one open-weight model against the API for images of one size, per month:
    the GPU, the licence, each option's cost, the break-even, and where every fact came from."""

    model: str
    model_name: str
    licence: str
    commercial_use_free: bool
    size: str
    period: str
    images: int | None  # per period; None: per-image figures and the break-even only
    gpu: GpuRow
    gpu_per_image: Usd
    licence_per_period: Usd
    licence_tier: str | None
    licence_cap_images: int | None  # the named tier's cap
    api_model: str
    api_model_name: str
    api_per_image: Usd
    selfhost_total: Usd | None
    selfhost_per_image_all_in: Usd | None  # the total over the images
    api_total: Usd | None
    saving: Usd | None  # API total less self-hosted total: negative when self-hosting costs more
    break_even: Literal["images", "never", "always"]
    break_even_images: int | None
    break_even_reason: str
    tiers: tuple[TierRow, ...]  # every tier that covers the model: what to ask BFL for
    reference_licence: str
    warnings: tuple[str, ...]
    notes: tuple[str, ...]
    sources: tuple[SourceRow, ...]

    def money(self) -> list[Usd]:
        """Every money figure the report shows."""
        return [m for f in fields(self) if isinstance(m := getattr(self, f.name), Usd)]

    def rows(self) -> list[tuple[str, Usd | None, Usd | None]]:
        """The comparison table: (what, self-hosted, API)."""
        rows: list[tuple[str, Usd | None, Usd | None]] = [
            ("per image (GPU time / API price)", self.gpu_per_image, self.api_per_image),
            (f"licence per {self.period}", self.licence_per_period, None),
        ]
        if self.images is not None:
            rows.append((f"total, {plural(self.images, 'image')}", self.selfhost_total,
                         self.api_total))  # fmt: skip
            if self.selfhost_per_image_all_in is not None:
                all_in = self.selfhost_per_image_all_in
                rows.append(("per image, all in", all_in, self.api_per_image))
        return rows

    def all_notes(self) -> list[str]:
        return [*self.notes, *filter(None, [self.rounding_note()])]

    def rounding_note(self) -> str | None:
        """Why some figures carry ``~``, when any does."""
        if not any(m.display_rounded for m in self.money()):
            return None
        return (
            f"{ROUNDED_MARK} marks a figure rounded for display: totals half-up to the cent,"
            f" per-image figures to {PER_IMAGE_DIGITS} significant digits; --format json"
            " carries the exact values"
        )

    def gpu_sentence(self) -> str:
        g = self.gpu
        where = g.gpu + (f" on {g.provider}" if g.provider else "")
        return (
            f"GPU: {where} at ${usd_shown(g.usd_per_hour)}/hour ({g.price_from}),"
            f" {plain(g.seconds_per_image)} s per image ({g.seconds_from}),"
            f" {plain(g.utilization_percent)}% utilization: {self.gpu_per_image.dollars} per image"
        )

    def licence_sentence(self) -> str:
        tier = ""
        if self.licence_tier is not None:
            cap = self.licence_cap_images
            tier = f", {self.licence_tier} tier" + (
                f" (cap {cap:,} images a {self.period})" if cap is not None else ""
            )
        free = ", free for commercial use" if self.commercial_use_free else ""
        fee = f"{self.licence_per_period.dollars} a {self.period}"
        return f"Licence: {self.licence}{free}; {fee}{tier}"

    def break_even_sentence(self) -> str:
        if self.break_even == "images":
            assert self.break_even_images is not None
            verdict = f"{self.break_even_images:,} images a {self.period}"
        else:
            verdict = self.break_even
        return f"Break-even: {verdict}. {self.break_even_reason}"

    def saving_sentence(self) -> str | None:
        if self.images is None or self.saving is None:
            return None
        assert self.selfhost_total is not None and self.api_total is not None
        at = f"At {self.images:,} images a {self.period}"
        both = f"(self-hosted {self.selfhost_total.dollars}, API {self.api_total.dollars})"
        if self.saving.exact > 0:
            return f"{at}, self-hosting saves {self.saving.dollars} a {self.period} {both}."
        if self.saving.exact < 0:
            more = Usd(-self.saving.exact)
            return f"{at}, self-hosting costs {more.dollars} a {self.period} more {both}."
        return f"{at}, self-hosting costs the same as the API {both}."


def selfhost_report(c: Comparison) -> SelfhostReport:
    gpu_per_image = Usd(c.gpu_per_image, per_image=True)
    api_per_image = Usd(c.api_per_image, per_image=True)
    licence = Usd(c.licence_usd)
    totals = _totals(c)
    return SelfhostReport(
        model=c.model.id,
        model_name=c.model.name,
        licence=c.licence.name,
        commercial_use_free=c.licence.commercial_use_free,
        size=str(c.size),
        period=PERIOD,
        images=c.images,
        gpu=_gpu_row(c),
        gpu_per_image=gpu_per_image,
        licence_per_period=licence,
        licence_tier=None if c.tier is None else c.tier.name,
        licence_cap_images=None if c.tier is None else c.tier.images_per_month,
        api_model=c.api.model.id,
        api_model_name=c.api.model.name,
        api_per_image=api_per_image,
        **totals,
        break_even=c.break_even.kind,
        break_even_images=c.break_even.images,
        break_even_reason=_reason(c, gpu_per_image, api_per_image, licence),
        tiers=tuple(TierRow(t.name, t.models, t.images_per_month, t.terms) for t in c.tiers),
        reference_licence=_reference(c),
        warnings=c.warnings,
        notes=c.notes,
        sources=_sources(c),
    )


def _totals(c: Comparison) -> dict[str, Usd | None]:
    names = ("selfhost_total", "selfhost_per_image_all_in", "api_total", "saving")
    if c.images is None:
        return dict.fromkeys(names)
    selfhost, api = c.selfhost_total(c.images), c.api_total(c.images)
    all_in = Usd(selfhost / c.images, per_image=True) if c.images else None
    return dict(zip(names, (Usd(selfhost), all_in, Usd(api), Usd(api - selfhost)), strict=True))


def _gpu_row(c: Comparison) -> GpuRow:
    g = c.gpu
    percent = exact_decimal(c.utilization * 100)
    assert percent is not None  # typed as a decimal, so it ends
    if g.speed is None:
        seconds_from = "--seconds-per-image"
    else:
        scaled = "" if str(c.size) == "1024x1024" else f", scaled to {c.size}"
        seconds_from = f"measured at 1024x1024: {g.speed.seconds} s{scaled}"
    return GpuRow(
        gpu="your GPU" if g.gpu is None else g.gpu.name,
        preset=g.offer.id if g.offer else g.gpu.id if g.gpu else None,
        provider=None if g.offer is None else g.offer.provider,
        billing=None if g.offer is None else g.offer.billing,
        usd_per_hour=g.usd_per_hour,
        price_from="--gpu-usd-hour" if g.price_given or g.offer is None else f"preset {g.offer.id}",
        seconds_per_image=g.seconds_per_image,
        seconds_from=seconds_from,
        utilization_percent=percent,
    )


def _reason(c: Comparison, gpu: Usd, api: Usd, licence: Usd) -> str:
    per_image = f"{gpu.dollars} per image on the GPU against {api.dollars} on the API"
    if c.break_even.kind == "never":
        return (
            f"Self-hosting never costs less: {per_image}, so the GPU alone costs"
            f" {'as much as' if c.gpu_per_image == c.api_per_image else 'more than'} the API."
        )
    if c.break_even.kind == "always":
        return f"Self-hosting costs less from the first image: no licence fee, and {per_image}."
    return (
        f"From there on self-hosting costs no more than the API: {licence.dollars} licence"
        f" / ({api.dollars} - {gpu.dollars} per image), rounded up."
    )


def _reference(c: Comparison) -> str:
    ref = c.reference
    return (
        f"For scale: the {ref.name} was reported at ${ref.usd_per_month:,} a month,"
        f" {ref.images_included:,} images included ({ref.terms})."
    )


def _sources(c: Comparison) -> tuple[SourceRow, ...]:
    def row(figure: str, source: Source) -> SourceRow:
        return SourceRow(figure, source.url, source.checked, source.confidence, source.as_of)

    rows = []
    g = c.gpu
    if g.offer is not None and not g.price_given:
        rows.append(row(f"{g.offer.id} at ${usd_shown(g.usd_per_hour)}/hour", g.offer.source))
    if g.speed is not None and g.gpu is not None:
        rows.append(row(f"{g.speed.model} on {g.gpu.id} in {g.speed.seconds} s", g.speed.source))
    rows.append(row(f"licence of {c.model.id}: {c.licence.name}", c.licence.source))
    if c.tiers:
        names = ", ".join(t.name for t in c.tiers)
        rows.append(row(f"BFL licence tiers ({names})", c.tiers[0].source))
    ref = c.reference
    rows.append(row(f"{ref.name} at ${ref.usd_per_month:,}/month", ref.source))
    if ref.confirmed_by is not None:
        figure = f"self-serve licences invoiced monthly over {ref.images_included:,} images"
        rows.append(row(figure, ref.confirmed_by))
    api = c.api.model
    rows.append(SourceRow(f"{api.id} API rates", api.source, api.checked, api.confidence, None))
    return tuple(rows)
