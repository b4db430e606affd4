"""Errors and problems read in the person's language: Dutch by default, English with --lang en.

Problem kinds stay English (they are --json keys); the message is translated; a value from a
cell is shown as the person typed or reads it (a date as 01-09-2026, never 2026-09-01 00:00:00).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kansen_cli.i18n import using
from kansen_cli.problems import shown_value
from kansen_cli.settings import Settings
from kansen_cli.workbooks.reading import FilledRow, FilledWorkbook
from kansen_cli.workbooks.registration import SHEET, RegistrationContext, plan_registration
from kansen_cli.workbooks.registration import columns as registration_columns
from registration_helpers import SENT_ON, TODAY

FIXTURES = Path(__file__).parent / "fixtures"


def _bsn_problem(invoke, *lang: str) -> dict:
    data = json.loads(invoke(*lang, "check", FIXTURES / "register_duplicates.csv", "--json").stdout)
    [problem] = data["problems"]["examples"]["invalid_bsn"]
    return problem


def test_a_register_problem_reads_in_dutch_and_in_english(invoke):
    dutch = _bsn_problem(invoke)
    english = _bsn_problem(invoke, "--lang", "en")
    # The same problem, the same key, in two languages (texts from the glossary: elfproef).
    assert dutch["kind"] == english["kind"] == "invalid_bsn"
    assert dutch["row"] == english["row"] == 4
    assert dutch["message"] == "het BSN doorstaat de elfproef niet"
    assert english["message"] == "BSN fails the elfproef (11-check)"


def _dd_mm_yyyy(day: dt.date) -> str:
    # Written out by hand, not through the code under test.
    return "-".join((str(day.day).zfill(2), str(day.month).zfill(2), str(day.year)))


def _plan(conversation_date: object):
    settings = Settings()
    headers = {c.key: c.header for c in registration_columns(settings)}
    filled = FilledWorkbook(
        path=Path("x.xlsx"),
        name="x.xlsx",
        sha256="0",
        meta={"kind": "registration", "campaign": settings.campaign.name, "batch_id": "b-1"},
        headers={SHEET: headers},
    )
    cells = {
        "client_id": "0001",
        "contact_result": "Gesproken",
        "conversation_date": conversation_date,
        "classification": "Niet maatschappelijk actief",
    }
    filled.rows.append(FilledRow(SHEET, 2, {k: None for k in headers} | cells))
    context = RegistrationContext({"0001"}, {"0001": SENT_ON}, {}, TODAY)
    [problem] = plan_registration(filled, context, settings).problems.problems
    return problem


def test_a_workbook_date_problem_shows_the_date_as_typed_in_dutch_and_english():
    tomorrow = TODAY + dt.timedelta(days=1)
    # openpyxl hands a date cell over as a datetime at midnight.
    typed = dt.datetime(tomorrow.year, tomorrow.month, tomorrow.day)
    with using("nl"):
        dutch = _plan(typed)
    with using("en"):
        english = _plan(typed)
    assert dutch.kind == english.kind == "date_in_future"
    assert (dutch.column, english.column) == (
        "Datum gesprek",
        "Conversation date",
    )  # headers follow the language
    assert dutch.value == english.value == _dd_mm_yyyy(tomorrow)
    assert "00:00" not in dutch.value
    assert dutch.message == f"ligt na vandaag ({_dd_mm_yyyy(TODAY)})"
    assert english.message.startswith("lies after today (") and str(TODAY.year) in english.message


def test_a_date_that_is_no_date_says_how_to_write_it():
    with using("nl"):
        dutch = _plan("31-02-2026")
    with using("en"):
        english = _plan("31-02-2026")
    assert dutch.kind == english.kind == "bad_date"
    assert dutch.value == english.value == "31-02-2026"
    assert dutch.message == "geen datum; schrijf hem als dd-mm-jjjj"
    assert english.message == "not a date; write it as dd-mm-yyyy"


def test_values_are_shown_as_typed():
    assert shown_value(dt.datetime(2026, 9, 1)) == "01-09-2026"
    assert shown_value(dt.datetime(2026, 9, 1, 10, 30)) == "01-09-2026 10:30"
    assert shown_value(dt.date(2026, 9, 1)) == "01-09-2026"
    assert shown_value(12.0) == "12"
    with using("nl"):
        assert shown_value(7.5) == "7,5"
        assert shown_value("Jansen-de Vries") == "<tekst van 15 tekens>"
        assert shown_value("a") == "<tekst van 1 teken>"
    with using("en"):
        assert shown_value(7.5) == "7.5"
        assert shown_value("Jansen-de Vries") == "<text of 15 characters>"
    # A BSN that Excel made into a number is still masked.
    assert shown_value(999990019.0) == "*****0019"


def test_a_settings_error_in_both_languages(invoke, tmp_path):
    (tmp_path / "kansen.toml").write_text("[batch]\nsize = 'groot'\n", encoding="utf-8")
    dutch = invoke("check", FIXTURES / "register_minimal.csv", "-c", tmp_path)
    english = invoke("--lang", "en", "check", FIXTURES / "register_minimal.csv", "-c", tmp_path)
    assert dutch.exit_code == english.exit_code == 1
    assert dutch.stderr.startswith("kansen: fout: ")
    assert "batch.size: 'groot' is geen geheel getal" in dutch.stderr
    assert english.stderr.startswith("kansen: error: ")
    assert "batch.size: 'groot' is not a whole number" in english.stderr
