"""`kansen select` + `kansen batch` against DuckDB doing the same funnel and batches.

Usage: python benchmarks/bench_select.py [--rows 100000 1000000] [--repeat 3]
Both sides start a fresh Python process, read the same CSV and store their result (funnel,
every row's bucket, the selected people, batch members) in a database file.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import PYTHON, compare, sample_register

AS_OF = "2026-10-01"


def fresh(campaign: Path, reference_db: Path) -> None:
    shutil.rmtree(campaign, ignore_errors=True)
    campaign.mkdir()
    # A campaign folder (kansen.toml, default settings): kansen makes a ledger nowhere else.
    (campaign / "kansen.toml").write_text("# benchmark campaign: default settings\n")
    reference_db.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kansen-bench-"))
    campaign, reference_db = work / "campaign", work / "reference.duckdb"
    try:
        for rows in args.rows:
            register = str(sample_register(rows))
            kansen = [
                [
                    PYTHON,
                    "-m",
                    "kansen_cli",
                    "select",
                    register,
                    "--as-of",
                    AS_OF,
                    "-c",
                    str(campaign),
                    "--json",
                ],
                [PYTHON, "-m", "kansen_cli", "batch", "-c", str(campaign), "--json"],
            ]
            duck = [
                [PYTHON, str(Path(__file__).parent / "duckdb_select.py"), register, str(reference_db), AS_OF]
            ]
            compare(
                f"select+batch {rows:>9,} rows vs DuckDB",
                kansen,
                duck,
                args.repeat,
                prepare=functools.partial(fresh, campaign, reference_db),
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
