"""A coach's workbook after a handover: `kansen assign ID --to cm2` moves one person while
cm1's workbook is out. Whole-file loading must not let that one person block the file: cm1's
rows of that person dated up to the handover (inclusive) are still cm1's to record; rows
dated after it, and an end of the trajectory, are refused, naming the handover's date.

The ledger is `test_caseload.build_caseload_ledger` (T0001 with cm1 since 2026-06-01, goal 1;
T0002 with cm1 since 2026-08-03). cm1's workbook holds Deelnemers rows 2 (T0001) and 3
(T0002), Doelen row 2 (goal 1), and Nieuwe doelen rows 2-4 (T0001) and 5-7 (T0002).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from registration_helpers import ledger_rows
from test_caseload import build_caseload_ledger
from test_caseload_ingest import Edits, counts, fill_book, ingest, refused

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")


def handed_over_book(invoke, campaign: Path, tmp_path: Path, edits: Edits) -> Path:
    """cm1's workbook written on 16-11-2026 and filled in; on 18-11-2026 T0001 is handed over
    to cm2 (`kansen assign T0001 --to cm2 --on 2026-11-18`) before the workbook comes back."""
    from kansen_cli import i18n
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import caseload

    build_caseload_ledger(campaign)
    with i18n.using("nl"):  # the workbook in Dutch (its headers are the ones the edits name)
        written = caseload.run(
            campaign, load_settings(campaign), dt.date(2026, 11, 16), "cm1", tmp_path / "w"
        )
    handover = invoke("assign", "T0001", "--to", "cm2", "--on", "2026-11-18", "-c", campaign)
    assert handover.exit_code == 0, handover.stderr
    return fill_book(written.workbooks[0].file, tmp_path / "cm1.xlsx", edits)


BEFORE_HANDOVER: Edits = {
    ("Deelnemers", 2, "Datum"): "18-11-2026",  # T0001, on the day of the handover itself
    ("Deelnemers", 2, "Soort contact"): "Huisbezoek",
    ("Deelnemers", 2, "Trede nu"): 4,
    ("Deelnemers", 3, "Datum"): "17-11-2026",  # T0002, still cm1's
    ("Deelnemers", 3, "Soort contact"): "Telefonisch",
    ("Doelen", 2, "Datum evaluatie"): "17-11-2026",  # goal 1 of T0001
    ("Doelen", 2, "Score"): 1,
    ("Nieuwe doelen", 2, "Leefgebied"): "Gezondheid",  # T0001; set on 16-11, the workbook's day
    ("Nieuwe doelen", 2, "Omschrijving"): "Elke week zwemmen",
}


def test_a_handover_keeps_the_old_coachs_rows_from_before_it(invoke, campaign: Path, tmp_path: Path) -> None:
    book = handed_over_book(invoke, campaign, tmp_path, BEFORE_HANDOVER)
    code, data = ingest(invoke, campaign, book)
    assert code == 0, data
    # T0001: contact, rung, score, new goal; T0002: contact. Blank: 5 new-goal rows.
    assert counts(data) == (5, 0, 0, 0, 5)
    contacts = ledger_rows(
        campaign,
        "SELECT client_id, on_date, kind, coach FROM contact_moments WHERE on_date > '2026-11-01'"
        " ORDER BY on_date",
    )
    assert [tuple(c.values()) for c in contacts] == [
        ("T0002", "2026-11-17", "telefonisch", "cm1"),
        ("T0001", "2026-11-18", "huisbezoek", "cm1"),
    ]
    assert ledger_rows(campaign, "SELECT rung FROM ladder_steps WHERE on_date = '2026-11-18'") == [
        {"rung": 4}
    ]
    assert ledger_rows(
        campaign, "SELECT goal_id, score FROM goal_scores WHERE reviewed_on = '2026-11-17'"
    ) == [{"goal_id": 1, "score": 1}]
    assert ledger_rows(campaign, "SELECT client_id, set_on FROM goals WHERE domain = 'gezondheid'") == [
        {"client_id": "T0001", "set_on": "2026-11-16"}
    ]
    # The handover itself is untouched: T0001 is cm2's from 18-11.
    assignments = ledger_rows(
        campaign,
        "SELECT coach, from_on, until_on FROM coach_assignments WHERE client_id = 'T0001' ORDER BY id",
    )
    assert [tuple(a.values()) for a in assignments] == [
        ("cm1", "2026-06-01", "2026-11-18"),
        ("cm2", "2026-11-18", None),
    ]


AFTER_HANDOVER = [
    # A row of T0001 dated after the handover of 18-11, or ending the trajectory: named, refused.
    ({("Deelnemers", 2, "Datum"): "19-11-2026"}, (2, "Deelnemers: Datum", "19-11-2026"), "up to that day"),
    (
        {("Doelen", 2, "Datum evaluatie"): "19-11-2026"},
        (2, "Doelen: Datum evaluatie", "19-11-2026"),
        "up to that day",
    ),
    (
        {("Deelnemers", 2, "Traject beëindigd"): "Werk gevonden"},
        (2, "Deelnemers: Klantnummer", "T0001"),
        "can no longer end the trajectory",
    ),
]


@pytest.mark.parametrize(("edits", "expected", "why"), AFTER_HANDOVER)
def test_a_handover_refuses_the_old_coachs_rows_after_it_and_an_end(
    invoke, campaign: Path, tmp_path: Path, edits: Edits, expected: tuple[Any, ...], why: str
) -> None:
    book = handed_over_book(invoke, campaign, tmp_path, {**BEFORE_HANDOVER, **edits})
    problems = refused(invoke, campaign, book)
    assert [(p["row"], p["column"], p["value"], p["kind"]) for p in problems] == [
        (*expected, "not_in_caseload")
    ]
    assert "moved to coach 'cm2' on 18 Nov 2026" in problems[0]["message"]
    assert why in problems[0]["message"]
