"""Ledger queries of `kansen status`: counts per batch, never a row per person.

A campaign may hold a million people in 4,000 batches: every figure here is an aggregate
computed by SQLite (GROUP BY batch), read as one small row per batch. Only the follow-up
candidates come back person by person, already narrowed in SQL to those who can be due, so
that `kansen_cli.followup` decides who is due exactly as `kansen followup` does.
"""

from __future__ import annotations

from typing import Any

from kansen_cli.ledger.core import Ledger
from kansen_cli.ledger.followups import REFERRAL_LISTS


def latest_run(ledger: Ledger) -> dict[str, Any] | None:
    """The latest selection run (run_id, created_at, as_of, rows, selected), or None."""
    rows = ledger.query(
        "SELECT run_id, created_at, as_of, rows, selected FROM selection_runs ORDER BY run_id DESC LIMIT 1"
    )
    return dict(rows[0]) if rows else None


def batches(ledger: Ledger) -> list[dict[str, Any]]:
    """Every batch (batch_id, neighbourhood, run_id, invited_on, round), in wijk and sequence
    order, a later round right after its round-1 batch."""
    return [
        dict(r)
        for r in ledger.query(
            "SELECT batch_id, neighbourhood, run_id, invited_on, round FROM batches"
            " ORDER BY neighbourhood, seq, round"
        )
    ]


def _records(ledger: Ledger, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """The rows as dicts: `kansen status` does without pandas, whose import alone took longer
    than the whole command on a small campaign."""
    cursor = ledger.db.cursor()
    cursor.row_factory = None
    rows = cursor.execute(sql, params).fetchall()
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in rows]


def _per_batch(ledger: Ledger, sql: str, params: tuple[Any, ...] = ()) -> dict[str, tuple[Any, ...]]:
    """batch id -> the rest of the row, of a query whose first column is the batch id."""
    cursor = ledger.db.cursor()
    cursor.row_factory = None
    return {row[0]: tuple(row[1:]) for row in cursor.execute(sql, params)}


def sizes(ledger: Ledger) -> dict[str, tuple[Any, ...]]:
    """batch id -> (members,)."""
    return _per_batch(ledger, "SELECT batch_id, count(*) FROM batch_people GROUP BY batch_id")


def appointments(ledger: Ledger) -> dict[str, tuple[Any, ...]]:
    """batch id -> (people with an appointment, first date, last date)."""
    return _per_batch(
        ledger, "SELECT batch_id, count(*), min(date), max(date) FROM appointments GROUP BY batch_id"
    )


def letters(ledger: Ledger) -> dict[str, tuple[Any, ...]]:
    """batch id -> (people with a letter, the latest letter date)."""
    # A later round records no `letters` rows, only its re-invitation attempts.
    return _per_batch(
        ledger,
        "SELECT batch_id, count(*), max(sent_on) FROM letters GROUP BY batch_id UNION ALL"
        " SELECT batch_id, count(DISTINCT client_id), max(on_date) FROM contact_attempts"
        " WHERE channel = 'reinvitation' GROUP BY batch_id",
    )


def outcomes(ledger: Ledger) -> dict[str, tuple[Any, ...]]:
    """batch id -> (outcomes recorded,). A person's outcome is filed under their round-1 batch; a
    later round's batch counts the re-invitations its sheet gave a result."""
    return _per_batch(
        ledger,
        "SELECT batch_id, count(*) FROM outcomes GROUP BY batch_id UNION ALL"
        " SELECT batch_id, count(DISTINCT client_id) FROM contact_attempts"
        " WHERE channel = 'reinvitation' AND outcome IS NOT NULL GROUP BY batch_id",
    )


def registrations_loaded(ledger: Ledger) -> dict[str, tuple[Any, ...]]:
    """batch id -> (when its latest registration workbook was ingested,)."""
    return _per_batch(
        ledger,
        "SELECT batch_id, max(loaded_at) FROM loaded_files"
        " WHERE kind = 'registration' AND batch_id IS NOT NULL GROUP BY batch_id",
    )


def survey_members(ledger: Ledger) -> dict[str, tuple[Any, ...]]:
    """batch id -> (people sampled by any survey, those with a survey call recorded)."""
    return _per_batch(
        ledger,
        "SELECT m.batch_id, count(*), count(a.client_id) FROM survey_members s"
        " JOIN batch_members m ON m.client_id = s.client_id"
        " LEFT JOIN survey_answers a ON a.survey_id = s.survey_id AND a.client_id = s.client_id"
        " GROUP BY m.batch_id",
    )


def surveys(ledger: Ledger) -> list[dict[str, Any]]:
    """Every survey (survey_id, drawn_on, sampled, answered)."""
    return [
        dict(r)
        for r in ledger.query(
            "SELECT s.survey_id, s.drawn_on,"
            " (SELECT count(*) FROM survey_members m WHERE m.survey_id = s.survey_id) AS sampled,"
            " (SELECT count(*) FROM survey_answers a WHERE a.survey_id = s.survey_id) AS answered"
            " FROM surveys s ORDER BY s.survey_id"
        )
    ]


# The people `kansen followup` can list: spoken to, acting on their own, personal data kept.
# Narrowed, so that a million people's campaign hands Python thousands of rows, not hundreds of
# thousands, to what can still be due: a conversation on or before `until` (the follow-up
# months before today) and no call that ended the line (any result but "no contact" does, see
# `followup.next_round`). `followup.due_calls` then decides on what is left.
_SELF_STARTERS_FROM = " FROM outcomes o JOIN people p ON p.client_id = o.client_id"
_SELF_STARTERS_WHERE = (
    " WHERE p.purged_at IS NULL AND o.contact_result = ? AND o.participation_potential = ?"
    " AND o.conversation_date <= ?"
    " AND NOT EXISTS (SELECT 1 FROM followups e WHERE e.client_id = o.client_id AND e.result != ?)"
)


def self_starters(ledger: Ledger, roles: tuple[str, str, str], until: str) -> list[dict[str, Any]]:
    """The columns `followup.due_calls` reads, plus batch_id, of everyone who may be due a call.

    `roles`: the codes of spoken, acting on their own, and not reached (the codebook's roles).
    """
    spoken, on_their_own, no_contact = roles
    return _records(
        ledger,
        "SELECT o.client_id, o.batch_id, o.contact_result, o.conversation_date, o.participation_potential,"
        " o.referrals" + _SELF_STARTERS_FROM + _SELF_STARTERS_WHERE,
        (spoken, on_their_own, until, no_contact),
    )


def self_starters_calls(
    ledger: Ledger, roles: tuple[str, str, str], until: str
) -> dict[str, dict[int, dict[str, Any]]]:
    """The calls made to those people: client id -> round -> {round, result}."""
    spoken, on_their_own, no_contact = roles
    out: dict[str, dict[int, dict[str, Any]]] = {}
    cursor = ledger.db.cursor()
    cursor.row_factory = None
    for client_id, round_, result in cursor.execute(
        "SELECT f.client_id, f.round, f.result"
        + _SELF_STARTERS_FROM
        + " JOIN followups f ON f.client_id = o.client_id"
        + _SELF_STARTERS_WHERE,
        (spoken, on_their_own, until, no_contact),
    ):
        out.setdefault(client_id, {})[int(round_)] = {"round": int(round_), "result": result}
    return out


def closed_people(ledger: Ledger, closed: str) -> set[str]:
    """People whose follow-up calls were closed ("Niet meer bellen"): their referrals leave the list."""
    return {
        r[0] for r in ledger.query("SELECT DISTINCT client_id FROM followups WHERE result = ?", (closed,))
    }


def waiting_referrals(ledger: Ledger, pending: list[str]) -> list[dict[str, Any]]:
    """Referrals without a final answer (no result, or one of `pending`), with their batch."""
    marks = ",".join("?" * len(pending)) or "NULL"
    return _records(
        ledger,
        "SELECT r.client_id, r.destination, r.referred_on, r.result, m.batch_id, "
        + REFERRAL_LISTS
        + " AS lists FROM referrals r"
        " JOIN batch_members m ON m.client_id = r.client_id JOIN people p ON p.client_id = r.client_id"
        f" WHERE p.purged_at IS NULL AND (r.result IS NULL OR r.result IN ({marks}))",
        tuple(pending),
    )
