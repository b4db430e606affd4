"""Ledger queries of the coach's workbook (`kansen caseload`): the caseload it shows, what a
returned workbook is checked against, and the writes of one loaded row.

A coach's caseload is the open trajectories whose current coach (the assignment without
`until_on`) is that coach. The read functions are shared: the demo, `inview` and the report
may use `caseload_people` and `open_goals` as they are.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from kansen_cli.ledger import trajectories
from kansen_cli.ledger.core import Ledger
from kansen_cli.ledger.trajectories import last_contact_sql, last_review_sql

if TYPE_CHECKING:
    import pandas as pd

# The open trajectories whose current coach is the coach given as the query's first parameter.
CASELOAD_CTE = (
    "WITH caseload AS (SELECT t.trajectory_id, t.client_id, t.started_on, a.from_on AS coach_since"
    " FROM trajectories t JOIN coach_assignments a"
    " ON a.trajectory_id = t.trajectory_id AND a.until_on IS NULL"
    " WHERE t.ended_on IS NULL AND a.coach = ?) "
)


def caseload_people(ledger: Ledger, coach: str, review_weeks: int = 13) -> pd.DataFrame:
    """One row per person in `coach`'s caseload, ordered by name.

    Columns: trajectory_id, client_id, initials, prefix, surname, neighbourhood, started_on,
    coach_since, last_contact (latest contact moment, else started_on), intake_rung,
    latest_rung, last_review (None before the first review), review_due (last review, else
    started_on, plus `review_weeks` weeks). Dates are yyyy-mm-dd text.
    """
    return ledger.frame(
        CASELOAD_CTE + "SELECT *, date(coalesce(last_review, started_on), '+' || (? * 7) || ' days')"
        " AS review_due FROM (SELECT c.trajectory_id, c.client_id, p.initials, p.prefix, p.surname,"
        " p.neighbourhood, c.started_on, c.coach_since,"
        " coalesce(" + last_contact_sql("c") + ", c.started_on) AS last_contact,"
        " (SELECT s.rung FROM ladder_steps s WHERE s.trajectory_id = c.trajectory_id"
        " ORDER BY s.on_date LIMIT 1) AS intake_rung,"
        " (SELECT s.rung FROM ladder_steps s WHERE s.trajectory_id = c.trajectory_id"
        " ORDER BY s.on_date DESC LIMIT 1) AS latest_rung, " + last_review_sql("c") + " AS last_review"
        " FROM caseload c JOIN people p ON p.client_id = c.client_id)"
        " ORDER BY surname, initials, client_id",
        (coach, review_weeks),
    )


def open_goals(ledger: Ledger, coach: str) -> pd.DataFrame:
    """The goals of the open trajectories in `coach`'s caseload, one row per goal.

    Columns: goal_id, trajectory_id, client_id, initials, prefix, surname, domain,
    description, set_on, target_on, baseline, weight, latest_score (None before the first
    review of the goal), latest_review.
    """
    return ledger.frame(
        CASELOAD_CTE + "SELECT o.goal_id, o.trajectory_id, o.client_id, p.initials, p.prefix, p.surname,"
        " o.domain, o.description, o.set_on, o.target_on, o.baseline, o.weight,"
        " (SELECT s.score FROM goal_scores s WHERE s.goal_id = o.goal_id"
        " ORDER BY s.reviewed_on DESC LIMIT 1) AS latest_score,"
        " (SELECT max(s.reviewed_on) FROM goal_scores s WHERE s.goal_id = o.goal_id) AS latest_review"
        " FROM goals o JOIN caseload c ON c.trajectory_id = o.trajectory_id"
        " JOIN people p ON p.client_id = o.client_id ORDER BY p.surname, p.initials, o.client_id, o.goal_id",
        (coach,),
    )


# ---------------------------------------------------------------------------- checked against

# The trajectories `coach` ever coached: a returned workbook may only touch these.
COACHED = "(SELECT trajectory_id FROM coach_assignments WHERE coach = ?)"


def coached_trajectories(ledger: Ledger, coach: str) -> dict[str, dict[str, Any]]:
    """Client id -> the latest trajectory `coach` coached (open or not), with its current coach.

    Keys: trajectory_id, started_on, ended_on, end_reason, current_coach (None once ended),
    coach_since (the current assignment's first day), and `coach`'s own latest assignment of
    it: coach_from, coach_until (None while `coach` still coaches it). A handed-over person's
    rows up to coach_until are still that coach's to record.
    """
    mine = (
        "(SELECT m.{} FROM coach_assignments m WHERE m.trajectory_id = t.trajectory_id AND m.coach = ?"
        " ORDER BY m.id DESC LIMIT 1)"
    )
    rows = ledger.query(
        "SELECT t.trajectory_id, t.client_id, t.started_on, t.ended_on, t.end_reason,"
        " a.coach AS current_coach, a.from_on AS coach_since, "
        + mine.format("from_on")
        + " AS coach_from, "
        + mine.format("until_on")
        + " AS coach_until FROM trajectories t"
        " LEFT JOIN coach_assignments a ON a.trajectory_id = t.trajectory_id AND a.until_on IS NULL"
        " WHERE t.trajectory_id IN " + COACHED + " ORDER BY t.trajectory_id",
        (coach, coach, coach),
    )
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        record = dict(r)  # sqlite3.Row iterates over values; dict() keeps the names
        out[record.pop("client_id")] = record
    return out


def coached_goals(ledger: Ledger, coach: str) -> dict[int, dict[str, Any]]:
    """Goal id -> the goal, for every goal of a trajectory `coach` ever coached."""
    rows = ledger.query(
        "SELECT goal_id, trajectory_id, client_id, domain, description, set_on, target_on, baseline"
        " FROM goals WHERE trajectory_id IN " + COACHED + " ORDER BY goal_id",
        (coach,),
    )
    return {int(r["goal_id"]): dict(r) for r in rows}


def coached_scores(ledger: Ledger, coach: str) -> dict[tuple[int, str], int]:
    """(goal id, review date) -> score, for the goals of trajectories `coach` ever coached."""
    rows = ledger.query(
        "SELECT s.goal_id, s.reviewed_on, s.score FROM goal_scores s JOIN goals o ON o.goal_id = s.goal_id"
        " WHERE o.trajectory_id IN " + COACHED,
        (coach,),
    )
    return {(int(r["goal_id"]), r["reviewed_on"]): int(r["score"]) for r in rows}


def coached_rungs(ledger: Ledger, coach: str) -> dict[tuple[int, str], int]:
    """(trajectory id, date) -> ladder rung, for trajectories `coach` ever coached."""
    rows = ledger.query(
        "SELECT trajectory_id, on_date, rung FROM ladder_steps WHERE trajectory_id IN " + COACHED,
        (coach,),
    )
    return {(int(r["trajectory_id"]), r["on_date"]): int(r["rung"]) for r in rows}


def coached_contacts(ledger: Ledger, coach: str) -> dict[tuple[int, str], dict[str, Any]]:
    """(trajectory id, date) -> the contact moment's kind and coach, for trajectories `coach` ever
    coached. The note stays out: it is personal, and what is read here may go to the history."""
    rows = ledger.query(
        "SELECT trajectory_id, on_date, kind, coach FROM contact_moments WHERE trajectory_id IN " + COACHED,
        (coach,),
    )
    return {(int(r["trajectory_id"]), r["on_date"]): {"kind": r["kind"], "coach": r["coach"]} for r in rows}


# ---------------------------------------------------------------------------- writes (one change)


def write_contact(
    db: sqlite3.Connection, client_id: str, record: dict[str, Any], source: str, stamp: str
) -> None:
    """Record the contact moment of a trajectory on a date; one of the same date gets the new
    kind and coach (a correction) and keeps its note, which the workbook does not carry."""
    db.execute(
        "INSERT INTO contact_moments (trajectory_id, client_id, on_date, kind, coach, source_file, loaded_at)"
        " VALUES (?,?,?,?,?,?,?) ON CONFLICT (trajectory_id, on_date) DO UPDATE SET kind = excluded.kind,"
        " coach = excluded.coach, source_file = excluded.source_file, loaded_at = excluded.loaded_at",
        (
            record["trajectory_id"],
            client_id,
            record["on_date"],
            record["kind"],
            record["coach"],
            source,
            stamp,
        ),
    )


def write_rung(
    db: sqlite3.Connection, client_id: str, record: dict[str, Any], source: str, stamp: str
) -> None:
    """Record the ladder rung of a trajectory on a date; a rung of the same date is replaced."""
    db.execute(
        "INSERT OR REPLACE INTO ladder_steps (trajectory_id, client_id, on_date, rung, source_file,"
        " loaded_at) VALUES (?,?,?,?,?,?)",
        (record["trajectory_id"], client_id, record["on_date"], record["rung"], source, stamp),
    )


def write_score(
    db: sqlite3.Connection, client_id: str, record: dict[str, Any], source: str, stamp: str
) -> None:
    """Record a goal's score at a review; a score of the same goal and date is replaced."""
    db.execute(
        "INSERT OR REPLACE INTO goal_scores (goal_id, client_id, reviewed_on, score, source_file,"
        " loaded_at) VALUES (?,?,?,?,?,?)",
        (record["goal_id"], client_id, record["reviewed_on"], record["score"], source, stamp),
    )


def write_goal(
    db: sqlite3.Connection, client_id: str, record: dict[str, Any], source: str, stamp: str
) -> None:
    """Add a new goal (no `goal_id` in the record), or change a known one's target date and start level."""
    if record.get("goal_id") is None:
        db.execute(
            "INSERT INTO goals (trajectory_id, client_id, domain, description, set_on, target_on,"
            " baseline, source_file, loaded_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                record["trajectory_id"],
                client_id,
                record["domain"],
                record["description"],
                record["set_on"],
                record["target_on"],
                record["baseline"],
                source,
                stamp,
            ),
        )
        return
    db.execute(
        "UPDATE goals SET target_on = ?, baseline = ?, source_file = ?, loaded_at = ? WHERE goal_id = ?",
        (record["target_on"], record["baseline"], source, stamp, record["goal_id"]),
    )


def end_trajectory(
    db: sqlite3.Connection, client_id: str, record: dict[str, Any], source: str, stamp: str
) -> None:
    """End a trajectory with a reason, as a loaded row: the same write as `kansen assign --end`."""
    trajectories.end_trajectory(db, record["trajectory_id"], record["ended_on"], record["end_reason"])
