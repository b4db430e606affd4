"""Phone first at the size of one batch: `kansen calls` and the ingest of its filled workbook.

Usage: python benchmarks/bench_calls.py [--rows 6000] [--repeat 3]
A campaign whose letter variants are all phoned first (`[letters] approach`) is built once
under benchmarks/.data: select on the seeded sample register, batches of 250, the largest
batch taken. Then, each step in a fresh process, alternating with a reference measured in
the same minutes:

- `kansen calls BATCH` (the call workbook of everyone due) against bare openpyxl writing a
  workbook with the same rows and columns, unstyled;
- `kansen ingest` of that workbook filled in for every row (a fresh copy of the ledger each
  run) against bare openpyxl reading the same file.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import DATA, PYTHON, compare, run, sample_register

TODAY = "2026-11-20"
CALL_DAY = "2026-11-10"
OUTCOMES = ("Geen gehoor", "Afspraak gemaakt", "Voicemail ingesproken", "Wil geen gesprek")
SETTINGS = '[letters]\napproach = { A = "phone_first", B = "phone_first" }\n'


def kansen(*args: str) -> list[str]:
    return [PYTHON, "-m", "kansen_cli", *args]


def base_campaign(rows: int) -> tuple[Path, str]:
    """A campaign with its batches made (the largest one returned), built once."""
    campaign = DATA / f"calls-{rows}" / "base"
    done = campaign / ".complete"
    if not done.exists():
        shutil.rmtree(campaign, ignore_errors=True)
        campaign.mkdir(parents=True)
        (campaign / "kansen.toml").write_text(SETTINGS, encoding="utf-8")
        register = sample_register(rows)
        run(kansen("select", str(register), "--as-of", "2026-10-01", "-c", str(campaign)))
        run(kansen("batch", "--size", "250", "-c", str(campaign)))
        done.write_text("")
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        batch = db.execute(
            "SELECT batch_id FROM batch_members GROUP BY batch_id ORDER BY count(*) DESC, batch_id LIMIT 1"
        ).fetchone()[0]
    return campaign, batch


def fill_workbook(blank: Path, filled: Path) -> int:
    """Every row filled as a caller would; returns the number of rows."""
    from openpyxl import load_workbook

    workbook = load_workbook(blank)
    sheet = workbook["Bellen"]
    column = {cell.value: cell.column for cell in sheet[1]}
    day = f"{CALL_DAY[8:10]}-{CALL_DAY[5:7]}-{CALL_DAY[:4]}"
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=column["Datum gebeld"], value=day)
        sheet.cell(row=row, column=column["Dagdeel"], value="ochtend")
        sheet.cell(row=row, column=column["Beller"], value="Beller 1")
        sheet.cell(row=row, column=column["Uitkomst"], value=OUTCOMES[row % len(OUTCOMES)])
    workbook.save(filled)
    return sheet.max_row - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=6000, help="rows of the sample register")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    base, batch = base_campaign(args.rows)
    work = base.parent / "work"
    env = {"KANSEN_TODAY": TODAY}

    def fresh() -> None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, work)

    fresh()
    blank = work / "calls" / f"{batch}-bellen-{CALL_DAY}.xlsx"
    run(kansen("calls", batch, "--today", CALL_DAY, "-c", str(work)), env=env)
    filled = base.parent / "filled.xlsx"
    people = fill_workbook(blank, filled)
    shutil.copy(blank, base.parent / "blank.xlsx")
    print(f"batch {batch}: {people} phone-first people due a call", flush=True)

    write_reference = textwrap.dedent(
        f"""
        from openpyxl import Workbook, load_workbook
        rows = list(load_workbook({str(base.parent / "blank.xlsx")!r}, read_only=True)["Bellen"].values)
        out = Workbook(); sheet = out.active
        for row in rows:
            sheet.append(list(row))
        out.save({str(base.parent / "reference.xlsx")!r})
        """
    )
    compare(
        "calls (write the call workbook)",
        [kansen("calls", batch, "--today", CALL_DAY, "--force", "-c", str(work))],
        [[PYTHON, "-c", write_reference]],
        args.repeat,
        env=env,
    )
    read_reference = (
        "from openpyxl import load_workbook; "
        f"list(load_workbook({str(filled)!r}, read_only=True)['Bellen'].values)"
    )
    compare(
        "ingest (a filled call workbook)",
        [kansen("ingest", str(filled), "-c", str(work))],
        [[PYTHON, "-c", read_reference]],
        args.repeat,
        prepare=fresh,
        env=env,
    )


if __name__ == "__main__":
    main()
