"""selfhost.yaml: every GPU price, speed, licence and tier names its source, checked date and
confidence; the file is validated with one-line FILE:LINE errors; README lists every source."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from fluxcost.errors import FluxcostError
from fluxcost.rates import LocalOnly, load_rates
from fluxcost.selfhost import Source
from fluxcost.selfhost_file import PACKAGED_FACTS, load_facts, parse_facts

README = Path(__file__).resolve().parent.parent / "README.md"


def _sources() -> list[Source]:
    f = load_facts()
    ref = f.reference_licence
    found = [o.source for o in f.offers] + [s.source for s in f.speeds]
    found += [lic.source for lic in f.licences] + [t.source for t in f.tiers] + [ref.source]
    return found + ([ref.confirmed_by] if ref.confirmed_by else [])


def test_every_figure_names_its_source() -> None:
    for source in _sources():
        assert source.url.startswith("https://")
        assert source.confidence in ("official", "third-party", "inferred")
        assert source.checked.isoformat() == "2026-11-26"
        if source.confidence == "inferred":
            assert source.note  # says how it was inferred


def test_the_sourced_figures() -> None:
    f = load_facts()
    prices = {o.id: (o.usd_per_hour, o.billing) for o in f.offers}
    assert prices == {
        "modal-h100": (Decimal("3.9492"), "per_second"),
        "modal-a100-80gb": (Decimal("2.4984"), "per_second"),
        "modal-l40s": (Decimal("1.9512"), "per_second"),
        "modal-l4": (Decimal("0.7992"), "per_second"),
        "lambda-h100-sxm": (Decimal("3.78"), "per_hour"),
        "lambda-h100-pcie": (Decimal("2.86"), "per_hour"),
        "runpod-h100-sxm": (Decimal("2.69"), "per_hour"),
    }
    speeds = {(s.model, s.gpu): s.seconds for s in f.speeds}
    assert speeds == {
        ("flux2-klein-4b", "h100"): Decimal("0.57"),
        ("flux2-klein-4b", "rtx5090"): Decimal("1.2"),
        ("flux2-klein-9b", "rtx5090"): Decimal(2),
        ("flux2-dev", "b200"): Decimal("0.98"),
        ("flux2-dev", "h100"): Decimal("5.292"),  # 0.98 x 5.4, inferred
    }
    caps = {t.name: t.images_per_month for t in f.tiers}
    assert caps == {"Builder": 10000, "Platform": 100000, "Professional": 100000,
                    "Enterprise": None}  # fmt: skip
    assert f.reference_licence.usd_per_month == Decimal(999)
    assert f.reference_licence.images_included == 100000


def test_licences_match_the_rate_table() -> None:
    table = load_rates()
    for lic in load_facts().licences:
        model = table.get(lic.model)
        assert model.id == lic.model
        assert table.get(lic.compare_with).on_api
    assert isinstance(table.get("flux2-dev").billing, LocalOnly)
    free = {lic.model for lic in load_facts().licences if lic.commercial_use_free}
    assert free == {"flux2-klein-4b"}  # Apache 2.0; 9B and dev are non-commercial


def test_readme_lists_every_source() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### `fluxcost selfhost`") : text.index("### Shell completion")]
    missing = {s.url for s in _sources()} - set(re.findall(r"https://[^\s)>|]+", section))
    assert not missing


BROKEN = [
    ("usd_per_hour: 3.9492", "usd_per_hour: -1",
     r"selfhost\.yaml:\d+: offers\[0\] \(modal-h100\), usd_per_hour: Input should be greater"
     r" than 0"),
    ("    billing: per_second\n", "    billing: per_second\n    discount: 5\n",
     r"selfhost\.yaml:\d+: offers\[0\] \(modal-h100\), discount: .*"),
    ("    gpu: h100\n    provider: Modal", "    gpu: h999\n    provider: Modal",
     r"selfhost\.yaml:\d+: file: gpu 'h999' is not in gpus"),
    ("      confidence: official", "      confidence: rumour",
     r"selfhost\.yaml:\d+: licences\[0\] \(flux2-klein-4b\), source\.confidence: .*"),
    ("url: https://docs.us.bfl.ai", "url: docs.us.bfl.ai",
     r"selfhost\.yaml:\d+: licences\[0\] \(flux2-klein-4b\), source: url .* is not"
     r" an http\(s\) URL"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_a_broken_facts_file_is_one_line(old: str, new: str, message: str) -> None:
    text = PACKAGED_FACTS.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(FluxcostError) as caught:
        parse_facts(text.replace(old, new, 1), "selfhost.yaml")
    assert "\n" not in str(caught.value)
    assert re.fullmatch(message + r".*", str(caught.value)), str(caught.value)


def test_the_help_names_only_real_presets() -> None:
    from typer.main import get_command

    from fluxcost.cli import app

    command = get_command(app).commands["selfhost"]  # type: ignore[attr-defined]
    gpu_help = next(p.help for p in command.params if p.name == "gpu")
    named = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*(?=[,)])", gpu_help))
    facts = load_facts()
    assert named and named <= {o.id for o in facts.offers} | {g.id for g in facts.gpus}
