"""A simulated caller for the demo: fills a call workbook (`kansen calls`) as a caller picking
from the dropdowns would, seeded, so `kansen demo` can run phone first through `kansen ingest`.

Shares are plausible for Mens in beeld and Groningen's phone round, not published per call:
about half of the calls reach the person; of those most make the appointment proposed, some
want no conversation, a few ask to be called back in a few days; of the calls that reach no
one most ring out or reach voicemail, a few find the number wrong. The part of the day is one
the workbook prefers for that person (the retry rules vary it); every filled call is on
`called_on`, so a file never holds two calls of one person on a day.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from kansen_cli.settings import Settings
from kansen_cli.settings_routes import PARTS_OF_DAY
from kansen_cli.simulate import _columns, _date_cell, _pick
from kansen_cli.workbooks.calls import SHEET
from kansen_cli.workbooks.reading import read_marker

REACHED_SHARE = 0.5
# Of those reached: the appointment made, no conversation wanted, call back later.
REACHED_WEIGHTS = {"afspraak_gemaakt": 70, "geen_gesprek": 20, "terugbellen": 10}
# Of those not reached: no answer, voicemail, a wrong number.
NOT_REACHED_WEIGHTS = {"geen_gehoor": 50, "voicemail": 35, "verkeerd_nummer": 15}
CALLBACK_DAYS = (2, 7)
CALLERS = ("Beller 1", "Beller 2")


def call_outcome(rng: random.Random, settings: Settings) -> str:
    """One call's outcome code; codes of the codebook not named above get an even share."""
    codes = list(settings.codebook.phone_outcome)
    reached = [c for c in codes if c in settings.codebook.roles.phone_reached]
    others = [c for c in codes if c not in reached]
    group, weights = (
        (reached, REACHED_WEIGHTS)
        if rng.random() < REACHED_SHARE and reached
        else (others, NOT_REACHED_WEIGHTS)
    )
    return _pick(rng, {c: float(weights.get(c, 5)) for c in group or codes})


def fill_calls(
    path_in: Path, path_out: Path, seed: int, settings: Settings, called_on: dt.date, force: bool = False
) -> dict[str, int]:
    """Call everyone on the workbook on `called_on`; returns counts per outcome code."""
    from openpyxl import load_workbook

    from kansen_cli.files import save_workbook

    rng = random.Random(seed)
    workbook = load_workbook(path_in)
    meta = read_marker(workbook, Path(path_in))
    sheet = workbook[SHEET]
    col = _columns(sheet, meta["sheets"][SHEET])
    labels = settings.codebook.phone_outcome
    callback = settings.codebook.roles.phone_callback
    counts: dict[str, int] = {}
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=col["client_id"]).value is None:
            continue
        code = call_outcome(rng, settings)
        counts[code] = counts.get(code, 0) + 1
        sheet.cell(row=row, column=col["call_date"], value=_date_cell(rng, called_on))
        sheet.cell(
            row=row,
            column=col["part_of_day"],
            value=rng.choice(_preferred(sheet.cell(row, col["parts"]).value)),
        )
        sheet.cell(row=row, column=col["caller"], value=rng.choice(CALLERS))
        sheet.cell(row=row, column=col["outcome"], value=labels[code])
        if code == callback:
            later = called_on + dt.timedelta(days=rng.randint(*CALLBACK_DAYS))
            sheet.cell(row=row, column=col["callback_on"], value=_date_cell(rng, later))
    save_workbook(Path(path_out), workbook, force)
    return counts


def _preferred(cell: Any) -> tuple[str, ...]:
    """The parts of the day the workbook suggests ("ochtend, avond"); any when none is given."""
    parts = tuple(p.strip() for p in str(cell or "").split(",") if p.strip() in PARTS_OF_DAY)
    return parts or PARTS_OF_DAY
