"""Later rounds of a batch: the people the codebook says to invite again, in a batch of their own.

A round-N batch of `selwerd-1` is `selwerd-1-rN` (round N, `parent_id` the round-1 batch, the same
neighbourhood). Its people are the members of the round N-1 batch whose result *in that round*
is in `codebook.roles.invite_again`: the outcome of their letter (or re-invitation) attempt of the
round N-1 batch, which that batch's registration sheet sets. Not `outcomes`, the person's latest
result: someone whose round-2 row is still blank carries their round-1 code there, and would go
into round 3 without round 2 having said so. They are kept in `round_members` in their round-1
route order. Round 1 is never changed: its members, letters, appointments and attempts stay.

A round batch whose letters have gone out (`invited_on` set) is never grown: the people added
would have no appointment and no letter. Someone whose result came in after that is refused
with the batch named (`RoundClosedError`); the other batches' rounds are made by naming them.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass

from kansen_cli.batch_names import find_batch, unknown_batch_message
from kansen_cli.errors import LedgerError, NotFoundError
from kansen_cli.i18n import _, day, ngettext
from kansen_cli.ledger.core import Ledger, now


@dataclass(frozen=True)
class RoundBatch:
    """One follow-on batch made or grown by `record_round`: `added` people joined it just now."""

    batch_id: str
    parent_id: str
    neighbourhood: str
    round: int
    size: int
    added: int


class RoundClosedError(LedgerError):
    """People to invite again whose round batch has already gone out (see the module's note)."""


# The attempts whose outcome is a round's own contact result (as `ledger.outcomes.round_results`).
_LETTER_CHANNELS = ("letter", "reinvitation")
# That outcome of the person's latest such attempt of batch `p.batch_id`; for someone this
# batch only phoned (a no on the phone: no letter went), the contact result the call settled
# (`ledger.calls.settle_contact_result`, codebook.roles.phone_contact_result).
_ROUND_RESULT = (
    "coalesce((SELECT a.outcome FROM contact_attempts a WHERE a.client_id = p.client_id"
    " AND a.batch_id = p.batch_id AND a.channel IN (?, ?) ORDER BY a.on_date DESC, a.attempt_id DESC"
    " LIMIT 1),"
    " (SELECT o.contact_result FROM outcomes o WHERE o.client_id = p.client_id"
    " AND EXISTS (SELECT 1 FROM contact_attempts c WHERE c.client_id = p.client_id"
    " AND c.batch_id = p.batch_id AND c.channel = 'phone')"
    " AND NOT EXISTS (SELECT 1 FROM contact_attempts l WHERE l.client_id = p.client_id"
    " AND l.batch_id = p.batch_id AND l.channel IN ('letter', 'reinvitation'))))"
)


def round_batch_id(parent_id: str, round_no: int) -> str:
    """`selwerd-1` -> `selwerd-1-r2`: the batch of round `round_no` of a round-1 batch."""
    return f"{parent_id}-r{round_no}"


def previous_round_batches(ledger: Ledger, round_no: int, named: Collection[str] = ()) -> list[str]:
    """The batches of round `round_no` - 1 (those `named`, or all), in neighbourhood order.

    A named batch that does not exist, or is of another round, is refused with the ones that are.
    """
    rows = ledger.query(
        "SELECT batch_id FROM batches WHERE round = ? ORDER BY neighbourhood, seq, batch_id",
        (round_no - 1,),
    )
    found = [str(r[0]) for r in rows]
    wanted = []
    for name in named:
        match = find_batch(name, found)
        if match is None:
            what = _("batch of round {round}").format(round=round_no - 1)
            raise NotFoundError(unknown_batch_message(name, found, what))
        wanted.append(match)
    return [b for b in found if b in set(wanted)] if named else found


def record_round(
    ledger: Ledger, round_no: int, invite_again: Collection[str], named: Collection[str] = ()
) -> list[RoundBatch]:
    """Make (or grow) the round-`round_no` batches in one transaction; returns those that changed.

    Who is to be invited again is read inside the transaction, under the write lock. Someone in
    a batch of this round already is never added again, so running it twice adds nothing.
    """
    codes = sorted(set(invite_again))
    marks = ",".join("?" * len(codes))
    made: list[RoundBatch] = []
    with ledger.transaction() as db:
        for previous in previous_round_batches(ledger, round_no, named):
            # The round-1 batch the chain started from: a round-3 batch is named after it too.
            sql = "SELECT coalesce(parent_id, batch_id) FROM batches WHERE batch_id = ?"
            root = str(db.execute(sql, (previous,)).fetchone()[0])
            # Their round-1 position: the route order the later round keeps.
            wanted = [
                str(r[0])
                for r in db.execute(
                    "SELECT p.client_id FROM batch_people p"
                    " JOIN batch_members m ON m.client_id = p.client_id"
                    f" WHERE p.batch_id = ? AND {_ROUND_RESULT} IN ({marks})"
                    " AND p.client_id NOT IN (SELECT r.client_id FROM round_members r"
                    " JOIN batches b USING (batch_id) WHERE b.round = ?)"
                    " ORDER BY m.position",
                    (previous, *_LETTER_CHANNELS, *codes, round_no),
                )
            ]
            if not wanted:
                continue
            batch_id = round_batch_id(root, round_no)
            sent = db.execute("SELECT invited_on FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
            if sent is not None and sent[0]:
                raise RoundClosedError(
                    ngettext(
                        "{count} person of batch {previous} to be invited again, but the "
                        "letters of {batch} went out on {date}: kansen does not add people to "
                        "a round that has gone out (they would get no appointment or letter). "
                        "Their result stays in {previous}. Nothing was made; to make round "
                        "{round} for other batches, name them: `kansen batch --round "
                        "{round} BATCH ...`",
                        "{count} people of batch {previous} to be invited again, but the "
                        "letters of {batch} went out on {date}: kansen does not add people to "
                        "a round that has gone out (they would get no appointment or letter). "
                        "Their result stays in {previous}. Nothing was made; to make round "
                        "{round} for other batches, name them: `kansen batch --round "
                        "{round} BATCH ...`",
                        len(wanted),
                    ).format(
                        count=len(wanted),
                        previous=previous,
                        batch=batch_id,
                        date=day(dt.date.fromisoformat(str(sent[0])[:10])),
                        round=round_no,
                    )
                )
            parent = db.execute(
                "SELECT neighbourhood, seq, run_id, seed FROM batches WHERE batch_id = ?", (root,)
            ).fetchone()
            db.execute(
                "INSERT OR IGNORE INTO batches (batch_id, neighbourhood, seq, run_id, seed, created_at,"
                " round, parent_id) VALUES (?,?,?,?,?,?,?,?)",
                (batch_id, parent[0], parent[1], parent[2], parent[3], now(), round_no, root),
            )
            db.executemany(
                "INSERT INTO round_members (batch_id, client_id, position) VALUES (?,?,0)",
                [(batch_id, client_id) for client_id in wanted],
            )
            size = _renumber(db, batch_id)
            made.append(RoundBatch(batch_id, root, str(parent[0]), round_no, size, len(wanted)))
    return made


def _renumber(db: sqlite3.Connection, batch_id: str) -> int:
    """Positions 1..n in round-1 route order (people added later fall into their place)."""
    ordered = [
        str(r[0])
        for r in db.execute(
            "SELECT r.client_id FROM round_members r JOIN batch_members m USING (client_id)"
            " WHERE r.batch_id = ? ORDER BY m.position, r.client_id",
            (batch_id,),
        )
    ]
    db.executemany(
        "UPDATE round_members SET position = ? WHERE batch_id = ? AND client_id = ?",
        [(i, batch_id, client_id) for i, client_id in enumerate(ordered, start=1)],
    )
    return len(ordered)


def still_to_invite_again(ledger: Ledger, invite_again: Collection[str], max_round: int) -> dict[str, int]:
    """Per batch of a round below `max_round`: its people whose result in that round says invite again and who
    are in no batch of the next round yet (the next step is `kansen batch --round N+1`).

    The same choice as `record_round` makes, so a count here is who that command would take
    (a round-2 batch's people count towards round 3 as round 1's do towards round 2)."""
    codes = sorted(set(invite_again))
    if not codes:
        return {}
    rows = ledger.query(
        "SELECT p.batch_id, count(*) FROM batch_people p JOIN batches this USING (batch_id)"
        f" WHERE {_ROUND_RESULT} IN ({','.join('?' * len(codes))})"
        " AND p.client_id NOT IN (SELECT r.client_id FROM round_members r"
        " JOIN batches b USING (batch_id) WHERE b.round = this.round + 1)"
        " AND this.round < ? GROUP BY p.batch_id",
        (*_LETTER_CHANNELS, *codes, max_round),
    )
    return {str(r[0]): int(r[1]) for r in rows}
