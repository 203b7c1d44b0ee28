"""Start-up of the ``pate`` command against ``python -c "import numpy, pandas"``.

    .venv/bin/python benchmarks/bench_startup.py [--repeats 15]

Times fresh processes of ``pate evaluate tiny.csv --metric pate`` and
``--metric vus_pr`` (a 200-row file with one score column: what is measured is
start-up, not computation) and of the baseline that any pandas-based tool pays,
``python -c "import numpy, pandas"``. Each command runs once untimed first (the
numba cache and the operating system's file cache are warm, as for a user's
second run), then the commands take turns, ``--repeats`` times each, so that
a change of machine load hits all of them alike. Prints the median and the
best wall time of each, the ratios of the medians to the baseline (target,
issue 28: at most 2.5x), and the machine line. The figures in
docs/benchmarks.md ("Start-up") come from this script.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import machine  # benchmarks/ is first on sys.path when run as a script

TARGET = 2.5


def _pate_command() -> list[str]:
    script = Path(sys.executable).with_name("pate")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "pate"]


def _tiny_csv(folder: Path) -> Path:
    path = folder / "tiny.csv"
    labels = [1 if 50 <= i < 60 or 150 <= i < 155 else 0 for i in range(200)]
    scores = [round((i * 37 % 101) / 100, 2) for i in range(200)]
    path.write_text("label,score\n" + "".join(f"{y},{s}\n" for y, s in zip(labels, scores, strict=True)))
    return path


def _run(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed runs of each command (default 15)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pate-startup-") as tmp:
        tiny = _tiny_csv(Path(tmp))
        pate = _pate_command()
        commands = {
            'python -c "import numpy, pandas"': [sys.executable, "-c", "import numpy, pandas"],
            "pate evaluate tiny.csv --metric pate": [*pate, "evaluate", str(tiny), "--metric", "pate"],
            "pate evaluate tiny.csv --metric vus_pr": [*pate, "evaluate", str(tiny), "--metric", "vus_pr"],
        }
        for argv in commands.values():  # warm: numba cache loaded once, files in the OS cache
            _run(argv)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeats):
            for name, argv in commands.items():
                times[name].append(_run(argv))

    print(f"Machine: {machine('numpy', 'pandas', 'numba')}")
    print(f"Fresh processes, warm caches, {args.repeats} runs each, taking turns.\n")
    print("| command | median | best | median / baseline |")
    print("|---|---:|---:|---:|")
    baseline = statistics.median(next(iter(times.values())))
    ratios = []
    for i, (name, values) in enumerate(times.items()):
        median = statistics.median(values)
        ratio = median / baseline
        if i:
            ratios.append(ratio)
        print(f"| `{name}` | {median:.3f} s | {min(values):.3f} s | {ratio:.2f}x |")
    verdict = "met" if max(ratios) <= TARGET else "NOT met"
    print(f"\nTarget: both ratios <= {TARGET}x: {verdict}.")


if __name__ == "__main__":
    main()
