"""Simulated survey callers for the demo, in the proportions Groningen's research office found.

Of 25 participants phoned, 21 gave a mark, 7.8 on average; of 25 non-participants, 9 gave a
mark, 6.3 on average, and more than half said they did not need the conversation because they
were already active. The yes/no answers and the other reasons are spread plausibly. The
simulator writes what a caller picking from the dropdowns would: labels, Ja/Nee, dates.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from kansen_cli.settings import Settings
from kansen_cli.survey import GROUP_LABELS, NON_PARTICIPANT, PARTICIPANT
from kansen_cli.workbooks.grades import NO_MARK
from kansen_cli.workbooks.layout import MARK_NO, MARK_YES
from kansen_cli.workbooks.reading import read_marker
from kansen_cli.workbooks.survey import QUESTION_PREFIX, SHEET

# Per group: share completed, share of those giving a mark, the marks' weights (1..10).
COMPLETED = {PARTICIPANT: 0.9, NON_PARTICIPANT: 0.5}
GIVES_MARK = {PARTICIPANT: 21 / 22.5, NON_PARTICIPANT: 9 / 12.5}
MARK_WEIGHTS = {
    PARTICIPANT: (0, 0, 0, 0, 1, 2, 6, 10, 6, 3),  # mean ≈ 7.9
    NON_PARTICIPANT: (1, 1, 1, 2, 4, 6, 6, 3, 1, 0),  # mean ≈ 6.1
}
ALREADY_ACTIVE_SHARE = 0.55
YES_SHARE = 0.7


def fill_survey(
    path_in: Path, path_out: Path, seed: int, settings: Settings, called_on: dt.date, force: bool = False
) -> dict[str, int]:
    """Fill a survey workbook as callers would; returns how many rows per call result."""
    from openpyxl import load_workbook

    from kansen_cli.files import save_workbook

    rng = random.Random(seed)
    workbook = load_workbook(path_in)
    meta = read_marker(workbook, Path(path_in))
    sheet = workbook[SHEET]
    headers = {c.value: c.column for c in sheet[1]}
    col = {key: headers[header] for key, header in meta["sheets"][SHEET]}
    groups = {label: code for code, label in GROUP_LABELS.items()}
    cb = settings.codebook
    done = cb.roles.survey_done
    others = [code for code in cb.survey_result if code != done]
    counts: dict[str, int] = {}
    for row in range(2, sheet.max_row + 1):
        group = groups.get(sheet.cell(row=row, column=col["group"]).value)
        if group is None:
            continue
        result = done if rng.random() < COMPLETED[group] else rng.choice(others)
        counts[result] = counts.get(result, 0) + 1
        sheet.cell(row=row, column=col["call_date"], value=called_on)
        sheet.cell(row=row, column=col["survey_result"], value=cb.survey_result[result])
        if result != done:
            continue
        mark: int | str = NO_MARK
        if rng.random() < GIVES_MARK[group]:
            mark = rng.choices(range(1, 11), weights=MARK_WEIGHTS[group])[0]
        sheet.cell(row=row, column=col["mark"], value=mark)
        for key in settings.survey.questions:
            answer = MARK_YES if rng.random() < YES_SHARE else MARK_NO
            sheet.cell(row=row, column=col[QUESTION_PREFIX + key], value=answer)
        if group == NON_PARTICIPANT:
            sheet.cell(row=row, column=col["reason"], value=cb.survey_reason[_reason(rng, settings)])
    save_workbook(Path(path_out), workbook, force)
    return counts


def _reason(rng: random.Random, settings: Settings) -> str:
    codes = list(settings.codebook.survey_reason)
    if "al_actief" in codes and rng.random() < ALREADY_ACTIVE_SHARE:
        return "al_actief"
    return rng.choice(codes)
