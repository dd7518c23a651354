"""README's "Providers" section lists the source of every provider price in providers.yaml."""

from __future__ import annotations

from pathlib import Path

from fluxcost.provider_file import load_providers

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_lists_every_provider_source() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Providers: every place that sells FLUX") :]
    for provider in load_providers().providers:
        for offer in provider.offers:
            assert (
                f"| {provider.id} | `{offer.model}` | {offer.confidence} | <{offer.source}> |"
                in section
            )
