"""The "in beeld" workbook of `kansen inview --out`: a plain listing for the coordinator.

Not a kind that `kansen ingest` loads: nothing is filled in here; coaches record contact
moments and reviews in their own caseload workbook. It carries names (a personal file):
the caller saves it through `files.save_workbook` (atomic, 0600, no formulas).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kansen_cli.i18n import N_, _, day
from kansen_cli.workbooks.layout import DATE_FORMAT, fit_columns, print_setup

if TYPE_CHECKING:
    from openpyxl import Workbook

    from kansen_cli.workflows.inview import InViewResult

SHEET = "In beeld"
HEADERS: tuple[str, ...] = (
    N_("Coach"),
    N_("Client number"),
    N_("Name"),
    N_("Neighbourhood"),
    N_("Last contact"),
    N_("Weeks without contact"),
    N_("Review due"),
    N_("Too long without contact"),
    N_("Review overdue"),
)


def _explanation(result: InViewResult) -> list[str]:
    return [
        _("People in a trajectory who are at risk of going out of view, reference date {day}.").format(
            day=day(result.today)
        ),
        _(
            "Too long without contact: the last contact (or the start of the trajectory) is more than"
            " {weeks} weeks ago; exactly {weeks} weeks is not too long yet."
        ).format(weeks=result.contact_weeks),
        _(
            "Review overdue: the review was due {weeks} weeks after the last review (or after the start)"
            " and that date has passed."
        ).format(weeks=result.review_weeks),
        _("The coach records contacts and reviews in their own caseload workbook."),
        _("This file holds personal data: do not keep it longer than needed."),
    ]


def build(result: InViewResult) -> Workbook:
    """One row per person out of view, grouped by coach; an explanation sheet beside it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    yes, no = _("Yes"), _("No")
    for index, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=index, value=_(header))
        cell.font = Font(bold=True)
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
                    yes if p.no_contact else no,
                    yes if p.review_overdue else no,
                ]
            )
    for row in sheet.iter_rows(min_row=2):
        for index in (4, 6):  # Laatste contact, Evaluatie gepland
            row[index].number_format = DATE_FORMAT
    sheet.freeze_panes = "C2"
    fit_columns(sheet)
    print_setup(sheet, _("In view, reference date {day}").format(day=day(result.today)))
    explanation = workbook.create_sheet("Uitleg")
    explanation.column_dimensions["A"].width = 110
    for line in _explanation(result):
        explanation.append([line])
    return workbook
