"""Workbooks that work in Excel and LibreOffice (issue 16, deliver 3): read back with openpyxl.

Expected headers come from the README glossary and the sheet's Dutch wording, typed here by
hand; bounds are hand-computed from the synthetic letter date.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from kansen_cli import i18n
from kansen_cli.settings import Settings
from kansen_cli.workbooks import registration
from kansen_cli.workbooks.reading import read_filled

LETTER_DATE = dt.date(2026, 10, 26)
BATCH = "wijk-1"


def _people(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "client_id": f"0{i:04d}",
                "initials": "A.B.",
                "prefix": "van der" if i == 1 else None,
                "surname": f"Testpersoon-Langeachternaam{i}",
                "street": "Berkenlaan",
                "house_number": str(i + 1),
                "house_number_addition": None,
                "postcode": "6511 AB",
                "city": "Nijmegen",
                "appointment_date": "2026-11-02",
                "appointment_start": "10:00",
                "consultant": "Anouk Dijkstra",
                "location": None,
            }
            for i in range(n)
        ]
    )


def _write(tmp_path: Path, lang: str = "nl") -> Path:
    with i18n.using(lang):
        book = registration.build(
            _people(), Settings(), BATCH, created_at="2026-11-20T10:00:00", letter_date=LETTER_DATE
        )
    path = tmp_path / f"registratie-{lang}.xlsx"
    book.save(path)
    return path


def _headers(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def test_dutch_headers_from_the_glossary(tmp_path) -> None:
    sheet = load_workbook(_write(tmp_path))["Registratie"]
    headers = _headers(sheet)
    for dutch in (
        "Klantnummer",
        "Naam",
        "Adres",
        "Consulent",
        "Datum gesprek",
        "Contactresultaat",
        "Locatie",
    ):
        assert dutch in headers
    assert not any("_" in h for h in headers)


def test_english_headers_with_lang_en_and_ingest_reads_them(tmp_path) -> None:
    path = _write(tmp_path, "en")
    sheet = load_workbook(path)["Registratie"]
    headers = _headers(sheet)
    assert "Client number" in headers and "Conversation date" in headers and "Consultant" in headers
    assert "Klantnummer" not in headers
    filled = read_filled(path)  # read in Dutch: the marker names the English headers
    assert filled.problems == []
    assert filled.headers["Registratie"]["conversation_date"] == "Conversation date"


def test_widths_fit_the_content_and_headers_wrap(tmp_path) -> None:
    sheet = load_workbook(_write(tmp_path))["Registratie"]
    for cell in sheet[1]:
        width = sheet.column_dimensions[cell.column_letter].width
        longest_word = max(len(w) for w in cell.value.split())
        assert width >= longest_word + 1, cell.value  # never broken inside a word
        assert width >= len(cell.value) / 3, cell.value  # the header in at most three lines
        assert width <= 45
        assert cell.alignment.wrap_text is True
    # The name column is wide enough for the longest name (hand count: 38 characters).
    name = "A.B. van der Testpersoon-Langeachternaam1"
    column = sheet.cell(row=1, column=_headers(sheet).index("Naam") + 1).column_letter
    assert sheet.column_dimensions[column].width >= min(len(name), 40)
    assert sheet.row_dimensions[1].height >= 30


def test_a_date_validation_on_every_date_typed_in(tmp_path) -> None:
    sheet = load_workbook(_write(tmp_path))["Registratie"]
    headers = _headers(sheet)
    dates = [v for v in sheet.data_validations.dataValidation if v.type == "date"]
    column = sheet.cell(row=1, column=headers.index("Datum gesprek") + 1).column_letter
    assert len(dates) == 1
    validation = dates[0]
    assert str(validation.sqref) == f"{column}2:{column}4"
    assert validation.operator == "between"
    assert validation.formula1 == "DATE(2026,10,26)"
    assert validation.formula2 == "TODAY()"
    assert validation.showErrorMessage
    assert "26-10-2026" in validation.error and "vandaag" in validation.error


def test_print_setup_and_footer(tmp_path) -> None:
    sheet = load_workbook(_write(tmp_path))["Registratie"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert f"batch {BATCH}" in sheet.oddFooter.left.text
    assert sheet.oddFooter.right.text == "Pagina &P van &N"


def test_no_markup_in_the_explanation(tmp_path) -> None:
    sheet = load_workbook(_write(tmp_path))["Uitleg"]
    texts = [c.value for c in sheet["A"] if c.value]
    assert any("kansen ingest" in t for t in texts)
    assert not any("`" in t or "*" in t for t in texts)


def test_the_call_list_has_a_result_dropdown(tmp_path) -> None:
    from kansen_cli.letters import call_lists
    from kansen_cli.workbooks.tables import frames_workbook

    fields = [
        {"client_id": "00001", "name": "A. Test", "phone": "06-12345678", "date_numeric": "02-11-2026"},
        {"client_id": "00002", "name": "B. Test", "phone": None, "date_numeric": "02-11-2026"},
    ]
    labels = ("Afspraak gemaakt", "Geen gehoor", "Terugbellen op")
    book = frames_workbook(call_lists(fields), "batch x", {("Bellijst", "Resultaat gesprek"): labels})
    path = tmp_path / "bellijst.xlsx"
    book.save(path)
    book = load_workbook(path)
    sheet = book["Bellijst"]
    headers = _headers(sheet)
    assert headers[:3] == ["Beldatum", "Afspraak", "Tijd"]
    column = sheet.cell(row=1, column=headers.index("Resultaat gesprek") + 1).column_letter
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert str(validation.sqref) in (f"{column}2", f"{column}2:{column}2")  # the one row with a phone
    cells = validation.formula1.split("!")[1].replace("$", "")
    assert [c[0].value for c in book["_lijsten"][cells]] == list(labels)
    assert book["_lijsten"].sheet_state == "hidden"
    assert "Resultaat gesprek" not in _headers(book["Zonder telefoonnummer"])


def test_the_mail_merge_fields_do_not_depend_on_the_language() -> None:
    from kansen_cli.letters import mailmerge_frame

    fields = [{"salutation": "Beste mevrouw Test", "street": "Berkenlaan", "postcode": "6511 AB"}]
    with i18n.using("en"):
        english = list(mailmerge_frame(fields).columns)
    assert list(mailmerge_frame(fields).columns) == english == ["Aanhef", "Straat", "Postcode"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_round_trip_keeps_dates_and_validations(tmp_path) -> None:
    source = _write(tmp_path)
    out = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    book = load_workbook(out / source.name)
    sheet = book["Registratie"]
    headers = _headers(sheet)
    appointment = sheet.cell(row=2, column=headers.index("Afspraak") + 1).value
    assert isinstance(appointment, dt.datetime) and appointment.date() == dt.date(2026, 11, 2)
    kinds = sorted(v.type for v in sheet.data_validations.dataValidation)
    assert "date" in kinds and "list" in kinds
    date_validation = next(v for v in sheet.data_validations.dataValidation if v.type == "date")
    assert "TODAY()" in date_validation.formula2.upper()
    assert sheet.page_setup.orientation == "landscape"
    assert book["_kansen"].sheet_state == "hidden"
