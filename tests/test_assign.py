"""`kansen assign`: caps never exceeded, wijk first, balanced, all or nothing, history kept.

Every expected placement below is worked out by hand from the rule (people in order of wijk
and client id; the least-loaded coach with room serving the wijk, then coaches serving every
wijk; ties to the coach listed first), not read from the code.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dates import TODAY
from kansen_cli.assignment import CapacityError, Person, place, refusal
from kansen_cli.errors import KansenError, NotFoundError
from kansen_cli.ledger import open_ledger
from kansen_cli.ledger.trajectories import caseloads
from kansen_cli.settings import Settings, load_settings
from kansen_cli.settings_trajectories import Coach
from kansen_cli.workflows import assign
from trajectory_helpers import people_ledger, start_trajectory

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

TWO_COACHES = """
[[trajectories.coaches]]
code = "cm1"
name = "Coach Noord"
cap = 2
wijken = ["Noord"]

[[trajectories.coaches]]
code = "cm2"
name = "Coach overal"
cap = 3
"""

WIJKEN = {
    "T0001": "Noord",
    "T0002": "Noord",
    "T0003": "Zuid",
    "T0004": "Zuid",
    "T0005": "Zuid",
    "T0006": "Zuid",
}


def coach(code: str, cap: int = 50, wijken: tuple[str, ...] = (), **extra: str) -> Coach:
    return Coach(code=code, name=code, cap=cap, wijken=list(wijken), **extra)  # type: ignore[arg-type]


def chosen(people: list[Person], coaches: list[Coach], loads: dict[str, int], force: bool = False):
    plan = place(people, coaches, loads, force)
    return {p.client_id: p.coach for p in plan.placements}, plan


# -- the pure choice ---------------------------------------------------------------------------


def test_wijk_first_then_every_wijk_and_caps_reached_exactly() -> None:
    coaches = [coach("A", 2, ("Noord",)), coach("B", 3), coach("C", 1, ("Zuid",))]
    people = [
        Person("z2", "Zuid"),
        Person("n3", "Noord"),
        Person("o1", "Oost"),
        Person("n1", "Noord"),
        Person("z1", "Zuid"),
        Person("n2", "Noord"),
    ]
    got, plan = chosen(people, coaches, {})
    # Noord n1, n2 fill A; n3 to B (serves every wijk); Oost o1 to B; Zuid z1 fills C; z2 to B.
    assert got == {"n1": "A", "n2": "A", "n3": "B", "o1": "B", "z1": "C", "z2": "B"}
    assert plan.loads == {"A": 2, "B": 3, "C": 1}
    assert not plan.unplaced
    assert [p.client_id for p in plan.placements] == ["n1", "n2", "n3", "o1", "z1", "z2"]


def test_balanced_by_current_loads_ties_to_settings_order() -> None:
    coaches = [coach("X", 10), coach("Y", 10), coach("Z", 10)]
    people = [Person(f"p{i}", "Noord") for i in range(1, 5)]
    got, plan = chosen(people, coaches, {"X": 2, "Z": 1})
    # Loads X2 Y0 Z1: p1->Y (Y1); tie Y1/Z1 -> Y (listed first) (Y2); p3->Z (Z2); all 2 -> X.
    assert got == {"p1": "Y", "p2": "Y", "p3": "Z", "p4": "X"}
    assert plan.loads == {"X": 3, "Y": 2, "Z": 2}


def test_a_wijk_nobody_serves_goes_to_the_least_loaded_of_all() -> None:
    coaches = [coach("A", 5, ("Noord",)), coach("C", 5, ("Zuid",))]
    got, _ = chosen([Person("o1", "Oost")], coaches, {"A": 3, "C": 1})
    assert got == {"o1": "C"}


def test_wijken_match_regardless_of_case() -> None:
    coaches = [coach("A", 5), coach("N", 5, ("noord",))]
    got, _ = chosen([Person("n1", "Noord")], coaches, {"N": 4})
    assert got == {"n1": "N"}


def test_full_wijk_coach_leaves_people_unplaced_and_says_why() -> None:
    coaches = [coach("A", 1, ("Noord",)), coach("B", 5, ("Zuid",))]
    people = [Person("n1", "Noord"), Person("n2", "Noord")]
    got, plan = chosen(people, coaches, {})
    assert got == {"n1": "A"}
    assert plan.unplaced == [Person("n2", "Noord")]
    message = refusal(2, coaches, {}, plan.unplaced)
    assert message.startswith("2 people to place, room for 6: A 0/1, B 0/5; ")
    assert "1 cannot be placed with a coach serving their wijk (Noord: 1)" in message


def test_force_goes_over_the_cap_of_the_least_loaded_eligible_coach() -> None:
    coaches = [coach("A", 1, ("Noord",)), coach("A2", 1, ("Noord",)), coach("B", 5, ("Zuid",))]
    people = [Person(f"n{i}", "Noord") for i in range(1, 5)]
    got, plan = chosen(people, coaches, {}, force=True)
    # n1->A, n2->A2 (within the caps); n3 over: A and A2 both 1 -> A; n4 over: A2 (1 < 2).
    assert got == {"n1": "A", "n2": "A2", "n3": "A", "n4": "A2"}
    assert [p.over_cap for p in plan.placements] == [False, False, True, True]
    assert not plan.unplaced


def test_an_ambassador_never_coaches_themselves() -> None:
    coaches = [coach("amb", 5, client_id="T0001", kind="ambassadeur"), coach("B", 5)]
    got, _ = chosen([Person("T0001", "Noord"), Person("T0002", "Noord")], coaches, {"B": 3})
    # amb is less loaded (0 < 3) but is T0001; T0002 goes to amb.
    assert got == {"T0001": "B", "T0002": "amb"}


def test_nobody_but_themselves_leaves_the_ambassador_unplaced() -> None:
    coaches = [coach("amb", 5, client_id="T0001", kind="ambassadeur")]
    got, plan = chosen([Person("T0001", "Noord")], coaches, {}, force=True)
    assert got == {}
    assert plan.unplaced == [Person("T0001", "Noord")]


# -- the workflow on a ledger -------------------------------------------------------------------


@pytest.fixture
def ledger_folder(campaign: Path) -> Path:
    (campaign / "kansen.toml").write_text(TWO_COACHES, encoding="utf-8")
    return people_ledger(campaign, WIJKEN)


def settings_of(folder: Path) -> Settings:
    return load_settings(folder)


def run(folder: Path, *ids: str, **options):
    return assign.run(folder, settings_of(folder), TODAY, client_ids=ids, **options)


def assignment_rows(folder: Path) -> list[tuple]:
    with open_ledger(folder, create=False) as ledger:
        return [
            tuple(r)
            for r in ledger.query(
                "SELECT client_id, coach, coach_kind, from_on, until_on FROM coach_assignments ORDER BY id"
            )
        ]


def loads_of(folder: Path) -> dict[str, int]:
    with open_ledger(folder, create=False) as ledger:
        return caseloads(ledger)


def test_within_the_caps(ledger_folder: Path) -> None:
    result = run(ledger_folder, "T0001", "T0002", "T0003", "T0004", "T0005")
    assert {a.client_id: a.coach for a in result.assignments} == {
        "T0001": "cm1",
        "T0002": "cm1",
        "T0003": "cm2",
        "T0004": "cm2",
        "T0005": "cm2",
    }
    assert loads_of(ledger_folder) == {"cm1": 2, "cm2": 3}
    assert [(c.coach, c.added, c.caseload, c.cap) for c in result.coaches] == [
        ("cm1", 2, 2, 2),
        ("cm2", 3, 3, 3),
    ]
    today = TODAY.isoformat()
    assert assignment_rows(ledger_folder)[0] == ("T0001", "cm1", "professional", today, None)


def test_over_the_caps_is_refused_with_the_numbers_and_nothing_written(ledger_folder: Path) -> None:
    with pytest.raises(CapacityError) as caught:
        run(ledger_folder, *WIJKEN)
    assert str(caught.value).startswith("6 people to place, room for 5: cm1 0/2, cm2 0/3.")
    assert assignment_rows(ledger_folder) == []
    assert loads_of(ledger_folder) == {}


def test_force_places_everyone_and_says_who_is_over(ledger_folder: Path) -> None:
    result = run(ledger_folder, *WIJKEN, force=True)
    # Noord fills cm1; the four of Zuid go to cm2 (the only coach serving Zuid), the last over.
    assert loads_of(ledger_folder) == {"cm1": 2, "cm2": 4}
    assert [a.client_id for a in result.assignments if a.over_cap] == ["T0006"]
    assert result.as_json()["coaches"][1] == {
        "coach": "cm2",
        "kind": "professional",
        "added": 4,
        "removed": 0,
        "caseload": 4,
        "cap": 3,
        "over_cap": True,
    }


def test_a_second_run_counts_the_caseloads_already_there(ledger_folder: Path) -> None:
    run(ledger_folder, "T0001", "T0003")
    with pytest.raises(CapacityError, match=r"^4 people to place, room for 3: cm1 1/2, cm2 1/3"):
        run(ledger_folder, "T0002", "T0004", "T0005", "T0006")
    assert loads_of(ledger_folder) == {"cm1": 1, "cm2": 1}


def test_unknown_ids_are_named_and_nothing_written(ledger_folder: Path) -> None:
    with pytest.raises(NotFoundError, match=r"2 client id\(s\) not in the ledger: X0008, X0009"):
        run(ledger_folder, "T0001", "X0009", "X0008")
    assert assignment_rows(ledger_folder) == []


def test_people_in_a_trajectory_stay_with_their_coach_without_to(ledger_folder: Path) -> None:
    run(ledger_folder, "T0001")
    result = run(ledger_folder, "T0001", "T0002")
    assert result.already == ["T0001"]
    assert [(a.client_id, a.coach) for a in result.assignments] == [("T0002", "cm1")]
    assert loads_of(ledger_folder) == {"cm1": 2}


def test_reassignment_keeps_the_history_with_dates(ledger_folder: Path) -> None:
    run(ledger_folder, "T0001", on=dt.date(2026, 10, 1))
    result = run(ledger_folder, "T0001", to="cm2", on=dt.date(2026, 11, 2))
    assert [(a.client_id, a.coach, a.action, a.previous) for a in result.assignments] == [
        ("T0001", "cm2", "reassign", "cm1")
    ]
    assert assignment_rows(ledger_folder) == [
        ("T0001", "cm1", "professional", "2026-10-01", "2026-11-02"),
        ("T0001", "cm2", "professional", "2026-11-02", None),
    ]
    with open_ledger(ledger_folder, create=False) as ledger:
        assert [
            tuple(r) for r in ledger.query("SELECT client_id, started_on, ended_on FROM trajectories")
        ] == [("T0001", "2026-10-01", None)]
    assert loads_of(ledger_folder) == {"cm2": 1}
    assert [(c.coach, c.added, c.removed, c.caseload) for c in result.coaches] == [
        ("cm2", 1, 0, 1),
        ("cm1", 0, 1, 0),
    ]


def test_a_handover_before_the_current_coach_took_over_is_refused(ledger_folder: Path) -> None:
    run(ledger_folder, "T0001", on=dt.date(2026, 10, 1))
    with pytest.raises(
        KansenError, match="before an earlier trajectory ended or the current coach took over"
    ):
        run(ledger_folder, "T0001", to="cm2", on=dt.date(2026, 9, 30))
    assert len(assignment_rows(ledger_folder)) == 1


def test_to_a_coach_is_refused_over_their_cap(ledger_folder: Path) -> None:
    with pytest.raises(CapacityError, match=r"^3 people to place, room for 2: cm1 0/2\."):
        run(ledger_folder, "T0003", "T0004", "T0005", to="cm1")
    result = run(ledger_folder, "T0003", "T0004", "T0005", to="cm1", force=True)
    assert [a.over_cap for a in result.assignments] == [False, False, True]
    assert loads_of(ledger_folder) == {"cm1": 3}


def test_a_date_in_the_future_is_refused(ledger_folder: Path) -> None:
    with pytest.raises(KansenError, match="in the future"):
        run(ledger_folder, "T0001", on=TODAY + dt.timedelta(days=1))


def test_dry_run_shows_and_writes_nothing(ledger_folder: Path) -> None:
    result = run(ledger_folder, "T0001", "T0003", dry_run=True)
    assert [(a.client_id, a.coach) for a in result.assignments] == [("T0001", "cm1"), ("T0003", "cm2")]
    assert assignment_rows(ledger_folder) == []


def test_kind_picks_only_those_coaches(ledger_folder: Path) -> None:
    (ledger_folder / "kansen.toml").write_text(
        TWO_COACHES
        + '\n[[trajectories.coaches]]\ncode = "amb1"\nname = "A"\nkind = "ambassadeur"\ncap = 1\n',
        encoding="utf-8",
    )
    result = run(ledger_folder, "T0001", kind="ambassadeur")
    assert [(a.client_id, a.coach) for a in result.assignments] == [("T0001", "amb1")]
    assert assignment_rows(ledger_folder)[0][2] == "ambassadeur"
    with pytest.raises(CapacityError, match=r"^1 people to place, room for 0: amb1 1/1"):
        run(ledger_folder, "T0002", kind="ambassadeur")


AMBASSADOR = (
    '\n[[trajectories.coaches]]\ncode = "amb1"\nname = "A"\nkind = "ambassadeur"\ncap = 5\nclient_id = "{}"\n'
)


def test_an_ambassador_linked_to_an_unknown_client_is_named(ledger_folder: Path) -> None:
    (ledger_folder / "kansen.toml").write_text(TWO_COACHES + AMBASSADOR.format("X0404"), encoding="utf-8")
    with pytest.raises(NotFoundError, match=r"^coach amb1: the client_id"):
        run(ledger_folder, "T0001", kind="ambassadeur")


def test_an_ambassador_is_not_assigned_to_themselves(ledger_folder: Path) -> None:
    (ledger_folder / "kansen.toml").write_text(TWO_COACHES + AMBASSADOR.format("T0006"), encoding="utf-8")
    with pytest.raises(KansenError, match="coach amb1 is client T0006: nobody is their own coach"):
        run(ledger_folder, "T0005", "T0006", to="amb1")
    # Chosen freely: T0004 (Zuid) to cm2, the first of the two serving every wijk, both at 0;
    # then T0005 to the least loaded, amb1 (0 < 1); T0006 is amb1, so cm2.
    run(ledger_folder, "T0004")
    result = run(ledger_folder, "T0006", "T0005")
    assert {a.client_id: a.coach for a in result.assignments} == {"T0005": "amb1", "T0006": "cm2"}


# -- from a referral ------------------------------------------------------------------------------


def refer(folder: Path, referrals: list[tuple[str, str]]) -> None:
    with open_ledger(folder, create=False) as ledger, ledger.transaction() as db:
        db.execute(
            "INSERT INTO batches VALUES ('b1', 'Zuid', 1, 1, 1, '2026-01-05T09:00:00+01:00', NULL, 1, NULL)"
        )
        for position, client_id in enumerate(sorted(WIJKEN), start=1):
            db.execute("INSERT INTO batch_members VALUES (?, 'b1', ?, 'A')", (client_id, position))
        db.executemany(
            "INSERT INTO referrals (client_id, destination, referred_on, source_file, loaded_at)"
            " VALUES (?, ?, '2026-06-01', 'r.xlsx', '2026-06-01T09:00:00+01:00')",
            referrals,
        )


def test_from_referral_picks_exactly_the_referred_not_yet_in_a_trajectory(ledger_folder: Path) -> None:
    refer(
        ledger_folder,
        [
            ("T0001", "coach_meedoen"),
            ("T0002", "coach_meedoen"),  # in a trajectory already
            ("T0003", "coach_meedoen"),
            ("T0003", "wij_team"),
            ("T0004", "wij_team"),  # referred elsewhere
            ("T0005", "coach_meedoen"),  # purged
        ],
    )
    with open_ledger(ledger_folder, create=False) as ledger, ledger.transaction() as db:
        start_trajectory(db, "T0002", "cm1", "2026-07-01")
        db.execute("UPDATE people SET purged_at = '2026-08-01', surname = NULL WHERE client_id = 'T0005'")
    result = assign.run(ledger_folder, settings_of(ledger_folder), TODAY, from_referral="coach_meedoen")
    assert sorted(a.client_id for a in result.assignments) == ["T0001", "T0003"]
    with open_ledger(ledger_folder, create=False) as ledger:
        sources = {
            r["client_id"]: r["source"] for r in ledger.query("SELECT client_id, source FROM trajectories")
        }
    assert sources == {"T0001": "referral:coach_meedoen", "T0002": "list", "T0003": "referral:coach_meedoen"}
    # Run again: nobody new; an ended trajectory from this referral is not restarted either.
    with open_ledger(ledger_folder, create=False) as ledger, ledger.transaction() as db:
        db.execute(
            "UPDATE coach_assignments SET until_on = ? WHERE client_id = 'T0001'", (TODAY.isoformat(),)
        )
        db.execute(
            "UPDATE trajectories SET ended_on = ?, end_reason = 'werk' WHERE client_id = 'T0001'",
            (TODAY.isoformat(),),
        )
    again = assign.run(ledger_folder, settings_of(ledger_folder), TODAY, from_referral="coach_meedoen")
    assert again.assignments == []


def test_an_unknown_destination_or_both_sources_are_refused(ledger_folder: Path) -> None:
    settings = settings_of(ledger_folder)
    with pytest.raises(KansenError, match="'nergens' is no referral destination"):
        assign.run(ledger_folder, settings, TODAY, from_referral="nergens")
    with pytest.raises(KansenError, match="not both"):
        assign.run(ledger_folder, settings, TODAY, client_ids=["T0001"], from_referral="coach_meedoen")
    with pytest.raises(KansenError, match="not both and not neither"):
        assign.run(ledger_folder, settings, TODAY)


# -- the command line -----------------------------------------------------------------------------


def test_cli_refusal_exit_code_and_message(invoke, ledger_folder: Path) -> None:
    result = invoke("assign", *WIJKEN, "-c", ledger_folder)
    assert result.exit_code == 1
    assert "kansen: error: 6 people to place, room for 5: cm1 0/2, cm2 0/3." in result.stderr
    assert assignment_rows(ledger_folder) == []


def test_cli_json_is_the_workflow_result(invoke, ledger_folder: Path) -> None:
    result = invoke("assign", "T0001", "T0003", "--on", "01-11-2026", "--json", "-c", ledger_folder)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "on",
        "source",
        "dry_run",
        "started",
        "reassigned",
        "ended",
        "end_reason",
        "over_cap",
        "already_in_trajectory",
        "assignments",
        "coaches",
    }
    assert data["on"] == "2026-11-01"
    assert data["started"] == 2
    assert data["assignments"][0] == {
        "client_id": "T0001",
        "coach": "cm1",
        "action": "start",
        "over_cap": False,
    }
    assert [(c["coach"], c["caseload"], c["cap"]) for c in data["coaches"]] == [("cm1", 1, 2), ("cm2", 1, 3)]


def test_cli_table_has_no_names(invoke, ledger_folder: Path) -> None:
    result = invoke("--lang", "nl", "assign", "T0001", "T0003", "-c", ledger_folder)
    assert result.exit_code == 0, result.stderr
    assert "2 begonnen een traject" in result.stdout
    assert "cm1" in result.stdout and "Testpersoon" not in result.stdout + result.stderr


# -- the invariant, over random sequences ---------------------------------------------------------

PEOPLE = {f"H{i:04d}": ("Noord" if i % 2 else "Zuid") for i in range(1, 8)}
CODES = ("h1", "h2", "h3")
OPERATION = st.one_of(
    st.tuples(
        st.just("assign"),
        st.lists(st.sampled_from(sorted(PEOPLE)), min_size=1, max_size=4, unique=True),
        st.none() | st.sampled_from(CODES),
    ),
    st.tuples(
        st.just("end"), st.sampled_from(sorted(PEOPLE)), st.sampled_from(["werk", "verhuisd", "gestopt"])
    ),
)
COACHES = st.lists(
    st.tuples(st.integers(1, 3), st.sampled_from([(), ("Noord",), ("Zuid",)])), min_size=3, max_size=3
)


def check_invariant(folder: Path, caps: dict[str, int]) -> None:
    """Counted with SQL of its own (not `caseloads`): one current coach per open trajectory,
    none for an ended one, at most one open trajectory per person, no coach over the cap."""
    with open_ledger(folder, create=False) as ledger:
        rows = ledger.query(
            "SELECT t.client_id, t.ended_on IS NULL AS open,"
            " (SELECT count(*) FROM coach_assignments a WHERE a.trajectory_id = t.trajectory_id"
            " AND a.until_on IS NULL) AS current FROM trajectories t"
        )
        per_coach = ledger.query(
            "SELECT a.coach, count(*) FROM coach_assignments a JOIN trajectories t USING (trajectory_id)"
            " WHERE a.until_on IS NULL AND t.ended_on IS NULL GROUP BY a.coach"
        )
    for row in rows:
        assert row["current"] == (1 if row["open"] else 0)
    open_people = [r["client_id"] for r in rows if r["open"]]
    assert len(open_people) == len(set(open_people))
    for code, n in per_coach:
        assert n <= caps[code]
    # The history has no gaps: a trajectory's first coach from its start, each next coach from
    # the day the one before left, the last one until the trajectory's end (if it ended).
    with open_ledger(folder, create=False) as ledger:
        spans: dict[int, list[tuple[str, str | None]]] = {}
        for r in ledger.query("SELECT trajectory_id, from_on, until_on FROM coach_assignments ORDER BY id"):
            spans.setdefault(r["trajectory_id"], []).append((r["from_on"], r["until_on"]))
        for t in ledger.query("SELECT trajectory_id, started_on, ended_on FROM trajectories"):
            chain = spans[t["trajectory_id"]]
            assert chain[0][0] == t["started_on"]
            assert all(before[1] == after[0] for before, after in itertools.pairwise(chain))
            assert chain[-1][1] == t["ended_on"]


def snapshot(folder: Path) -> list[tuple]:
    with open_ledger(folder, create=False) as ledger:
        return [tuple(r) for r in ledger.query("SELECT * FROM coach_assignments ORDER BY id")] + [
            tuple(r) for r in ledger.query("SELECT * FROM trajectories ORDER BY trajectory_id")
        ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coaches=COACHES, operations=st.lists(OPERATION, min_size=1, max_size=7))
def test_one_current_coach_and_never_over_the_cap(coaches, operations) -> None:
    from campaign_helpers import make_campaign
    from kansen_cli.ledger.trajectories import open_trajectories

    chosen_settings = Settings.model_validate(
        {
            "trajectories": {
                "coaches": [
                    {"code": code, "name": code, "cap": cap, "wijken": list(wijken)}
                    for code, (cap, wijken) in zip(CODES, coaches, strict=True)
                ]
            }
        }
    )
    caps = {c.code: c.cap for c in chosen_settings.trajectories.coaches}
    with tempfile.TemporaryDirectory() as tmp:
        folder = people_ledger(make_campaign(Path(tmp) / "c"), PEOPLE)
        for operation in operations:
            before = snapshot(folder)
            if operation[0] == "assign":
                try:
                    assign.run(folder, chosen_settings, TODAY, client_ids=operation[1], to=operation[2])
                except CapacityError:
                    assert snapshot(folder) == before  # refused: nothing written
            else:
                with open_ledger(folder, create=False) as ledger:
                    in_one = operation[1] in open_trajectories(ledger)
                if in_one:
                    assign.run(folder, chosen_settings, TODAY, client_ids=[operation[1]], end=operation[2])
            check_invariant(folder, caps)
