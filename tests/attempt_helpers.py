"""Hand-built ledgers: the contact attempt that goes with a letter inserted straight into `letters`.

Since issue 12 "approached" is a person with at least one contact attempt, and every letter the
tool records writes one (channel 'letter', round 1, source 'letters'); a test that inserts a
letter row by hand must insert its attempt too, or the person was never approached.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

LETTER_ATTEMPT_SQL = (
    "INSERT INTO contact_attempts (client_id, batch_id, round, channel, on_date, source_file, loaded_at)"
    " VALUES (?, ?, 1, 'letter', substr(?, 1, 10), 'letters', ?)"
)


def insert_letter_attempts(db: sqlite3.Connection, letters: Iterable[tuple[str, str, str, str]]) -> None:
    """One 'letter' attempt per (client_id, batch_id, sent_on, recorded_at), as `record_letters` writes."""
    db.executemany(LETTER_ATTEMPT_SQL, list(letters))
