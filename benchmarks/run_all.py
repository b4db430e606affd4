"""Every benchmark of kansen_cli, one after the other, and every ratio against its target.

Usage: python benchmarks/run_all.py            # the sizes of issue 7 (takes a while)
       python benchmarks/run_all.py --quick    # tiny sizes: a smoke run of every script
Each benchmark runs in its own process and prints its medians; this script collects the
ratios and prints them together at the end, each with its target.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import PYTHON, Runs, run

HERE = Path(__file__).parent

FULL = {
    "select": ["--rows", "100000", "1000000", "--repeat", "3"],
    "check": ["--rows", "100000", "--repeat", "3"],
    "letters": ["--people", "5000", "--repeat", "3"],
    "report": ["--people", "1000000", "--repeat", "3"],
    "status": ["--people", "1000000", "--repeat", "3"],
    "help_repeat": 7,
}
QUICK = {
    "select": ["--rows", "1000", "--repeat", "1"],
    "check": ["--rows", "1000", "--repeat", "1"],
    "letters": ["--people", "4", "--repeat", "1"],
    "report": ["--people", "2000", "--repeat", "1"],
    "status": ["--people", "2000", "--repeat", "1"],
    "help_repeat": 1,
}
RATIO = re.compile(r"^(?P<name>[^:]+): kansen .*ratio kansen/reference (?P<ratio>[\d.]+)")
LETTERS_WALL = re.compile(r"^kansen\s+median wall\s+(?P<wall>[\d.]+) s = (?P<page>[\d.]+) s/page")
LETTERS_RATIO = re.compile(r"ratio kansen/reference: wall (?P<wall>[\d.]+), CPU (?P<cpu>[\d.]+)")


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
        choices=["select", "check", "letters", "report", "status", "help"],
        help="run only these",
    )
    parser.add_argument(
        "--letters-people", type=int, help="letters per run (default 5000; each run takes ~0.04 s a page)"
    )
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    if args.letters_people:
        sizes["letters"] = ["--people", str(args.letters_people), *list(sizes["letters"])[2:]]
    wanted = set(args.only or ["select", "check", "letters", "report", "status", "help"])
    began = time.perf_counter()
    summary: list[tuple[str, str, str]] = []  # (what, measured, target)

    def ratios(output: str, target: str) -> None:
        for line in output.splitlines():
            match = RATIO.match(line)
            if match:
                summary.append((match["name"].strip(), f"{float(match['ratio']):.2f}x", target))

    if "select" in wanted:
        ratios(bench("bench_select.py", sizes["select"]), "<= 2x at 1M rows, peak < 1.5 GB")
    if "check" in wanted:
        ratios(bench("bench_check.py", sizes["check"]), "<= 1.2x")
    if "letters" in wanted:
        walls = {}
        for workers in (1, 2):
            output = bench("bench_letters.py", [*sizes["letters"], "--workers", str(workers)])
            for line in output.splitlines():
                wall, ratio = LETTERS_WALL.match(line), LETTERS_RATIO.search(line)
                if wall:
                    walls[workers] = float(wall["wall"])
                if ratio:
                    summary.append(
                        (
                            f"letters, {workers} worker(s) vs bare WeasyPrint",
                            f"{float(ratio['wall']):.2f}x wall, {float(ratio['cpu']):.2f}x CPU",
                            "<= 1.2x per page on one core" if workers == 1 else "-",
                        )
                    )
        if len(walls) == 2:
            summary.append(("letters, 2 workers faster than 1", f"{walls[1] / walls[2]:.2f}x", ">= 1.7x"))
    if "report" in wanted:
        ratios(bench("bench_report.py", sizes["report"]), "<= 3x")
    if "status" in wanted:
        ratios(bench("bench_status.py", sizes["status"]), "-")
    if "help" in wanted:
        runs = Runs()
        for _ in range(sizes["help_repeat"]):
            seconds, mb = run([str(Path(PYTHON).with_name("kansen")), "--help"])
            runs.seconds.append(seconds)
            runs.peak_mb.append(mb)
        print(f"kansen --help: {runs.median:.3f} s (peak {runs.peak:.0f} MB) [median of {len(runs.seconds)}]")
        summary.append(("kansen --help", f"{runs.median:.3f} s", "< 0.3 s"))

    print(f"\nSummary ({time.perf_counter() - began:.0f} s{', quick sizes' if args.quick else ''}):")
    width = max((len(w) for w, _, _ in summary), default=0)
    for what, measured, target in summary:
        print(f"  {what:<{width}}  {measured:<22} target {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
