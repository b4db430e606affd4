"""`kansen report` follows the routes (issue 12): a hand-built ledger with two channels (letter
first and phone first), two rounds (a `-r2` batch of re-invitations) and conversations at a
location and at home. Every figure below is counted on paper from the rows in this file.

The people (variant A = a letter first, B = phone first; results per round on the letter or
re-invitation attempt, as the registration sheet sets them):

    noord-1 (Noord, letters 10-01, calls from 05-01)     zuid-1 (Zuid, letters 20-01, calls 15-01)
    n01 A letter: gesproken (thuis)                      z01 A letter: gesproken (buurthuis)
    n02 B afspraak_gemaakt; letter: gesproken (thuis)    z02 B afspraak_gemaakt; letter: gesproken (buurthuis)
    n03 A letter: niet_thuis (thuis); r2: gesproken (buurthuis)
                                                         z03 A letter: gesproken (thuis)
    n04 B 3x geen_gehoor; letter: niet_thuis; r2: niet_thuis
                                                         z04 B geen_gehoor; letter: niet_bereikt
    n05 A letter: vervallen                              z05 A letter: vervallen
    n06 B geen_gesprek; no letter, no result             z06 B afspraak_gemaakt; letter: afgezegd
    n07 A letter: afgezegd                               z07 A letter: no result yet
    n08 B verkeerd_nummer; letter: gesproken (thuis)     z08 B geen_gehoor; letter: gesproken (buurthuis)
    n09 A letter: niet_thuis; r2: afgezegd               z09 A letter: niet_thuis; WIJ-team (no talk)
    n10 B voicemail, terugbellen; letter: niet_bereikt   z10 B no phone; letter: niet_bereikt

By hand:
- approached 20 (n06 by phone only); not applicable (vervallen) 2; spoken 8; response 8/18.
- reached = spoken or a phone outcome in afspraak_gemaakt/geen_gesprek/terugbellen: the 8 spoken
  plus n06, n10, z06 = 11.
- per channel, reach the channel itself produced: letter 19 (all but n06), reached 7 (the letter's
  sheet says gesproken: n01 n02 n08 z01 z02 z03 z08); phone 9 (the B's but z10), reached 5 (a phone
  outcome in phone_reached: n02 n06 n10 z02 z06, as in the phone table); re-invitation 3 (n03, n04,
  n09), reached 1 (n03).
- per round: after round 1 spoken 7 (n01 n02 n08 z01 z02 z03 z08), na 2: 7/18; after round 2 n03
  too: 8/18; round 2 approached 3.
- phone: called 9; last call: afspraak_gemaakt 3 (n02 z02 z06), geen_gesprek 1 (n06), geen_gehoor 3
  (n04 z04 z08), voicemail 0, verkeerd_nummer 1 (n08), terugbellen 1 (n10); reached on the phone
  5 (n02 n06 n10 z02 z06): 5/9.
- approaches: letter 10, na 2, spoken 4 (n01 n03 z01 z03): 4/8; phone_first 10, na 0, spoken 4
  (n02 n08 z02 z08): 4/10. Per batch (spoken, base): noord A (2, 4), B (2, 5); zuid A (2, 4), B (2, 5).
- locations: 8 conversations, Buurthuis De Pijp 4 (z01 z02 z08, and n03 whose round-2 appointment
  was there though round 1's was at home), Thuis 4 (n01 n02 n08 z03).
- referrals (WIJ-team allowed without a conversation): z01 Coach Meedoen, gestart; z09 (niet thuis,
  not spoken) WIJ-team, no result yet: 2 referrals, 2 people, each 1/18 of the advised; became
  active via a referral 1 (z01).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from kansen_cli.ledger import open_ledger
from kansen_cli.ledger.reporting import read_report_data
from kansen_cli.report import build_report
from kansen_cli.report_render import to_json, to_markdown
from kansen_cli.settings import Settings

# Dutch, the default: the workbooks, their headers and the messages these tests assert.

GOLDEN = Path(__file__).parent / "golden" / "report"
UPDATE = os.environ.get("KANSEN_UPDATE_GOLDEN") == "1"  # rewrite the goldens after a deliberate change
NOW = "2026-03-01T10:00:00+01:00"

SETTINGS_TOML = """\
[codebook.roles]
referral_without_conversation = ["wij_team"]

[letters.approach]
B = "phone_first"

[[planning.locations]]
code = "pijp"
name = "Buurthuis De Pijp"
address = ["Pijpstraat 1", "9700 AA Groningen"]
rooms = 2
wijken = ["Zuid"]
"""

BATCHES = {"noord-1": ("Noord", "2026-01-10", "2026-01-05"), "zuid-1": ("Zuid", "2026-01-20", "2026-01-15")}
R2 = "noord-1-r2"
R2_SENT = "2026-02-10"
# Round-1 appointments of people whose conversation came in round 2 (at home: no location).
EARLIER_APPOINTMENTS = {"n03": "2026-01-25"}
# Referrals: client, destination, result, as the registration sheet records them (z09 was not
# spoken to: the WIJ-team is allowed without a conversation in SETTINGS_TOML).
REFERRALS = [("z01", "coach_meedoen", "gestart"), ("z09", "wij_team", None)]
# client, batch, variant, phone outcomes (in order, a day apart), round-1 letter result ('-': no
# letter; None: letter, no result yet), round-2 result (None: not in round 2), where they met
# (None: no conversation; '' at home; a location code)
PEOPLE = [
    ("n01", "noord-1", "A", [], "gesproken", None, ""),
    ("n02", "noord-1", "B", ["afspraak_gemaakt"], "gesproken", None, ""),
    ("n03", "noord-1", "A", [], "niet_thuis", "gesproken", "pijp"),
    ("n04", "noord-1", "B", ["geen_gehoor", "geen_gehoor", "geen_gehoor"], "niet_thuis", "niet_thuis", None),
    ("n05", "noord-1", "A", [], "vervallen", None, None),
    ("n06", "noord-1", "B", ["geen_gesprek"], "-", None, None),
    ("n07", "noord-1", "A", [], "afgezegd", None, None),
    ("n08", "noord-1", "B", ["verkeerd_nummer"], "gesproken", None, ""),
    ("n09", "noord-1", "A", [], "niet_thuis", "afgezegd", None),
    ("n10", "noord-1", "B", ["voicemail", "terugbellen"], "niet_bereikt", None, None),
    ("z01", "zuid-1", "A", [], "gesproken", None, "pijp"),
    ("z02", "zuid-1", "B", ["afspraak_gemaakt"], "gesproken", None, "pijp"),
    ("z03", "zuid-1", "A", [], "gesproken", None, ""),
    ("z04", "zuid-1", "B", ["geen_gehoor"], "niet_bereikt", None, None),
    ("z05", "zuid-1", "A", [], "vervallen", None, None),
    ("z06", "zuid-1", "B", ["afspraak_gemaakt"], "afgezegd", None, None),
    ("z07", "zuid-1", "A", [], None, None, None),
    ("z08", "zuid-1", "B", ["geen_gehoor"], "gesproken", None, "pijp"),
    ("z09", "zuid-1", "A", [], "niet_thuis", None, None),
    ("z10", "zuid-1", "B", [], "niet_bereikt", None, None),
]


def _attempt(db, client: str, batch: str, rnd: int, channel: str, on: str, outcome: str | None) -> None:
    db.execute(
        "INSERT INTO contact_attempts (client_id, batch_id, round, channel, on_date, by_whom, outcome,"
        " source_file, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (client, batch, rnd, channel, on, "Anouk" if channel == "phone" else None, outcome,
         f"{batch}.xlsx", NOW),
    )  # fmt: skip


def build_routes_ledger(campaign: Path) -> Path:
    """The rows above, inserted straight into a fresh ledger as the COMMON contract stores them."""
    (campaign / "kansen.toml").write_text(SETTINGS_TOML, encoding="utf-8")
    with open_ledger(campaign) as ledger, ledger.transaction() as db:
        db.execute(
            "INSERT INTO selection_runs VALUES"
            " (1, ?, '2026-01-01', 2, 'register.csv', 'abc', '{}', 40, '{}', 20)",
            (NOW,),
        )
        for seq, (batch_id, (nbh, _, _)) in enumerate(BATCHES.items(), start=1):
            db.execute(
                "INSERT INTO batches (batch_id, neighbourhood, seq, run_id, seed, created_at, round)"
                " VALUES (?, ?, ?, 1, 2015, ?, 1)",
                (batch_id, nbh, seq, NOW),
            )
        db.execute(
            "INSERT INTO batches (batch_id, neighbourhood, seq, run_id, seed, created_at, round, parent_id)"
            " VALUES (?, 'Noord', 3, 1, 2015, ?, 2, 'noord-1')",
            (R2, NOW),
        )
        for position, (client, batch_id, variant, calls, first, second, place) in enumerate(PEOPLE):
            nbh, sent_on, called_from = BATCHES[batch_id]
            db.execute(
                "INSERT INTO people (client_id, neighbourhood, run_id) VALUES (?, ?, 1)", (client, nbh)
            )
            db.execute("INSERT INTO batch_members VALUES (?, ?, ?, ?)", (client, batch_id, position, variant))
            for day, outcome in enumerate(calls):
                on = f"{called_from[:-2]}{int(called_from[-2:]) + day:02d}"
                _attempt(db, client, batch_id, 1, "phone", on, outcome)
            if first != "-":
                db.execute(
                    "INSERT INTO letters VALUES (?, ?, ?, ?, ?)", (client, batch_id, variant, sent_on, NOW)
                )
                _attempt(db, client, batch_id, 1, "letter", sent_on, first)
            batch_of_result, result = batch_id, first
            if second is not None:
                db.execute("INSERT INTO round_members VALUES (?, ?, ?)", (R2, client, position))
                _attempt(db, client, R2, 2, "reinvitation", R2_SENT, second)
                batch_of_result, result = R2, second
            if client in EARLIER_APPOINTMENTS:
                db.execute(
                    "INSERT INTO appointments (client_id, batch_id, date, start, end, consultant, planned_at)"
                    " VALUES (?, ?, ?, '10:00', '11:00', 'Anouk', ?)",
                    (client, batch_id, EARLIER_APPOINTMENTS[client], NOW),
                )
            if place is not None:
                db.execute(
                    "INSERT INTO appointments (client_id, batch_id, date, start, end, consultant, planned_at,"
                    " location, room) VALUES (?, ?, '2026-02-20', '10:00', '11:00', 'Anouk', ?, ?, ?)",
                    (client, batch_of_result, NOW, place or None, 1 if place else None),
                )
            if result in (None, "-"):
                continue
            spoken = result == "gesproken"
            referred = ";".join(dest for who, dest, _ in REFERRALS if who == client)
            # One outcomes row per person, filed under the round-1 batch (as ingest writes it),
            # whichever round's sheet gave the result.
            db.execute(
                "INSERT INTO outcomes (client_id, batch_id, contact_result, conversation_date, location,"
                " classification, participation_potential, referrals, source_file, source_sha256,"
                " loaded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (client, batch_id, result, "2026-02-20" if spoken else None,
                 ("elders" if place else "thuis") if spoken else None,
                 "maatschappelijk_actief" if spoken else None, "zelf" if spoken else None,
                 referred, f"{batch_of_result}.xlsx", "def", NOW),
            )  # fmt: skip
            for who, dest, outcome in REFERRALS:
                if who == client:
                    db.execute(
                        "INSERT INTO referrals (client_id, destination, referred_on, result, source_file,"
                        " loaded_at) VALUES (?, ?, '2026-02-20', ?, ?, ?)",
                        (client, dest, outcome, f"{batch_of_result}.xlsx", NOW),
                    )
    return campaign


@pytest.fixture
def routes(campaign: Path) -> Path:
    return build_routes_ledger(campaign)


def _settings(campaign: Path) -> Settings:
    from kansen_cli.settings import load_settings

    return load_settings(campaign)


def _report(campaign: Path, publish: bool = False):
    with open_ledger(campaign, create=False) as ledger:
        data = read_report_data(ledger)
    return build_report(data, _settings(campaign), publish=publish)


def _wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson's score interval, written out (Newcombe 1998, method 3)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_key_figures_by_hand(routes: Path) -> None:
    data = _report(routes).data
    assert data["approached"] == 20
    assert data["spoken"] == 8
    assert data["response_rate"] == round(8 / 18, 4)
    assert data["reached"] == 11
    assert data["reach_rate"] == round(11 / 20, 4)
    by_channel = {ch: (v["approached"], v["reached"]) for ch, v in data["by_channel"].items()}
    assert by_channel == {"letter": (19, 7), "phone": (9, 5), "reinvitation": (3, 1)}
    assert data["by_channel"]["phone"]["reach_rate"] == round(5 / 9, 4)
    rounds = [(r["round"], r["approached_in_round"], r["approached"], r["not_applicable"], r["spoken"])
              for r in data["by_round"]]  # fmt: skip
    assert rounds == [(1, 20, 20, 2, 7), (2, 3, 20, 2, 8)]
    assert [r["response_rate"] for r in data["by_round"]] == [round(7 / 18, 4), round(8 / 18, 4)]
    phone = data["phone"]
    assert (phone["called"], phone["reached"], phone["contact_rate"]) == (9, 5, round(5 / 9, 4))
    assert phone["last_outcome"] == {
        "afspraak_gemaakt": 3, "geen_gesprek": 1, "geen_gehoor": 3, "voicemail": 0,
        "verkeerd_nummer": 1, "terugbellen": 1,
    }  # fmt: skip
    locations = [(e["location"], e["name"], e["conversations"]) for e in data["by_location"]]
    assert locations == [("pijp", "Buurthuis De Pijp", 4), ("home", "Thuis", 4)]
    assert data["by_location"][0]["share"] == round(4 / 8, 4)


def test_approaches_compared_with_wilson_and_newcombe(routes: Path) -> None:
    data = _report(routes).data
    by = {e["approach"]: e for e in data["by_approach"]}
    assert (by["letter"]["approached"], by["letter"]["not_applicable"], by["letter"]["spoken"]) == (10, 2, 4)
    assert (
        by["phone_first"]["approached"],
        by["phone_first"]["not_applicable"],
        by["phone_first"]["spoken"],
    ) == (
        10,
        0,
        4,
    )
    low, high = _wilson(4, 8)
    assert by["letter"]["response_rate"] == 0.5
    assert by["letter"]["ci_low"] == pytest.approx(low, abs=1e-4)
    assert by["letter"]["ci_high"] == pytest.approx(high, abs=1e-4)
    # Newcombe's hybrid score interval for 4/8 − 4/10, written out from the two Wilson intervals.
    (l1, u1), (l2, u2) = _wilson(4, 8), _wilson(4, 10)
    diff = 4 / 8 - 4 / 10
    comparison = data["approach_comparison"][0]
    assert (comparison["first"], comparison["second"]) == ("letter", "phone_first")
    assert comparison["difference"] == pytest.approx(diff)
    assert comparison["ci_low"] == pytest.approx(diff - math.sqrt((0.5 - l1) ** 2 + (u2 - 0.4) ** 2))
    assert comparison["ci_high"] == pytest.approx(diff + math.sqrt((0.4 - l2) ** 2 + (u1 - 0.5) ** 2))
    # Within batches: Mantel–Haenszel odds ratio from the per-batch tables (a, b, c, d) =
    # (letter spoken, not, phone spoken, not): noord (2, 2, 2, 3), zuid (2, 2, 2, 3), n = 9 each.
    stratified = data["approach_stratified"][0]
    assert stratified["strata"] == 2
    assert stratified["odds_ratio"] == pytest.approx((2 * 3 / 9 + 2 * 3 / 9) / (2 * 2 / 9 + 2 * 2 / 9))


def test_tables_count_people_and_appear_only_with_their_data(routes: Path) -> None:
    names = [t.name for t in _report(routes).tables]
    for name in (
        "bereik_kanaal",
        "bereik_ronde",
        "telefonisch_contact",
        "benaderingen",
        "gesprekken_locatie",
    ):
        assert name in names
    channel = _report(routes).table("bereik_kanaal")
    assert [row[0].value for row in channel.rows] == [
        "Brief",
        "Telefoon",
        "Herinvitatie",
        "Totaal (personen)",
    ]
    assert "één keer in het totaal" in channel.notes[0]
    phone = _report(routes).table("telefonisch_contact")
    assert "/ personen die ten minste één keer gebeld zijn" in phone.notes[0]


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_golden_markdown(routes: Path) -> None:
    _golden("routes.md", to_markdown(_report(routes)))


@pytest.mark.parametrize(("publish", "name"), [(False, "routes.json"), (True, "routes_publish.json")])
def test_golden_json(routes: Path, publish: bool, name: str) -> None:
    text = to_json(_report(routes, publish=publish))
    json.loads(text)
    _golden(name, text)


def test_cli_json_equals_the_core_and_markdown_the_golden(routes: Path, invoke) -> None:
    result = invoke("report", "--json", "-c", routes)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(_report(routes).data))
    result = invoke("report", "-c", routes, "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / "routes.md").read_text(encoding="utf-8")


def test_became_active_counts_the_results_named_per_destination(campaign: Path) -> None:
    # test_report's golden ledger: coach_meedoen 'gestart' (n102), wijkwerkmakelaar 'gestart'
    # (n106), centrum_naar_werk 'geen_interesse' (n103) and 'gestart' (z03); on their own after a
    # follow-up call: n101, z08, n106. Here the wijkwerkmakelaar never counts and the
    # centrum_naar_werk only 'geen_interesse' (absurd, but it shows the setting decides):
    # via a referral n102, n103; on their own n101, z08, n106; 5 in all.
    from test_report import build_golden_ledger

    build_golden_ledger(campaign)
    roles = {"became_active": {"wijkwerkmakelaar": [], "centrum_naar_werk": ["geen_interesse"]}}
    settings = Settings.model_validate({"codebook": {"roles": roles}})
    with open_ledger(campaign, create=False) as ledger:
        data = read_report_data(ledger)
    report = build_report(data, settings)
    assert report.data["became_active"] == {"via_referral": 2, "on_own": 3, "total": 5}
    note = report.table("actief_geworden").notes[0]
    assert "(Wijkwerkmakelaar: telt niet mee; Centrum naar Werk: 'Geen interesse')" in note
    # The default (no destination named): 'gestart' everywhere, n102, n106, z03 via a referral.
    assert build_report(data, Settings()).data["became_active"] == {
        "via_referral": 3,
        "on_own": 2,
        "total": 5,
    }


@pytest.mark.parametrize("publish", [False, True], ids=["all", "publish"])
def test_word_and_pdf_show_the_json_figures(routes: Path, tmp_path: Path, publish: bool) -> None:
    # The other formats `kansen report` writes: every figure of the DOCX and the PDF read back
    # and compared with the JSON (test_report_documents' readers, report_figures' expectations).
    from test_report_documents import compare_docx, compare_pdf, docx_tables, make_documents

    made = make_documents(routes, _settings(routes), tmp_path, publish=publish)
    assert compare_docx(made) > 100
    assert compare_pdf(made) > 100
    if not publish:
        _, tables = docx_tables(made.docx)
        names = [t.name for t in made.report.tables]
        channel = tables[names.index("bereik_kanaal")]
        assert channel[1:] == [
            ["Brief", "19", "7", "36,8"],
            ["Telefoon", "9", "5", "55,6"],
            ["Herinvitatie", "3", "1", "33,3"],
            ["Totaal (personen)", "20", "11", "55,0"],
        ]
        rounds = tables[names.index("bereik_ronde")]
        assert rounds[1:] == [
            ["Na ronde 1", "20", "20", "2", "7", "38,9"],
            ["Na ronde 2", "3", "20", "2", "8", "44,4"],
        ]


def test_the_advised_base_is_printed_and_referral_shares_are_of_it(campaign: Path) -> None:
    # test_report's golden ledger: 24 approached, 2 vervallen, so 22 advised; Coach Meedoen 3
    # referrals = 3/22 = 13.6 %, 8 referrals in all = 36.4 %, 6 people referred = 27.3 %.
    from test_report import build_golden_ledger, make_report

    report = make_report(build_golden_ledger(campaign))
    assert report.data["advised"] == 22
    assert report.data["not_applicable"] == {"vervallen": 2}
    assert report.data["referral_shares"]["coach_meedoen"] == round(3 / 22, 4)
    assert report.data["referrals_total_share"] == round(8 / 22, 4)
    assert report.data["referred_people_share"] == round(6 / 22, 4)
    base = report.table("basis")
    assert [(row[0].value, row[1].value) for row in base.rows] == [
        ("Benaderd", 24),
        ("Niet meer van toepassing: vervallen", 2),
        ("Geadviseerd (basis)", 22),
    ]
    coach = report.table("verwijzingen").rows[0]
    assert (coach[0].value, coach[1].value, coach[2].value) == ("Coach Meedoen", 3, 13.6)


def test_the_phone_row_counts_the_reach_the_phone_produced(routes: Path) -> None:
    # Review finding 8: the phone row counted people phoned and reached by any channel (7: n08 and
    # z08 were spoken to after a letter, not on the phone), contradicting 'Telefonisch contact'.
    data = _report(routes).data
    assert data["by_channel"]["phone"]["reached"] == data["phone"]["reached"] == 5
    # The letter row: those whose letter's sheet says gesproken, not n03 (reached in round 2).
    assert data["by_channel"]["letter"]["reached"] == 7
    note = _report(routes).table("bereik_kanaal").notes[0]
    assert "wat dat kanaal zelf opleverde" in note


def test_a_round_2_conversation_counts_where_round_2_met(routes: Path) -> None:
    # Review finding 5: n03's round-1 appointment was at home, the round-2 one (where the
    # conversation took place) at the Buurthuis; outcomes files the result under noord-1.
    from kansen_cli.report.context import Context
    from kansen_cli.report.locations import conversation_places

    with open_ledger(routes, create=False) as ledger:
        data = read_report_data(ledger)
    places = conversation_places(Context(data, _settings(routes)))
    assert places["n03"] == "pijp"
    assert sorted(c for c, p in places.items() if p == "pijp") == ["n03", "z01", "z02", "z08"]


def test_a_referral_without_a_conversation_is_in_the_report(routes: Path) -> None:
    # Review finding 4: z09 was not spoken to and handed to the WIJ-team (allowed without a
    # conversation); the referral table, its shares of the 18 advised and the funnel count it.
    data = _report(routes).data
    assert data["referrals"]["wij_team"] == 1
    assert data["referrals"]["coach_meedoen"] == 1
    assert (data["referrals_total"], data["referred_people"]) == (2, 2)
    assert data["referral_shares"]["wij_team"] == round(1 / 18, 4)
    assert data["referred_people_share"] == round(2 / 18, 4)
    funnel = {step["step"]: step["count"] for step in data["funnel"]}
    assert funnel["referred"] == 2  # the cohort's referred people: the same two
    assert data["became_active"] == {"via_referral": 1, "on_own": 0, "total": 1}
    assert "Ook zonder gesprek verwezen: naar WIJ-team" in _report(routes).table("verwijzingen").notes[1]


def test_a_referral_without_a_conversation_must_agree_with_its_outcome(routes: Path) -> None:
    # The cross-check covers those referrals too: a record the sheet's outcome does not list.
    from kansen_cli.errors import ReportInconsistent

    with open_ledger(routes, create=False) as ledger, ledger.transaction() as db:
        db.execute("UPDATE outcomes SET referrals = '' WHERE client_id = 'z09'")
    with pytest.raises(
        ReportInconsistent, match=r"verwijzingen naar 'wij_team': 0 vastgelegd .* maar 1 verwijzing"
    ):
        _report(routes)


def test_a_later_round_batch_is_refused_naming_its_round_1_batch(routes: Path, invoke) -> None:
    # Review finding 9: `--batch noord-1-r2` reported zeros ("nobody approached") although three
    # people were re-invited; every figure counts a person under their round-1 batch.
    from kansen_cli.errors import NotFoundError

    with open_ledger(routes, create=False) as ledger, pytest.raises(NotFoundError) as refused:
        read_report_data(ledger, batch=R2)
    assert "ronde 2 van batch 'noord-1'" in str(refused.value)
    assert "kansen report --batch noord-1" in str(refused.value)
    result = invoke("report", "--json", "-c", routes, "--batch", R2)
    assert result.exit_code == 1
    assert "ronde 2 van batch 'noord-1'" in result.output
    # The round-1 batch's report holds the round-2 people.
    result = invoke("report", "--json", "-c", routes, "--batch", "noord-1")
    assert result.exit_code == 0, result.output
    assert [r["approached_in_round"] for r in json.loads(result.stdout)["by_round"]] == [10, 3]


def test_the_workbook_holds_the_routes_tables(routes: Path, invoke, tmp_path: Path) -> None:
    # The xlsx format of the same hand-counted ledger: one sheet per table, numbers as numbers.
    from openpyxl import load_workbook

    out = tmp_path / "rapport.xlsx"
    result = invoke("report", "-c", routes, "--format", "xlsx", "--out", out)
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    channel = [list(r) for r in book["bereik_kanaal"].iter_rows(values_only=True)]
    assert channel[1:] == [
        ["Brief", 19, 7, 36.8],
        ["Telefoon", 9, 5, 55.6],
        ["Herinvitatie", 3, 1, 33.3],
        ["Totaal (personen)", 20, 11, 55.0],
    ]
    rounds = [list(r) for r in book["bereik_ronde"].iter_rows(values_only=True)]
    assert rounds[1:] == [["Na ronde 1", 20, 20, 2, 7, 38.9], ["Na ronde 2", 3, 20, 2, 8, 44.4]]
    assert "gesprekken_locatie" in book.sheetnames and "telefonisch_contact" in book.sheetnames
