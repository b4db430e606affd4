"""Ledger queries for the report's trajectory sections (`report.trajectories`).

The cohort is the trajectories started in the report's period (all of them without one); with
`--batch`, those of the batch's members. Everything recorded about a trajectory in the cohort
counts, whenever it was recorded, as the other sections follow their cohort too. The queries
only read and return no personal column: goal descriptions and contact notes are not needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kansen_cli.ledger.core import Ledger

if TYPE_CHECKING:
    import pandas as pd

# Each trajectory with its coach: the open assignment, or for an ended trajectory the last one.
TRAJECTORIES_SQL = """
    WITH ranked AS (
        SELECT trajectory_id, coach, coach_kind, from_on,
               row_number() OVER (PARTITION BY trajectory_id
                                  ORDER BY until_on IS NULL DESC, from_on DESC, id DESC) AS nr,
               count(*) OVER (PARTITION BY trajectory_id) AS coaches
        FROM coach_assignments
    )
    SELECT t.trajectory_id, t.client_id, t.started_on, t.ended_on, t.end_reason,
           r.coach, r.coach_kind, r.from_on AS coach_from, coalesce(r.coaches, 0) AS coaches
    FROM trajectories t LEFT JOIN ranked r ON r.trajectory_id = t.trajectory_id AND r.nr = 1
"""
# Each goal with its latest score (NULL: not scored yet).
GOALS_SQL = """
    WITH latest AS (
        SELECT goal_id, score,
               row_number() OVER (PARTITION BY goal_id ORDER BY reviewed_on DESC) AS nr
        FROM goal_scores
    )
    SELECT g.goal_id, g.trajectory_id, g.client_id, g.domain, g.weight, l.score
    FROM goals g LEFT JOIN latest l ON l.goal_id = g.goal_id AND l.nr = 1
"""
LADDER_SQL = "SELECT s.trajectory_id, s.client_id, s.on_date, s.rung FROM ladder_steps s"
# The latest date anything about a trajectory was recorded on.
LAST_RECORDED_SQL = """
    SELECT max(day) FROM (
        SELECT max(coalesce(ended_on, started_on)) AS day FROM trajectories
        UNION ALL SELECT max(reviewed_on) FROM goal_scores
        UNION ALL SELECT max(on_date) FROM ladder_steps
        UNION ALL SELECT max(on_date) FROM contact_moments
    )
"""


@dataclass(frozen=True)
class TrajectoryData:
    """The frames of the trajectory sections, for one cohort."""

    # trajectory_id, client_id, started_on, ended_on, end_reason, coach (current, or at the end),
    # coach_kind (as stored with that assignment), coach_from (that assignment's first day),
    # coaches (how many assignments it had)
    trajectories: pd.DataFrame
    goals: pd.DataFrame  # goal_id, trajectory_id, client_id, domain, weight, score (latest; None)
    ladder: pd.DataFrame  # trajectory_id, client_id, on_date, rung: every rung recorded
    today: dt.date | None  # the day the report is made (None: not given)
    last_recorded: dt.date | None  # the latest date recorded in any trajectory table


def _cohort(start: dt.date | None, end: dt.date | None, batch: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause on `trajectories t` selecting the cohort."""
    clauses: list[str] = []
    params: list[Any] = []
    if start is not None:
        clauses.append("t.started_on >= ?")
        params.append(start.isoformat())
    if end is not None:
        clauses.append("t.started_on <= ?")
        params.append(end.isoformat())
    if batch is not None:
        clauses.append("t.client_id IN (SELECT client_id FROM batch_members WHERE batch_id = ?)")
        params.append(batch)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def trajectory_data(
    ledger: Ledger,
    start: dt.date | None = None,
    end: dt.date | None = None,
    batch: str | None = None,
    today: dt.date | None = None,
) -> TrajectoryData | None:
    """The cohort's frames; None when the ledger holds no trajectory at all (no section then)."""
    if not ledger.scalar("SELECT EXISTS (SELECT 1 FROM trajectories)"):
        return None
    where, params = _cohort(start, end, batch)
    trajectories = ledger.frame(TRAJECTORIES_SQL + where + " ORDER BY t.trajectory_id", params)
    in_cohort = f" WHERE trajectory_id IN (SELECT t.trajectory_id FROM trajectories t{where})"
    goals = ledger.frame(
        f"SELECT * FROM ({GOALS_SQL}){in_cohort} ORDER BY goal_id",
        params,
    )
    ladder = ledger.frame(
        f"SELECT * FROM ({LADDER_SQL}){in_cohort} ORDER BY trajectory_id, on_date",
        params,
    )
    last = ledger.scalar(LAST_RECORDED_SQL)
    return TrajectoryData(
        trajectories=trajectories,
        goals=goals,
        ladder=ladder,
        today=today,
        last_recorded=None if last is None else dt.date.fromisoformat(str(last)[:10]),
    )
