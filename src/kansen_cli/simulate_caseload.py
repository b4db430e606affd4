"""A simulated coach for the demo: fills a caseload workbook as a coach picking from the
dropdowns would, seeded, so `kansen demo` can run review rounds through `kansen ingest`.

Per person: a contact on the day (most people), the rung on the Participatieladder (at intake
drawn low, later a step up now and then), now and then the end of the trajectory; per open
goal a score at the review, about a third at or above the expected level (Tilburg found 40 %
of people reached their individual goal); people without goals get one or two new ones.
Descriptions are synthetic, from a short list per life domain.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from kansen_cli.settings import Settings
from kansen_cli.trajectory import GAS_LABELS, LADDER_LABELS
from kansen_cli.workbooks.caseload import GOALS_SHEET, NEW_GOAL_ROWS, NEW_GOALS_SHEET, PEOPLE_SHEET
from kansen_cli.workbooks.reading import read_marker
from kansen_cli.workbooks.scales import choice, level

CONTACT_SHARE = 0.9
INTAKE_WEIGHTS = (3, 4, 3, 1, 0, 0)  # rungs 1..6 at intake
STEP_UP_SHARE = 0.25
STEP_DOWN_SHARE = 0.05
END_SHARE = 0.06
END_WEIGHTS = {
    "werk": 3,
    "vrijwilligerswerk": 3,
    "hulp_gevonden": 2,
    "doel_bereikt": 2,
    "verhuisd": 1,
    "gestopt": 1,
}
SCORE_WEIGHTS = (25, 42, 22, 8, 3)  # -2 .. +2
GOAL_TEXTS = ("Elke week een activiteit buitenshuis", "Een vaste dagindeling", "Een gesprek per maand")
TARGET_WEEKS = 26


def fill_caseload(
    path_in: Path, path_out: Path, seed: int, settings: Settings, on_date: dt.date, force: bool = False
) -> dict[str, int]:
    """Fill a coach's workbook for a contact and review on `on_date`; returns what was filled
    (contacts, rungs, ends, scores, new_goals)."""
    from openpyxl import load_workbook

    from kansen_cli.files import save_workbook

    rng = random.Random(seed)
    workbook = load_workbook(path_in)
    meta = read_marker(workbook, Path(path_in))
    cols = {
        name: {key: _column(workbook[name], header) for key, header in layout}
        for name, layout in meta["sheets"].items()
    }
    counts = dict.fromkeys(("contacts", "rungs", "ends", "scores", "new_goals"), 0)
    with_goals = _people(workbook[GOALS_SHEET], cols[GOALS_SHEET])
    _people_rows(workbook[PEOPLE_SHEET], cols[PEOPLE_SHEET], rng, settings, on_date, counts)
    sheet, col = workbook[GOALS_SHEET], cols[GOALS_SHEET]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, col["goal_id"]).value is None:
            continue
        score = rng.choices(sorted(GAS_LABELS), weights=SCORE_WEIGHTS)[0]
        sheet.cell(row, col["review_date"], on_date)
        sheet.cell(row, col["score"], choice(score, GAS_LABELS))
        counts["scores"] += 1
    _new_goals(workbook[NEW_GOALS_SHEET], cols[NEW_GOALS_SHEET], rng, settings, on_date, with_goals, counts)
    save_workbook(Path(path_out), workbook, force)
    return counts


def _column(sheet: Any, header: str) -> int:
    return next(cell.column for cell in sheet[1] if cell.value == header)


def _people(sheet: Any, col: dict[str, int]) -> set[str]:
    return {str(sheet.cell(r, col["client_id"]).value) for r in range(2, sheet.max_row + 1)}


def _people_rows(
    sheet: Any,
    col: dict[str, int],
    rng: random.Random,
    settings: Settings,
    on_date: dt.date,
    counts: dict[str, int],
) -> None:
    cb = settings.codebook
    ends = [code for code in END_WEIGHTS if code in cb.trajectory_end] or list(cb.trajectory_end)
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, col["client_id"]).value is None or rng.random() >= CONTACT_SHARE:
            continue
        sheet.cell(row, col["contact_date"], on_date)
        sheet.cell(row, col["contact_kind"], cb.contact_kind[rng.choice(list(cb.contact_kind))])
        counts["contacts"] += 1
        latest = level(sheet.cell(row, col["latest_rung"]).value or "", LADDER_LABELS)
        if latest is None:
            rung = rng.choices(sorted(LADDER_LABELS), weights=INTAKE_WEIGHTS)[0]
        else:
            draw = rng.random()
            step = 1 if draw < STEP_UP_SHARE else -1 if draw < STEP_UP_SHARE + STEP_DOWN_SHARE else 0
            rung = min(max(latest + step, 1), 6)
        sheet.cell(row, col["rung"], choice(rung, LADDER_LABELS))
        counts["rungs"] += 1
        if latest is not None and rng.random() < END_SHARE:
            code = rng.choices(ends, weights=[END_WEIGHTS.get(c, 1) for c in ends])[0]
            sheet.cell(row, col["end_reason"], cb.trajectory_end[code])
            counts["ends"] += 1


def _new_goals(
    sheet: Any,
    col: dict[str, int],
    rng: random.Random,
    settings: Settings,
    on_date: dt.date,
    with_goals: set[str],
    counts: dict[str, int],
) -> None:
    """One or two goals for each person without any, on the first of their empty rows; never the
    same domain twice, so no goal is typed twice."""
    domains = settings.codebook.life_domain
    planned: dict[str, list[str]] = {}
    for row in range(2, sheet.max_row + 1):
        client_id = str(sheet.cell(row, col["client_id"]).value)
        if client_id in with_goals:
            continue
        if client_id not in planned:
            wanted = min(rng.choice((1, 2)), NEW_GOAL_ROWS, len(domains))
            planned[client_id] = rng.sample(list(domains), wanted)
        if not planned[client_id]:
            continue
        domain = planned[client_id].pop()
        sheet.cell(row, col["domain"], domains[domain])
        sheet.cell(row, col["description"], f"{rng.choice(GOAL_TEXTS)} ({domains[domain].lower()})")
        sheet.cell(row, col["target_on"], on_date + dt.timedelta(weeks=TARGET_WEEKS))
        counts["new_goals"] += 1
