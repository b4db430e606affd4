"""`kansen check` on a 100,000-row XLSX against bare python-calamine reading the same sheet.

Usage: python benchmarks/bench_check.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import PYTHON, compare, sample_register

BARE_CALAMINE = (
    "import sys, python_calamine as c;"
    "wb = c.CalamineWorkbook.from_path(sys.argv[1]);"
    "rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False);"
    "print(len(rows))"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workbook = sample_register(args.rows, suffix=".xlsx")
    compare(
        f"check xlsx {args.rows:>9,} rows vs bare calamine",
        [[PYTHON, "-m", "kansen_cli", "check", str(workbook), "--json"]],
        [[PYTHON, "-c", BARE_CALAMINE, str(workbook)]],
        args.repeat,
    )


if __name__ == "__main__":
    main()
