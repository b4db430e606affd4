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
