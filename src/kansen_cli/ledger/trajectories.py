"""Ledger queries of trajectories: who is in one, with which coach, and the dated writes.

A person is in a trajectory while their `trajectories` row has no `ended_on`; their current
coach is its `coach_assignments` row without `until_on`. Reassigning closes that row on the
day of change and opens a new one from the same day, so the history keeps its dates. The
writers run inside the caller's transaction (`Ledger.transaction()`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from kansen_cli.ledger.core import Ledger


@dataclass(frozen=True)
class OpenTrajectory:
    trajectory_id: int
    client_id: str
    started_on: str
    coach: str
    coach_since: str


@dataclass(frozen=True)
class KnownPerson:
    client_id: str
    wijk: str
    purged: bool
    last_ended: str | None  # when their latest earlier trajectory ended, if any


def last_contact_sql(t: str) -> str:
    """SQL: the latest contact moment of the trajectory `t` (a table alias); NULL before the first."""
    return f"(SELECT max(m.on_date) FROM contact_moments m WHERE m.trajectory_id = {t}.trajectory_id)"


def last_review_sql(t: str) -> str:
    """SQL: the latest review of the trajectory `t`, a date with a goal score or a ladder rung
    after the first (the intake); NULL before the first review."""
    rung = (
        f"(SELECT max(s.on_date) FROM ladder_steps s WHERE s.trajectory_id = {t}.trajectory_id"
        f" AND s.on_date > (SELECT min(i.on_date) FROM ladder_steps i"
        f" WHERE i.trajectory_id = {t}.trajectory_id))"
    )
    score = (
        "(SELECT max(g.reviewed_on) FROM goal_scores g JOIN goals o ON o.goal_id = g.goal_id"
        f" WHERE o.trajectory_id = {t}.trajectory_id)"
    )
    # SQLite's max() of a NULL is NULL: compare with '' for "none", and turn '' back into NULL.
    return f"nullif(max(coalesce({rung}, ''), coalesce({score}, '')), '')"


def caseloads(ledger: Ledger) -> dict[str, int]:
    """Coach code -> the number of open trajectories whose current coach that coach is."""
    rows = ledger.query(
        "SELECT a.coach, count(*) AS n FROM coach_assignments a"
        " JOIN trajectories t ON t.trajectory_id = a.trajectory_id"
        " WHERE a.until_on IS NULL AND t.ended_on IS NULL GROUP BY a.coach"
    )
    return {r["coach"]: int(r["n"]) for r in rows}


def started_any(ledger: Ledger) -> bool:
    """Whether anyone was ever put in a trajectory in this ledger."""
    return ledger.scalar("SELECT EXISTS (SELECT 1 FROM trajectories)") == 1


def open_trajectories(ledger: Ledger) -> dict[str, OpenTrajectory]:
    """Client id -> their open trajectory with its current coach."""
    rows = ledger.query(
        "SELECT t.trajectory_id, t.client_id, t.started_on, a.coach, a.from_on FROM trajectories t"
        " JOIN coach_assignments a ON a.trajectory_id = t.trajectory_id AND a.until_on IS NULL"
        " WHERE t.ended_on IS NULL"
    )
    return {
        r["client_id"]: OpenTrajectory(
            int(r["trajectory_id"]), r["client_id"], r["started_on"], r["coach"], r["from_on"]
        )
        for r in rows
    }


_PERSON_SQL = (
    "SELECT p.client_id, p.neighbourhood, p.purged_at IS NOT NULL AS purged,"
    " (SELECT max(t.ended_on) FROM trajectories t WHERE t.client_id = p.client_id) AS last_ended"
    " FROM people p"
)


def _known(row: sqlite3.Row) -> KnownPerson:
    return KnownPerson(row["client_id"], row["neighbourhood"], bool(row["purged"]), row["last_ended"])


def known_people(ledger: Ledger, client_ids: Iterable[str]) -> dict[str, KnownPerson]:
    """The people of the ledger among these client ids (purged ones included, marked)."""
    wanted = sorted(set(client_ids))
    found: dict[str, KnownPerson] = {}
    for start in range(0, len(wanted), 500):  # SQLite's limit on parameters
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in ledger.query(f"{_PERSON_SQL} WHERE p.client_id IN ({marks})", chunk):
            found[row["client_id"]] = _known(row)
    return found


def referred_people(ledger: Ledger, destination: str) -> dict[str, KnownPerson]:
    """Everyone referred to `destination` who is not purged, not in an open trajectory, and
    whose referral has not led to a trajectory before (one that has ended is not restarted
    by running `assign --from-referral` again; `assign ID` can start a new one)."""
    rows = ledger.query(
        f"{_PERSON_SQL} JOIN referrals r ON r.client_id = p.client_id AND r.destination = ?"
        " WHERE p.purged_at IS NULL"
        " AND p.client_id NOT IN (SELECT client_id FROM trajectories WHERE ended_on IS NULL OR source = ?)"
        " ORDER BY p.client_id",
        (destination, f"referral:{destination}"),
    )
    return {row["client_id"]: _known(row) for row in rows}


def start_trajectory(
    db: sqlite3.Connection,
    client_id: str,
    coach: str,
    coach_kind: str,
    started_on: str,
    source: str,
    stamp: str,
) -> int:
    """Open a trajectory with its first coach from `started_on`; returns the trajectory id."""
    cursor = db.execute(
        "INSERT INTO trajectories (client_id, started_on, source, created_at) VALUES (?, ?, ?, ?)",
        (client_id, started_on, source, stamp),
    )
    trajectory_id = int(cursor.lastrowid or 0)
    _open_assignment(db, trajectory_id, client_id, coach, coach_kind, started_on, stamp)
    return trajectory_id


def _open_assignment(
    db: sqlite3.Connection, trajectory_id: int, client_id: str, coach: str, kind: str, on: str, stamp: str
) -> None:
    db.execute(
        "INSERT INTO coach_assignments (trajectory_id, client_id, coach, coach_kind, from_on, assigned_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (trajectory_id, client_id, coach, kind, on, stamp),
    )


def _close_assignment(db: sqlite3.Connection, trajectory_id: int, on: str) -> None:
    db.execute(
        "UPDATE coach_assignments SET until_on = ? WHERE trajectory_id = ? AND until_on IS NULL",
        (on, trajectory_id),
    )


def reassign(
    db: sqlite3.Connection,
    trajectory_id: int,
    client_id: str,
    coach: str,
    coach_kind: str,
    on: str,
    stamp: str,
) -> None:
    """Hand a trajectory to another coach from `on`: the current assignment ends that day."""
    _close_assignment(db, trajectory_id, on)
    _open_assignment(db, trajectory_id, client_id, coach, coach_kind, on, stamp)


def end_trajectory(db: sqlite3.Connection, trajectory_id: int, ended_on: str, reason: str) -> None:
    """End a trajectory with a reason (a code of codebook.trajectory_end); the current coach's
    assignment closes the same day."""
    db.execute(
        "UPDATE trajectories SET ended_on = ?, end_reason = ? WHERE trajectory_id = ? AND ended_on IS NULL",
        (ended_on, reason, trajectory_id),
    )
    _close_assignment(db, trajectory_id, ended_on)


def in_view_rows(ledger: Ledger, coach: str | None = None, with_names: bool = False) -> list[sqlite3.Row]:
    """Every open trajectory with what `kansen inview` weighs: client id, coach, wijk, start,
    latest contact and latest review (NULL before the first) and, when asked, the name (None
    once purged)."""
    names = ", p.initials, p.prefix, p.surname" if with_names else ""
    where, params = ("", ()) if coach is None else (" AND a.coach = ?", (coach,))
    return ledger.query(
        "SELECT t.trajectory_id, t.client_id, t.started_on, a.coach, p.neighbourhood AS wijk, "
        + last_contact_sql("t")
        + " AS last_contact, "
        + last_review_sql("t")
        + " AS last_review"
        + names
        + " FROM trajectories t"
        " JOIN coach_assignments a ON a.trajectory_id = t.trajectory_id AND a.until_on IS NULL"
        " JOIN people p ON p.client_id = t.client_id"
        " WHERE t.ended_on IS NULL" + where + " ORDER BY a.coach, p.neighbourhood, t.client_id",
        params,
    )
