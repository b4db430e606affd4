"""Ledger queries of the survey: who may be sampled, the samples drawn, and the answers.

`kansen survey` records a sample (`record_sample`); the survey workbook kind
(`workbooks.survey`) checks the answers against `survey_members` and `current_answers`, and
`write_answer` records one person's answers inside the ingest's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from kansen_cli.ledger.core import Ledger

if TYPE_CHECKING:
    import pandas as pd


def survey_population(ledger: Ledger) -> pd.DataFrame:
    """Everyone with a contact result who was never sampled before and is not purged.

    Columns: client_id, contact_result, neighbourhood, variant. Which results make a
    participant or a non-participant is the codebook's business (`kansen_cli.survey`).
    """
    return ledger.frame(
        "SELECT o.client_id, o.contact_result, b.neighbourhood, m.variant"
        " FROM outcomes o JOIN batch_members m USING (client_id) JOIN batches b ON b.batch_id = m.batch_id"
        " JOIN people p ON p.client_id = o.client_id"
        " WHERE p.purged_at IS NULL"
        " AND o.client_id NOT IN (SELECT client_id FROM survey_members)"
        " ORDER BY o.client_id"
    )


def record_sample(
    db: sqlite3.Connection,
    created_at: str,
    drawn_on: str,
    seed: int,
    size: int,
    strata: str,
    questions: dict[str, str],
    members: list[tuple[str, str, str]],
) -> int:
    """Record a drawn sample, members as (client_id, group, stratum); returns the survey id."""
    cursor = db.execute(
        "INSERT INTO surveys (created_at, drawn_on, seed, size, strata, questions_json) VALUES (?,?,?,?,?,?)",
        (created_at, drawn_on, seed, size, strata, json.dumps(questions, ensure_ascii=False)),
    )
    survey_id = int(cursor.lastrowid or 0)
    db.executemany(
        "INSERT INTO survey_members (survey_id, client_id, grp, stratum) VALUES (?,?,?,?)",
        [(survey_id, client_id, group, stratum) for client_id, group, stratum in members],
    )
    return survey_id


def survey_info(ledger: Ledger, survey_id: int) -> dict[str, Any] | None:
    """The survey's record (drawn_on, questions), or None when there is no such survey."""
    rows = ledger.query("SELECT drawn_on, questions_json FROM surveys WHERE survey_id = ?", (survey_id,))
    if not rows:
        return None
    return {"drawn_on": rows[0]["drawn_on"], "questions": json.loads(rows[0]["questions_json"])}


def sample_people(ledger: Ledger, survey_id: int) -> pd.DataFrame:
    """The members of one survey with what the caller needs (name, phone), personal data kept."""
    return ledger.frame(
        "SELECT s.client_id, s.grp, s.stratum, p.initials, p.prefix, p.surname, p.phone"
        " FROM survey_members s JOIN people p USING (client_id)"
        " WHERE s.survey_id = ? AND p.purged_at IS NULL ORDER BY s.grp DESC, s.stratum, s.client_id",
        (survey_id,),
    )


def members(ledger: Ledger, survey_id: int) -> dict[str, str]:
    """client id -> group, of one survey's members."""
    return {
        r["client_id"]: r["grp"]
        for r in ledger.query("SELECT client_id, grp FROM survey_members WHERE survey_id = ?", (survey_id,))
    }


def current_answers(ledger: Ledger, survey_id: int) -> dict[str, dict[str, Any]]:
    """client id -> the answers recorded for one survey."""
    return {
        r["client_id"]: answer_record(r)
        for r in ledger.query(
            "SELECT client_id, call_date, result, mark, answers_json, reason FROM survey_answers"
            " WHERE survey_id = ?",
            (survey_id,),
        )
    }


def answer_record(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "call_date": row["call_date"],
        "result": row["result"],
        "mark": row["mark"],
        "answers": json.loads(row["answers_json"]),
        "reason": row["reason"],
    }


def write_answer(
    db: sqlite3.Connection,
    survey_id: int,
    client_id: str,
    record: dict[str, Any],
    source_file: str,
    stamp: str,
) -> None:
    """Record one person's survey answers; an earlier record of the same survey is replaced."""
    db.execute(
        "INSERT OR REPLACE INTO survey_answers (survey_id, client_id, call_date, result, mark,"
        " answers_json, reason, source_file, loaded_at) VALUES (?,?,?,?,?,?,?,?,?)",
        (
            survey_id,
            client_id,
            record["call_date"],
            record["result"],
            record["mark"],
            json.dumps(record["answers"], sort_keys=True),
            record["reason"],
            source_file,
            stamp,
        ),
    )


def survey_frame(ledger: Ledger, batch: str | None = None) -> pd.DataFrame:
    """Every survey member with their answers (None where not called yet), for the report."""
    where, params = ("", []) if batch is None else (" WHERE m.batch_id = ?", [batch])
    return ledger.frame(
        "SELECT s.survey_id, s.client_id, s.grp, s.stratum, a.call_date, a.result, a.mark,"
        " a.answers_json, a.reason"
        " FROM survey_members s JOIN batch_members m USING (client_id)"
        " LEFT JOIN survey_answers a ON a.survey_id = s.survey_id AND a.client_id = s.client_id"
        + where
        + " ORDER BY s.survey_id, s.client_id",
        params,
    )
