"""`kansen demo` runs the whole cycle and leaves every kind of output a user would expect."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("english_messages")]


def test_demo_runs_the_whole_cycle(demo_run) -> None:
    folder, result = demo_run
    assert result.exit_code == 0, result.output[-3000:]
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {"kansen.toml", "kansen.sqlite", "register.csv"} <= files
    assert any(f.startswith("letters/") and f.endswith(".pdf") for f in files)
    assert any(f.endswith("-mailmerge.xlsx") for f in files)
    assert any(f.startswith("sheets/") and f.endswith("-registratie.xlsx") for f in files)
    assert any(f.startswith("sheets/nabellen-") for f in files)
    assert {
        "rapport/rapport.md",
        "rapport/rapport.xlsx",
        "rapport/rapport.docx",
        "rapport/rapport.pdf",
    } <= files
    # The four charts of every report, and the survey's marks.
    assert len([f for f in files if f.startswith("rapport/grafieken/") and f.endswith(".png")]) == 5
    assert "rapport/grafieken/cijfers.png" in files
    assert {"enquetes/enquete-1.xlsx", "enquetes/enquete-1-ingevuld.xlsx"} <= files
    report = (folder / "rapport" / "rapport.md").read_text(encoding="utf-8")
    assert "## Enquête: het cijfer voor de gemeente per groep" in report
    # The list of files produced ends the output, after the report.
    assert result.stdout.rstrip().splitlines()[-1].strip().endswith(sorted(files)[-1].split("/")[-1])


STEP_TABLES = ("selection_runs", "batches", "appointments", "letters", "outcomes", "followups")


def test_demo_ledger_holds_each_step(demo_run) -> None:
    folder, _ = demo_run
    with sqlite3.connect(folder / "kansen.sqlite") as db:
        count = {
            t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in (*STEP_TABLES, "survey_members", "survey_answers")
        }
        invited = db.execute("SELECT count(DISTINCT batch_id) FROM letters").fetchone()[0]
        round_one = db.execute("SELECT count(*) FROM batches WHERE round = 1").fetchone()[0]
        planned = db.execute(
            "SELECT count(*) FROM appointments a JOIN batches b USING (batch_id) WHERE b.round = 1"
        ).fetchone()[0]
        # Phone first: who said no on the phone is planned but sent no letter.
        refused = db.execute(
            "SELECT count(*) FROM batch_members WHERE client_id NOT IN (SELECT client_id FROM letters)"
            " AND batch_id IN (SELECT batch_id FROM letters)"
        ).fetchone()[0]
        # Their no on the phone is their contact result (roles.phone_contact_result: afgezegd).
        refused_results = db.execute(
            "SELECT o.contact_result, count(*) FROM outcomes o JOIN batch_members m USING (client_id)"
            " WHERE m.client_id NOT IN (SELECT client_id FROM letters)"
            " AND m.batch_id IN (SELECT batch_id FROM letters) GROUP BY o.contact_result"
        ).fetchall()
        per_wijk = db.execute("SELECT neighbourhood, count(*) FROM people GROUP BY neighbourhood").fetchall()
        neighbourhoods = db.execute(
            "SELECT count(DISTINCT b.neighbourhood) FROM letters l JOIN batches b USING (batch_id)"
        ).fetchone()[0]
    assert count["selection_runs"] == 1
    # SPEC §6 by hand: a wijk of n people gets max(1, round(n / 250)) batches, halves rounded up.
    assert round_one == sum(max(1, int(n / 250 + 0.5)) for _wijk, n in per_wijk)
    assert invited >= 2 and neighbourhoods >= 2
    assert planned == count["letters"] + refused and count["letters"] > 0
    assert refused > 0 and refused_results == [("afgezegd", refused)]
    assert 0 < count["outcomes"] <= count["letters"] + refused
    assert count["followups"] > 0
    # The survey: 25 per group (both groups are larger than that in the demo), all called.
    assert count["survey_members"] == count["survey_answers"] == 50


def test_demo_letters_have_one_page_per_person(demo_run) -> None:
    folder, _ = demo_run
    with sqlite3.connect(folder / "kansen.sqlite") as db:
        sizes = dict(db.execute("SELECT batch_id, count(*) FROM letters GROUP BY batch_id").fetchall())
    for batch_id, people in sizes.items():
        pages = [p.extract_text() for p in PdfReader(folder / "letters" / batch_id / f"{batch_id}.pdf").pages]
        # One Dutch page a letter; an English translation behind it is a page of its own.
        assert sum("Ons kenmerk:" in p for p in pages) == people
        assert all("Ons kenmerk:" in p or "Our reference:" in p for p in pages)


def test_demo_report_agrees_with_the_ledger(demo_run, invoke) -> None:
    folder, _ = demo_run
    result = invoke("report", "--json", "-c", folder)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    with sqlite3.connect(folder / "kansen.sqlite") as db:
        # Approached: anyone tried by any route (issue 12): a letter, or a call without a letter
        # after it (who said no on the phone).
        approached = db.execute("SELECT count(DISTINCT client_id) FROM contact_attempts").fetchone()[0]
        lettered = db.execute("SELECT count(*) FROM letters").fetchone()[0]
        refused_by_phone = db.execute(
            "SELECT count(DISTINCT client_id) FROM contact_attempts WHERE channel = 'phone'"
            " AND outcome = 'geen_gesprek' AND client_id NOT IN (SELECT client_id FROM letters)"
        ).fetchone()[0]
        spoken = db.execute("SELECT count(*) FROM outcomes WHERE contact_result = 'gesproken'").fetchone()[0]
    assert figures["approached"] == approached == lettered + refused_by_phone
    assert figures["spoken"] == spoken


def test_demo_refuses_a_folder_in_use(invoke, tmp_path: Path) -> None:
    (tmp_path / "something.txt").write_text("x")
    result = invoke("demo", tmp_path)
    assert result.exit_code == 1
    assert "not empty" in result.stderr


def test_demo_keeps_the_referred_in_view(demo_run, invoke) -> None:
    """Issue 13: the people referred to Coach Meedoen get a coach, an intake and two review
    rounds in the coaches' workbooks, and the report shows the trajectory sections."""
    folder, _ = demo_run
    with sqlite3.connect(folder / "kansen.sqlite") as db:
        referred = {
            r[0] for r in db.execute("SELECT client_id FROM referrals WHERE destination = 'coach_meedoen'")
        }
        in_trajectory = {r[0] for r in db.execute("SELECT client_id FROM trajectories")}
        coaches = db.execute("SELECT count(DISTINCT coach) FROM coach_assignments").fetchone()[0]
        rung_days = db.execute("SELECT count(DISTINCT on_date) FROM ladder_steps").fetchone()[0]
        score_days = db.execute("SELECT count(DISTINCT reviewed_on) FROM goal_scores").fetchone()[0]
    assert referred and in_trajectory == referred
    # Rungs at the intake and at both reviews; goals are set at the intake and scored at the reviews.
    assert (rung_days, score_days) == (3, 2)
    # A workbook per coach with people, per round, each filled in and loaded.
    filled = list((folder / "caseload").glob("caseload-*-ingevuld.xlsx"))
    assert len(filled) == 3 * coaches
    report = (folder / "rapport" / "rapport.md").read_text(encoding="utf-8")
    assert "## Trajecten: caseload per coach" in report
    assert "## Individueel doel bereikt en GAS T-score, per soort coach" in report
    figures = json.loads(invoke("report", "--json", "-c", folder).stdout)["trajectories"]
    assert figures["started"] == len(referred)


def test_demo_shows_every_route(demo_run) -> None:
    """Issue 12: phone first against letter first in each batch, the second batch at the
    location, and a second round of re-invitations for who was not at home."""
    folder, _ = demo_run
    with sqlite3.connect(folder / "kansen.sqlite") as db:
        phoned = db.execute(
            "SELECT DISTINCT m.variant FROM contact_attempts a JOIN batch_members m USING (client_id)"
            " WHERE a.channel = 'phone'"
        ).fetchall()
        call_days = db.execute("SELECT count(DISTINCT on_date) FROM contact_attempts WHERE channel = 'phone'")
        # A person whose latest call made the appointment got a letter (the confirmation); who
        # said no on the phone got none.
        latest = dict(
            db.execute(
                "SELECT client_id, outcome FROM contact_attempts a WHERE channel = 'phone' AND on_date ="
                " (SELECT max(on_date) FROM contact_attempts b WHERE b.client_id = a.client_id"
                " AND b.channel = 'phone')"
            ).fetchall()
        )
        lettered = {r[0] for r in db.execute("SELECT client_id FROM letters")}
        places = dict(
            db.execute(
                "SELECT batch_id, group_concat(DISTINCT coalesce(location, 'thuis')) FROM appointments"
                " WHERE batch_id NOT LIKE '%-r2' GROUP BY batch_id"
            ).fetchall()
        )
        second = db.execute("SELECT batch_id FROM batches WHERE round = 2").fetchall()
        reinvited = db.execute(
            "SELECT count(*) FROM contact_attempts WHERE channel = 'reinvitation' AND round = 2"
        ).fetchone()[0]
        not_home = db.execute(
            "SELECT count(*) FROM round_members r JOIN batches b USING (batch_id) WHERE b.round = 2"
        ).fetchone()[0]
    assert phoned == [("B",)]  # only the phone-first variant is called
    assert call_days.fetchone()[0] == 4  # two call days per batch, two batches
    made = {c for c, o in latest.items() if o == "afspraak_gemaakt"}
    refused = {c for c, o in latest.items() if o == "geen_gesprek"}
    assert made and made <= lettered
    assert refused and not refused & lettered
    pdfs = " ".join(
        page.extract_text()
        for batch_id in places
        for page in PdfReader(folder / "letters" / batch_id / f"{batch_id}.pdf").pages
    )
    assert "bevestig" in pdfs.lower()
    # The first batch meets at home, the second at the demo's location.
    assert sorted(places.values()) == ["de-schakel", "thuis"]
    assert second and all(b.endswith("-r2") for (b,) in second)
    assert reinvited == not_home > 0
