"""`kansen report`: a hand-built ledger whose every figure is known, in every format."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from attempt_helpers import insert_letter_attempts
from kansen_cli.errors import ReportInconsistent
from kansen_cli.ledger import open_ledger
from kansen_cli.ledger.reporting import read_report_data
from kansen_cli.report import build_report
from kansen_cli.report_render import to_json, to_markdown
from kansen_cli.settings import Settings

GOLDEN = Path(__file__).parent / "golden" / "report"
NOW = "2026-04-01T10:00:00+02:00"

BATCHES = {
    "noord-1": ("Noord", "2026-01-10"),
    "noord-2": ("Noord", "2026-03-05"),
    "zuid-1": ("Zuid", "2026-02-01"),
}
# client, batch, variant, contact result, conversation date, location, classification,
# activity types, participation potential, referrals ('' = none; None = no outcome yet)
PEOPLE = [
    ("n101", "noord-1", "A", "gesproken", "2026-01-20", "thuis", "maatschappelijk_actief",
     "vrijwilligerswerk;naaste_omgeving", "zelf", ""),
    ("n102", "noord-1", "B", "gesproken", "2026-01-21", "thuis", "niet_actief", "", "met_ondersteuning",
     "coach_meedoen;wij_team"),
    ("n103", "noord-1", "A", "gesproken", "2026-01-22", "elders", "arbeidspotentieel", "", "geen",
     "centrum_naar_werk"),
    ("n104", "noord-1", "B", "afgezegd", None, None, None, "", None, ""),
    ("n105", "noord-1", "A", "niet_thuis", None, None, None, "", None, ""),
    ("n106", "noord-1", "B", "gesproken", "2026-01-23", "thuis", "maatschappelijk_actief", "deeltijdwerk",
     "met_ondersteuning", "wijkwerkmakelaar"),
    ("n107", "noord-1", "A", "vervallen", None, None, None, "", None, ""),
    ("n108", "noord-1", "B", "gesproken", "2026-01-24", "thuis", "niet_actief", "", "zelf", ""),
    ("n109", "noord-1", "A", "niet_bereikt", None, None, None, "", None, ""),
    ("n110", "noord-1", "B", None, None, None, None, "", None, ""),
    ("n201", "noord-2", "A", "gesproken", "2026-03-10", "thuis", "maatschappelijk_actief", "activiteiten",
     "geen", ""),
    ("n202", "noord-2", "B", "gesproken", "2026-03-11", "elders", "niet_actief", "", "zelf", "coach_meedoen"),
    ("n203", "noord-2", "A", "afgezegd", None, None, None, "", None, ""),
    ("n204", "noord-2", "B", "gesproken", "2026-03-12", "thuis", "maatschappelijk_actief",
     "vrijwilligerswerk", "zelf", ""),
    ("n205", "noord-2", "A", "vervallen", None, None, None, "", None, ""),
    ("n206", "noord-2", "B", "niet_thuis", None, None, None, "", None, ""),
    ("z01", "zuid-1", "A", "gesproken", "2026-02-10", "thuis", "niet_actief", "", "met_ondersteuning",
     "coach_meedoen"),
    ("z02", "zuid-1", "B", "gesproken", "2026-02-11", "thuis", "maatschappelijk_actief", "naaste_omgeving",
     "geen", ""),
    ("z03", "zuid-1", "A", "gesproken", "2026-02-12", "elders", "arbeidspotentieel", "", "geen",
     "centrum_naar_werk;ontheffing"),
    ("z04", "zuid-1", "B", "niet_bereikt", None, None, None, "", None, ""),
    ("z05", "zuid-1", "A", "gesproken", "2026-02-13", "thuis", "niet_actief", "", "geen", ""),
    ("z06", "zuid-1", "B", "afgezegd", None, None, None, "", None, ""),
    ("z07", "zuid-1", "A", None, None, None, None, "", None, ""),
    ("z08", "zuid-1", "B", "gesproken", "2026-02-14", "thuis", "maatschappelijk_actief",
     "vrijwilligerswerk;activiteiten", "zelf", ""),
]  # fmt: skip
NOT_SENT = [("z09", "zuid-1", "A"), ("z10", "zuid-1", "B")]  # batched, letter not sent yet
REFERRALS = [
    ("n102", "coach_meedoen", "gestart"),
    ("n102", "wij_team", "in_behandeling"),
    ("n103", "centrum_naar_werk", "geen_interesse"),
    ("n106", "wijkwerkmakelaar", "gestart"),
    ("n202", "coach_meedoen", None),
    ("z01", "coach_meedoen", "niet_bereikbaar"),
    ("z03", "centrum_naar_werk", "gestart"),
    ("z03", "ontheffing", "hulpverlening"),
]
FOLLOWUPS = [
    ("n101", 1, "actief_geworden"),
    ("n108", 1, "geen_contact"),
    ("n108", 2, "stappen_gezet"),
    ("n204", 1, "geen_contact"),
    ("n204", 2, "geen_contact"),
    ("z08", 1, "actief_geworden"),
    ("n106", 1, "actief_geworden"),
    ("n202", 1, "niet_actief"),
]


def build_golden_ledger(campaign: Path) -> Path:
    """Insert the rows above straight into a fresh ledger."""
    with open_ledger(campaign) as ledger, ledger.transaction() as db:
        db.execute(
            "INSERT INTO selection_runs VALUES"
            " (1, ?, '2026-01-01', 2, 'register.csv', 'abc', '{}', 100, '{}', 26)",
            (NOW,),
        )
        for seq, (batch_id, (nbh, _)) in enumerate(BATCHES.items(), start=1):
            db.execute(
                "INSERT INTO batches VALUES (?, ?, ?, 1, 2015, ?, NULL, 1, NULL)", (batch_id, nbh, seq, NOW)
            )
        everyone = [(p[0], p[1], p[2]) for p in PEOPLE] + NOT_SENT
        for position, (client, batch_id, variant) in enumerate(everyone):
            db.execute(
                "INSERT INTO people (client_id, neighbourhood, run_id) VALUES (?, ?, 1)",
                (client, BATCHES[batch_id][0]),
            )
            db.execute("INSERT INTO batch_members VALUES (?, ?, ?, ?)", (client, batch_id, position, variant))
        for client, batch_id, variant, result, date, location, klass, acts, potential, refs in PEOPLE:
            db.execute(
                "INSERT INTO letters VALUES (?, ?, ?, ?, ?)",
                (client, batch_id, variant, BATCHES[batch_id][1], NOW),
            )
            insert_letter_attempts(db, [(client, batch_id, BATCHES[batch_id][1], NOW)])
            if result is None:
                continue
            db.execute(
                "INSERT INTO outcomes (client_id, batch_id, contact_result, conversation_date, location,"
                " classification, activity_types, participation_potential, referrals, consent, source_file,"
                " source_sha256, loaded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (client, batch_id, result, date, location, klass, acts, potential, refs,
                 "ja" if refs else None, f"{batch_id}.xlsx", "def", NOW),
            )  # fmt: skip
        for client, destination, result in REFERRALS:
            db.execute(
                "INSERT INTO referrals (client_id, destination, result, source_file, loaded_at)"
                " VALUES (?, ?, ?, 'f.xlsx', ?)",
                (client, destination, result, NOW),
            )
        for client, rnd, result in FOLLOWUPS:
            db.execute(
                "INSERT INTO followups (client_id, round, result, source_file, loaded_at)"
                " VALUES (?, ?, ?, 'n.xlsx', ?)",
                (client, rnd, result, NOW),
            )
    return campaign


@pytest.fixture
def golden(campaign: Path) -> Path:
    return build_golden_ledger(campaign)


def make_report(campaign: Path, **kwargs):
    start, end, batch = kwargs.pop("start", None), kwargs.pop("end", None), kwargs.pop("batch", None)
    with open_ledger(campaign, create=False) as ledger:
        data = read_report_data(ledger, start, end, batch)
    return build_report(data, Settings(), start, end, batch, **kwargs)


def test_golden_json_figures(golden: Path) -> None:
    data = make_report(golden).data
    assert data["approached"] == 24
    assert data["spoken"] == 13
    assert data["response_rate"] == round(13 / 22, 4)
    assert data["contact_results"] == {
        "gesproken": 13,
        "afgezegd": 3,
        "niet_thuis": 2,
        "niet_bereikt": 2,
        "vervallen": 2,
        "geen_resultaat": 2,
    }
    # Each contact result's share of the advised, 24 approached − 2 vervallen = 22, by hand.
    assert data["advised"] == 22
    assert data["contact_result_shares"] == {
        "gesproken": 0.5909,  # 13/22 = 0.590909…
        "afgezegd": 0.1364,  # 3/22 = 0.136363…
        "niet_thuis": 0.0909,  # 2/22 = 0.090909…
        "niet_bereikt": 0.0909,
        "geen_resultaat": 0.0909,
    }
    assert data["outcomes"] == {"maatschappelijk_actief": 6, "arbeidspotentieel": 2, "niet_actief": 5}
    assert data["participation_potential"] == {
        "active": {"zelf": 3, "met_ondersteuning": 1},
        "not_active": {"zelf": 2, "met_ondersteuning": 2},
        "total": 8,
    }
    assert data["activity_types"] == {
        "naaste_omgeving": 2,
        "vrijwilligerswerk": 3,
        "activiteiten": 2,
        "deeltijdwerk": 1,
    }
    assert data["location"] == {"thuis": 10, "elders": 3}
    assert data["referrals"] == {
        "coach_meedoen": 3,
        "wijkwerkmakelaar": 1,
        "centrum_naar_werk": 2,
        "wij_team": 1,
        "ontheffing": 1,
    }
    assert data["referrals_total"] == 8
    assert data["referred_people"] == 6
    assert data["referral_results"]["coach_meedoen"] == {
        "gestart": 1,
        "in_behandeling": 0,
        "geen_interesse": 0,
        "niet_bereikbaar": 1,
        "hulpverlening": 0,
        "geen_resultaat_partner": 0,
        "geen_resultaat": 1,
    }
    assert data["followup"] == {
        "called": 6,
        "reached": 5,
        "results": {
            "actief_geworden": 3,
            "gemeld_wij_team": 0,
            "stappen_gezet": 1,
            "niet_actief": 1,
            "geen_contact": 1,
            "niet_meer_bellen": 0,
        },
    }
    assert data["became_active"] == {"via_referral": 3, "on_own": 2, "total": 5}
    assert data["funnel"] == [
        {"step": "register", "count": 100},
        {"step": "selected", "count": 26},
        {"step": "approached", "count": 24},
        {"step": "spoken", "count": 13},
        {"step": "referred", "count": 6},
        {"step": "active", "count": 5},
    ]
    noord, zuid = data["by_neighbourhood"]
    assert (noord["neighbourhood"], noord["approached"], noord["spoken"]) == ("Noord", 16, 8)
    assert noord["response_rate"] == round(8 / 14, 4)
    assert noord["maatschappelijk_actief"] == 4
    assert (zuid["neighbourhood"], zuid["approached"], zuid["spoken"], zuid["response_rate"]) == (
        "Zuid",
        8,
        5,
        0.625,
    )
    assert [(b["batch"], b["approached"], b["spoken"], b["response_rate"]) for b in data["by_batch"]] == [
        ("noord-1", 10, 5, round(5 / 9, 4)),
        ("noord-2", 6, 3, 0.6),
        ("zuid-1", 8, 5, 0.625),
    ]
    a, b = data["by_variant"]
    assert (a["variant"], a["approached"], a["spoken"], a["response_rate"]) == ("A", 12, 6, 0.6)
    assert (b["variant"], b["approached"], b["spoken"], b["response_rate"]) == ("B", 12, 7, round(7 / 12, 4))
    assert set(a) >= {"variant", "approached", "spoken", "response_rate", "ci_low", "ci_high"}


def test_shares_of_the_conversations_and_of_the_active_by_hand(golden: Path) -> None:
    """Issue 12 item 5: the outcome, location and activity tables print each row's share of their
    base. Counted by hand from PEOPLE above: 13 spoken (n101 n102 n103 n106 n108 n201 n202 n204
    z01 z02 z03 z05 z08), of whom maatschappelijk actief n101 n106 n201 n204 z02 z08 = 6,
    arbeidspotentieel n103 z03 = 2, niet actief n102 n108 n202 z01 z05 = 5; elders n103 n202 z03
    = 3, thuis the other 10. Of the 6 active: vrijwilligerswerk n101 n204 z08 = 3, naaste
    omgeving n101 z02 = 2, activiteiten n201 z08 = 2, deeltijdwerk n106 = 1 (8 activities for 6
    people: the shares add up to 8/6, not to 1)."""
    report = make_report(golden)
    data = report.data
    assert data["outcome_shares"] == {
        "maatschappelijk_actief": 0.4615,  # 6/13 = 0.461538…
        "arbeidspotentieel": 0.1538,  # 2/13 = 0.153846…
        "niet_actief": 0.3846,  # 5/13 = 0.384615…
    }
    assert data["location_shares"] == {"thuis": 0.7692, "elders": 0.2308}  # 10/13, 3/13
    assert data["activity_type_shares"] == {
        "naaste_omgeving": 0.3333,  # 2/6
        "vrijwilligerswerk": 0.5,  # 3/6
        "activiteiten": 0.3333,  # 2/6
        "deeltijdwerk": 0.1667,  # 1/6 = 0.16666…
    }
    # As printed: one decimal, a half rounded up; the base row prints the base and no share.
    shown = {
        name: [[cell.value for cell in row[1:3]] for row in report.table(name).rows]
        for name in ("uitkomsten", "locatie", "activiteiten")
    }
    assert shown == {
        "uitkomsten": [[6, 46.2], [2, 15.4], [5, 38.5], [13, None]],
        "locatie": [[10, 76.9], [3, 23.1], [13, None]],
        "activiteiten": [[2, 33.3], [3, 50.0], [2, 33.3], [1, 16.7], [6, None]],
    }
    assert report.table("uitkomsten").columns[2] == "% van gesproken"
    assert report.table("locatie").columns[2] == "% van gesproken"
    assert report.table("activiteiten").columns[2] == "% van de maatschappelijk actieven"
    assert any("niet op tot 100" in note for note in report.table("activiteiten").notes)
    # Published: no percentage of a base under 10, and 6 active is one.
    published = make_report(golden, publish=True).data
    assert set(published["activity_type_shares"].values()) == {None}


def test_period_filters_letters_by_sent_on_and_outcomes_by_conversation_date(golden: Path) -> None:
    data = make_report(golden, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28)).data
    assert data["approached"] == 8  # zuid-1's letters only
    assert data["spoken_in_period"] == 5  # conversations in February: zuid-1's
    assert data["referrals_total"] == 3
    assert data["became_active"] == {"via_referral": 1, "on_own": 1, "total": 2}


def test_batch_filter(golden: Path) -> None:
    data = make_report(golden, batch="noord-2").data
    assert (data["approached"], data["spoken"]) == (6, 3)
    assert data["funnel"][0] == {"step": "selected", "count": 6}


def test_golden_markdown(golden: Path) -> None:
    text = to_markdown(make_report(golden))
    expected = (GOLDEN / "report.md").read_text(encoding="utf-8")
    assert text == expected


def test_golden_markdown_published(golden: Path) -> None:
    text = to_markdown(make_report(golden, publish=True))
    expected = (GOLDEN / "report_publish.md").read_text(encoding="utf-8")
    assert text == expected


@pytest.mark.parametrize(("publish", "name"), [(False, "report.json"), (True, "report_publish.json")])
def test_golden_json(golden: Path, publish: bool, name: str) -> None:
    """The whole JSON, key order included, as the report made it before it was split into
    sections (the files were written by that code and reviewed against the figures above)."""
    text = to_json(make_report(golden, publish=publish))
    assert text == (GOLDEN / name).read_text(encoding="utf-8")


def test_empty_ledger_gives_zeros(campaign: Path) -> None:
    with open_ledger(campaign):
        pass
    report = make_report(campaign)
    assert report.empty
    assert report.data["approached"] == 0
    assert report.data["response_rate"] is None
    assert report.data["became_active"] == {"via_referral": 0, "on_own": 0, "total": 0}
    assert "–" in to_markdown(report)
    make_report(campaign, publish=True)


def test_referrals_that_disagree_raise(golden: Path) -> None:
    # A referral record the conversation does not mention: the tables would disagree.
    with open_ledger(golden) as ledger:
        ledger.db.execute(
            "INSERT INTO referrals (client_id, destination, source_file, loaded_at)"
            " VALUES ('z05', 'wij_team', 'f', ?)",
            (NOW,),
        )
    with pytest.raises(ReportInconsistent, match="wij_team"):
        make_report(golden)


def test_a_figure_that_differs_between_tables_raises() -> None:
    from kansen_cli.report import Builder

    b = Builder()
    b.count(("x",), 3, "a", "Verwezen")
    with pytest.raises(ReportInconsistent, match="Verwezen"):
        b.count(("x",), 4, "b", "Verwezen personen")
    b.count(("p", 1), 1, "a", "deel")
    b.count(("p", 2), 1, "a", "deel")
    b.equation(("x",), [("p", 1), ("p", 2)])
    with pytest.raises(ReportInconsistent, match="tellen op tot 2"):
        b.check()


def test_publish_hides_every_small_count_and_nothing_can_be_recomputed(golden: Path) -> None:
    from test_suppression import recoverable

    report = make_report(golden, publish=True)
    small = {key for key, value in report.counts.items() if 1 <= value <= 4}
    assert small and small <= report.hidden
    assert not recoverable(report.counts, report.equations, report.hidden)
    for table in report.tables:
        for row in table.rows:
            for cell in row:
                if cell.kind == "count" and 1 <= cell.value <= 4:
                    assert cell.hidden, (table.name, cell.key)
                if cell.kind == "pct" and cell.base is not None and cell.base < 10:
                    assert cell.hidden, (table.name, cell.inputs)
    from test_suppression import pinned

    assert not pinned(report.counts, report.equations, report.hidden)
    data = report.data
    assert data["contact_results"]["afgezegd"] is None  # 3
    assert data["referrals"]["wij_team"] is None  # 1


def test_json_keys_of_spec_section_9(golden: Path) -> None:
    data = make_report(golden).data
    assert {
        "approached",
        "spoken",
        "response_rate",
        "outcomes",
        "participation_potential",
        "referrals",
        "referrals_total",
        "became_active",
        "by_neighbourhood",
        "by_variant",
    } <= set(data)
    assert set(data["outcomes"]) == {"maatschappelijk_actief", "arbeidspotentieel", "niet_actief"}
    assert set(data["participation_potential"]) == {"active", "not_active", "total"}
    assert set(data["became_active"]) == {"via_referral", "on_own", "total"}
    assert sum(data["referrals"].values()) == data["referrals_total"]


def test_variant_figures_by_hand(golden: Path) -> None:
    from test_stats import cmh_by_hand, newcombe_by_hand, score_p_by_hand, wilson_by_hand

    data = make_report(golden).data
    a, b = data["by_variant"]
    # Variant A: 6 spoken of 12 approached, 2 no longer applicable; B: 7 of 12, none.
    assert (a["ci_low"], a["ci_high"]) == tuple(round(v, 4) for v in wilson_by_hand(6, 10))
    assert (b["ci_low"], b["ci_high"]) == tuple(round(v, 4) for v in wilson_by_hand(7, 12))
    (diff,) = data["variant_comparison"]
    assert diff["difference"] == pytest.approx(6 / 10 - 7 / 12)
    assert (diff["ci_low"], diff["ci_high"]) == pytest.approx(newcombe_by_hand(6, 10, 7, 12))
    assert diff["p_value"] == pytest.approx(score_p_by_hand(6, 10, 7, 12))
    # Per batch, (spoken, approached − no longer applicable) for A and B, counted by hand from
    # PEOPLE: noord-1 A 2 of 5 − 1 (n107 moved), B 3 of 5; noord-2 A 1 of 3 − 1, B 2 of 3; zuid-1
    # A 3 of 4, B 2 of 4.
    ratio, low, high, p_value = cmh_by_hand([(2, 4, 3, 5), (1, 2, 2, 3), (3, 4, 2, 4)])
    (strat,) = data["variant_stratified"]
    assert strat["strata"] == 3
    assert (strat["odds_ratio"], strat["ci_low"], strat["ci_high"]) == pytest.approx((ratio, low, high))
    assert strat["p_value"] == pytest.approx(p_value)


def test_a_new_section_is_one_function_and_one_entry_in_the_list(golden: Path) -> None:
    # A programme's own table: its module's function, added to the list; nothing else changes.
    from kansen_cli.report import SECTIONS
    from kansen_cli.report.cells import Count, Table, label
    from kansen_cli.report.context import Part

    def by_phone(ctx, b):
        table = Table("telefoon", "Telefonisch na te bellen", ["Groep", "Personen"])
        key = ("reach", "all", "niet_bereikt")  # the reach table's figure: the same key, checked
        value = int((ctx.letters["contact_result"] == "niet_bereikt").sum())
        table.rows.append([label("Niet bereikt"), b.count(key, value, table.name, "Niet bereikt")])
        return Part(tables=[table], summary={"phone": {"to_call": Count(key)}})

    with open_ledger(golden, create=False) as ledger:
        data = read_report_data(ledger)
    plain = build_report(data, Settings())
    more = build_report(data, Settings(), sections=(*SECTIONS, by_phone))
    assert [t.name for t in more.tables] == [t.name for t in plain.tables] + ["telefoon"]
    assert more.data["phone"] == {"to_call": 2}  # z04 and n109
    keys = list(plain.data)
    after_funnel = keys.index("funnel") + 1  # summaries in section order, then the breakdowns
    assert list(more.data) == [*keys[:after_funnel], "phone", *keys[after_funnel:]]
    assert {k: v for k, v in more.data.items() if k != "phone"} == plain.data
    assert to_markdown(more).startswith(to_markdown(plain).rsplit("\n\n", 2)[0])


def test_the_workflow_writes_what_was_asked_and_refuses_to_overwrite(golden: Path, tmp_path: Path) -> None:
    from kansen_cli.charts import CHART_FILES
    from kansen_cli.errors import KansenError, OutputExistsError
    from kansen_cli.workflows import report as workflow

    out = tmp_path / "raad.md"
    result = workflow.run(golden, Settings(), fmt="md", out=out, charts=tmp_path / "g", publish=True)
    assert result.out == out
    assert out.read_text(encoding="utf-8") == (GOLDEN / "report_publish.md").read_text(encoding="utf-8")
    assert result.text == out.read_text(encoding="utf-8")
    assert [p.name for p in result.charts] == list(CHART_FILES)
    assert result.as_json()["published"] is True and result.as_json()["contact_results"]["afgezegd"] is None
    with pytest.raises(OutputExistsError):
        workflow.run(golden, Settings(), fmt="md", out=out)
    with pytest.raises(KansenError, match="--out"):
        workflow.run(golden, Settings(), fmt="xlsx")
    table = workflow.run(golden, Settings(), batch="noord-2")  # the terminal renders it
    assert (table.text, table.out, table.charts) == (None, None, [])
    assert table.as_json()["approached"] == 6


# ---- the command ----------------------------------------------------------------------------------


def test_cli_json_equals_the_core(golden: Path, invoke) -> None:
    result = invoke("report", "-c", golden, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(make_report(golden).data))
    same = invoke("report", "-c", golden, "--format", "json")
    assert same.stdout == result.stdout


def test_cli_markdown_to_stdout_and_file(golden: Path, invoke, tmp_path: Path) -> None:
    result = invoke("report", "-c", golden, "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (GOLDEN / "report.md").read_text(encoding="utf-8")
    out = tmp_path / "raad.md"
    result = invoke("report", "-c", golden, "--format", "md", "--out", out, "--publish")
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == (GOLDEN / "report_publish.md").read_text(encoding="utf-8")
    again = invoke("report", "-c", golden, "--format", "md", "--out", out)
    assert again.exit_code == 1 and "--force" in again.stderr


def test_cli_table(golden: Path, invoke) -> None:
    result = invoke("report", "-c", golden)
    assert result.exit_code == 0, result.stderr
    for text in ("Bereik per wijk", "Totaal", "59,1", "Van register tot actief"):
        assert text in result.stdout


def test_cli_xlsx_cells(golden: Path, invoke, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "rapport.xlsx"
    result = invoke("report", "-c", golden, "--format", "xlsx", "--out", out)
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames[0] == "toelichting"
    assert {"bereik_wijk", "varianten", "uitkomsten", "verwijzingen", "nabellen", "trechter"} <= set(
        book.sheetnames
    )
    reach = [list(r) for r in book["bereik_wijk"].iter_rows(values_only=True)]
    assert reach[0][:3] == ["Wijk", "Benaderd", "Gesproken"]
    assert reach[1] == ["Noord", 16, 8, 2, 2, 1, 2, 1, 57.1]
    assert reach[3] == ["Totaal", 24, 13, 3, 2, 2, 2, 2, 59.1]
    referrals = [list(r) for r in book["verwijzingen"].iter_rows(values_only=True)]
    assert referrals[-2][:2] == ["Totaal", 8] and referrals[-1][:2] == ["Verwezen personen", 6]
    funnel = [list(r) for r in book["trechter"].iter_rows(values_only=True)]
    assert [r[1] for r in funnel[1:]] == [100, 26, 24, 13, 6, 5]
    became = [list(r) for r in book["actief_geworden"].iter_rows(values_only=True)]
    assert became[1:] == [["Via een verwijzing", 3], ["Op eigen kracht (nabellen)", 2], ["Totaal", 5]]


def test_cli_xlsx_published_cells_say_x(golden: Path, invoke, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "rapport.xlsx"
    assert invoke("report", "-c", golden, "--format", "xlsx", "--out", out, "--publish").exit_code == 0
    reach = [list(r) for r in load_workbook(out)["bereik_wijk"].iter_rows(values_only=True)]
    assert reach[1] == ["Noord", *["x"] * 8]  # 16 = 8 + 2 + 2 + 1 + 2 + 1 is all small parts
    assert reach[3][:2] == ["Totaal", 24]


def test_cli_xlsx_needs_out(golden: Path, invoke) -> None:
    result = invoke("report", "-c", golden, "--format", "xlsx")
    assert result.exit_code == 1 and "--out" in result.stderr


def test_cli_charts_are_pngs(golden: Path, invoke, tmp_path: Path) -> None:
    from kansen_cli.charts import CHART_FILES

    folder = tmp_path / "grafieken"
    result = invoke("report", "-c", golden, "--format", "json", "--charts", folder)
    assert result.exit_code == 0, result.stderr
    for name in CHART_FILES:
        data = (folder / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000
        assert (folder / name).stat().st_mode & 0o777 == 0o600


def test_cli_empty_ledger(campaign: Path, invoke, tmp_path: Path) -> None:
    with open_ledger(campaign):
        pass
    result = invoke("report", "-c", campaign, "--json", "--charts", tmp_path / "g")
    assert result.exit_code == 0, result.stderr
    assert "Nog niemand benaderd in deze periode" in result.stderr
    assert json.loads(result.stdout)["approached"] == 0
    assert (tmp_path / "g" / "trechter.png").exists()


def test_cli_unknown_batch_and_no_ledger(golden: Path, invoke, tmp_path: Path) -> None:
    result = invoke("report", "-c", golden, "--batch", "west-9")
    assert result.exit_code == 1 and "noord-1" in result.stderr
    result = invoke("report", "-c", tmp_path / "nothing-here")
    assert result.exit_code == 1 and "geen logboek" in result.stderr


def test_cli_period_and_batch(golden: Path, invoke) -> None:
    result = invoke("report", "-c", golden, "--json", "--from", "2026-02-01", "--to", "28-02-2026")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["approached"] == 8
    result = invoke("report", "-c", golden, "--json", "--batch", "noord-1")
    assert json.loads(result.stdout)["approached"] == 10
    result = invoke("report", "-c", golden, "--from", "2026-03-01", "--to", "2026-02-01")
    assert result.exit_code != 0


def test_other_codebooks_need_no_code_changes(golden: Path) -> None:
    # The Nijmegen preset lacks some codes the ledger holds: they are shown under their code,
    # never dropped, and the sums still hold.
    from kansen_cli.settings import preset

    with open_ledger(golden, create=False) as ledger:
        data = read_report_data(ledger)
    report = build_report(data, preset("nijmegen"))
    assert report.data["approached"] == 24
    assert report.data["referrals_total"] == 8
    assert report.data["referrals"]["coach_meedoen"] == 3
    assert report.data["contact_results"]["niet_thuis"] == 2
    assert report.data["contact_results"]["niet_verschenen"] == 0


def random_ledger(campaign: Path, draw) -> None:
    """A small random ledger: people in batches and neighbourhoods with random answers."""
    from hypothesis import strategies as st

    settings = Settings()
    cb = settings.codebook
    with open_ledger(campaign) as ledger, ledger.transaction() as db:
        db.execute(
            "INSERT INTO selection_runs VALUES (1, ?, '2026-01-01', 2, 'r.csv', 'a', '{}', 50, '{}', 40)",
            (NOW,),
        )
        batches = draw(st.lists(st.sampled_from(["Noord", "Zuid", "Oost"]), min_size=1, max_size=4))
        for seq, nbh in enumerate(batches):
            db.execute(
                "INSERT INTO batches VALUES (?, ?, ?, 1, 1, ?, NULL, 1, NULL)", (f"b{seq}", nbh, seq, NOW)
            )
        people = draw(st.integers(0, 40))
        for i in range(people):
            seq = draw(st.integers(0, len(batches) - 1))
            cid, batch_id = f"c{i:03d}", f"b{seq}"
            variant = draw(st.sampled_from(["A", "B"]))
            db.execute(
                "INSERT INTO people (client_id, neighbourhood, run_id) VALUES (?, ?, 1)", (cid, batches[seq])
            )
            db.execute("INSERT INTO batch_members VALUES (?, ?, ?, ?)", (cid, batch_id, i, variant))
            db.execute("INSERT INTO letters VALUES (?, ?, ?, '2026-01-05', ?)", (cid, batch_id, variant, NOW))
            insert_letter_attempts(db, [(cid, batch_id, "2026-01-05", NOW)])
            result = draw(st.sampled_from([None, *cb.contact_result]))
            if result is None:
                continue
            spoken = result == cb.roles.spoken
            refs = (
                draw(st.lists(st.sampled_from(list(cb.referrals)), unique=True, max_size=2)) if spoken else []
            )
            klass = draw(st.sampled_from(list(cb.classification))) if spoken else None
            acts = draw(st.lists(st.sampled_from(list(cb.activity_types)), unique=True, max_size=2))
            db.execute(
                "INSERT INTO outcomes (client_id, batch_id, contact_result, conversation_date, location,"
                " classification, activity_types, participation_potential, referrals, source_file,"
                " source_sha256, loaded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    cid,
                    batch_id,
                    result,
                    "2026-01-10" if spoken else None,
                    draw(st.sampled_from(list(cb.location))) if spoken else None,
                    klass,
                    ";".join(acts) if klass == cb.roles.active else "",
                    draw(st.sampled_from(list(cb.participation_potential))) if spoken else None,
                    ";".join(refs),
                    "f",
                    "s",
                    NOW,
                ),
            )
            for destination in refs:
                db.execute(
                    "INSERT INTO referrals (client_id, destination, result, source_file, loaded_at)"
                    " VALUES (?, ?, ?, 'f', ?)",
                    (cid, destination, draw(st.sampled_from([None, *cb.referral_result])), NOW),
                )
            if spoken:
                for rnd in range(draw(st.integers(0, 2))):
                    db.execute(
                        "INSERT INTO followups (client_id, round, result, source_file, loaded_at)"
                        " VALUES (?, ?, ?, 'n', ?)",
                        (cid, rnd + 1, draw(st.sampled_from(list(cb.followup_result))), NOW),
                    )


def test_random_ledgers_add_up_and_publish_leaks_nothing(tmp_path_factory) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from campaign_helpers import make_campaign
    from test_suppression import pinned, recoverable

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def check(data) -> None:
        campaign = make_campaign(tmp_path_factory.mktemp("random"))
        random_ledger(campaign, data.draw)
        report = make_report(campaign, publish=True)  # the consistency checks run here
        small = {k for k, v in report.counts.items() if 1 <= v <= 4}
        assert small <= report.hidden
        assert not recoverable(report.counts, report.equations, report.hidden)
        assert not pinned(report.counts, report.equations, report.hidden)
        assert to_markdown(report).count("|") > 0

    check()


# ---- review of issue 6 ---------------------------------------------------------------------------


def test_stratified_comparison_has_its_own_labelled_table(golden: Path) -> None:
    report = make_report(golden)
    difference = report.table("varianten_verschil")
    assert all("CMH" not in str(row[0].value) for row in difference.rows)
    stratified = report.table("varianten_per_batch")
    assert stratified.columns[2:] == [
        "Odds ratio",
        "BI laag (odds ratio)",
        "BI hoog (odds ratio)",
        "p-waarde",
    ]
    (row,) = stratified.rows
    # Mantel–Haenszel by hand (see test_variant_figures_by_hand): (4/9 + 1/5 + 6/8) / (6/9 + 2/5 + 2/8).
    assert row[2].value == 1.06
    assert row[2].value == round(report.data["variant_stratified"][0]["odds_ratio"], 2)
    text = to_markdown(report)
    assert "Odds ratio" in text and "Cochran–Mantel–Haenszel" in text


def test_publish_hides_the_stratified_comparison_when_a_batch_count_is_hidden(golden: Path) -> None:
    report = make_report(golden, publish=True)
    assert any(k[0] == "reach" and k[1][0] == "batch" for k in report.hidden if isinstance(k[1], tuple))
    (row,) = report.table("varianten_per_batch").rows
    assert all(cell.hidden for cell in row[2:])
    (strat,) = report.data["variant_stratified"]
    assert (strat["odds_ratio"], strat["ci_low"], strat["ci_high"], strat["p_value"]) == (None,) * 4


def test_funnel_follows_the_cohort_approached_in_the_period(golden: Path) -> None:
    data = make_report(golden, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28)).data
    funnel = {step["step"]: step["count"] for step in data["funnel"]}
    # zuid-1's 8 letters; of them 5 spoken, z01 and z03 referred, z03 (referral) and z08 (follow-up)
    # active: the same people all the way down, so no step exceeds the one before.
    assert [funnel[s] for s in ("approached", "spoken", "referred", "active")] == [8, 5, 2, 2]
    assert funnel["spoken"] == data["spoken"]
    counts = [step["count"] for step in data["funnel"]]
    assert counts == sorted(counts, reverse=True)
    note = " ".join(make_report(golden).table("trechter").notes)
    assert "één groep" in note


def test_funnel_cohort_includes_conversations_after_the_period(golden: Path) -> None:
    # noord-1's letters (10 January) with the period ending before any of its conversations.
    data = make_report(golden, end=dt.date(2026, 1, 15)).data
    funnel = {step["step"]: step["count"] for step in data["funnel"]}
    assert data["spoken_in_period"] == 0
    assert [funnel[s] for s in ("approached", "spoken")] == [10, 5]
    assert funnel["spoken"] == data["spoken"]


def test_outcomes_per_wijk_says_what_spoken_counts(golden: Path) -> None:
    report = make_report(golden)
    assert report.table("uitkomsten_wijk").columns[1] == "Gesproken in de periode"
    assert any("in de periode benaderd" in note for note in report.table("uitkomsten_wijk").notes)


def test_funnel_register_and_selected_come_from_the_latest_run(golden: Path) -> None:
    with open_ledger(golden, create=False) as ledger, ledger.transaction() as db:
        db.execute(
            "INSERT INTO selection_runs VALUES"
            " (2, ?, '2026-03-01', 2, 'register2.csv', 'abd', '{}', 90, '{}', 20)",
            (NOW,),
        )
    data = make_report(golden).data
    funnel = [(step["step"], step["count"]) for step in data["funnel"]]
    assert funnel[:4] == [("register", 90), ("selected", 20), ("selected_ever", 26), ("approached", 24)]
    labels = [row[0].value for row in make_report(golden).table("trechter").rows]
    assert labels[:3] == [
        "Regels in het register (laatste selectie)",
        "Geselecteerd (laatste selectie)",
        "Ooit geselecteerd (alle selecties)",
    ]


def test_percentages_round_half_up_from_the_exact_fraction():
    from decimal import ROUND_HALF_UP, Decimal
    from fractions import Fraction

    from hypothesis import given
    from hypothesis import strategies as st

    from kansen_cli.report.cells import percent_half_up

    @given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10_000))
    def check(count: int, base: int) -> None:
        one(count, base)

    def one(count: int, base: int) -> None:
        # A second plain implementation: the exact fraction, rounded by decimal's half-up rule
        # (28 significant digits keep a tie a tie and a near-tie apart for bases up to 10,000).
        exact = Fraction(100 * count, base)
        expected = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        assert percent_half_up(count, base) == float(expected)

    check()


def test_a_council_reader_rounds_a_half_up():
    from kansen_cli.report.cells import percent_half_up

    assert percent_half_up(357, 560) == 63.8  # 63,75 exactly
    assert percent_half_up(1, 16) == 6.3  # 6,25 exactly
    assert percent_half_up(39, 560) == 7.0  # 6,964…
