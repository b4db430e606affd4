"""Trajectories at the size of a large programme: 1,000 people across 20 coaches.

Usage: python benchmarks/bench_trajectories.py [--people 1000] [--coaches 20] [--repeat 3]
A campaign with `--people` people in ten wijken and `--coaches` coaches (cap 50, two per
wijk) is built once under benchmarks/.data. Then, each step in a fresh process, alternating
with a reference measured in the same minutes:

- `kansen assign ID …` (every person gets a coach) against a bare sqlite3 script inserting the
  same trajectories and assignments: the floor of any assignment;
- `kansen caseload` (a workbook per coach) against bare openpyxl writing as many workbooks with
  the same rows and columns, unstyled;
- `kansen ingest` of the coaches' filled workbooks (contacts, rungs, scores, new goals) against
  bare calamine reading the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sqlite3
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import DATA, PYTHON, compare, run

TODAY = "2026-11-20"
STARTED = "2026-09-01"
WIJKEN = 10


def settings_text(coaches: int) -> str:
    """kansen.toml: `coaches` professionals with a cap of 50, two per wijk."""
    blocks = [
        f'[[trajectories.coaches]]\ncode = "c{n:02d}"\nname = "Coach {n}"\ncap = 50\n'
        f'wijken = ["Wijk {n % WIJKEN}"]\n'
        for n in range(coaches)
    ]
    return "# bench_trajectories\n" + "\n".join(blocks)


def client_ids(people: int) -> list[str]:
    return [f"B{n:05d}" for n in range(people)]


def base_campaign(people: int, coaches: int) -> Path:
    """kansen.toml and a ledger with the people, nobody in a trajectory yet; built once."""
    campaign = DATA / f"trajectories-{people}-{coaches}" / "base"
    done = campaign / ".complete"
    if done.exists():
        return campaign
    shutil.rmtree(campaign, ignore_errors=True)
    campaign.mkdir(parents=True)
    (campaign / "kansen.toml").write_text(settings_text(coaches), encoding="utf-8")
    from kansen_cli.ledger import open_ledger

    open_ledger(campaign).close()
    db = sqlite3.connect(campaign / "kansen.sqlite")
    with db:
        db.execute(
            "INSERT INTO selection_runs VALUES (1, '2026-08-01T09:00:00+02:00', '2026-08-01', 2,"
            " 'register.csv', 'x', '{}', 0, '{}', 0)"
        )
        db.executemany(
            "INSERT INTO people (client_id, initials, surname, neighbourhood, run_id) VALUES (?,?,?,?,1)",
            [
                (cid, "B.", f"Benchpersoon {n}", f"Wijk {n % WIJKEN}")
                for n, cid in enumerate(client_ids(people))
            ],
        )
    db.close()
    done.write_text("ok\n")
    return campaign


def copy_campaign(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)


def fill_workbooks(campaign: Path) -> list[Path]:
    """The coaches fill in their workbooks (simulated, seeded): not timed."""
    from kansen_cli.settings import load_settings
    from kansen_cli.simulate_caseload import fill_caseload

    settings = load_settings(campaign)
    filled = []
    for index, blank in enumerate(sorted((campaign / "caseload").glob("caseload-*[0-9].xlsx"))):
        out = blank.with_name(blank.stem + "-ingevuld.xlsx")
        fill_caseload(blank, out, 7 + index, settings, dt.date.fromisoformat(TODAY), force=True)
        filled.append(out)
    return filled


def reference_assign(ids: list[str], coaches: int) -> str:
    """A bare sqlite3 script inserting one trajectory and one assignment per person."""
    return textwrap.dedent(
        f"""
        import sqlite3, sys
        ids = {json.dumps(ids)}
        db = sqlite3.connect(sys.argv[1])
        with db:
            for n, cid in enumerate(ids):
                cur = db.execute("INSERT INTO trajectories (client_id, started_on, source, created_at)"
                                 " VALUES (?, ?, 'list', ?)", (cid, {STARTED!r}, {STARTED!r}))
                db.execute("INSERT INTO coach_assignments (trajectory_id, client_id, coach, coach_kind,"
                           " from_on, assigned_at) VALUES (?, ?, ?, 'professional', ?, ?)",
                           (cur.lastrowid, cid, "c%02d" % (n % {coaches}), {STARTED!r}, {STARTED!r}))
        """
    )


REFERENCE_WRITE = """
import json, sys
from pathlib import Path
from openpyxl import Workbook
for name, sheets in json.loads(Path(sys.argv[1]).read_text()).items():
    out = Workbook()
    out.remove(out.active)
    for title, rows in sheets.items():
        sheet = out.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out.save(Path(sys.argv[2]) / name)
"""


def workbook_cells(folder: Path, target: Path) -> None:
    """Every cell of the coaches' workbooks as JSON, for the reference to write (not timed)."""
    from python_calamine import CalamineWorkbook

    cells = {}
    for path in sorted(folder.glob("caseload-*[0-9].xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        cells[path.name] = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    target.write_text(json.dumps(cells, default=str), encoding="utf-8")


REFERENCE_READ = """
import sys
from python_calamine import CalamineWorkbook
for path in sys.argv[1:]:
    book = CalamineWorkbook.from_path(path)
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--coaches", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base = base_campaign(args.people, args.coaches)
    work = base.parent / "work"
    kansen = [PYTHON, "-m", "kansen_cli"]
    ids = client_ids(args.people)
    env_today = {"KANSEN_TODAY": TODAY}
    script = base.parent / "reference_assign.py"
    script.write_text(reference_assign(ids, args.coaches), encoding="utf-8")

    def fresh() -> None:
        copy_campaign(base, work)

    compare(
        f"assign {args.people} people to {args.coaches} coaches vs bare sqlite3 inserts",
        [[*kansen, "assign", *ids, "--on", STARTED, "-c", str(work)]],
        [[PYTHON, str(script), str(work / "kansen.sqlite")]],
        args.repeat,
        prepare=fresh,
        env=env_today,
    )
    # The assigned campaign, kept: caseload and ingest start from it.
    assigned = base.parent / "assigned"
    copy_campaign(base, assigned)
    run([*kansen, "assign", *ids, "--on", STARTED, "-c", str(assigned)], env=env_today)
    run([*kansen, "caseload", "-c", str(assigned)], env=env_today)
    cells = base.parent / "caseload-cells.json"
    workbook_cells(assigned / "caseload", cells)
    copies = base.parent / "reference-copies"

    def fresh_assigned() -> None:
        copy_campaign(assigned, work)
        shutil.rmtree(work / "caseload", ignore_errors=True)
        copies.mkdir(exist_ok=True)

    compare(
        f"caseload, {args.coaches} workbooks vs bare openpyxl writing the same cells",
        [[*kansen, "caseload", "-c", str(work)]],
        [[PYTHON, "-c", REFERENCE_WRITE, str(cells), str(copies)]],
        args.repeat,
        prepare=fresh_assigned,
        env=env_today,
    )
    filled = fill_workbooks(assigned)
    names = [str(work / "caseload" / p.name) for p in filled]

    def fresh_filled() -> None:
        copy_campaign(assigned, work)

    compare(
        f"ingest of {len(filled)} filled caseload workbooks vs bare calamine reading them",
        [[*kansen, "ingest", *names, "-c", str(work)]],
        [[PYTHON, "-c", REFERENCE_READ, *names]],
        args.repeat,
        prepare=fresh_filled,
        env=env_today,
    )


if __name__ == "__main__":
    main()
