"""Invitation letters: fields, pre-flight, escaping, the PDF, the workbooks, `kansen letters`."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from campaign_helpers import make_campaign
from kansen_cli import letter_render as render
from kansen_cli import letter_templates as templates
from kansen_cli import letters as core
from kansen_cli.errors import KansenError, TemplateFieldError
from kansen_cli.sample import generate_register, letter_people
from kansen_cli.settings import Settings
from letter_helpers import GOLDEN, SENT_ON, golden_fields

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

REGENERATE = "KANSEN_REGENERATE_GOLDEN"
START = dt.date(2026, 11, 2)


def _flat(text: str) -> str:
    return " ".join(text.split())


def people_with_appointments(register: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Register rows shaped like `ledger.letters.letter_people`, planned from START."""
    return letter_people(register, START, settings.planning, batch_id="test-1")


@pytest.fixture(scope="module")
def longest() -> pd.DataFrame:
    """The people with the longest names and the longest addresses of a generated register."""
    register = generate_register(3000, seed=11, invalid_rows=0)
    name = register["Voorletters"] + register["Tussenvoegsel"] + register["Achternaam"]
    address = register["Straat"] + register["Huisnummer"].astype(str) + register["Toevoeging"]
    picks = list(name.str.len().nlargest(3).index) + list(address.str.len().nlargest(3).index)
    return people_with_appointments(register.loc[sorted(set(picks))].reset_index(drop=True), Settings())


def test_fields_are_dutch_text(longest) -> None:
    fields = core.letter_fields(longest, Settings(), SENT_ON)
    first = fields[0]
    assert first["letter_date"] == "26 oktober 2026"
    assert first["duration"] == "ongeveer een uur"
    assert first["date"] is not None and first["date"].endswith("2026")
    assert first["date"].split()[0] in {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"}
    assert first["time"] is not None and first["time"].endswith(" uur")
    assert all(isinstance(v, str) for f in fields for v in f.values() if v is not None)
    # Sorted by postcode for the post room.
    assert [f["postcode"] for f in fields] == sorted(f["postcode"] or "" for f in fields)


def test_pdf_has_one_page_per_person_with_their_details(longest) -> None:
    settings = Settings()
    env = templates.environment(None)
    fields = core.letter_fields(longest, settings, SENT_ON)
    core.preflight(env, fields, "test-1", SENT_ON)
    reader = PdfReader(io.BytesIO(render.render_pdf(env, fields, workers=1)))
    assert len(reader.pages) == len(fields) == len(longest)
    for page, f in zip(reader.pages, fields, strict=True):
        text = _flat(page.extract_text())
        for key in ("name", "street_line", "postcode_city", "date", "time", "consultant"):
            assert _flat(str(f[key])) in text, key


def test_pdf_in_chunks_on_two_workers_keeps_order(monkeypatch, longest) -> None:
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    env = templates.environment(None)
    fields = core.letter_fields(longest, Settings(), SENT_ON)
    reader = PdfReader(io.BytesIO(render.render_pdf(env, fields, workers=2)))
    assert len(reader.pages) == len(fields)
    for page, f in zip(reader.pages, fields, strict=True):
        assert _flat(str(f["name"])) in _flat(page.extract_text())


def test_a_letter_longer_than_a_page_is_an_error(tmp_path, longest) -> None:
    folder = tmp_path / "templates" / "letters"
    folder.mkdir(parents=True)
    (folder / "A.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block intro %}'
        '<div style="height: 300mm">{{ name }}</div>{% endblock %}'
    )
    env = templates.environment(tmp_path)
    fields = [f for f in core.letter_fields(longest, Settings(), SENT_ON) if f["variant"] == "A"]
    with pytest.raises(KansenError, match="one page"):
        render.render_pdf(env, fields, workers=1)


def test_script_in_a_name_is_escaped(longest) -> None:
    people = longest.head(1).copy()
    people["surname"] = "<script>alert(1)</script>"
    fields = core.letter_fields(people, Settings(), SENT_ON)
    html = render.render_letter(templates.environment(None), fields[0])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_template_with_unknown_field_names_field_and_count(tmp_path, longest) -> None:
    folder = tmp_path / "templates" / "letters"
    folder.mkdir(parents=True)
    (folder / "A.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block intro %}<p>{{ shoe_size }}</p>{% endblock %}'
    )
    env = templates.environment(tmp_path)
    fields = core.letter_fields(longest, Settings(), SENT_ON)
    count_a = sum(1 for f in fields if f["variant"] == "A")
    with pytest.raises(
        TemplateFieldError, match=f"'shoe_size' is missing or empty for {count_a} of {len(fields)}"
    ):
        core.preflight(env, fields, "test-1", SENT_ON)


def test_preflight_reports_every_gap_at_once(longest) -> None:
    people = longest.copy()
    people.loc[0, "street"] = None
    people.loc[[1, 2], "appointment_date"] = None
    fields = core.letter_fields(people, Settings(), SENT_ON)
    with pytest.raises(TemplateFieldError) as info:
        core.preflight(templates.environment(None), fields, "test-1", SENT_ON)
    message = str(info.value)
    assert "'street_line' is missing or empty for 1 of" in message
    assert "'date' is missing or empty for 2 of" in message
    assert "kansen plan test-1" in message
    for name in people["surname"]:
        assert name not in message  # no personal data in errors


def test_appointment_before_the_letter_is_refused(longest) -> None:
    fields = core.letter_fields(longest, Settings(), START + dt.timedelta(days=3))
    with pytest.raises(TemplateFieldError, match="on or before the letter date"):
        core.preflight(templates.environment(None), fields, "test-1", START + dt.timedelta(days=3))


def test_unknown_variant_needs_a_template(longest) -> None:
    people = longest.head(2).assign(variant="C")
    with pytest.raises(TemplateFieldError, match=r"C\.html\.j2"):
        core.preflight(
            templates.environment(None), core.letter_fields(people, Settings(), SENT_ON), "t", SENT_ON
        )


def test_call_list_puts_people_without_phone_apart(longest) -> None:
    people = longest.copy()
    people["phone"] = "06-12345678"
    people.loc[0, "phone"] = ""
    from kansen_cli import i18n

    with i18n.using("nl"):  # the sheet names in Dutch, the default
        sheets = core.call_lists(core.letter_fields(people, Settings(), SENT_ON))
    calls, apart = sheets["Bellijst"], sheets["Zonder telefoonnummer"]
    assert len(calls) + len(apart) == len(people)
    assert list(apart["Klantnummer"]) == [people.loc[0, "client_id"]]
    assert (calls["Telefoon"] != "").all()
    # The reminder call is on an open day before the appointment.
    assert all(c != a for c, a in zip(calls["Beldatum"], calls["Afspraak"], strict=True))


# --- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["A", "B"])
def test_golden_letter(variant: str) -> None:
    html = render.render_letter(templates.environment(None), golden_fields(variant))
    path = GOLDEN / f"{variant}.html"
    if os.environ.get(REGENERATE):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    assert path.exists(), f"no golden file; run with {REGENERATE}=1 once and review it"
    assert html == path.read_text(encoding="utf-8")


# Wording that tells the reader taking part is up to them: only variant B may say it (SPEC §1).
VOLUNTARY_PHRASES = ("vrijwillig", "geen gesprek", "zelf of u meedoet", "niet mee", "geen gevolgen")


def test_variant_b_states_voluntariness_and_a_does_not() -> None:
    env = templates.environment(None)
    a, b = (_flat(render.render_letter(env, golden_fields(v))).casefold() for v in "AB")
    assert [p for p in VOLUNTARY_PHRASES if p in a] == []
    assert [p for p in VOLUNTARY_PHRASES if p not in b] == []
    # A still says how to move or cancel the appointment, by phone and by e-mail.
    assert "verzetten of afzeggen" in a and "verzetten of afzeggen" in b
    a, b = (_flat(render.render_letter(env, golden_fields(v))) for v in "AB")
    for text in (a, b):
        assert "dinsdag 3 november 2026 om 10.30 uur" in text
        assert "ongeveer een uur" in text
        assert "Waar:</strong> bij u thuis" in text
        assert "050 123 45 67" in text and "kanseninkaart@example.nl" in text
        assert "geen controle" in text


# --- the command -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def planned_template(tmp_path_factory, small_register) -> Path:
    """A campaign with batches of about 50 and a plan for hoogkerk-1 (7 people), made once."""
    from typer.testing import CliRunner

    from kansen_cli.cli import app

    runner = CliRunner()
    folder = make_campaign(tmp_path_factory.mktemp("letters") / "campaign")
    for args in (
        ["select", str(small_register), "--as-of", "2026-10-01"],
        ["batch", "--size", "50"],
        ["plan", "hoogkerk-1", "--start", "2026-11-02"],
    ):
        result = runner.invoke(app, [*args, "--campaign", str(folder)])
        assert result.exit_code == 0, result.stderr
    return folder


@pytest.fixture
def planned(planned_template, tmp_path) -> Path:
    folder = tmp_path / "campaign"
    shutil.copytree(planned_template, folder)
    return folder


def test_letters_command_writes_everything_and_records(invoke, planned) -> None:
    from kansen_cli.ledger import open_ledger

    result = invoke(  # Dutch, the default: the call list's sheet names asserted below
        "--lang",
        "nl",
        "letters",
        "hoogkerk-1",
        "--format",
        "pdf,html",
        "--sent-on",
        "2026-10-26",
        "-c",
        planned,
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    folder = planned / "letters" / "hoogkerk-1"
    with open_ledger(planned, create=False) as ledger:
        members = ledger.frame("SELECT client_id, variant FROM batch_members WHERE batch_id = 'hoogkerk-1'")
        sent = ledger.frame("SELECT client_id, variant, sent_on FROM letters")
        invited = ledger.scalar("SELECT invited_on FROM batches WHERE batch_id = 'hoogkerk-1'")
        english = ledger.scalar(
            "SELECT COUNT(*) FROM batch_people JOIN people USING (client_id)"
            " WHERE batch_id = 'hoogkerk-1' AND language = 'Engels'"
        )
    assert data["letters"] == len(members) == 7
    assert invited == "2026-10-26"
    assert set(sent["sent_on"]) == {"2026-10-26"}
    assert dict(zip(sent["client_id"], sent["variant"], strict=True)) == dict(
        zip(members["client_id"], members["variant"], strict=True)
    )
    # One page a letter, and the English translation behind the letter of who reads English.
    assert english >= 1
    assert len(PdfReader(folder / "hoogkerk-1.pdf").pages) == 7 + english
    htmls = sorted(p.name for p in folder.glob("*.html"))
    assert htmls == sorted(f"hoogkerk-1-{c}.html" for c in members["client_id"])
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600
    merge = load_workbook(folder / "hoogkerk-1-mailmerge.xlsx").active
    assert merge.max_row == 8
    assert all(cell.data_type == "s" for row in merge.iter_rows(min_row=2) for cell in row if cell.value)
    calls = load_workbook(folder / "hoogkerk-1-bellijst.xlsx")
    assert calls.sheetnames == ["Bellijst", "Zonder telefoonnummer", "_lijsten"]
    assert calls["_lijsten"].sheet_state == "hidden"
    assert calls["Bellijst"].max_row - 1 + calls["Zonder telefoonnummer"].max_row - 1 == 7
    # Once sent, again needs --force.
    again = invoke("letters", "hoogkerk-1", "--sent-on", "2026-10-27", "-c", planned, "--out", planned / "x")
    assert again.exit_code == 1
    assert "--force" in again.stderr


def test_name_starting_with_equals_stays_text_in_mail_merge(invoke, planned) -> None:
    from kansen_cli.ledger import open_ledger

    with open_ledger(planned, create=False) as ledger, ledger.transaction() as db:
        db.execute(
            "UPDATE people SET surname = '=HYPERLINK(\"http://x\")' WHERE client_id ="
            " (SELECT client_id FROM batch_members WHERE batch_id = 'hoogkerk-1' LIMIT 1)"
        )
    result = invoke("letters", "hoogkerk-1", "--sent-on", "2026-10-26", "-c", planned)
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(planned / "letters" / "hoogkerk-1" / "hoogkerk-1-mailmerge.xlsx").active
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("Achternaam")] for row in sheet.iter_rows(min_row=2)]
    risky = [c for c in cells if str(c.value).startswith("=")]
    assert len(risky) == 1
    assert risky[0].data_type == "s"


def test_letters_without_plan_writes_nothing(invoke, planned) -> None:
    from kansen_cli.ledger import open_ledger

    result = invoke("letters", "selwerd-1", "--sent-on", "2026-10-26", "-c", planned)
    assert result.exit_code == 1
    assert "'date' is missing or empty for 21 of 21 people" in result.stderr
    assert "kansen plan selwerd-1" in result.stderr
    assert not (planned / "letters").exists()
    with open_ledger(planned, create=False) as ledger:
        assert ledger.scalar("SELECT count(*) FROM letters") == 0


def test_template_override_with_missing_field_writes_nothing(invoke, planned) -> None:
    folder = planned / "templates" / "letters"
    folder.mkdir(parents=True)
    (folder / "B.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block voluntary %}{{ pet }}{% endblock %}'
    )
    result = invoke("letters", "hoogkerk-1", "--sent-on", "2026-10-26", "-c", planned)
    assert result.exit_code == 1
    assert "field 'pet' is missing or empty for" in result.stderr
    assert not (planned / "letters").exists()


def test_dry_run_records_nothing(invoke, planned) -> None:
    from kansen_cli.ledger import open_ledger

    result = invoke(
        "letters",
        "hoogkerk-1",
        "--dry-run",
        "--format",
        "pdf,html",
        "--sent-on",
        "2026-10-26",
        "-c",
        planned,
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    folder = Path(data["folder"])
    # The sample letters hold names and addresses: inside the campaign, private, never in /tmp.
    assert folder == planned / "letters" / "hoogkerk-1" / "proef"
    assert data["letters"] == 3  # "three sample letters", as the README and --help promise
    assert len(PdfReader(folder / "hoogkerk-1.pdf").pages) == data["letters"]
    assert len(list(folder.glob("*.html"))) == data["letters"]
    assert sorted(p.name for p in folder.parent.iterdir()) == ["proef"]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in folder.iterdir())
    # A second dry run replaces the sample; without --html its HTML files go.
    again = invoke("letters", "hoogkerk-1", "--dry-run", "--sent-on", "2026-10-26", "-c", planned)
    assert again.exit_code == 0, again.stderr
    assert str(folder) in again.stderr.replace("\n", "")
    assert sorted(p.name for p in folder.iterdir()) == ["hoogkerk-1.pdf"]
    with open_ledger(planned, create=False) as ledger:
        assert ledger.scalar("SELECT count(*) FROM letters") == 0
        assert ledger.scalar("SELECT invited_on FROM batches WHERE batch_id = 'hoogkerk-1'") is None


def test_existing_output_is_kept_without_force(invoke, planned) -> None:
    folder = planned / "letters" / "hoogkerk-1"
    folder.mkdir(parents=True)
    (folder / "hoogkerk-1.pdf").write_bytes(b"old")
    result = invoke("letters", "hoogkerk-1", "--sent-on", "2026-10-26", "-c", planned)
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert (folder / "hoogkerk-1.pdf").read_bytes() == b"old"
    assert sorted(p.name for p in folder.iterdir()) == ["hoogkerk-1.pdf"]


def test_letter_over_one_page_writes_nothing_and_records_nothing(invoke, planned) -> None:
    from kansen_cli.ledger import open_ledger

    folder = planned / "templates" / "letters"
    folder.mkdir(parents=True)
    for variant in "AB":
        (folder / f"{variant}.html.j2").write_text(
            '{% extends "base.html.j2" %}{% block intro %}'
            '<div style="height: 300mm">{{ name }}</div>{% endblock %}'
        )
    result = invoke("letters", "hoogkerk-1", "--format", "pdf,html", "--sent-on", "2026-10-26", "-c", planned)
    assert result.exit_code == 1
    assert re.search(r"7 letters made \d+ pages; a letter must fit on one page", result.stderr)
    assert not (planned / "letters").exists()
    with open_ledger(planned, create=False) as ledger:
        assert ledger.scalar("SELECT count(*) FROM letters") == 0
        assert ledger.scalar("SELECT invited_on FROM batches WHERE batch_id = 'hoogkerk-1'") is None


def test_failed_write_leaves_no_file_and_a_rerun_works(invoke, planned, monkeypatch) -> None:
    import kansen_cli.files as files

    real = files.write_bytes

    def broken(path, data, *args, **kwargs):
        if str(path).endswith(".xlsx"):
            raise OSError("disk full")
        return real(path, data, *args, **kwargs)

    monkeypatch.setattr(files, "write_bytes", broken)
    result = invoke("letters", "hoogkerk-1", "--format", "pdf,html", "--sent-on", "2026-10-26", "-c", planned)
    assert result.exit_code != 0
    assert not (planned / "letters").exists()
    monkeypatch.undo()
    result = invoke("letters", "hoogkerk-1", "--format", "pdf,html", "--sent-on", "2026-10-26", "-c", planned)
    assert result.exit_code == 0, result.stderr
    assert len(list((planned / "letters" / "hoogkerk-1").iterdir())) == 7 + 3


def test_missing_templates(tmp_path) -> None:
    assert templates.missing_templates(["B", "A", "A"], None) == []
    assert templates.missing_templates(["A", "C", "D"], tmp_path) == ["C", "D"]
    folder = templates.campaign_template_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / "C.html.j2").write_text('{% extends "base.html.j2" %}')
    assert templates.missing_templates(["A", "C", "D"], tmp_path) == ["D"]


def test_address_line_is_the_same_in_letter_and_sheet() -> None:
    from kansen_cli.workbooks.layout import person_address

    assert core.address_line("Amkemaheerd", 1, "A") == "Amkemaheerd 1 A"
    assert core.address_line("Amkemaheerd", 17.0, None) == "Amkemaheerd 17"
    assert core.address_line("Amkemaheerd", float("nan"), " ") == "Amkemaheerd"
    row = {"street": "Amkemaheerd", "house_number": 1, "house_number_addition": "A", "postcode": "9736 AB"}
    fields = core.person_fields(row)
    assert person_address(row).startswith(f"{fields['street_line']}, ")


def test_bad_format_is_a_usage_error(invoke, planned) -> None:
    result = invoke("letters", "hoogkerk-1", "--format", "docx", "-c", planned)
    assert result.exit_code == 2


# --- the workflow ----------------------------------------------------------------------------


def test_workflow_dates_the_letters_today_and_reports_progress(planned) -> None:
    from kansen_cli.ledger import open_ledger
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import letters as workflow

    calls: list[tuple[int, int]] = []
    result = workflow.run(
        planned,
        load_settings(planned),
        "hoogkerk-1",
        today=dt.date(2026, 10, 20),
        formats=("pdf", "html"),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.sent_on == dt.date(2026, 10, 20) and result.letters == 7
    with open_ledger(planned, create=False) as ledger:
        assert ledger.scalar("SELECT invited_on FROM batches WHERE batch_id = 'hoogkerk-1'") == "2026-10-20"
    # 7 letters in two formats: 14 renderings, counted from 0 up to 14.
    assert calls[0] == (0, 14) and calls[-1] == (14, 14)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert sorted(p.name for p in result.files) == sorted(p.name for p in result.folder.iterdir())
    assert len(result.files) == 1 + 2 + 7


def test_cli_dates_the_letters_with_kansen_today(invoke, planned, monkeypatch) -> None:
    monkeypatch.setenv("KANSEN_TODAY", "2026-10-21")
    result = invoke("--lang", "nl", "letters", "hoogkerk-1", "-c", planned)
    assert result.exit_code == 0, result.stderr
    assert "vastgelegd als verstuurd op 21-10-2026" in " ".join(result.stderr.split())


def test_dry_run_json_is_the_workflow_result(invoke, planned) -> None:
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import letters as workflow

    result = workflow.run(
        planned, load_settings(planned), "hoogkerk-1", today=SENT_ON, formats=["html"], dry_run=True
    )
    cli = invoke(
        "letters",
        "hoogkerk-1",
        "--dry-run",
        "--format",
        "html",
        "--sent-on",
        "2026-10-26",
        "-c",
        planned,
        "--json",
    )
    assert cli.exit_code == 0, cli.stderr
    assert json.loads(cli.stdout) == result.as_json()
    data = result.as_json()
    assert data["sent_on"] is None and data["dry_run"] is True and data["batch"] == "hoogkerk-1"
    assert data["letters"] == 3 and len(data["files"]) == 3  # three sample letters, one HTML file each


def test_workflow_refuses_unknown_formats(planned) -> None:
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import letters as workflow

    with pytest.raises(KansenError, match="pdf and html"):
        workflow.run(planned, load_settings(planned), "hoogkerk-1", today=SENT_ON, formats=["docx"])
    assert not (planned / "letters").exists()
