"""Time ``pate report`` on a NAB-sized results table, and the page's rendering in headless Chromium.

    .venv/bin/python benchmarks/bench_report.py [--results docs/data/nab_results.csv] [--series DIR ...]
                                                [--repeats 3]

Each run is ``pate report`` in a fresh process (imports of pandas, scipy,
matplotlib and Jinja2 included), as a user running the command sees it. Then Debian's Chromium
(Playwright, system browser) opens the page: the time to its load event,
the number of detectors in each leaderboard and whether ``null`` is flagged.
The series default to the NAB category folders of ``../shared/data/nab`` when
present, else to the two NAB series bundled in ``pate/data``.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, machine

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def default_series() -> list[str]:
    nab = REPO.parent / "shared" / "data" / "nab"
    if (nab / "index.csv").is_file():
        return sorted(str(p) for p in nab.iterdir() if p.is_dir())
    return [str(REPO / "pate" / "data")]


def write_once(results: str, series: list[str], out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``pate report RESULTS -o OUT --series ...`` in a fresh process.

    CPU time (user + system of the child) depends little on what else runs on the machine.
    """
    command = [sys.executable, "-m", "pate", "report", results, "-o", str(out)] + (
        ["--series", *series] if series else []
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def render(out: Path) -> str:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "Chromium: not measured (playwright is not installed)"
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).is_file():
        return "Chromium: not measured (Debian's chromium is not installed)"
    with sync_playwright() as playwright:
        start = time.perf_counter()
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        launched = time.perf_counter()
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(out.as_uri(), wait_until="load")
        loaded = time.perf_counter()
        boards = page.evaluate(
            """() => Array.from(document.querySelectorAll("table.leaderboard")).map(t => ({
                metric: t.dataset.metric,
                detectors: t.tBodies[0].rows.length,
                nullFlag: Array.from(t.tBodies[0].rows).filter(r => r.querySelector("th").textContent.trim() === "null")
                    .map(r => Array.from(r.querySelectorAll(".flag")).map(f => f.textContent).join(","))[0] || "",
            }))"""
        )
        pictures = page.evaluate("() => document.querySelectorAll('main figure svg').length")
        browser.close()
    described = "; ".join(f"{b['metric']}: {b['detectors']} detectors, null flagged '{b['nullFlag']}'" for b in boards)
    return (
        f"Chromium: launch {launched - start:.2f} s, page load {loaded - launched:.2f} s; {pictures} pictures; "
        f"{described}; console errors: {len(errors)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=str(REPO / "docs" / "data" / "nab_results.csv"))
    parser.add_argument("--series", nargs="*", default=None, help="CSV files or folders (default: see above)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    series = default_series() if args.series is None else args.series

    print(machine("numpy", "pandas", "scipy", "matplotlib", "jinja2"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        runs = [write_once(args.results, series, out) for _ in range(args.repeats)]
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(
            f"pate report {Path(args.results).name} --series ({len(series)} path(s)), fresh process: "
            f"wall best {min(walls):.2f} s (all {', '.join(f'{t:.2f}' for t in walls)}), "
            f"CPU best {min(cpus):.2f} s; page {out.stat().st_size / 1e6:.2f} MB"
        )
        print(render(out))


if __name__ == "__main__":
    main()
