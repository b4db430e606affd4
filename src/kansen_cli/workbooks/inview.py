"""The "in beeld" workbook of `kansen inview --out`: a plain listing for the coordinator.

Not a kind that `kansen ingest` loads: nothing is filled in here; coaches record contact
moments and reviews in their own caseload workbook. It carries names (a personal file):
the caller saves it through `files.save_workbook` (atomic, 0600, no formulas).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kansen_cli.workbooks.layout import DATE_FORMAT

if TYPE_CHECKING:
    from openpyxl import Workbook

    from kansen_cli.workflows.inview import InViewResult

SHEET = "In beeld"
HEADERS: tuple[tuple[str, int], ...] = (
    ("Coach", 12),
    ("Klantnummer", 14),
    ("Naam", 28),
    ("Wijk", 16),
    ("Laatste contact", 16),
    ("Weken zonder contact", 12),
    ("Evaluatie gepland", 16),
    ("Te lang geen contact", 12),
    ("Evaluatie te laat", 12),
)


def _explanation(result: InViewResult) -> list[str]:
    return [
        f"Mensen in een traject die uit beeld dreigen te raken, peildatum {result.today:%d-%m-%Y}.",
        f"Te lang geen contact: het laatste contactmoment (of de start van het traject) ligt meer dan"
        f" {result.contact_weeks} weken terug; precies {result.contact_weeks} weken is nog niet te lang.",
        f"Evaluatie te laat: de evaluatie was gepland {result.review_weeks} weken na de laatste evaluatie"
        " (of na de start) en die datum is voorbij.",
        "Contactmomenten en evaluaties legt de coach vast in het eigen caseload-werkboek.",
        "Dit bestand bevat persoonsgegevens: bewaar het niet langer dan nodig.",
    ]


def build(result: InViewResult) -> Workbook:
    """One row per person out of view, grouped by coach; an explanation sheet beside it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    for index, (header, width) in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for view in result.coaches:
        for p in view.people:
            sheet.append(
                [
                    view.coach,
                    p.client_id,
                    p.name,
                    p.wijk,
                    p.last_contact,
                    p.weeks_since,
                    p.review_due,
                    "Ja" if p.no_contact else "Nee",
                    "Ja" if p.review_overdue else "Nee",
                ]
            )
    for row in sheet.iter_rows(min_row=2):
        for index in (4, 6):  # Laatste contact, Evaluatie gepland
            row[index].number_format = DATE_FORMAT
    sheet.freeze_panes = "C2"
    explanation = workbook.create_sheet("Uitleg")
    explanation.column_dimensions["A"].width = 110
    for line in _explanation(result):
        explanation.append([line])
    return workbook
