"""A ledger with people in trajectories, written with SQL: for tests of what reads trajectories
(the caseload workbook, the report, the purge) without going through `kansen assign`.

Synthetic people only; client ids `T0001`, `T0002`, … and no BSN.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kansen_cli.ledger import open_ledger

RUN_SQL = (
    "INSERT INTO selection_runs (run_id, created_at, as_of, years, register_name, register_sha256,"
    " settings_json, rows, funnel_json, selected) VALUES (1, '2026-01-05T09:00:00+01:00', '2026-01-05',"
    " 2, 'register.csv', 'x', '{}', 0, '{}', 0)"
)


def people_ledger(folder: Path, people: dict[str, str]) -> Path:
    """A fresh ledger in `folder` (which must hold kansen.toml) with these people: client id -> wijk."""
    with open_ledger(folder) as ledger, ledger.transaction() as db:
        db.execute(RUN_SQL)
        db.executemany(
            "INSERT INTO people (client_id, initials, surname, neighbourhood, run_id) VALUES (?, ?, ?, ?, 1)",
            [(cid, "T.", f"Testpersoon {cid}", wijk) for cid, wijk in people.items()],
        )
    return folder


def start_trajectory(
    db: sqlite3.Connection,
    client_id: str,
    coach: str,
    started_on: str,
    coach_kind: str = "professional",
    source: str = "list",
) -> int:
    """An open trajectory with its first coach from `started_on`; returns the trajectory id."""
    cursor = db.execute(
        "INSERT INTO trajectories (client_id, started_on, source, created_at) VALUES (?, ?, ?, ?)",
        (client_id, started_on, source, started_on + "T09:00:00+01:00"),
    )
    trajectory_id = int(cursor.lastrowid or 0)
    db.execute(
        "INSERT INTO coach_assignments (trajectory_id, client_id, coach, coach_kind, from_on, assigned_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (trajectory_id, client_id, coach, coach_kind, started_on, started_on + "T09:00:00+01:00"),
    )
    return trajectory_id


def reassign(
    db: sqlite3.Connection, trajectory_id: int, coach: str, on: str, coach_kind: str = "professional"
) -> None:
    """Close the current assignment on `on` and open one for `coach` from that day."""
    client_id = db.execute(
        "SELECT client_id FROM trajectories WHERE trajectory_id = ?", (trajectory_id,)
    ).fetchone()[0]
    db.execute(
        "UPDATE coach_assignments SET until_on = ? WHERE trajectory_id = ? AND until_on IS NULL",
        (on, trajectory_id),
    )
    db.execute(
        "INSERT INTO coach_assignments (trajectory_id, client_id, coach, coach_kind, from_on, assigned_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (trajectory_id, client_id, coach, coach_kind, on, on + "T09:00:00+01:00"),
    )


def end_trajectory(db: sqlite3.Connection, trajectory_id: int, on: str, reason: str) -> None:
    """End the trajectory with a reason (codebook.trajectory_end), closing its current assignment."""
    db.execute(
        "UPDATE trajectories SET ended_on = ?, end_reason = ? WHERE trajectory_id = ?",
        (on, reason, trajectory_id),
    )
    db.execute(
        "UPDATE coach_assignments SET until_on = ? WHERE trajectory_id = ? AND until_on IS NULL",
        (on, trajectory_id),
    )


def _client(db: sqlite3.Connection, trajectory_id: int) -> str:
    return str(
        db.execute("SELECT client_id FROM trajectories WHERE trajectory_id = ?", (trajectory_id,)).fetchone()[
            0
        ]
    )


def add_goal(
    db: sqlite3.Connection,
    trajectory_id: int,
    domain: str,
    description: str,
    set_on: str,
    scores: dict[str, int] | None = None,
    weight: int = 1,
    baseline: int = -1,
) -> int:
    """A goal with its scores (review date -> -2..+2); returns the goal id."""
    client_id = _client(db, trajectory_id)
    cursor = db.execute(
        "INSERT INTO goals (trajectory_id, client_id, domain, description, set_on, baseline, weight,"
        " source_file, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'caseload.xlsx', ?)",
        (trajectory_id, client_id, domain, description, set_on, baseline, weight, set_on + "T12:00:00+01:00"),
    )
    goal_id = int(cursor.lastrowid or 0)
    db.executemany(
        "INSERT INTO goal_scores (goal_id, client_id, reviewed_on, score, source_file, loaded_at)"
        " VALUES (?, ?, ?, ?, 'caseload.xlsx', ?)",
        [(goal_id, client_id, day, score, day + "T12:00:00+01:00") for day, score in (scores or {}).items()],
    )
    return goal_id


def add_rungs(db: sqlite3.Connection, trajectory_id: int, rungs: dict[str, int]) -> None:
    """Participatieladder rungs by date (the first is the intake)."""
    client_id = _client(db, trajectory_id)
    db.executemany(
        "INSERT INTO ladder_steps (trajectory_id, client_id, on_date, rung, source_file, loaded_at)"
        " VALUES (?, ?, ?, ?, 'caseload.xlsx', ?)",
        [(trajectory_id, client_id, day, rung, day + "T12:00:00+01:00") for day, rung in rungs.items()],
    )


def add_contact(
    db: sqlite3.Connection, trajectory_id: int, on: str, kind: str, coach: str, note: str | None = None
) -> None:
    """A contact moment (the note is personal)."""
    db.execute(
        "INSERT INTO contact_moments (trajectory_id, client_id, on_date, kind, coach, note, source_file,"
        " loaded_at) VALUES (?, ?, ?, ?, ?, ?, 'caseload.xlsx', ?)",
        (trajectory_id, _client(db, trajectory_id), on, kind, coach, note, on + "T12:00:00+01:00"),
    )
