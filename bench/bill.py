"""Speed and memory of `fluxcost bill` on generated logs, against reading the same file bare.

Two logs of ``--rows`` rows each:

- **shapes**: 8 request shapes repeated (the easy case: every row a request seen before);
- **realistic**: 11 models, 30% of names written as BFL endpoint aliases, sizes from a common
  set plus a 2% long tail in 16-px steps, 0-4 inputs from phone and screen sizes, batches
  1/2/4/8, three months of timestamps with 2% at a +02:00 offset, every row with the charge
  the API would make; as CSV and as JSON Lines.

``fluxcost bill`` runs its pure-Python engine (``--engine python``). Each command runs as a
fresh process, alternated run by run so that drifting machine load hits all alike; medians of
wall and CPU time and the peak resident memory are printed, with the ratio to the bare read of
the same file (a csv.reader pass for CSV, a json.loads loop for JSON Lines). Targets:
realistic CSV <= 2.5x its read and < 100 MiB; JSON Lines <= 1.5x its read. ``--before SRC``
adds `fluxcost bill` run from another source tree (``git archive`` of an older commit's
``src``) to every comparison. Not a test: timings are too noisy to gate on.

    python bench/bill.py [--rows 1000000] [--runs 3] [--before /tmp/before/src]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from fluxcost import pricing
from fluxcost.errors import FluxcostError
from fluxcost.rates import ModelRate, load_rates
from fluxcost.sizes import Size

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

# The realistic log: how often each model is asked for (the 11 sold through the API) ...
MODEL_WEIGHTS = {
    "flux2-pro": 30,
    "flux2-klein-4b": 15,
    "flux2-klein-9b": 10,
    "flux2-flex": 5,
    "flux2-max": 5,
    "kontext-pro": 12,
    "kontext-max": 5,
    "flux1.1-pro": 8,
    "flux1.1-pro-ultra": 5,
    "flux1.1-pro-raw": 2,
    "flux1-fill-pro": 3,
}
# ... the sizes people ask for (all multiples of 32 but 1920x1080, priced as requested) ...
COMMON_SIZES = [
    (1024, 1024),
    (1024, 1536),
    (1536, 1024),
    (1024, 768),
    (768, 1024),
    (1344, 768),
    (768, 1344),
    (1920, 1080),
    (1440, 1440),
    (2048, 2048),
    (512, 512),
]
# ... and the images they upload: phone photos and screenshots.
INPUT_SIZES = [
    "1170x2532",
    "1179x2556",
    "1080x2400",
    "3024x4032",
    "1920x1080",
    "2560x1440",
    "3840x2160",
    "1366x768",
]
INPUT_COUNTS = ([0] * 55) + ([1] * 25) + ([2] * 10) + ([3] * 6) + ([4] * 4)
BATCHES = ([1] * 70) + ([2] * 15) + ([4] * 10) + ([8] * 5)
START = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
SPAN = dt.timedelta(days=92)
PLUS_TWO = dt.timezone(dt.timedelta(hours=2))
COLUMNS = "timestamp,model,width,height,inputs,batch,charged_credits,user"


@dataclass
class Realistic:
    """Draws valid requests the way a busy account makes them."""

    rng: random.Random
    models: list[ModelRate]
    weights: list[int]
    credits: dict[tuple[str, int, int, str], Decimal] = field(default_factory=dict)

    def size(self, model: ModelRate) -> tuple[int, int]:
        if self.rng.random() >= 0.02:
            return self.rng.choice(COMMON_SIZES)
        step = model.limits.multiple_of or 16  # FLUX1.1 [pro] takes multiples of 32
        low = max(model.limits.min_side or 256, 256) // step
        high = min(model.limits.max_side or 2048, 2048) // step
        return self.rng.randint(low, high) * step, self.rng.randint(low, high) * step

    def inputs(self, model: ModelRate) -> str:
        lim = model.limits
        count = min(max(self.rng.choice(INPUT_COUNTS), lim.min_inputs), lim.max_inputs)
        return ";".join(self.rng.choice(INPUT_SIZES) for _ in range(count))

    def request(self) -> tuple[ModelRate, int, int, str, Decimal]:
        while True:  # draw again until the model can make it (sizes, aspect, 9 MP of pro)
            model = self.rng.choices(self.models, self.weights)[0]
            width, height = self.size(model)
            inputs = self.inputs(model)
            key = (model.id, width, height, inputs)
            if key not in self.credits:
                request = pricing.Request(
                    Size(width, height), tuple(map(Size.parse, filter(None, inputs.split(";"))))
                )
                try:
                    self.credits[key] = pricing.quote(model, request, 1, Decimal(1)).total_credits
                except FluxcostError:
                    continue
            return model, width, height, inputs, self.credits[key]


@dataclass(frozen=True)
class Row:
    timestamp: str
    model: str
    width: int
    height: int
    inputs: str
    batch: int
    charged: Decimal
    user: str

    def csv(self) -> str:
        cells = (self.width, self.height, self.inputs, self.batch, self.charged, self.user)
        return ",".join(map(str, (self.timestamp, self.model, *cells))) + "\n"

    def json(self) -> str:
        record = {
            "timestamp": self.timestamp,
            "model": self.model,
            "width": self.width,
            "height": self.height,
            "inputs": [size for size in self.inputs.split(";") if size],
            "batch": self.batch,
            "charged_credits": "@",  # a JSON number, written exactly below
            "user": self.user,
        }
        return json.dumps(record).replace('"@"', str(self.charged)) + "\n"


def realistic_rows(count: int) -> list[Row]:
    rng = random.Random(14)
    table = load_rates()
    models = [table.get(name) for name in MODEL_WEIGHTS]
    draw = Realistic(rng, models, list(MODEL_WEIGHTS.values()))
    rows = []
    for n in range(count):
        model, width, height, inputs, credits = draw.request()
        name = model.aliases[0] if rng.random() < 0.3 else model.id  # e.g. flux-2-pro
        batch = rng.choice(BATCHES)
        when = START + SPAN * n / count
        if rng.random() < 0.02:
            stamp = when.astimezone(PLUS_TWO).isoformat(timespec="milliseconds")
        else:
            stamp = when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        charged = credits * batch
        rows.append(Row(stamp, name, width, height, inputs, batch, charged, f"u{n % 977}"))
    return rows


def write_shapes(path: Path, count: int) -> None:
    table = load_rates()
    rng = random.Random(7)
    step = dt.timedelta(days=30) / count
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(COLUMNS + "\n")
        for n in range(count):
            name, width, height, inputs, batch = rng.choice(SHAPES)
            request = pricing.build_request((width, height), list(filter(None, inputs.split(";"))))
            charged = pricing.quote(table.get(name), request, batch, Decimal(1)).total_credits
            stamp = (START + step * n).strftime("%Y-%m-%dT%H:%M:%SZ")
            row = Row(stamp, name, width, height, inputs, batch, charged, f"u{n % 977}")
            out.write(row.csv())


def write_realistic(folder: Path, count: int) -> tuple[Path, Path]:
    rows = realistic_rows(count)
    csv_path, jsonl_path = folder / "realistic.csv", folder / "realistic.jsonl"
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        out.write(COLUMNS + "\n")
        out.writelines(row.csv() for row in rows)
    with jsonl_path.open("w", encoding="utf-8", newline="") as out:
        out.writelines(row.json() for row in rows)
    distinct = {(r.model, r.width, r.height, r.inputs, r.batch, r.charged) for r in rows}
    print(f"realistic log: {len(distinct):,} distinct requests in {count:,} rows")
    return csv_path, jsonl_path


# Run one command; print its wall time, CPU time (user + system: steadier than wall time on
# a shared machine) and peak resident memory.
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, done.returncode)
"""

# As on a user's machine: Python may cache bytecode, so start-up is not compiling source.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

CSV_READ = "import csv, sys\nfor row in csv.reader(open(sys.argv[1], newline='')): pass\n"
JSON_READ = "import json, sys\nfor line in open(sys.argv[1]): json.loads(line)\n"


@dataclass
class Command:
    name: str
    argv: list[str]
    env: dict[str, str]
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_kib: int = 0

    def run(self) -> None:
        result = subprocess.run(
            [sys.executable, "-c", MEASURE, *self.argv],
            capture_output=True,
            text=True,
            check=True,
            env=self.env,
        )
        wall, cpu, peak_kib, code = result.stdout.split()
        if code not in ("0", "1"):
            raise SystemExit(f"{self.name} exited {code}: {' '.join(self.argv)}")
        self.wall.append(float(wall))
        self.cpu.append(float(cpu))
        self.peak_kib = max(self.peak_kib, int(peak_kib))


def compare(title: str, base: Command, others: list[Command], runs: int, target: str) -> None:
    commands = [base, *others]
    for _ in range(runs):
        for command in commands:
            command.run()
    print(f"\n{title}\n  {runs} runs each, alternated; medians; target {target}")
    print(f"  {'':24} {'wall':>8} {'ratio':>6} {'CPU':>8} {'ratio':>6} {'peak':>10}")
    base_wall, base_cpu = statistics.median(base.wall), statistics.median(base.cpu)
    for command in commands:
        wall, cpu = statistics.median(command.wall), statistics.median(command.cpu)
        print(
            f"  {command.name:24} {wall:6.2f} s {wall / base_wall:5.2f}x"
            f" {cpu:6.2f} s {cpu / base_cpu:5.2f}x {command.peak_kib / 1024:6.1f} MiB"
        )


def bills(path: Path, args: argparse.Namespace, *extra: str) -> list[Command]:
    # The pure-Python engine (--engine auto bills a log this large with DuckDB when it is
    # installed: bench/engines.py measures that one).
    argv = ["-m", "fluxcost", "bill", str(path), "--format", "json", "--engine", "python", *extra]
    commands = [Command("fluxcost bill", [sys.executable, *argv], ENV)]
    if args.before:
        before = {**ENV, "PYTHONPATH": args.before}
        commands.append(Command("fluxcost bill (before)", [sys.executable, *argv], before))
    return commands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="the src folder of another fluxcost to compare with")
    parser.add_argument("--only", choices=("shapes", "csv", "jsonl"), action="append")
    args = parser.parse_args()
    only = set(args.only or ("shapes", "csv", "jsonl"))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        shapes = folder / "shapes.csv"
        write_shapes(shapes, args.rows)
        csv_log, jsonl_log = write_realistic(folder, args.rows)
        for path in (shapes, csv_log, jsonl_log):
            print(f"{path.name}: {path.stat().st_size / 2**20:.1f} MiB")
        python: Callable[[str, Path], Command] = lambda what, path: Command(  # noqa: E731
            "bare read", [sys.executable, "-c", what, str(path)], ENV
        )
        if "shapes" in only:
            compare(
                f"8 shapes, CSV, {args.rows:,} rows",
                python(CSV_READ, shapes),
                bills(shapes, args),
                args.runs,
                "<= 2x",
            )
        if "csv" in only:
            compare(
                f"realistic, CSV, {args.rows:,} rows",
                python(CSV_READ, csv_log),
                bills(csv_log, args),
                args.runs,
                "<= 2.5x, < 100 MiB",
            )
        if "jsonl" in only:
            compare(
                f"realistic, JSON Lines, {args.rows:,} rows",
                python(JSON_READ, jsonl_log),
                bills(jsonl_log, args),
                args.runs,
                "<= 1.5x",
            )


if __name__ == "__main__":
    main()
