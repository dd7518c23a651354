"""Start-up cost of `fluxcost quote --format json` against the floor of our own stack.

The floor (see DECISIONS.md) is a one-command Typer app that imports pydantic and yaml and
prints a constant. Prints the medians and their ratio; the target is <= 1.1. Not a test:
timings on a shared machine are too noisy to fail a build on. The last row is what an edited
packaged pricing.yaml costs (an editable install): the YAML is validated instead of using the
table compiled at build time, as a ``--rates FILE`` always is.

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

from fluxcost.rates import PACKAGED_RATES

FLOOR = """
import typer, pydantic, yaml

app = typer.Typer()


@app.command()
def main() -> None:
    print("42")


app()
"""

QUOTE = ["-m", "fluxcost", "quote", "--model", "flux2-pro", "--width", "2048", "--height", "2048"]
# `python -m fluxcost` with the packaged YAML at argv[1]: an edited copy, so it is validated.
EDITED = """
import sys
from pathlib import Path

from fluxcost.rates import PACKAGED_RATES

import fluxcost.rates

fluxcost.rates.PACKAGED_RATES = Path(sys.argv.pop(1))
from fluxcost.cli import main

main()
"""


def _time(argv: list[str]) -> float:
    # As on a user's machine: Python may cache bytecode, so start-up is not compiling source.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    subprocess.run([sys.executable, *argv], stdout=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        floor, edited, yaml = (Path(folder) / name for name in ("floor.py", "ed.py", "p.yaml"))
        floor.write_text(FLOOR)
        edited.write_text(EDITED)
        yaml.write_text(PACKAGED_RATES.read_text(encoding="utf-8") + "# edited\n")
        commands = {
            "floor (typer+pydantic+yaml)": [str(floor)],
            "fluxcost quote --format json": [*QUOTE, "--format", "json"],
            "fluxcost quote (rich table)": QUOTE,
            "json, packaged YAML edited": [str(edited), str(yaml), *QUOTE[2:], "-f", "json"],
        }
        for argv in commands.values():  # warm the OS cache
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
