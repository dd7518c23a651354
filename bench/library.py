"""Per-call cost of ``fluxcost.quote`` in a loop, against pydantic's genai-prices ``calc_price``.

A script that prices many requests repeats a few shapes; fluxcost answers a repeated request
from a small cache. Prints microseconds per call (median of several rounds) for: fluxcost on a
realistic mix of 40 distinct requests (repeated), fluxcost on requests never seen before, and
genai-prices' ``calc_price`` on one model, and the ratios (target: repeated >= 20x faster).
Not a test: timings on a shared machine are too noisy to fail a build on.

    pip install -e '.[bench]' && python bench/library.py [--calls 20000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

import fluxcost

MODELS = ["flux2-klein-4b", "flux2-klein-9b", "flux2-pro", "flux2-flex", "flux2-max"]
SIZES = [(1024, 1024), (1024, 768), (768, 1024), (1536, 1024), (2048, 2048), (1920, 1088)]
INPUTS: list[list[str]] = [[], [], ["1024x1024"], ["1024x1024", "2048x1536"]]


def _mix(count: int, seed: int) -> list[tuple[str, int, int, list[str]]]:
    rng = random.Random(seed)
    return [(rng.choice(MODELS), *rng.choice(SIZES), rng.choice(INPUTS)) for _ in range(count)]


def _per_call(run: Callable[[], None], calls: int, rounds: int = 5) -> float:
    """Median microseconds per call over ``rounds`` runs of ``calls`` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    calls = parser.parse_args().calls
    shapes = _mix(40, seed=1)  # a realistic handful of distinct requests
    repeated = [shapes[i % len(shapes)] for i in range(calls)]
    fluxcost.quote("flux2-pro")  # load the table once, as a long-running script would

    def fluxcost_repeated() -> None:
        for model, width, height, inputs in repeated:
            fluxcost.quote(model, width=width, height=height, inputs=inputs)

    fresh_rounds = iter(range(100))

    def fluxcost_fresh() -> None:
        # Distinct widths, so that no call is answered from the cache.
        offset = next(fresh_rounds) * calls
        for n, (model, _, height, inputs) in enumerate(repeated):
            width = 64 + 16 * ((offset + n) % 120)
            fluxcost.quote(model, width=width, height=height, inputs=inputs, batch=1 + n)

    from genai_prices import Usage, calc_price

    usage = Usage(input_tokens=1000, output_tokens=100)
    calc_price(usage, model_ref="gpt-4o", provider_id="openai")

    def genai_prices() -> None:
        for _ in range(calls):
            calc_price(usage, model_ref="gpt-4o", provider_id="openai")

    repeated_us = _per_call(fluxcost_repeated, calls)
    fresh_us = _per_call(fluxcost_fresh, calls, rounds=3)
    genai_us = _per_call(genai_prices, calls)
    print(f"{calls:,} calls per round, medians")
    print(f"fluxcost.quote, 40 distinct requests repeated {repeated_us:8.2f} us/call")
    print(f"fluxcost.quote, every request new              {fresh_us:8.2f} us/call")
    print(f"genai_prices.calc_price (gpt-4o, openai)      {genai_us:8.2f} us/call")
    print(f"repeated: {genai_us / repeated_us:.1f}x faster than calc_price (target >= 20)")
    print(f"new:      {genai_us / fresh_us:.1f}x faster than calc_price")


if __name__ == "__main__":
    main()
