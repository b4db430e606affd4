"""Every benchmark of kansen_cli, one after the other, and every figure against its goal.

Usage: python benchmarks/run_all.py            # the sizes of issue 18 (takes a while)
       python benchmarks/run_all.py --quick    # tiny sizes: a smoke run of every script
Each benchmark runs in its own process and prints its medians; this script collects them and
prints them together at the end, each with the goal of issue 18 and whether it is met (at
quick sizes there is no verdict: the goals are for the full sizes).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import PYTHON, Runs, run

HERE = Path(__file__).parent

FULL = {
    "select": ["--rows", "100000", "1000000", "--repeat", "3"],
    "check": ["--rows", "100000", "--repeat", "5"],
    "letters": ["--people", "5000", "--repeat", "3"],
    "report": ["--people", "1000000", "--repeat", "3"],
    "status": ["--people", "1000000", "--repeat", "3"],
    "startup": ["--repeat", "7"],
    "calls": ["--rows", "6000", "--repeat", "3"],
    "help_repeat": 7,
}
QUICK = {
    "select": ["--rows", "1000", "--repeat", "1"],
    "check": ["--rows", "1000", "--repeat", "1"],
    "letters": ["--people", "4", "--repeat", "1"],
    "report": ["--people", "2000", "--repeat", "1"],
    "status": ["--people", "2000", "--repeat", "1"],
    "startup": ["--rows", "300", "--batches", "1", "--repeat", "1"],
    "calls": ["--rows", "600", "--repeat", "1"],
    "help_repeat": 1,
}
# One line per comparison, as benchmarks/harness.py prints it.
RESULT = re.compile(
    r"^(?P<name>[^:]+): kansen (?P<seconds>[\d.]+) s \(peak (?P<peak>\d+) MB\) \| "
    r".*ratio kansen/reference (?P<ratio>[\d.]+)"
)
LETTERS_WALL = re.compile(r"^kansen\s+median wall\s+(?P<wall>[\d.]+) s = (?P<page>[\d.]+) s/page")
LETTERS_RATIO = re.compile(r"ratio kansen/reference: wall (?P<wall>[\d.]+), CPU (?P<cpu>[\d.]+)")
LETTERS_SIZE = re.compile(r"PDF size: kansen (?P<kansen>[\d,]+) bytes, reference (?P<reference>[\d,]+) bytes")


@dataclass(frozen=True)
class Goal:
    """What issue 18 asks of one figure, and whether a result meets it."""

    text: str
    met: Callable[[re.Match[str]], bool]


# Which result lines a goal applies to (by the start of their name) and the goal itself.
GOALS: list[tuple[str, Goal]] = [
    ("select+batch 1,000,000", Goal("<= 2x, peak < 1.5 GB", lambda m: _ratio(m) <= 2 and _peak(m) < 1500)),
    ("check xlsx", Goal("<= 1.2x", lambda m: _ratio(m) <= 1.2)),
    ("report 1,000,000", Goal("<= 2x", lambda m: _ratio(m) <= 2)),
    ("status 1,000,000", Goal("< 3 s", lambda m: _seconds(m) < 3)),
    ("startup report --json", Goal("< 1.5 s", lambda m: _seconds(m) < 1.5)),
    ("startup status on", Goal("< 0.5 s", lambda m: _seconds(m) < 0.5)),
    ("startup status --json", Goal("< 0.5 s", lambda m: _seconds(m) < 0.5)),
]


def _ratio(match: re.Match[str]) -> float:
    return float(match["ratio"])


def _peak(match: re.Match[str]) -> float:
    return float(match["peak"])


def _seconds(match: re.Match[str]) -> float:
    return float(match["seconds"])


def goal_for(name: str) -> Goal | None:
    return next((goal for start, goal in GOALS if name.startswith(start)), None)


def verdict(met: bool | None, quick: bool) -> str:
    if quick or met is None:
        return "" if met is None else "(quick sizes: no verdict)"
    return "met" if met else "NOT MET"


def bench(script: str, args: list[str]) -> str:
    """Run one benchmark script, echo and return its output."""
    print(f"$ {script} {' '.join(args)}", flush=True)
    done = subprocess.run([PYTHON, str(HERE / script), *args], capture_output=True, text=True)
    sys.stdout.write(done.stdout)
    if done.returncode != 0:
        sys.stdout.write(done.stderr[-3000:])
        raise SystemExit(f"{script} failed ({done.returncode})")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repetition: a smoke run")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["select", "check", "letters", "report", "status", "startup", "calls", "help"],
        help="run only these",
    )
    parser.add_argument(
        "--letters-people", type=int, help="letters per run (default 5000; each run takes ~0.04 s a page)"
    )
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    if args.letters_people:
        sizes["letters"] = ["--people", str(args.letters_people), *list(sizes["letters"])[2:]]
    wanted = set(args.only or ["select", "check", "letters", "report", "status", "startup", "calls", "help"])
    began = time.perf_counter()
    summary: list[tuple[str, str, str, str]] = []  # (what, measured, goal, verdict)

    def results(output: str) -> None:
        for line in output.splitlines():
            match = RESULT.match(line)
            if not match:
                continue
            name = match["name"].strip()
            goal = goal_for(name)
            measured = f"{_seconds(match):.2f} s, {_ratio(match):.2f}x, peak {_peak(match):.0f} MB"
            met = goal.met(match) if goal else None
            summary.append((name, measured, goal.text if goal else "-", verdict(met, args.quick)))

    if "select" in wanted:
        results(bench("bench_select.py", sizes["select"]))
    if "check" in wanted:
        results(bench("bench_check.py", sizes["check"]))
    if "letters" in wanted:
        summary.extend(letters(sizes["letters"], args.quick))
    if "report" in wanted:
        results(bench("bench_report.py", sizes["report"]))
    if "status" in wanted:
        results(bench("bench_status.py", sizes["status"]))
    if "startup" in wanted:
        results(bench("bench_startup.py", sizes["startup"]))
    if "calls" in wanted:
        results(bench("bench_calls.py", sizes["calls"]))
    if "help" in wanted:
        runs = Runs()
        for _ in range(sizes["help_repeat"]):
            seconds, mb = run([str(Path(PYTHON).with_name("kansen")), "--help"])
            runs.seconds.append(seconds)
            runs.peak_mb.append(mb)
        print(f"kansen --help: {runs.median:.3f} s (peak {runs.peak:.0f} MB) [median of {len(runs.seconds)}]")
        summary.append(
            ("kansen --help", f"{runs.median:.3f} s", "< 0.3 s", verdict(runs.median < 0.3, args.quick))
        )

    print(
        f"\nSummary ({time.perf_counter() - began:.0f} s{', quick sizes' if args.quick else ''}; {load()}):"
    )
    width = max((len(w) for w, _, _, _ in summary), default=0)
    for what, measured, goal, verdict_text in summary:
        print(f"  {what:<{width}}  {measured:<34} goal {goal:<22} {verdict_text}")
    return 0


def letters(sizes: list[str], quick: bool) -> list[tuple[str, str, str, str]]:
    """Letters with one and with two workers against bare WeasyPrint."""
    rows: list[tuple[str, str, str, str]] = []
    walls = {}
    for workers in (1, 2):
        output = bench("bench_letters.py", [*sizes, "--workers", str(workers)])
        for line in output.splitlines():
            wall, ratio = LETTERS_WALL.match(line), LETTERS_RATIO.search(line)
            if wall:
                walls[workers] = float(wall["wall"])
            size = LETTERS_SIZE.match(line)
            if ratio and workers == 1:
                # Before issue 18 kansen took bare WeasyPrint's CPU a page on the same HTML
                # (1.0-1.06x), so "2x less CPU a page" is a ratio of at most 0.5 to it.
                cpu = float(ratio["cpu"])
                measured = f"{float(ratio['wall']):.2f}x wall, {cpu:.2f}x CPU"
                rows.append(
                    (
                        "letters, 1 worker vs bare WeasyPrint",
                        measured,
                        "<= 0.5x CPU",
                        verdict(cpu <= 0.5, quick),
                    )
                )
            elif ratio:
                measured = f"{float(ratio['wall']):.2f}x wall, {float(ratio['cpu']):.2f}x CPU"
                rows.append((f"letters, {workers} workers vs bare WeasyPrint", measured, "-", ""))
            if size:
                # Bare WeasyPrint's PDF of the same HTML is the size kansen's had before.
                grown = _number(size["kansen"]) / _number(size["reference"])
                what = f"letters PDF size, {workers} worker(s), vs before"
                rows.append((what, f"{grown:.2f}x", "<= 2x", verdict(grown <= 2, quick)))
    if len(walls) == 2:
        speedup = walls[1] / walls[2]
        rows.append(
            ("letters, 2 workers faster than 1", f"{speedup:.2f}x", ">= 1.7x", verdict(speedup >= 1.7, quick))
        )
    return rows


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


if __name__ == "__main__":
    sys.exit(main())
