"""Speed and memory of `fluxcost bill` on a generated 1,000,000-row CSV log.

Prints the median wall time of `fluxcost bill LOG --format json` against reading the same
file with the stdlib csv module (both as fresh processes), their ratio (target <= 2) and the
peak memory of the bill (target < 100 MiB). Not a test: timings are too noisy to gate on.

    python bench/bill.py [--rows 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

SHAPES = [
    ("flux2-pro", 1024, 1024, "", 1),
    ("flux-2-pro", 1024, 1024, "1024x1024", 1),
    ("flux2-klein-4b", 1024, 1024, "", 4),
    ("flux2-klein-9b", 1536, 1024, "", 2),
    ("flux2-max", 2048, 2048, "1024x1024;2048x1024", 1),
    ("flux2-flex", 1024, 1536, "", 1),
    ("kontext-pro", 1024, 1024, "1024x1024", 1),
    ("flux1.1-pro", 1024, 768, "", 1),
]
# What the API charges per image for each shape (the rate table's price), for charged_credits.
CHARGED = ["3", "4.5", "1.4", "1.7", "25", "10", "4", "4"]

# Run one command; print its wall time, CPU time (user + system: steadier than wall time on
# a shared machine) and peak resident memory.
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""

# As on a user's machine: Python may cache bytecode, so start-up is not compiling source.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

BARE = "import csv, sys\nfor row in csv.reader(open(sys.argv[1], newline='')): pass\n"


def write_log(path: Path, rows: int) -> None:
    rng = random.Random(7)
    start = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=30) / rows
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("timestamp,model,width,height,inputs,batch,charged_credits,user\n")
        for n in range(rows):
            pick = rng.randrange(len(SHAPES))
            model, width, height, inputs, batch = SHAPES[pick]
            charged = Decimal(CHARGED[pick]) * batch
            when = (start + step * n).strftime("%Y-%m-%dT%H:%M:%SZ")
            out.write(f"{when},{model},{width},{height},{inputs},{batch},{charged},u{n % 977}\n")


def measure(argv: list[str]) -> tuple[float, float, int]:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *argv],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    wall, cpu, peak_kib = result.stdout.split()
    return float(wall), float(cpu), int(peak_kib)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "usage.csv"
        write_log(log, args.rows)
        size_mib = log.stat().st_size / 2**20
        bare = [sys.executable, "-c", BARE, str(log)]
        bill = [sys.executable, "-m", "fluxcost", "bill", str(log), "--format", "json"]
        wall: dict[str, list[float]] = {"csv": [], "bill": []}
        cpu: dict[str, list[float]] = {"csv": [], "bill": []}
        peak = 0
        for _ in range(args.runs):  # interleaved, so drifting machine load hits both alike
            for name, argv in (("csv", bare), ("bill", bill)):
                seconds, cpu_seconds, peak_kib = measure(argv)
                wall[name].append(seconds)
                cpu[name].append(cpu_seconds)
                if name == "bill":
                    peak = max(peak, peak_kib)
    print(f"log: {args.rows:,} rows, {size_mib:.1f} MiB; {args.runs} runs each, medians")
    for label, samples in (("wall time", wall), ("CPU time", cpu)):
        csv_s, bill_s = statistics.median(samples["csv"]), statistics.median(samples["bill"])
        print(
            f"{label:9}  stdlib csv read {csv_s:5.2f} s   fluxcost bill {bill_s:5.2f} s"
            f"   ratio {bill_s / csv_s:.2f} (target <= 2)"
        )
    print(f"peak memory of fluxcost bill: {peak / 1024:.1f} MiB (target < 100)")


if __name__ == "__main__":
    main()
