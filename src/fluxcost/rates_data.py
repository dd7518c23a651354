"""The packaged rate table, compiled from pricing.yaml: do not edit, regenerate.

Written by ``python -m fluxcost.compile_rates`` after validating pricing.yaml with pydantic; a
test fails while it is out of date. rates.py uses it only while the installed pricing.yaml is
the file it was compiled from, the one whose sha256 is below.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fluxcost.rates import Flat, Limits, LocalOnly, ModelRate, PerMegapixel, RateTable

YAML_SHA256 = "032603e47086df71a4158fe79c814b51344fd0da9b82795ba7f2ed04bba17ff6"

TABLE = RateTable(
    schema_version=2,
    currency="USD",
    credit_usd=Decimal("0.01"),
    prices_checked=dt.date(2026, 11, 25),
    models=(
        ModelRate(
            id="flux2-klein-4b",
            name="FLUX.2 [klein] 4B",
            family="flux2",
            endpoint="flux-2-klein-4b",
            aliases=("flux-2-klein-4b", "klein-4b", "klein4b"),
            billing=PerMegapixel(
                first_mp_credits=Decimal("1.4"),
                extra_mp_credits=Decimal("0.1"),
                input_mp_credits=Decimal("0.1"),
            ),
            limits=Limits(
                multiple_of=16,
                min_side=64,
                warn_below_side=256,
                max_output_pixels=4194304,
                max_inputs=4,
            ),
            source="https://docs.bfl.ai/quick_start/pricing",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note="Pricing page worked example (2 MP = $0.015) and the skills repo formula agree.",
        ),
        ModelRate(
            id="flux2-klein-9b",
            name="FLUX.2 [klein] 9B",
            family="flux2",
            endpoint="flux-2-klein-9b",
            aliases=("flux-2-klein-9b", "klein-9b", "klein9b"),
            billing=PerMegapixel(
                first_mp_credits=Decimal("1.5"),
                extra_mp_credits=Decimal("0.2"),
                input_mp_credits=Decimal("0.2"),
            ),
            limits=Limits(
                multiple_of=16,
                min_side=64,
                warn_below_side=256,
                max_output_pixels=4194304,
                max_inputs=4,
            ),
            source="https://github.com/black-forest-labs/skills",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note=(
                'First MP matches the pricing page "from $0.015"; per-MP rate from the skills repo.'
            ),
        ),
        ModelRate(
            id="flux2-pro",
            name="FLUX.2 [pro]",
            family="flux2",
            endpoint="flux-2-pro",
            aliases=("flux-2-pro", "flux2pro"),
            billing=PerMegapixel(
                first_mp_credits=Decimal("3"),
                extra_mp_credits=Decimal("1.5"),
                input_mp_credits=Decimal("1.5"),
            ),
            limits=Limits(
                multiple_of=16,
                min_side=64,
                warn_below_side=256,
                max_output_pixels=4194304,
                max_total_pixels=9437184,
                max_inputs=8,
            ),
            source="https://docs.bfl.ai/quick_start/pricing",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note=(
                "Pricing page, skills repo and the ComfyUI price badges agree. 9 MP total across"
                " inputs and output."
            ),
        ),
        ModelRate(
            id="flux2-flex",
            name="FLUX.2 [flex]",
            family="flux2",
            endpoint="flux-2-flex",
            aliases=("flux-2-flex", "flux2flex"),
            billing=PerMegapixel(
                first_mp_credits=Decimal("5"),
                extra_mp_credits=Decimal("5"),
                input_mp_credits=Decimal("5"),
            ),
            limits=Limits(
                multiple_of=16,
                min_side=64,
                warn_below_side=256,
                max_output_pixels=4194304,
                max_inputs=8,
            ),
            source="https://github.com/black-forest-labs/skills",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note=(
                'Changed from 6 to 5 credits on 2026-01-28; matches the pricing page "from $0.05".'
            ),
        ),
        ModelRate(
            id="flux2-max",
            name="FLUX.2 [max]",
            family="flux2",
            endpoint="flux-2-max",
            aliases=("flux-2-max", "flux2max"),
            billing=PerMegapixel(
                first_mp_credits=Decimal("7"),
                extra_mp_credits=Decimal("3"),
                input_mp_credits=Decimal("3"),
            ),
            limits=Limits(
                multiple_of=16,
                min_side=64,
                warn_below_side=256,
                max_output_pixels=4194304,
                max_inputs=8,
            ),
            source="https://github.com/black-forest-labs/skills",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note=(
                'Skills repo and the ComfyUI price badges agree; the pricing page lists "from'
                ' $0.07".'
            ),
        ),
        ModelRate(
            id="flux2-dev",
            name="FLUX.2 [dev]",
            family="flux2",
            aliases=("flux-2-dev",),
            billing=LocalOnly(),
            source="https://docs.bfl.ai/quick_start/pricing",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note=(
                "Open weights, runs locally only; BFL sells no API for it (non-commercial without a"
                " licence)."
            ),
        ),
        ModelRate(
            id="kontext-pro",
            name="FLUX.1 Kontext [pro]",
            family="flux1",
            endpoint="flux-kontext-pro",
            aliases=("flux-kontext-pro", "flux1-kontext-pro"),
            billing=Flat(credits_per_image=Decimal("4")),
            limits=Limits(aspect_min="3:7", aspect_max="7:3", max_inputs=1, sized_by_api=True),
            source="https://docs.bfl.ai/quick_start/pricing",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note="Outputs about 1 MP at an aspect ratio from 3:7 to 7:3; takes one input image.",
        ),
        ModelRate(
            id="kontext-max",
            name="FLUX.1 Kontext [max]",
            family="flux1",
            endpoint="flux-kontext-max",
            aliases=("flux-kontext-max", "flux1-kontext-max"),
            billing=Flat(credits_per_image=Decimal("8")),
            limits=Limits(aspect_min="3:7", aspect_max="7:3", max_inputs=1, sized_by_api=True),
            source="https://docs.bfl.ai/quick_start/pricing",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note="Outputs about 1 MP at an aspect ratio from 3:7 to 7:3; takes one input image.",
        ),
        ModelRate(
            id="flux1.1-pro",
            name="FLUX1.1 [pro]",
            family="flux1",
            endpoint="flux-pro-1.1",
            aliases=("flux-pro-1.1", "flux11-pro", "flux-1.1-pro"),
            billing=Flat(credits_per_image=Decimal("4")),
            limits=Limits(multiple_of=32, min_side=256, max_side=1440),
            source="https://docs.bfl.ai/quick_start/pricing",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note=(
                "Price official; the 256-1440 px, multiple-of-32 size rule comes from two"
                " third-party sources."
            ),
        ),
        ModelRate(
            id="flux1.1-pro-ultra",
            name="FLUX1.1 [pro] Ultra",
            family="flux1",
            endpoint="flux-pro-1.1-ultra",
            aliases=("flux-pro-1.1-ultra", "flux11-pro-ultra", "ultra"),
            billing=Flat(credits_per_image=Decimal("6")),
            limits=Limits(aspect_min="9:21", aspect_max="21:9", sized_by_api=True),
            source="https://docs.bfl.ai/quick_start/pricing",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note=(
                "Takes an aspect ratio from 21:9 to 9:21 (about 4 MP, third party); the API sets"
                " the size."
            ),
        ),
        ModelRate(
            id="flux1.1-pro-raw",
            name="FLUX1.1 [pro] Raw",
            family="flux1",
            endpoint="flux-pro-1.1-ultra",
            aliases=("flux-pro-1.1-ultra-raw", "flux11-pro-raw", "raw"),
            billing=Flat(credits_per_image=Decimal("6")),
            limits=Limits(aspect_min="9:21", aspect_max="21:9", sized_by_api=True),
            source="https://docs.bfl.ai/quick_start/pricing",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note="The Ultra endpoint with raw mode on; same price and aspect-ratio range as Ultra.",
        ),
        ModelRate(
            id="flux1-fill-pro",
            name="FLUX.1 Fill [pro]",
            family="flux1",
            endpoint="flux-pro-1.0-fill",
            aliases=("flux-pro-1.0-fill", "fill-pro", "flux-fill-pro"),
            billing=Flat(credits_per_image=Decimal("5")),
            limits=Limits(min_inputs=1, max_inputs=1),
            source="https://docs.bfl.ai/quick_start/pricing",
            checked=dt.date(2026, 11, 25),
            confidence="official",
            note=(
                "Inpainting; takes exactly one input, the image to fill (it and its mask are in the"
                " flat price)."
            ),
        ),
    ),
)
