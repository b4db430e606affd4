"""The report's trajectory sections (issue 13): a hand-built ledger whose every figure is worked
out by hand below, the golden files in every format, the purge, and the GAS T-score.

The golden files were written by the code once and checked line by line against the hand
figures in `test_figures_by_hand`; regenerate them only after checking again.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kansen_cli.ledger import open_ledger
from kansen_cli.ledger.reporting import read_report_data
from kansen_cli.report import build_report
from kansen_cli.report_render import to_json, to_markdown
from kansen_cli.settings import load_settings
from kansen_cli.trajectory import gas_t_score
from test_purge import KEPT
from test_report import build_golden_ledger
from trajectory_helpers import (
    add_contact,
    add_goal,
    add_rungs,
    end_trajectory,
    people_ledger,
    reassign,
    start_trajectory,
)

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

GOLDEN = Path(__file__).parent / "golden" / "report"
TODAY = dt.date(2026, 11, 20)  # the day the report is made (conftest's KANSEN_TODAY too)
KEY = "correct horse battery staple 2026"
TRAJECTORY_TABLES = (
    "trajectories",
    "coach_assignments",
    "goals",
    "goal_scores",
    "ladder_steps",
    "contact_moments",
)

SETTINGS = """\
[trajectories]
goal_reached = "any"

[[trajectories.coaches]]
code = "p1"
name = "Coach Noord"
kind = "professional"
cap = 4

[[trajectories.coaches]]
code = "p2"
name = "Coach Zuid"
kind = "professional"
cap = 50

[[trajectories.coaches]]
code = "a1"
name = "Ambassadeur 1"
kind = "ambassadeur"
cap = 3

[[trajectories.coaches]]
code = "a2"
name = "Ambassadeur 2"
kind = "ambassadeur"
cap = 3

[[trajectories.coaches]]
code = "e1"
name = "Ervaringsdeskundige 1"
kind = "ervaringsdeskundige"
cap = 10
"""

PEOPLE = {f"T{n:04d}": ("Noord" if n % 2 else "Zuid") for n in range(1, 11)}
P, A = "professional", "ambassadeur"

# client, coach, kind, started. T0005 starts with a1 and moves to p2 on 2026-09-07.
TRAJECTORIES = [
    ("T0001", "p1", P, "2026-06-01"),
    ("T0002", "p1", P, "2026-06-15"),
    ("T0003", "p1", P, "2026-07-01"),
    ("T0004", "p2", P, "2026-07-06"),
    ("T0005", "a1", A, "2026-08-03"),
    ("T0006", "a1", A, "2026-06-01"),
    ("T0007", "a1", A, "2026-06-08"),
    ("T0008", "a1", A, "2026-07-13"),
    ("T0009", "a2", A, "2026-09-14"),
    ("T0010", "p2", P, "2026-10-05"),
]
ENDS = {"T0004": ("2026-10-05", "werk"), "T0008": ("2026-11-02", "vrijwilligerswerk")}
# client, domain, weight, scores by review date (the latest counts)
GOALS = [
    ("T0001", "dagbesteding", 1, {"2026-08-01": -1, "2026-10-01": 0}),
    ("T0001", "financien", 1, {"2026-10-01": 1}),
    ("T0001", "gezondheid", 1, {}),
    ("T0002", "gezondheid", 1, {"2026-08-01": 0, "2026-10-01": -1}),
    ("T0003", "dagbesteding", 2, {"2026-10-01": -2}),
    ("T0003", "gezondheid", 1, {"2026-10-01": 1}),
    ("T0004", "financien", 1, {"2026-09-01": 0}),
    ("T0005", "dagbesteding", 1, {}),
    ("T0006", "gezondheid", 1, {"2026-10-01": -1}),
    ("T0007", "dagbesteding", 1, {"2026-10-01": 2}),
    ("T0007", "financien", 1, {"2026-10-01": -1}),
    ("T0007", "dagbesteding", 1, {}),
    ("T0008", "financien", 1, {"2026-10-15": 0}),
    ("T0009", "gezondheid", 1, {}),
]
RUNGS = {
    "T0001": {"2026-06-01": 2, "2026-10-01": 3},
    "T0002": {"2026-06-15": 1, "2026-10-01": 1},
    "T0003": {"2026-07-01": 3, "2026-09-01": 4, "2026-11-01": 3},
    "T0004": {"2026-07-06": 4, "2026-10-01": 6},
    "T0005": {"2026-08-03": 2},
    "T0006": {"2026-06-01": 2, "2026-10-01": 1},
    "T0007": {"2026-06-08": 3, "2026-10-01": 4},
    "T0008": {"2026-07-13": 3, "2026-10-15": 4},
    "T0009": {"2026-09-14": 1},
}


def build_trajectory_ledger(folder: Path) -> Path:
    """The ledger above; goal descriptions and contact notes are (synthetic) personal text."""
    (folder / "kansen.toml").write_text(SETTINGS, encoding="utf-8")
    people_ledger(folder, {cid: wijk for cid, wijk in PEOPLE.items()})
    with open_ledger(folder) as ledger, ledger.transaction() as db:
        ids = {cid: start_trajectory(db, cid, coach, day, kind) for cid, coach, kind, day in TRAJECTORIES}
        reassign(db, ids["T0005"], "p2", "2026-09-07", P)
        for cid, (day, reason) in ENDS.items():
            end_trajectory(db, ids[cid], day, reason)
        for n, (cid, domain, weight, scores) in enumerate(GOALS):
            add_goal(db, ids[cid], domain, f"Persoonlijk doel {n} van {cid}", "2026-07-20", scores, weight)
        for cid, rungs in RUNGS.items():
            add_rungs(db, ids[cid], rungs)
        add_contact(
            db, ids["T0001"], "2026-11-02", "huisbezoek", "p1", "Vertelde over de schulden van haar broer"
        )
        add_contact(db, ids["T0006"], "2026-10-20", "telefonisch", "a1", "Wil graag koken voor de buurt")
    return folder


@pytest.fixture
def ledger(campaign: Path) -> Path:
    return build_trajectory_ledger(campaign)


def make_report(campaign: Path, today: dt.date | None = TODAY, **kwargs: Any):
    start, end, batch = kwargs.pop("start", None), kwargs.pop("end", None), kwargs.pop("batch", None)
    with open_ledger(campaign, create=False) as ledger:
        data = read_report_data(ledger, start, end, batch, today)
    return build_report(data, load_settings(campaign), start, end, batch, **kwargs)


def t_by_hand(scores: list[int], weights: list[int]) -> float:
    """Kiresuk-Sherman written out: 50 + 10 Σwx / √(0.7 Σw² + 0.3 (Σw)²)."""
    top = sum(w * x for w, x in zip(weights, scores, strict=True))
    return 50 + 10 * top / math.sqrt(0.7 * sum(w * w for w in weights) + 0.3 * sum(weights) ** 2)


def wilson_by_formula(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


# ---------------------------------------------------------------------------- GAS T-score


@pytest.mark.parametrize(
    ("scores", "weights", "expected"),
    [
        ([0], None, 50.0),  # every goal as expected: 50
        ([-1], None, 40.0),  # one goal: 50 + 10x / √(0.7 + 0.3) = 50 + 10x
        ([2], None, 70.0),
        ([0, 1], None, 56.2017),  # 50 + 10 / √(1.4 + 1.2) = 50 + 10 / 1.61245
        ([2, -1], None, 56.2017),
        ([-2, 1], [2, 1], 37.9517),  # Σwx = −3; √(0.7·5 + 0.3·9) = √6.2 = 2.48998; 50 − 12.0483
        ([1, 1, 1], None, 63.6931),  # 50 + 30 / √(2.1 + 2.7) = 50 + 30 / 2.19089 = 50 + 13.6931
        ([1, 0], [3, 1], 58.7333),  # Σwx = 3; √(0.7·10 + 0.3·16) = √11.8 = 3.43511; 50 + 8.7333
    ],
)
def test_gas_t_score_by_hand(scores: list[int], weights: list[int] | None, expected: float) -> None:
    assert gas_t_score(scores, weights) == pytest.approx(expected, abs=1e-4)


def test_gas_t_score_refuses_what_it_cannot_score() -> None:
    with pytest.raises(ValueError):
        gas_t_score([])
    with pytest.raises(ValueError):
        gas_t_score([1, 0], [1])


# ---------------------------------------------------------------------------- the figures by hand


def test_figures_by_hand(ledger: Path) -> None:
    data = make_report(ledger).data["trajectories"]
    prof, amb, ervd = (data["by_kind"][k] for k in ("professional", "ambassadeur", "ervaringsdeskundige"))
    assert data["counted_until"] == "2026-11-20"
    # Professional (kind of the current coach, or the coach at the end): T0001-T0005 and T0010 (T0005
    # moved from ambassador a1 to p2); ended T0004. Ambassadors: T0006-T0009, ended T0008.
    assert [prof[f] for f in ("started", "open", "ended", "changed_coach")] == [6, 5, 1, 1]
    assert [amb[f] for f in ("started", "open", "ended", "changed_coach")] == [4, 3, 1, 0]
    assert [ervd[f] for f in ("started", "open", "ended", "changed_coach")] == [0, 0, 0, 0]
    assert [data[f] for f in ("started", "open", "ended", "changed_coach")] == [10, 8, 2, 1]
    # Days in trajectory (open ones up to 20-11-2026): professional 172, 158, 142, 91 (6 Jul - 5 Oct),
    # 109, 46: median (109 + 142) / 2 = 125.5 days, mean 718 / 6; ambassadors 172, 165,
    # 112 (13 Jul - 2 Nov), 67: median 138.5, mean 129; all ten: median (112 + 142) / 2 = 127, mean 123.4.
    assert prof["weeks_median"] == round(125.5 / 7, 4) and prof["weeks_mean"] == round(718 / 6 / 7, 4)
    assert amb["weeks_median"] == round(138.5 / 7, 4) and amb["weeks_mean"] == round(129 / 7, 4)
    assert data["weeks_median"] == round(127 / 7, 4) and data["weeks_mean"] == round(123.4 / 7, 4)
    assert ervd["weeks_median"] is None
    # Caseload: p1 T0001-3 (3 of 4), p2 T0005, T0010 (2 of 50), a1 T0006-7 (2 of 3), a2 T0009, e1 none.
    caseload = {c["coach"]: (c["open"], c["cap"], c["share_of_cap"]) for c in data["caseload"]}
    assert caseload == {
        "p1": (3, 4, 0.75),
        "p2": (2, 50, 0.04),
        "a1": (2, 3, round(2 / 3, 4)),
        "a2": (1, 3, round(1 / 3, 4)),
        "e1": (0, 10, 0.0),
    }
    # Goals: dagbesteding T0001, T0003, T0005, T0007 twice (5 goals, 4 people; 3 professional);
    # financien T0001, T0004, T0007, T0008; gezondheid T0001, T0002, T0003, T0006, T0009.
    domains = data["goals_by_domain"]
    assert domains["dagbesteding"] == {
        "goals": 5,
        "people": 4,
        "goals_by_kind": {P: 3, A: 2, "ervaringsdeskundige": 0},
    }
    assert domains["financien"] == {
        "goals": 4,
        "people": 4,
        "goals_by_kind": {P: 2, A: 2, "ervaringsdeskundige": 0},
    }
    assert domains["gezondheid"] == {
        "goals": 5,
        "people": 5,
        "goals_by_kind": {P: 3, A: 2, "ervaringsdeskundige": 0},
    }
    assert domains["werk"]["goals"] == 0 and set(domains) >= {"wonen", "leren", "sociaal_netwerk"}


def test_goal_reached_and_t_scores_by_hand(ledger: Path) -> None:
    data = make_report(ledger).data["trajectories"]
    prof, amb = data["by_kind"][P], data["by_kind"][A]
    # Latest scores per person with a scored goal (T0005 and T0009 have none; T0010 no goal):
    # T0001 [0, 1] reached; T0002 [-1] (its earlier 0 does not count) not; T0003 [-2 (w 2), 1]
    # reached (any); T0004 [0] reached; T0006 [-1] not; T0007 [2, -1] reached; T0008 [0] reached.
    assert (prof["goal_scored"], prof["goal_reached"]) == (4, 3)
    assert (amb["goal_scored"], amb["goal_reached"]) == (3, 2)
    assert (data["goal_scored"], data["goal_reached"], data["goal_reached_share"]) == (7, 5, round(5 / 7, 4))
    low, high = wilson_by_formula(5, 7)
    assert (data["goal_reached_ci_low"], data["goal_reached_ci_high"]) == (round(low, 4), round(high, 4))
    assert data["goal_reached_ci_low"] == pytest.approx(0.3589, abs=1e-4)  # the formula, worked on paper
    t = {
        "T0001": t_by_hand([0, 1], [1, 1]),  # 56.2017
        "T0002": 40.0,
        "T0003": t_by_hand([-2, 1], [2, 1]),  # 37.9517
        "T0004": 50.0,
        "T0006": 40.0,
        "T0007": t_by_hand([2, -1], [1, 1]),  # 56.2017
        "T0008": 50.0,
    }
    professional = [t[c] for c in ("T0001", "T0002", "T0003", "T0004")]
    ambassador = [t[c] for c in ("T0006", "T0007", "T0008")]
    assert prof["gas_t_mean"] == pytest.approx(46.0384, abs=1e-4)
    assert prof["gas_t_mean"] == round(sum(professional) / 4, 4)
    assert amb["gas_t_mean"] == round(sum(ambassador) / 3, 4) == pytest.approx(48.7339, abs=1e-4)
    assert data["gas_t_mean"] == round(sum(t.values()) / 7, 4) == pytest.approx(47.1936, abs=1e-4)
    assert data["gas_t_n"] == 7


def test_all_goals_must_be_reached_when_the_setting_says_so(ledger: Path) -> None:
    settings = (ledger / "kansen.toml").read_text(encoding="utf-8")
    (ledger / "kansen.toml").write_text(settings.replace('"any"', '"all"'), encoding="utf-8")
    data = make_report(ledger).data["trajectories"]
    # T0003 (-2 and 1) and T0007 (2 and -1) no longer count: professional 2 of 4, ambassadors 1 of 3.
    assert (data["by_kind"][P]["goal_reached"], data["by_kind"][A]["goal_reached"]) == (2, 1)
    assert data["goal_reached_share"] == round(3 / 7, 4)


def test_ladder_and_ends_by_hand(ledger: Path) -> None:
    data = make_report(ledger).data["trajectories"]
    # Intake -> latest of the 7 people with two rungs or more: T0001 2->3, T0002 1->1, T0003 3->3
    # (its 4 in between does not count), T0004 4->6, T0006 2->1, T0007 3->4, T0008 3->4.
    expected = {str(i): {str(r): 0 for r in range(1, 7)} for i in range(1, 7)}
    for intake, latest in ((2, 3), (1, 1), (3, 3), (4, 6), (2, 1), (3, 4), (3, 4)):
        expected[str(intake)][str(latest)] += 1
    assert data["ladder_transitions"] == expected
    prof, amb = data["by_kind"][P], data["by_kind"][A]
    assert [prof[f"ladder_{m}"] for m in ("two_rungs", "up", "same", "down")] == [4, 2, 2, 0]
    assert [amb[f"ladder_{m}"] for m in ("two_rungs", "up", "same", "down")] == [3, 2, 0, 1]
    assert [data[f"ladder_{m}"] for m in ("two_rungs", "up", "same", "down")] == [7, 4, 2, 1]
    low, high = wilson_by_formula(4, 7)
    assert data["ladder_up_share"] == round(4 / 7, 4)
    assert (data["ladder_up_ci_low"], data["ladder_up_ci_high"]) == (round(low, 4), round(high, 4))
    # Ends: T0004 work (professional), T0008 volunteering (ambassador): 50 % each of the 2 ended.
    assert data["ends"]["werk"] == {"ended": 1, "share": 0.5}
    assert data["ends"]["vrijwilligerswerk"] == {"ended": 1, "share": 0.5}
    assert data["ends"]["gestopt"] == {"ended": 0, "share": 0.0}
    assert prof["ends"]["werk"] == 1 and prof["ends"]["vrijwilligerswerk"] == 0
    assert amb["ends"]["vrijwilligerswerk"] == 1


def test_the_ladder_pairs_rungs_of_one_trajectory(campaign: Path) -> None:
    # T0001: a first trajectory with p1 (professional) on rungs 2, 2, 2, ended; a second with a1
    # (ambassador) with only its intake, rung 6. Counted 2 -> 2, professional: never 2 -> 6.
    # T0002: a1 rungs 1, 3 (ended), then p1 rungs 4, 5: the latest trajectory with two rungs, 4 -> 5
    # professional (not 1 -> 5, not 1 -> 3). T0003: one trajectory with a1, 3 -> 2.
    (campaign / "kansen.toml").write_text(SETTINGS, encoding="utf-8")
    people_ledger(campaign, {"T0001": "Noord", "T0002": "Noord", "T0003": "Zuid"})
    with open_ledger(campaign) as led, led.transaction() as db:
        first = start_trajectory(db, "T0001", "p1", "2026-03-02", P)
        add_rungs(db, first, {"2026-03-02": 2, "2026-04-01": 2, "2026-05-01": 2})
        end_trajectory(db, first, "2026-05-15", "gestopt")
        add_rungs(db, start_trajectory(db, "T0001", "a1", "2026-06-01", A), {"2026-06-01": 6})
        earlier = start_trajectory(db, "T0002", "a1", "2026-03-02", A)
        add_rungs(db, earlier, {"2026-03-02": 1, "2026-04-01": 3})
        end_trajectory(db, earlier, "2026-04-15", "verhuisd")
        add_rungs(
            db, start_trajectory(db, "T0002", "p1", "2026-05-04", P), {"2026-05-04": 4, "2026-08-03": 5}
        )
        add_rungs(
            db, start_trajectory(db, "T0003", "a1", "2026-06-01", A), {"2026-06-01": 3, "2026-09-01": 2}
        )
    data = make_report(campaign).data["trajectories"]
    expected = {str(i): {str(r): 0 for r in range(1, 7)} for i in range(1, 7)}
    expected["2"]["2"] = expected["4"]["5"] = expected["3"]["2"] = 1
    assert data["ladder_transitions"] == expected
    assert [data[f"ladder_{m}"] for m in ("two_rungs", "up", "same", "down")] == [3, 1, 1, 1]
    prof, amb = data["by_kind"][P], data["by_kind"][A]
    assert [prof[f"ladder_{m}"] for m in ("two_rungs", "up", "same", "down")] == [2, 1, 1, 0]
    assert [amb[f"ladder_{m}"] for m in ("two_rungs", "up", "same", "down")] == [1, 0, 0, 1]


def test_caseload_kind_is_the_stored_one(ledger: Path) -> None:
    # kansen.toml now calls p1 an ervaringsdeskundige and e1 an ambassador. p1's people were
    # assigned as a professional (stored), so the caseload table says professional, as the other
    # tables do; e1 has nobody, so only kansen.toml can say: ambassador.
    settings = (ledger / "kansen.toml").read_text(encoding="utf-8")
    settings = settings.replace(
        'code = "p1"\nname = "Coach Noord"\nkind = "professional"',
        'code = "p1"\nname = "Coach Noord"\nkind = "ervaringsdeskundige"',
    ).replace('kind = "ervaringsdeskundige"\ncap = 10', 'kind = "ambassadeur"\ncap = 10')
    (ledger / "kansen.toml").write_text(settings, encoding="utf-8")
    report = make_report(ledger)
    kinds = {c["coach"]: c["kind"] for c in report.data["trajectories"]["caseload"]}
    assert kinds == {"p1": P, "p2": P, "a1": A, "a2": A, "e1": A}
    assert report.data["trajectories"]["by_kind"][P]["open"] == 5  # p1's three among them
    rows = next(t for t in report.tables if t.name == "caseload").rows
    assert [(row[0].value, row[1].value) for row in rows[:5]] == [
        ("p1", "Professional"),
        ("p2", "Professional"),
        ("a1", "Ambassadeur"),
        ("a2", "Ambassadeur"),
        ("e1", "Ambassadeur"),
    ]


@pytest.mark.parametrize("publish", [False, True])
def test_no_coach_name_in_the_report(ledger: Path, publish: bool) -> None:
    # An ambassador coach is a client on benefit too: the report names coaches by code only.
    report = make_report(ledger, publish=publish)
    table = next(t for t in report.tables if t.name == "caseload")
    assert table.columns == ["Coach", "Soort coach", "Lopende trajecten", "Maximum", "Bezetting (%)"]
    for text in (to_markdown(report), to_json(report)):
        for name in ("Coach Noord", "Coach Zuid", "Ambassadeur 1", "Ambassadeur 2", "Ervaringsdeskundige 1"):
            assert name not in text


def test_period_and_batch_choose_the_cohort(ledger: Path) -> None:
    # Started 1-7 June: T0001 and T0006, both open; counted up to the period's end: 6 days each.
    first_week = make_report(ledger, start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 7)).data["trajectories"]
    assert (first_week["started"], first_week["open"], first_week["counted_until"]) == (2, 2, "2026-06-07")
    assert first_week["weeks_median"] == first_week["weeks_mean"] == round(6 / 7, 4)
    # From 1 July: T0003, T0004, T0005, T0008, T0009, T0010.
    later = make_report(ledger, start=dt.date(2026, 7, 1)).data["trajectories"]
    assert (later["started"], later["by_kind"][P]["started"], later["by_kind"][A]["started"]) == (6, 4, 2)
    # A batch: its members only.
    with open_ledger(ledger) as led, led.transaction() as db:
        db.execute(
            "INSERT INTO batches VALUES"
            " ('noord-1', 'Noord', 1, 1, 2015, '2026-05-01T09:00:00+02:00', NULL, 1, NULL)"
        )
        for position, cid in enumerate(("T0001", "T0004", "T0007")):
            db.execute("INSERT INTO batch_members VALUES (?, 'noord-1', ?, 'A')", (cid, position))
    batch = make_report(ledger, batch="noord-1").data["trajectories"]
    assert (batch["started"], batch["ended"], batch["goal_scored"], batch["goal_reached"]) == (3, 1, 3, 3)


def test_without_a_day_open_trajectories_count_up_to_the_last_record(ledger: Path) -> None:
    # The latest date in the trajectory tables is T0008's end, 2 November.
    assert make_report(ledger, today=None).data["trajectories"]["counted_until"] == "2026-11-02"


def test_without_trajectories_the_section_is_absent(campaign: Path) -> None:
    report = make_report(build_golden_ledger(campaign))
    assert "trajectories" not in report.data
    assert not any(t.name in ("trajecten", "caseload", "participatieladder") for t in report.tables)


# ---------------------------------------------------------------------------- golden files


def section_text(text: str) -> str:
    return text[text.index("## Trajecten: gestart") : text.index("## Van register tot actief")]


@pytest.mark.parametrize(("publish", "name"), [(False, "trajectories.md"), (True, "trajectories_publish.md")])
def test_golden_markdown(ledger: Path, publish: bool, name: str) -> None:
    from kansen_cli import i18n

    with i18n.using("nl"):  # the golden report is the Dutch one, the default
        section = section_text(to_markdown(make_report(ledger, publish=publish)))
    assert section == (GOLDEN / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("publish", "name"), [(False, "trajectories.json"), (True, "trajectories_publish.json")]
)
def test_golden_json(ledger: Path, publish: bool, name: str) -> None:
    data = json.loads(to_json(make_report(ledger, publish=publish)))
    assert data["trajectories"] == json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def test_golden_terminal_text(ledger: Path, invoke, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")  # rich wraps to the terminal's width
    result = invoke("--lang", "nl", "report", "-c", ledger)  # the golden text is the Dutch one
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    section = text[text.index("Trajecten: gestart") : text.index("Van register tot actief")]
    assert section == (GOLDEN / "trajectories.txt").read_text(encoding="utf-8")


def test_xlsx_cells(ledger: Path, invoke, tmp_path: Path) -> None:
    out = tmp_path / "rapport.xlsx"
    result = invoke("report", "-c", ledger, "--format", "xlsx", "--out", out)
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    expected = json.loads((GOLDEN / "trajectories_xlsx.json").read_text(encoding="utf-8"))
    sheets = {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in expected}
    assert sheets == expected
    # Spot checks against the hand figures: the total row, p1's caseload, the goal-reached share.
    assert sheets["trajecten"][-1][:4] == ["Totaal", 10, 8, 2]
    assert sheets["caseload"][1] == ["p1", "Professional", 3, 4, 75.0]
    assert sheets["doel_bereikt"][-1][:4] == ["Totaal", 7, 5, round(500 / 7, 1)]


# ---------------------------------------------------------------------------- the purge


def test_purge_erases_goals_and_notes_and_keeps_the_figures(ledger: Path, invoke, monkeypatch) -> None:
    # People still being coached are never purged (test_trajectory_purge): the programme ends
    # the open trajectories first, as it would before erasing everyone.
    open_ids = sorted(set(PEOPLE) - set(ENDS))
    ended = invoke("assign", *open_ids, "--end", "gestopt", "-c", ledger)
    assert ended.exit_code == 0, ended.stderr
    before = invoke("report", "--json", "-c", ledger)
    assert before.exit_code == 0, before.stderr
    db_file = ledger / "kansen.sqlite"
    assert b"Vertelde over de schulden" in db_file.read_bytes()
    monkeypatch.setenv("KANSEN_PSEUDONYM_KEY", KEY)
    purged = invoke("purge", "--older-than", "1", "--as-of", "2099-01-01", "-c", ledger, "--json")
    assert purged.exit_code == 0, purged.output
    assert json.loads(purged.stdout)["people_purged"] == len(PEOPLE)
    with open_ledger(ledger, create=False) as led:
        assert (
            led.query("SELECT description FROM goals WHERE description IS NOT NULL AND description != ''")
            == []
        )
        assert led.query("SELECT note FROM contact_moments WHERE note IS NOT NULL AND note != ''") == []
        ids = {row[0] for table in TRAJECTORY_TABLES for row in led.query(f"SELECT client_id FROM {table}")}
        # Of the trajectory tables, only the columns test_purge keeps still hold anything.
        for table in TRAJECTORY_TABLES:
            for (column,) in led.query("SELECT name FROM pragma_table_info(?)", (table,)):
                filled = led.scalar(
                    f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL AND {column} != ''"
                )
                assert column in KEPT[table] or filled == 0, f"{table}.{column}"
            assert led.scalar(f"SELECT count(*) FROM {table}")  # the rows stay: they are the figures
    assert ids and not ids & set(PEOPLE)
    raw = db_file.read_bytes()
    assert b"Vertelde over de schulden" not in raw and b"Persoonlijk doel" not in raw and b"T0001" not in raw
    after = invoke("report", "--json", "-c", ledger)
    assert after.exit_code == 0, after.stderr
    assert json.loads(after.stdout) == json.loads(before.stdout)
    assert json.loads(after.stdout)["trajectories"]["goal_reached"] == 5


def test_publish_hides_small_counts_and_thin_shares(ledger: Path) -> None:
    data = make_report(ledger, publish=True).data["trajectories"]
    # Threshold 5, minimum base 10 (the defaults): 10 started is shown with its weeks (base 10);
    # p1's caseload of 3 is hidden, and so is every share on 7 people or fewer.
    assert (data["started"], data["weeks_median"]) == (10, round(127 / 7, 4))
    assert next(c for c in data["caseload"] if c["coach"] == "p1")["open"] is None
    assert (
        data["goal_reached_share"] is None and data["gas_t_mean"] is None and data["ladder_up_share"] is None
    )
    assert data["by_kind"][P]["goal_scored"] is None  # 4
    assert data["goal_scored"] == data["gas_t_n"] == 7


def test_a_coach_no_longer_in_the_settings_still_counts(ledger: Path) -> None:
    with open_ledger(ledger) as led, led.transaction() as db:
        tid = int(
            db.execute("SELECT trajectory_id FROM trajectories WHERE client_id = 'T0010'").fetchone()[0]
        )
        reassign(db, tid, "x9", "2026-11-01", P)
    data = make_report(ledger).data["trajectories"]
    caseload = {c["coach"]: (c["open"], c["cap"]) for c in data["caseload"]}
    # T0010 left p2 for x9: p2 keeps T0005 only; x9 has no cap; the caseloads still add up to 8 open.
    assert caseload["p2"] == (1, 50) and caseload["x9"] == (1, None)
    assert sum(open_ for open_, _ in caseload.values()) == data["open"] == 8
    assert data["by_kind"][P]["changed_coach"] == 2


# ---------------------------------------------------------------------------- any ledger


def _day(offset: int) -> str:
    return (dt.date(2026, 6, 1) + dt.timedelta(days=offset)).isoformat()


PERSON = st.fixed_dictionaries(
    {
        "kind": st.sampled_from([P, A]),
        "start": st.integers(0, 120),
        "end": st.none() | st.tuples(st.integers(0, 60), st.sampled_from(["werk", "gestopt", "verhuisd"])),
        "goals": st.lists(
            st.tuples(
                st.sampled_from(["werk", "wonen", "leren"]),
                st.integers(1, 3),
                st.lists(st.integers(-2, 2), max_size=3),
            ),
            max_size=3,
        ),
        "rungs": st.lists(st.integers(1, 6), max_size=4),
    }
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(PERSON, min_size=1, max_size=8))
def test_any_ledger_adds_up_and_matches_a_plain_count(people: list[dict[str, Any]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "kansen.toml").write_text(SETTINGS, encoding="utf-8")
        people_ledger(folder, {f"T{n:04d}": "Noord" for n in range(len(people))})
        with open_ledger(folder) as led, led.transaction() as db:
            for n, person in enumerate(people):
                coach = "p1" if person["kind"] == P else "a1"
                tid = start_trajectory(db, f"T{n:04d}", coach, _day(person["start"]), person["kind"])
                if person["end"] is not None:
                    end_trajectory(db, tid, _day(person["start"] + person["end"][0]), person["end"][1])
                for domain, weight, scores in person["goals"]:
                    dated = {_day(person["start"] + 7 * (i + 1)): s for i, s in enumerate(scores)}
                    add_goal(db, tid, domain, "doel", _day(person["start"]), dated, weight)
                add_rungs(db, tid, {_day(person["start"] + 7 * i): r for i, r in enumerate(person["rungs"])})
        # build_report checks every equation (started = open + ended, the kinds add up, the
        # caseloads add up to the open trajectories, the ladder rows and columns ...).
        data = make_report(folder).data["trajectories"]
    # The same figures counted plainly from what was generated.
    scored = [[(s[-1], w) for _, w, s in p["goals"] if s] for p in people]
    scored = [goals for goals in scored if goals]
    reached = sum(any(s >= 0 for s, _ in goals) for goals in scored)
    ladder = [(p["rungs"][0], p["rungs"][-1]) for p in people if len(p["rungs"]) >= 2]
    assert data["started"] == len(people)
    assert data["ended"] == sum(p["end"] is not None for p in people)
    assert data["by_kind"][A]["started"] == sum(p["kind"] == A for p in people)
    assert (data["goal_scored"], data["goal_reached"]) == (len(scored), reached)
    if scored:
        means = [t_by_hand([s for s, _ in goals], [w for _, w in goals]) for goals in scored]
        assert data["gas_t_mean"] == pytest.approx(sum(means) / len(means), abs=1e-4)
    assert data["ladder_up"] == sum(last > first for first, last in ladder)
    assert data["ladder_down"] == sum(last < first for first, last in ladder)
    assert sum(d["goals"] for d in data["goals_by_domain"].values()) == sum(len(p["goals"]) for p in people)
