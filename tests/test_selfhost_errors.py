"""Bad input to `fluxcost selfhost` is one line on stderr, naming what is allowed, and exit 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Result

Cli = Callable[..., Result]
PRICED = ("--gpu-usd-hour", "2.70", "--seconds-per-image", "1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-m", "klein-4b", "--gpu", "h200"),
         "unknown --gpu 'h200': did you mean h100"),
        (("-m", "klein-4b", "--gpu", "modal-h10"),
         "did you mean modal-h100"),
        (("-m", "klein-4b", "--gpu-usd-hour", "-2", "--seconds-per-image", "1"),
         "--gpu-usd-hour '-2' must be 0 or more, e.g. 2.70"),
        (("-m", "klein-4b", "--gpu-usd-hour", "2,70", "--seconds-per-image", "1"),
         "--gpu-usd-hour '2,70' is not a plain decimal number"),
        (("-m", "klein-4b", "--gpu-usd-hour", "2.70", "--seconds-per-image", "0"),
         "--seconds-per-image must be more than 0"),
        (("-m", "klein-4b", "--gpu-usd-hour", "2.70", "--seconds-per-image", "$1"),
         "--seconds-per-image '$1' is not a plain decimal number"),
        (("-m", "klein-4b", *PRICED, "--utilization", "0"),
         "--utilization must be more than 0 and at most 100 percent"),
        (("-m", "klein-4b", *PRICED, "--utilization", "150%"),
         "--utilization must be more than 0 and at most 100 percent, got 150"),
        (("-m", "flux2-klein-9b", *PRICED),
         "flux2-klein-9b is under the FLUX Non-Commercial License: commercial self-hosting"
         " needs a paid licence"),
        (("-m", "flux2-dev", *PRICED),
         "Tiers that cover it: Platform (100,000 images/month), Professional (100,000"
         " images/month), Enterprise (custom volume)"),
        (("-m", "flux2-dev", *PRICED, "--licence-usd-month", "-1"),
         "--licence-usd-month '-1' must be 0 or more, e.g. 999"),
        (("-m", "flux2-pro", *PRICED),
         "flux2-pro has no open weights: BFL sells it only through its API, so it cannot be"
         " self-hosted (open-weight models: flux2-klein-4b, flux2-klein-9b, flux2-dev)"),
        (("-m", "kontext-pro", *PRICED), "kontext-pro has no open weights"),
        (("-m", "flux2-klien-4b", *PRICED),
         "unknown model 'flux2-klien-4b': did you mean flux2-klein-4b"),
        (("-m", "flux2-klein-9b", *PRICED, "--licence-usd-month", "9", "--licence-tier",
          "professional"),
         "BFL's Professional tier covers FLUX.2 [dev], not flux2-klein-9b; tiers that do:"
         " builder, platform, enterprise"),
        (("-m", "klein-4b", *PRICED, "--licence-tier", "builder"),
         "flux2-klein-4b is under Apache 2.0, free for commercial use: it needs no"
         " --licence-tier"),
        (("-m", "flux2-dev", *PRICED, "--licence-usd-month", "9", "--licence-tier", "gold"),
         "unknown --licence-tier 'gold'"),
        (("-m", "klein-4b", "--gpu", "h100"),
         "--gpu h100 names a GPU, not a price: add --gpu-usd-hour USD (or a preset for it:"
         " modal-h100, lambda-h100-sxm, lambda-h100-pcie, runpod-h100-sxm)"),
        (("-m", "klein-4b", "--gpu", "b200"), "no preset prices it"),
        (("-m", "klein-4b", "--seconds-per-image", "1"), "say what the GPU costs"),
        (("-m", "klein-4b", "--gpu-usd-hour", "1"),
         "say how long one image takes: --seconds-per-image S, or --gpu NAME where a speed of"
         " flux2-klein-4b is on file (measured on h100, rtx5090)"),
        (("-m", "klein-4b", "--gpu", "modal-l4"),
         "no measured speed of flux2-klein-4b on NVIDIA L4 is on file: give"
         " --seconds-per-image S"),
        (("-m", "klein-4b", *PRICED, "--vs", "flux2-dev"), "no price to quote"),
        (("-m", "klein-4b", *PRICED, "--vs", "flux2-prp"), "did you mean flux2-pro"),
        (("-m", "klein-4b", *PRICED, "--images", "-5"), "--images must be at least 0"),
        (("-m", "klein-4b", *PRICED, "--size", "big"), "--size 'big' is not WIDTHxHEIGHT"),
        (("-m", "klein-4b", *PRICED, "--chart", "cost.png"),
         "--chart cost.png: fluxcost draws SVG or HTML; name the file .svg or .html"),
        (("-m", "klein-4b", *PRICED, "--chart", "/no/such/dir/c.svg"),
         "cannot write --chart /no/such/dir/c.svg"),
        (("--gpu", "modal-h100",), "Missing option '--model'"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(cli: Cli, args: tuple[str, ...], message: str) -> None:
    r = cli("selfhost", *args)
    assert r.code == 2, r.err
    assert r.out == ""
    assert r.err.count("\n") == 1 and r.err.startswith("fluxcost: error: "), r.err
    assert message in r.err, r.err


def test_chart_and_output_cannot_be_one_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "same.svg"
    r = cli("selfhost", "-m", "klein-4b", *PRICED, "--chart", str(target), "-o", str(target))
    assert r.code == 2 and "--chart and --output name the same file" in r.err
    assert not target.exists()


NUMBERS = ["0", "1", "2.70", "0.000001", "1e3", "-1", "1,000", "999999999999", "1000000000000",
           "abc", "", "50%", "$5", "0.1234567"]  # fmt: skip
OPTIONS = {
    "--model": ["flux2-klein-4b", "klein-9b", "flux2-dev", "flux2-pro", "x"],
    "--gpu": ["modal-h100", "h100", "b200", "rtx5090", "modal-l4", "h200"],
    "--gpu-usd-hour": NUMBERS,
    "--seconds-per-image": NUMBERS,
    "--utilization": NUMBERS,
    "--licence-usd-month": NUMBERS,
    "--licence-tier": ["builder", "platform", "Professional", "gold"],
    "--images": NUMBERS,
    "--size": ["1024x1024", "2048x2048", "64x64", "1920x1080", "9x9", "0x5"],
    "--vs": ["flux2-max", "kontext-pro", "flux2-dev", "flux1-fill-pro"],
    "--format": ["table", "json", "csv", "markdown"],
}
COMMAND_LINE = st.dictionaries(
    st.sampled_from(sorted(OPTIONS)), st.integers(0, 99), min_size=1
).map(
    lambda picks: [
        part
        for option, pick in picks.items()
        for part in (option, OPTIONS[option][pick % len(OPTIONS[option])])
    ]
)


@settings(max_examples=60, deadline=None)
@given(COMMAND_LINE)
def test_any_options_exit_0_or_2_with_one_line(argv: list[str]) -> None:
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from fluxcost.cli import run

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run(["selfhost", *argv])
    assert code in (0, 2), (argv, err.getvalue())
    if code == 2:
        assert err.getvalue().count("\n") == 1 and out.getvalue() == "", argv
