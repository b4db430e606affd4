"""Later rounds of a batch: the people the codebook says to invite again, in a batch of their own.

A round-N batch of `selwerd-1` is `selwerd-1-rN` (round N, `parent_id` the round-1 batch, the same
neighbourhood). Its people are the members of the round N-1 batch whose current contact result
(`outcomes`) is in `codebook.roles.invite_again`, in `round_members` in their round-1 route order.
Round 1 is never changed: its members, letters, appointments and attempts stay as they were.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass

from kansen_cli.errors import NotFoundError
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
    unknown = [b for b in named if b not in found]
    if unknown:
        hint = ", ".join(found[:12]) + (" …" if len(found) > 12 else "") if found else "none"
        raise NotFoundError(
            f"no batch of round {round_no - 1} named {', '.join(repr(b) for b in unknown)};"
            f" batches of round {round_no - 1}: {hint}"
        )
    return [b for b in found if b in set(named)] if named else found


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
                    "SELECT p.client_id FROM batch_people p JOIN outcomes o USING (client_id)"
                    " JOIN batch_members m ON m.client_id = p.client_id"
                    f" WHERE p.batch_id = ? AND o.contact_result IN ({marks})"
                    " AND p.client_id NOT IN (SELECT r.client_id FROM round_members r"
                    " JOIN batches b USING (batch_id) WHERE b.round = ?)"
                    " ORDER BY m.position",
                    (previous, *codes, round_no),
                )
            ]
            if not wanted:
                continue
            batch_id = round_batch_id(root, round_no)
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


def still_to_invite_again(ledger: Ledger, invite_again: Collection[str]) -> dict[str, int]:
    """Per round-1 batch: its people whose result says invite again and who are in no later
    round yet (the next step is `kansen batch --round 2`)."""
    codes = sorted(set(invite_again))
    if not codes:
        return {}
    rows = ledger.query(
        "SELECT m.batch_id, count(*) FROM batch_members m JOIN outcomes o USING (client_id)"
        f" WHERE o.contact_result IN ({','.join('?' * len(codes))})"
        " AND m.client_id NOT IN (SELECT client_id FROM round_members)"
        " GROUP BY m.batch_id",
        tuple(codes),
    )
    return {str(r[0]): int(r[1]) for r in rows}
