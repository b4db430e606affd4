"""Ledger queries for appointments and letters: the plan of a batch, and who was invited when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from kansen_cli.errors import KansenError
from kansen_cli.i18n import _
from kansen_cli.ledger.core import Ledger, now

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.planning import Busy


class AlreadyInvitedError(KansenError):
    """The batch's letters went out already; changing its plan or letters needs --force."""


def letters_sent_on(ledger: Ledger, batch_id: str) -> str | None:
    """The date the batch's letters were recorded as sent, or None."""
    value = ledger.scalar("SELECT invited_on FROM batches WHERE batch_id = ?", (batch_id,))
    if value is None:
        value = ledger.scalar("SELECT max(sent_on) FROM letters WHERE batch_id = ?", (batch_id,))
    return None if value is None else str(value)


def route(ledger: Ledger, batch_id: str) -> list[str]:
    """Client ids of the batch (any round) in route order (postcode, house number)."""
    return [
        str(r[0])
        for r in ledger.query(
            "SELECT client_id FROM batch_people WHERE batch_id = ? ORDER BY position", (batch_id,)
        )
    ]


def batch_variants(ledger: Ledger, batch_id: str) -> dict[str, str]:
    """Client id -> letter variant (of their first round) for the people of a batch."""
    rows = ledger.query("SELECT client_id, variant FROM batch_people WHERE batch_id = ?", (batch_id,))
    return {str(r[0]): str(r[1]) for r in rows}


def batch_neighbourhood(ledger: Ledger, batch_id: str) -> str:
    return str(ledger.scalar("SELECT neighbourhood FROM batches WHERE batch_id = ?", (batch_id,)) or "")


def without_letter(ledger: Ledger, batch_id: str) -> set[str]:
    """The round-1 batch's people who were sent no letter (e.g. they said no on the phone)."""
    rows = ledger.query(
        "SELECT client_id FROM batch_members WHERE batch_id = ?"
        " AND client_id NOT IN (SELECT client_id FROM letters)",
        (batch_id,),
    )
    return {str(r[0]) for r in rows}


def batch_round(ledger: Ledger, batch_id: str) -> int:
    """The round a batch belongs to: 1, or 2 and up for a follow-on batch (selwerd-1-r2)."""
    return int(ledger.scalar("SELECT round FROM batches WHERE batch_id = ?", (batch_id,)) or 1)


def busy_elsewhere(ledger: Ledger, batch_id: str) -> list[Busy]:
    """Appointments consultants already have in other batches, so a new plan avoids them;
    with their location and room, so a location's rooms are not given out twice either."""
    from kansen_cli.planning import Busy

    return [
        Busy(
            str(r["consultant"]),
            dt.date.fromisoformat(r["date"]),
            dt.time.fromisoformat(r["start"]),
            dt.time.fromisoformat(r["end"]),
            str(r["batch_id"]),
            str(r["location"] or ""),
            int(r["room"] or 0),
        )
        for r in ledger.query(
            "SELECT consultant, date, start, end, batch_id, location, room FROM appointments"
            " WHERE batch_id != ?",
            (batch_id,),
        )
    ]


# Makes a batch's appointments from its route and the consultants' appointments elsewhere.
MakePlan = Callable[[list[str], list["Busy"]], "pd.DataFrame"]


def store_plan(ledger: Ledger, batch_id: str, make: MakePlan, force: bool = False) -> pd.DataFrame:
    """Make the batch's plan and replace the stored one (one transaction); returns it.

    Refused once its letters went out, unless forced. Whether they went out, the route and
    the other batches' appointments are read inside the transaction, under the write lock,
    so a command committing meanwhile cannot make the plan contradict the ledger.
    """
    with ledger.transaction() as db:
        sent = letters_sent_on(ledger, batch_id)
        if sent is not None and not force:
            raise AlreadyInvitedError(
                _(
                    "the letters of batch {batch_id!r} went out on {sent}; a new plan would "
                    "not match them. Use --force to plan again anyway (and send new letters)"
                ).format(batch_id=batch_id, sent=sent)
            )
        appointments = make(route(ledger, batch_id), busy_elsewhere(ledger, batch_id))
        stamp = now()
        # A plan at a location says which location and room; a home visit has neither.
        located = "location" in appointments.columns
        rows = [
            (
                str(r.client_id),
                batch_id,
                r.date.isoformat(),
                r.start.strftime("%H:%M"),
                r.end.strftime("%H:%M"),
                str(r.consultant),
                stamp,
                _or_none(r.location) if located else None,
                _or_none(r.room) if located else None,
            )
            for r in appointments.itertuples(index=False)
        ]
        db.execute("DELETE FROM appointments WHERE batch_id = ?", (batch_id,))
        db.executemany(
            "INSERT INTO appointments (client_id, batch_id, date, start, end, consultant, planned_at,"
            " location, room) VALUES (?,?,?,?,?,?,?,?,?)",
            rows,
        )
    return appointments


def _or_none(value: object) -> object:
    """NULL for pandas' missing values (a home visit's location and room)."""
    import pandas as pd

    return None if value is None or pd.isna(value) else value


def letter_people(ledger: Ledger, batch_id: str) -> pd.DataFrame:
    """The batch's people (any round) with their variant and appointment (empty when not
    planned); `location` is the appointment's location code, empty for a home visit."""
    return ledger.frame(
        "SELECT m.batch_id, b.neighbourhood, m.position, m.variant, m.round, p.client_id, p.initials,"
        " p.prefix, p.surname, p.street, p.house_number, p.house_number_addition, p.postcode, p.city,"
        " p.phone, p.email, p.language, a.date AS appointment_date, a.start AS appointment_start,"
        " a.end AS appointment_end, a.consultant, a.location, a.room"
        " FROM batch_people m JOIN batches b USING (batch_id) JOIN people p USING (client_id)"
        " LEFT JOIN appointments a ON a.client_id = m.client_id AND a.batch_id = m.batch_id"
        " WHERE m.batch_id = ? ORDER BY m.position",
        (batch_id,),
    )


def record_letters(
    ledger: Ledger,
    batch_id: str,
    sent: list[tuple[str, str]],
    sent_on: dt.date,
    force: bool = False,
    before_commit: Callable[[], None] | None = None,
) -> None:
    """Record (one transaction) that each (client_id, variant) got a letter on `sent_on`.

    Each letter is a contact attempt too: channel `letter` in round 1, `reinvitation` in a later
    round (whose people keep their round-1 row in `letters`). Whether the batch went out
    already is read inside the transaction, under the write lock. `before_commit` runs last
    inside it, e.g. moving the new letter files into place: when it fails, nothing is recorded.
    """
    from kansen_cli.ledger.attempts import Attempt, write_attempts

    stamp = now()
    with ledger.transaction() as db:
        previous = letters_sent_on(ledger, batch_id)
        if previous is not None and not force:
            raise AlreadyInvitedError(
                _(
                    "the letters of batch {batch_id!r} were recorded as sent on {previous}; "
                    "use --force to record them again"
                ).format(batch_id=batch_id, previous=previous)
            )
        round_no = batch_round(ledger, batch_id)
        if round_no == 1:
            db.executemany(
                "INSERT OR REPLACE INTO letters (client_id, batch_id, variant, sent_on, recorded_at)"
                " VALUES (?,?,?,?,?)",
                [(client_id, batch_id, variant, sent_on.isoformat(), stamp) for client_id, variant in sent],
            )
        channel = "letter" if round_no == 1 else "reinvitation"
        write_attempts(
            db,
            [Attempt(client_id, batch_id, round_no, channel, sent_on) for client_id, _ in sent],
            "letters",
            stamp,
        )
        db.execute("UPDATE batches SET invited_on = ? WHERE batch_id = ?", (sent_on.isoformat(), batch_id))
        if before_commit is not None:
            before_commit()
