"""Ledger queries for `kansen report`: everything the council figures are computed from.

The queries only read. Period filters work on the dates the report defines them on: the contact
attempts' `on_date` for reach, variants and the routes (approached = at least one attempt in the
period, issue 12), the `conversation_date` for outcomes; referrals and follow-ups belong to the
conversation they came from, so they follow the outcomes' filter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _
from kansen_cli.ledger.core import Ledger
from kansen_cli.ledger.surveys import survey_frame
from kansen_cli.ledger.trajectory_report import TrajectoryData, trajectory_data

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ReportData:
    """The raw frames one report is built from."""

    # The people approached: one row per person with at least one contact attempt in the period,
    # with their round-1 batch, its neighbourhood, their variant, the first attempt's day (sent_on)
    # and their latest contact result. Named `letters` from when a letter was the only attempt.
    # and the referrals their outcome records (a referral without a conversation, issue 12).
    letters: pd.DataFrame  # client_id, batch_id, neighbourhood, variant, sent_on, contact_result, referrals
    outcomes: pd.DataFrame  # the outcomes columns plus neighbourhood
    referrals: pd.DataFrame  # client_id, destination, result
    followups: pd.DataFrame  # client_id, round, call_date, result, mark
    register_rows: int | None  # rows of the latest selection run (None: no run, or --batch)
    selected: int  # people selected by the latest run (with --batch: the batch's members)
    batches: pd.DataFrame  # batch_id, neighbourhood: every batch in scope, also those without letters
    # People selected by any run (None with --batch): letters may go to people an earlier run
    # selected, so the latest run alone can be smaller than the number approached.
    selected_ever: int | None = None
    # Every contact attempt in the period, in date order per person (`ledger.attempts`), with the
    # person's round-1 batch (home_batch) and variant: client_id, batch_id, round, channel, on_date,
    # part_of_day, outcome, home_batch, variant.
    attempts: pd.DataFrame | None = None
    # Appointments of the people in scope, by date per person: client_id, batch_id, location (None:
    # at home), room.
    appointments: pd.DataFrame | None = None
    # Survey members with their answers (`ledger.surveys.survey_frame`); None: no survey read.
    survey: pd.DataFrame | None = None
    # The trajectory cohort (`ledger.trajectory_report`); None: the ledger holds no trajectory.
    trajectories: TrajectoryData | None = None


def _period(column: str, start: dt.date | None, end: dt.date | None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if start is not None:
        clauses.append(f"substr({column}, 1, 10) >= ?")
        params.append(start.isoformat())
    if end is not None:
        clauses.append(f"substr({column}, 1, 10) <= ?")
        params.append(end.isoformat())
    return " AND ".join(clauses), params


def _where(*parts: tuple[str, list[Any]]) -> tuple[str, list[Any]]:
    clauses = [c for c, _ in parts if c]
    params = [p for _, ps in parts for p in ps]
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def read_report_data(
    ledger: Ledger,
    start: dt.date | None = None,
    end: dt.date | None = None,
    batch: str | None = None,
    today: dt.date | None = None,
) -> ReportData:
    """Read the frames for the period and (optionally) one batch; `today` is the day the report
    is made (open trajectories are counted up to it, or to the period's end if that is earlier)."""
    batch_clause: tuple[str, list[Any]] = ("", [])
    if batch is not None:
        _refuse_later_round(ledger, batch)
        batch_clause = ("b.batch_id = ?", [batch])
    letters, attempts = _reach_frames(ledger, _where(_period("a.on_date", start, end), batch_clause))
    where, params = _where(_period("o.conversation_date", start, end), batch_clause)
    outcomes = ledger.frame(
        "SELECT o.client_id, o.batch_id, b.neighbourhood, o.contact_result, o.conversation_date,"
        " o.location, o.classification, o.activity_types, o.participation_potential, o.referrals"
        " FROM outcomes o JOIN batches b ON b.batch_id = o.batch_id" + where + " ORDER BY o.client_id",
        params,
    )
    where, params = _where(batch_clause)
    referrals = ledger.frame(
        "SELECT r.client_id, r.destination, r.result FROM referrals r"
        " JOIN batch_members m ON m.client_id = r.client_id JOIN batches b ON b.batch_id = m.batch_id"
        + where
        + " ORDER BY r.client_id, r.destination",
        params,
    )
    followups = ledger.frame(
        "SELECT f.client_id, f.round, f.call_date, f.result, f.mark FROM followups f"
        " JOIN batch_members m ON m.client_id = f.client_id JOIN batches b ON b.batch_id = m.batch_id"
        + where
        + " ORDER BY f.client_id, f.round",
        params,
    )
    appointments = ledger.frame(
        "SELECT p.client_id, p.batch_id, p.location, p.room FROM appointments p"
        " JOIN batch_members m ON m.client_id = p.client_id JOIN batches b ON b.batch_id = m.batch_id"
        + where
        + " ORDER BY p.client_id, p.date, p.start, p.batch_id",  # a person's latest appointment last
        params,
    )
    batches = ledger.frame(
        "SELECT b.batch_id, b.neighbourhood FROM batches b" + where + " ORDER BY b.neighbourhood, b.seq",
        params,
    )
    register_rows, selected, selected_ever = _selected(ledger, batch)
    return ReportData(
        letters=letters,
        outcomes=outcomes,
        referrals=referrals,
        followups=followups,
        register_rows=register_rows,
        selected=selected,
        batches=batches,
        selected_ever=selected_ever,
        attempts=attempts,
        appointments=appointments,
        survey=survey_frame(ledger, batch),
        trajectories=trajectory_data(ledger, start, end, batch, today),
    )


def _refuse_later_round(ledger: Ledger, batch: str) -> None:
    """A later round's batch (`noord-1-r2`) has no report of its own: every figure counts a person
    once, under their round-1 batch, so its people would all be missing from it (a report of zeros
    saying nobody was approached). The round-1 batch's report holds them, round by round."""
    from kansen_cli.errors import NotFoundError

    row = ledger.query("SELECT round, parent_id FROM batches WHERE batch_id = ?", (batch,))
    if row and int(row[0][0] or 1) > 1:
        rnd, parent = int(row[0][0]), row[0][1]
        raise NotFoundError(
            _(
                "batch {batch!r} is round {rnd} of batch {parent!r}; a later round is "
                "reported with its round-1 batch, each person once: run `kansen report "
                "--batch {parent}` (the table 'Respons na elke ronde' shows each round)"
            ).format(batch=batch, rnd=rnd, parent=parent)
        )


def _reach_frames(ledger: Ledger, where_params: tuple[str, list[Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The approached (one row per person, their first attempt in the period) and their attempts."""
    where, params = where_params
    # A person counts once, under their round-1 batch (batch_members), whatever the attempts.
    letters = ledger.frame(
        "SELECT m.client_id, m.batch_id, b.neighbourhood, m.variant, min(substr(a.on_date, 1, 10))"
        " AS sent_on, o.contact_result, o.referrals"
        " FROM contact_attempts a JOIN batch_members m ON m.client_id = a.client_id"
        " JOIN batches b ON b.batch_id = m.batch_id"
        " LEFT JOIN outcomes o ON o.client_id = m.client_id"
        + where
        + " GROUP BY m.client_id ORDER BY m.client_id",
        params,
    )
    attempts = ledger.frame(
        "SELECT a.client_id, a.batch_id, a.round, a.channel, substr(a.on_date, 1, 10) AS on_date,"
        " a.part_of_day, a.outcome, m.batch_id AS home_batch, m.variant"
        " FROM contact_attempts a JOIN batch_members m ON m.client_id = a.client_id"
        " JOIN batches b ON b.batch_id = m.batch_id"
        + where
        + " ORDER BY a.client_id, a.on_date, CASE a.part_of_day WHEN 'ochtend' THEN 1"
        " WHEN 'middag' THEN 2 WHEN 'avond' THEN 3 ELSE 0 END, a.attempt_id",
        params,
    )
    return letters, attempts


def _selected(ledger: Ledger, batch: str | None) -> tuple[int | None, int, int | None]:
    """Register rows and people selected (latest run, or the batch's members), and selected ever."""
    if batch is None:
        # Both from the same (latest) run, so the funnel's first two steps count the same thing.
        latest = ledger.query("SELECT rows, selected FROM selection_runs ORDER BY run_id DESC LIMIT 1")
        register_rows = latest[0][0] if latest else None
        selected = int(latest[0][1]) if latest else 0
        selected_ever = int(ledger.scalar("SELECT count(*) FROM people") or 0)
    else:
        register_rows = None
        selected_ever = None
        selected = int(ledger.scalar("SELECT count(*) FROM batch_members WHERE batch_id = ?", (batch,)) or 0)
    return (None if register_rows is None else int(register_rows)), selected, selected_ever
