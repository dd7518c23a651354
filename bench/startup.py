"""Start-up cost of `fluxcost quote --format json` against the floor of our own stack.

The floor (see DECISIONS.md) is a one-command Typer app that imports pydantic and yaml and
prints a constant. Prints the medians and their ratio; the target is <= 1.1. Not a test:
timings on a shared machine are too noisy to fail a build on.

    python bench/startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import typer, pydantic, yaml

app = typer.Typer()


@app.command()
def main() -> None:
    print("42")


app()
"""

QUOTE = ["-m", "fluxcost", "quote", "--model", "flux2-pro", "--width", "2048", "--height", "2048"]


def _time(argv: list[str]) -> float:
    # As on a user's machine: Python may cache bytecode, so start-up is not compiling source.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if argv and argv[0] == "NOCACHE":  # validate pricing.yaml with pydantic on every run
        env["FLUXCOST_CACHE_DIR"] = ""
        argv = argv[1:]
    start = time.perf_counter()
    subprocess.run([sys.executable, *argv], stdout=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        floor = Path(folder) / "floor.py"
        floor.write_text(FLOOR)
        commands = {
            "floor (typer+pydantic+yaml)": [str(floor)],
            "fluxcost quote --format json": [*QUOTE, "--format", "json"],
            "fluxcost quote (rich table)": QUOTE,
            "json, validation cache off": ["NOCACHE", *QUOTE, "--format", "json"],
        }
        for argv in commands.values():  # warm the OS cache and fluxcost's validated table
            _time(argv)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):  # interleaved, so drifting machine load hits all alike
            for name, argv in commands.items():
                samples[name].append(_time(argv))
    medians = {name: statistics.median(times) for name, times in samples.items()}
    base = medians["floor (typer+pydantic+yaml)"]
    for name, median in medians.items():
        print(f"{name:32} {median * 1000:7.1f} ms   ratio {median / base:.2f}")


if __name__ == "__main__":
    main()
