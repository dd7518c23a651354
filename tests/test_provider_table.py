"""providers.yaml: every price names its source, checked date and confidence; a bad file is
one FILE:LINE error; a plain BFL quote never reads or imports it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fluxcost.errors import FluxcostError
from fluxcost.provider_file import PACKAGED_PROVIDERS, load_providers, parse_providers
from fluxcost.rates import load_rates


def test_every_price_names_its_source_date_and_confidence() -> None:
    table = load_providers()
    for provider in table.providers:
        for offer in provider.offers:
            assert offer.source.startswith("https://")
            assert offer.checked == table.checked
            assert offer.confidence in ("official", "third-party")


def test_every_offer_is_a_canonical_model() -> None:
    table = load_providers()
    known = {m.id for m in load_rates().models} | {m.id for m in table.models}
    assert {o.model for p in table.providers for o in p.offers} <= known
    assert not {m.id for m in table.models} & {m.id for m in load_rates().models}


def test_a_bad_price_is_one_line_with_its_place() -> None:
    text = PACKAGED_PROVIDERS.read_text().replace('usd_per_image: "0.04"', 'usd_per_image: "-1"', 1)
    with pytest.raises(FluxcostError) as caught:
        parse_providers(text, "providers.yaml")
    message = str(caught.value)
    assert message.startswith("providers.yaml:") and "\n" not in message
    assert "providers[0] (fal), offers[6] (kontext-pro), billing" in message


def test_an_endpoint_for_two_models_is_refused() -> None:
    text = PACKAGED_PROVIDERS.read_text().replace(
        "endpoints: [fal-ai/flux-2-pro,", "endpoints: [fal-ai/flux-2-flex,", 1
    )
    with pytest.raises(FluxcostError, match="endpoint 'fal-ai/flux-2-flex' names both"):
        parse_providers(text, "providers.yaml")


def test_a_bfl_quote_does_not_load_providers() -> None:
    code = (
        "import sys\n"
        "from fluxcost.cli import run\n"
        "run(['quote', '-m', 'flux2-pro', '--format', 'json'])\n"
        "assert 'fluxcost.providers' not in sys.modules, 'providers imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
