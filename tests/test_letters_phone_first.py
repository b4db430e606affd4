"""Letters after the calls (phone first): a confirmation, no letter, or the invitation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from kansen_cli.settings import Settings
from kansen_cli.workflows.letters import CONFIRMATION, INVITATION, after_calls, letter_after_calls
from registration_helpers import fill, ledger_rows
from test_calls_workbook import FIRST, calls, ingest, make_phone_campaign, ok, phone_first

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

SETTINGS = Settings.model_validate({"letters": {"approach": {"B": "phone_first"}}})


@pytest.mark.parametrize(
    ("approach", "outcome", "expected"),
    [
        ("phone_first", "afspraak_gemaakt", CONFIRMATION),
        ("phone_first", "geen_gesprek", None),  # said no on the phone: no letter
        ("phone_first", "geen_gehoor", INVITATION),
        ("phone_first", "voicemail", INVITATION),
        ("phone_first", "verkeerd_nummer", INVITATION),
        ("phone_first", "terugbellen", INVITATION),  # not settled yet: the invitation goes
        ("phone_first", None, INVITATION),  # never called (no phone number)
        ("letter", "afspraak_gemaakt", INVITATION),  # letter-first people always get the invitation
    ],
)
def test_which_letter(approach, outcome, expected):
    assert letter_after_calls(approach, outcome, SETTINGS) == expected


def test_after_calls_sets_the_template_and_counts():
    fields = [
        {"client_id": "1", "variant": "A"},
        {"client_id": "2", "variant": "B"},
        {"client_id": "3", "variant": "B"},
        {"client_id": "4", "variant": "B"},
    ]
    latest = {"1": "afspraak_gemaakt", "2": "afspraak_gemaakt", "3": "geen_gesprek"}
    chosen, confirmations, no_letter = after_calls(fields, latest, SETTINGS)
    assert [(f["client_id"], f.get("template")) for f in chosen] == [
        ("1", None),
        ("2", "bevestiging"),
        ("4", None),
    ]
    assert (confirmations, no_letter) == (1, 1)
    assert "template" not in fields[1]  # the caller's fields are not changed


def test_confirmation_letter_in_the_pdf(invoke, small_register, tmp_path):
    campaign, batch = make_phone_campaign(invoke, small_register, tmp_path)
    ids = [p["client_id"] for p in phone_first(campaign, batch) if p["phone"]]
    calls(invoke, campaign, batch, FIRST)
    blank = campaign / "calls" / f"{batch}-bellen-{FIRST.isoformat()}.xlsx"
    filled = tmp_path / "filled.xlsx"
    fill(
        blank,
        filled,
        {ids[0]: ok("10-11-2026", "Afspraak gemaakt"), ids[1]: ok("10-11-2026", "Wil geen gesprek")},
    )
    assert ingest(invoke, campaign, filled).exit_code == 0
    everyone = ledger_rows(campaign, "SELECT client_id FROM batch_people WHERE batch_id = ?", (batch,))

    args = ("letters", batch, "--format", "pdf", "--sent-on", "2026-11-20", "-c", campaign, "--json")
    # Everyone with a phone but ids[0] and ids[1] (an appointment, a no) is still being called:
    # called on 10-11 or never, so all due on 20-11. Refused, nothing written or recorded.
    refused = invoke(*args)
    assert refused.exit_code == 1
    still = len(ids) - 2
    assert f"{still} phone-first people are still being called ({still} due a call on 20 Nov 2026)" in (
        refused.stderr
    )
    assert "--stop-calling" in refused.stderr
    assert not (campaign / "letters" / batch).exists()
    assert not ledger_rows(campaign, "SELECT * FROM contact_attempts WHERE channel = 'letter'")

    result = invoke(*args, "--stop-calling")
    assert result.exit_code == 0, result.stderr
    made = json.loads(result.stdout)
    assert (made["letters"], made["confirmations"], made["no_letter"]) == (len(everyone) - 1, 1, 1)
    assert made["stopped_calling"] == still

    every_page = [page.extract_text() for page in PdfReader(Path(made["folder"]) / f"{batch}.pdf").pages]
    # The Dutch letters; an English translation behind a letter is a page of its own.
    pages = [p for p in every_page if "Ons kenmerk:" in p]
    assert len(pages) == len(everyone) - 1
    assert all("Ons kenmerk:" in p or "Our reference:" in p for p in every_page)
    kenmerk = {cid: [p for p in pages if f"{batch}/{cid}" in p] for cid in (ids[0], ids[1], ids[2])}
    assert kenmerk[ids[1]] == []  # said no on the phone: no letter
    assert "bevestigen wij de afspraak" in " ".join(kenmerk[ids[0]][0].split())
    assert "Onderwerp: bevestiging van uw afspraak" in kenmerk[ids[0]][0]
    assert "bevestigen wij de afspraak" not in " ".join(kenmerk[ids[2]][0].split())
    # Only those who got a letter are recorded as sent a letter.
    sent = ledger_rows(campaign, "SELECT client_id FROM contact_attempts WHERE channel = 'letter'")
    assert {r["client_id"] for r in sent} == {r["client_id"] for r in everyone} - {ids[1]}
