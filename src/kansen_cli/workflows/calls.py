"""`kansen calls`: the call workbook of a batch's phone-first people who are due a call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import KansenError
from kansen_cli.i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.calling import Call, CallStatus
    from kansen_cli.ledger.core import Ledger
    from kansen_cli.settings import Settings

CALLS_DIR = "calls"


class NoPhoneFirstError(KansenError):
    """The batch has nobody whose letter variant is approached by phone first."""


def calls_path(campaign: Path, batch_id: str, on: dt.date) -> Path:
    """The call workbook's file: named by batch and date, never by a person."""
    return Path(campaign) / CALLS_DIR / f"{batch_id}-bellen-{on.isoformat()}.xlsx"


@dataclass(frozen=True)
class CallsResult:
    """How many phone-first people are due a call, finished or without a number; the file written."""

    batch: str
    due: int
    waiting: int
    finished: int
    no_phone: int
    file: Path | None

    def as_json(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "due": self.due,
            "waiting": self.waiting,
            "finished": self.finished,
            "no_phone": self.no_phone,
            "file": None if self.file is None else str(self.file),
        }


def phone_first_people(people: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The rows of `people` whose letter variant is approached by phone first."""
    mask = [settings.approach_of(str(v)) == "phone_first" for v in people["variant"]]
    return people[mask]


def calls_by_person(frame: pd.DataFrame) -> dict[str, list[Call]]:
    """Client id -> phone calls, from `ledger.calls.phone_calls`."""
    from kansen_cli.calling import Call, in_order
    from kansen_cli.workbooks.layout import present

    out: dict[str, list[Call]] = {}
    for r in frame.to_dict("records"):
        callback = r.get("callback_on")
        out.setdefault(str(r["client_id"]), []).append(
            Call(
                dt.date.fromisoformat(str(r["on_date"])),
                str(r["part_of_day"]) if present(r["part_of_day"]) else "",
                str(r["outcome"]) if present(r["outcome"]) else "",
                # pandas reads a missing day as NaN, which is truthy
                dt.date.fromisoformat(str(callback)[:10]) if present(callback) else None,
            )
        )
    return {client_id: in_order(calls) for client_id, calls in out.items()}


def statuses(
    people: pd.DataFrame, calls: dict[str, list[Call]], settings: Settings, today: dt.date
) -> dict[str, CallStatus]:
    """Client id -> where calling stands on `today`, for each of `people`."""
    from kansen_cli.calling import call_status
    from kansen_cli.workbooks.layout import present

    return {
        str(p["client_id"]): call_status(
            calls.get(str(p["client_id"]), []),
            present(p.get("phone")) and bool(str(p.get("phone")).strip()),
            settings.calls,
            settings.codebook.roles,
            today,
        )
        for p in people.to_dict("records")
    }


def read_calls(ledger: Ledger, batch: str, settings: Settings) -> tuple[pd.DataFrame, dict[str, list[Call]]]:
    """The batch's phone-first people and their calls so far; refused when there are none."""
    from kansen_cli.ledger.calls import phone_calls
    from kansen_cli.ledger.letters import letter_people
    from kansen_cli.ledger.runs import require_batch

    batch = require_batch(ledger, batch)
    people = phone_first_people(letter_people(ledger, batch), settings)
    if people.empty:
        raise NoPhoneFirstError(
            _(
                "batch {batch!r} has nobody to phone first: no letter variant of its "
                "people is 'phone_first' ([letters] approach in kansen.toml); send the "
                "letters with `kansen letters`"
            ).format(batch=batch)
        )
    return people, calls_by_person(phone_calls(ledger, batch))


def run(campaign: Path, settings: Settings, batch: str, today: dt.date, force: bool = False) -> CallsResult:
    """Write the call workbook of `batch` for `today` (its phone-first people due a call)."""
    from kansen_cli.calling import DUE, FINISHED, NO_PHONE, WAITING
    from kansen_cli.files import check_writable, save_workbook
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.runs import require_batch
    from kansen_cli.workbooks import calls as workbook

    with open_ledger(campaign, create=False) as ledger:
        batch = require_batch(ledger, batch)
        people, calls = read_calls(ledger, batch, settings)
    status = statuses(people, calls, settings, today)
    states = [s.state for s in status.values()]
    due = people[[status[str(c)].state == DUE for c in people["client_id"]]]
    target: Path | None = None
    if not due.empty:
        target = calls_path(campaign, batch, today)
        check_writable(target, force)
        book = workbook.build(due, calls, status, settings, batch, today)
        save_workbook(target, book, force)
    return CallsResult(
        batch=batch,
        due=states.count(DUE),
        waiting=states.count(WAITING),
        finished=states.count(FINISHED),
        no_phone=states.count(NO_PHONE),
        file=target,
    )
