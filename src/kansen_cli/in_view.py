"""Keeping people in view ("in beeld", pure): who has had no contact for too long, whose review
is overdue.

"Dwang werkt niet, vasthoudendheid wel" (Mens in beeld, Amsterdam): a coach does not let go.
A person drops out of view when their last contact (the latest contact moment, else the start
of the trajectory) lies more than `contact_weeks` weeks back: exactly that many weeks is not
yet too long, one day more is. A review is due `review_weeks` weeks after the latest review
(a goal score or a ladder rung after the intake rung), else after the start; it is overdue
from the day after it was due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kept:
    """One open trajectory as the ledger holds it; the name only when a file asks for it."""

    client_id: str
    coach: str
    wijk: str
    started_on: dt.date
    latest_contact: dt.date | None = None
    latest_review: dt.date | None = None
    name: str = ""


@dataclass(frozen=True)
class OutOfView:
    """A person to look after: since when no contact, when the review was due, and why listed."""

    client_id: str
    coach: str
    wijk: str
    last_contact: dt.date
    weeks_since: int
    review_due: dt.date
    no_contact: bool
    review_overdue: bool
    name: str = ""

    def as_json(self) -> dict[str, Any]:
        """For --json: client id and figures; never the name (terminal output)."""
        return {
            "client_id": self.client_id,
            "wijk": self.wijk,
            "last_contact": self.last_contact.isoformat(),
            "weeks_since_contact": self.weeks_since,
            "review_due": self.review_due.isoformat(),
            "no_contact": self.no_contact,
            "review_overdue": self.review_overdue,
        }


def last_contact(started_on: dt.date, latest_contact: dt.date | None) -> dt.date:
    """The latest contact moment, else the start of the trajectory (the first meeting)."""
    return started_on if latest_contact is None else max(started_on, latest_contact)


def review_due(started_on: dt.date, latest_review: dt.date | None, review_weeks: int) -> dt.date:
    """(latest review, else start) + review_weeks weeks."""
    return (started_on if latest_review is None else latest_review) + dt.timedelta(weeks=review_weeks)


def too_long(since: dt.date, today: dt.date, contact_weeks: int) -> bool:
    """More than `contact_weeks` whole weeks without contact: 8 weeks to the day is not yet."""
    return (today - since).days > 7 * contact_weeks


def out_of_view(
    kept: Iterable[Kept], today: dt.date, contact_weeks: int, review_weeks: int
) -> list[OutOfView]:
    """The people without contact for too long or with an overdue review, in the given order."""
    found = []
    for k in kept:
        contact = last_contact(k.started_on, k.latest_contact)
        due = review_due(k.started_on, k.latest_review, review_weeks)
        silent, overdue = too_long(contact, today, contact_weeks), due < today
        if silent or overdue:
            weeks = (today - contact).days // 7
            found.append(
                OutOfView(k.client_id, k.coach, k.wijk, contact, weeks, due, silent, overdue, k.name)
            )
    return found
