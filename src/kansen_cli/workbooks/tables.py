"""Plain tables a person opens in Excel or LibreOffice: the mail merge, the call list, the
selection and the exports. Not read back by `ingest` (no marker); laid out like the
consultants' workbooks: widths fitted, headers wrapped, print set-up with a footer.

Mail-merge field names are an interface: a Word document refers to them as merge fields, so
they are the same in every language (`--lang en` changes nothing) and contain no spaces. They
are Dutch, as Word users in a municipality expect: `Aanhef`, `Straat`, `Huisnummer` … (see
`MERGE_FIELDS`). A letter field not listed there keeps its own (English) key.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _
from kansen_cli.workbooks.layout import LISTS_SHEET, fit_columns, list_validation, print_setup

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook

# Letter field -> Word merge field. Fixed: changing one breaks the municipality's Word documents.
MERGE_FIELDS: dict[str, str] = {
    "batch_id": "Batch",
    "client_id": "Klantnummer",
    "variant": "Variant",
    "template": "Sjabloon",
    "initials": "Voorletters",
    "prefix": "Tussenvoegsel",
    "surname": "Achternaam",
    "name": "Naam",
    "salutation": "Aanhef",
    "street": "Straat",
    "house_number": "Huisnummer",
    "house_number_addition": "Toevoeging",
    "street_line": "Adresregel",
    "postcode": "Postcode",
    "city": "Plaats",
    "postcode_city": "PostcodePlaats",
    "phone": "Telefoon",
    "email": "Email",
    "language": "Taal",
    "letter_date": "Briefdatum",
    "municipality": "Gemeente",
    "campaign_name": "Campagne",
    "sender_department": "Afdeling",
    "sender_address": "Afzenderadres",
    "office_phone": "TelefoonGemeente",
    "office_email": "EmailGemeente",
    "phone_hours": "Bereikbaar",
    "signature_name": "Ondertekening",
    "signature_title": "Functie",
    "duration": "Duur",
    "date": "Datum",
    "date_numeric": "DatumKort",
    "time": "Tijd",
    "end_time": "Eindtijd",
    "consultant": "Consulent",
    "call_date": "Beldatum",
    "place": "Plek",
    "location_name": "Locatie",
    "location_address": "AdresLocatie",
    "location_directions": "Route",
}


def merge_field(key: str) -> str:
    """The Word merge field of a letter field."""
    return MERGE_FIELDS.get(key, key)


def frames_workbook(
    sheets: Mapping[str, pd.DataFrame],
    footer: str,
    dropdowns: Mapping[tuple[str, str], Sequence[str]] | None = None,
) -> Workbook:
    """One sheet per frame, header in row 1, text kept text; `dropdowns` (sheet, column header)
    -> the values a cell of that column may take, offered as a list (on a hidden sheet, as
    labels may hold commas)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    answer_fill = PatternFill("solid", fgColor="FFF4CC")
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(title=name[:31], index=len(workbook.sheetnames) - 1)
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        for values in _rows(frame):
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # leading zeros kept; nothing becomes a formula
        last = max(len(frame) + 1, 2)
        for (sheet_name, header), choices in (dropdowns or {}).items():
            if sheet_name != name or header not in list(frame.columns):
                continue
            letter = sheet.cell(row=1, column=list(frame.columns).index(header) + 1).column_letter
            sheet[f"{letter}1"].fill = answer_fill
            list_validation(sheet, f"{letter}2:{letter}{last}", _choices(lists, header, choices))
        fit_columns(sheet)
        print_setup(sheet, footer)
        sheet.freeze_panes = "A2"
    if lists.max_row == 1 and lists["A1"].value is None:
        workbook.remove(lists)
    return workbook


def _choices(lists: Any, header: str, choices: Sequence[str]) -> str:
    column = 1 if lists["A1"].value is None else lists.max_column + 1
    lists.cell(row=1, column=column, value=header)
    for offset, label in enumerate(choices, start=2):
        lists.cell(row=offset, column=column, value=label).data_type = "s"
    letter = lists.cell(row=1, column=column).column_letter
    return f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(choices) + 1}"


def _rows(frame: pd.DataFrame) -> Any:
    """Plain values; text is written as text (data type "s"), so a formula trigger stays text."""
    from kansen_cli.files import frame_rows

    return frame_rows(frame)


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file, for files written together with others."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def footer_of(batch: str | None, what: str) -> str:
    """A footer naming what the table is and, when there is one, its batch."""
    return _("{what}, batch {batch}").format(what=what, batch=batch) if batch else what
