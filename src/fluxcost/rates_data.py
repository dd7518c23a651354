"""The packaged rate table, compiled from pricing.yaml: do not edit, regenerate.

Written by ``python -m fluxcost.compile_rates`` after validating pricing.yaml with pydantic; a
test fails while it is out of date. rates.py uses it only while the installed pricing.yaml is
the file it was compiled from, the one whose sha256 is below.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fluxcost.rates import DatedBilling, Flat, Limits, LocalOnly, ModelRate, PerMegapixel, RateTable

YAML_SHA256 = "eacf6bc19f67137bf496c83050c458cef5b8aeceb51d43db9ac0dbfcd5d3a3d8"

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
            note=(
                "Pricing page worked example (2 MP = $0.015) and the skills repo formula agree."
                " Sold since the [klein] release on 2026-01-15 (BFL's flux2 README); no other price"
                " is known."
            ),
            since=dt.date(2026, 1, 15),
            since_source="https://github.com/black-forest-labs/flux2",
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
                " Sold since the [klein] release on 2026-01-15 (BFL's flux2 README); no other price"
                " is known."
            ),
            since=dt.date(2026, 1, 15),
            since_source="https://github.com/black-forest-labs/flux2",
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
                " inputs and output. Launched 2025-11-25 (BFL's FLUX.2 announcement) at this price;"
                " no change is known."
            ),
            since=dt.date(2025, 11, 25),
            since_source="https://bfl.ai/blog/flux-2",
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
                "Changed from 6 to 5 credits per MP on 2026-01-28, the day BFL's skills repo"
                " changed it (commit 937fe03; BFL gave no effective date); matches the pricing page"
                ' "from $0.05".'
            ),
            since=dt.date(2026, 1, 28),
            since_source=(
                "https://github.com/black-forest-labs/skills/commit/937fe0359123e2a44a409933690b1eb475077f53"
            ),
            history=(
                DatedBilling(
                    since=dt.date(2025, 11, 25),
                    billing=PerMegapixel(
                        first_mp_credits=Decimal("6"),
                        extra_mp_credits=Decimal("6"),
                        input_mp_credits=Decimal("6"),
                    ),
                    source=(
                        "https://github.com/black-forest-labs/skills/commit/99cc90a65c1cce7eb975ed36e4d898e23080bd42"
                    ),
                    confidence="official",
                    note=(
                        "6 credits per MP in and out from the FLUX.2 launch (bfl.ai/blog/flux-2,"
                        " 2025-11-25); BFL's skills repo lists 6c per MP (1 MP $0.06, edit $0.12)"
                        " until commit 937fe03."
                    ),
                ),
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
                ' $0.07". No first date from BFL was found (third parties say December 2025,'
                " unconfirmed), so it is priced from 2026-01-24, the earliest date a source we cite"
                " prices it (the skills repo, commit 99cc90a)."
            ),
            since=dt.date(2026, 1, 24),
            since_source=(
                "https://github.com/black-forest-labs/skills/commit/99cc90a65c1cce7eb975ed36e4d898e23080bd42"
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
            note=(
                "Outputs about 1 MP at an aspect ratio from 3:7 to 7:3; takes one input image."
                " Launched with Kontext [max] on 2025-05-29 (a third-party timeline; BFL's own post"
                " was not found) at this price; no change is known."
            ),
            since=dt.date(2025, 5, 29),
            since_source="https://www.fuseaitools.com/news/flux-kontext-development-history",
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
            note=(
                "Outputs about 1 MP at an aspect ratio from 3:7 to 7:3; takes one input image."
                " Launched with Kontext [pro] on 2025-05-29 (a third-party timeline; BFL's own post"
                " was not found) at this price; no change is known."
            ),
            since=dt.date(2025, 5, 29),
            since_source="https://www.fuseaitools.com/news/flux-kontext-development-history",
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
                " third-party sources. In BFL's API client since 2024-10-03 (BFL's flux repo,"
                " commit 5826335); no other price is known."
            ),
            since=dt.date(2024, 10, 3),
            since_source=(
                "https://github.com/black-forest-labs/flux/commit/58263351cd495096e0a30983ec7c8b366a3c6f0f"
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
                " the size. Released 2024-11-06 (Runware's model page; BFL's flux repo lists it by"
                " 2024-11-21); no other price is known."
            ),
            since=dt.date(2024, 11, 6),
            since_source="https://runware.ai/docs/models/bfl-flux-1-1-pro-ultra",
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
            note=(
                "The Ultra endpoint with raw mode on; same price, release date and aspect-ratio"
                " range as Ultra."
            ),
            since=dt.date(2024, 11, 6),
            since_source="https://runware.ai/docs/models/bfl-flux-1-1-pro-ultra",
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
                " flat price). In BFL's API since the FLUX.1 Tools release on 2024-11-21 (BFL's"
                " flux repo, commit 805da85); no other price is known."
            ),
            since=dt.date(2024, 11, 21),
            since_source=(
                "https://github.com/black-forest-labs/flux/commit/805da8571a0b49b6d4043950bd266a65328c243b"
            ),
        ),
    ),
)
