"""The commands a coordinator runs many times a day, on the demo campaign: what a person waits.

Usage: python benchmarks/bench_startup.py [--rows 10000] [--batches 2] [--repeat 7]
The demo campaign (`kansen demo`, seeded) is built once and kept under benchmarks/.data. Each
command runs in a fresh process, alternating with the reference: a bare
`python -c "import pandas, pyarrow"`, the import any data command pays at least. On a small
campaign the start-up is most of the wait, so the goals are absolute times (issue 18):
`report --json` under 1.5 s, `status` under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import DATA, PYTHON, compare, run

# The demo's cycle ends in the autumn of 2026; status answers for a day after it.
TODAY = "2026-11-20"
COMMANDS = {
    "report --json": ["report", "--json"],
    "status": ["status"],
    "status --json": ["status", "--json"],
}


def demo_campaign(rows: int, batches: int) -> Path:
    """The demo campaign with `rows` register rows, built once."""
    campaign = DATA / f"demo-campaign-{rows}-{batches}"
    done = campaign / ".complete"
    if not done.exists():
        shutil.rmtree(campaign, ignore_errors=True)
        DATA.mkdir(parents=True, exist_ok=True)
        kansen = [PYTHON, "-m", "kansen_cli", "demo", str(campaign)]
        run([*kansen, "--rows", str(rows), "--batches", str(batches)])
        done.write_text("ok\n")
    return campaign


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--batches", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    campaign = demo_campaign(args.rows, args.batches)
    os.environ["KANSEN_TODAY"] = TODAY  # the children inherit it
    reference = [[PYTHON, "-c", "import pandas, pyarrow"]]
    for name, argv in COMMANDS.items():
        kansen = [[PYTHON, "-m", "kansen_cli", *argv, "-c", str(campaign)]]
        compare(f"startup {name} on the demo", kansen, reference, args.repeat)


if __name__ == "__main__":
    main()
