"""`kansen report --json` on a ledger with a million people against DuckDB's aggregates of it.

Usage: python benchmarks/bench_report.py [--people 1000000] [--repeat 3]
The ledger is built once (report_ledger.py: SQL bulk inserts into kansen's own schema) and
kept under benchmarks/.data. The reference (duckdb_report.py) reads the same tables through
Python's sqlite3 into Arrow and aggregates them in DuckDB: DuckDB's SQLite scanner is a
download, and the benchmark machine is offline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import PYTHON, compare
from report_ledger import report_campaign


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    campaign = report_campaign(args.people)
    compare(
        f"report {args.people:>9,} people vs DuckDB",
        [[PYTHON, "-m", "kansen_cli", "report", "-c", str(campaign), "--json"]],
        [[PYTHON, str(Path(__file__).parent / "duckdb_report.py"), str(campaign)]],
        args.repeat,
    )


if __name__ == "__main__":
    main()
