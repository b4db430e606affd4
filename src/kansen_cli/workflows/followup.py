"""`kansen followup`: who is due a follow-up call, and the follow-up workbook."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.workflows.sheet import SHEETS_DIR

if TYPE_CHECKING:
    from kansen_cli.settings import Settings


def followup_path(campaign: Path, due: dt.date) -> Path:
    """Default file of the follow-up workbook due on `due`."""
    return Path(campaign) / SHEETS_DIR / f"nabellen-{due.isoformat()}.xlsx"


@dataclass
class FollowupResult:
    """Who is due on `due`, and the workbook written (None when nobody is due)."""

    due: dt.date
    calls: int
    calls_by_round: dict[str, int]
    referrals: int
    file: Path | None

    def as_json(self) -> dict[str, Any]:
        return {
            "due": self.due.isoformat(),
            "calls": self.calls,
            "calls_by_round": self.calls_by_round,
            "referrals": self.referrals,
            "file": None if self.file is None else str(self.file),
        }


def run(
    campaign: Path,
    settings: Settings,
    today: dt.date,
    due: dt.date | None = None,
    out: Path | None = None,
    force: bool = False,
) -> FollowupResult:
    """List who is due on `due` (default today) and write their workbook when anyone is.

    The list holds everyone due up to `due`, not only those who became due since the last
    list: people not yet called stay due, so one list a month covers the whole programme. Lines
    end as `kansen_cli.followup` describes (final answers, rounds, "Niet meer bellen").
    """
    from kansen_cli.files import check_writable, save_workbook
    from kansen_cli.followup import closed_people, due_calls, due_referrals, summary
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.followups import current_followups, followup_people, open_referrals
    from kansen_cli.workbooks import followup

    day = due or today
    target = out or followup_path(campaign, day)
    with open_ledger(campaign, create=False) as ledger:
        made = current_followups(ledger)
        calls = due_calls(followup_people(ledger), made, settings, day)
        referrals = due_referrals(open_referrals(ledger), settings, day, closed_people(made, settings))
    written = None
    if len(calls) or len(referrals):
        check_writable(target, force)
        save_workbook(target, followup.build(calls, referrals, settings, day), force)
        written = target
    numbers = summary(calls, referrals, day)
    return FollowupResult(
        due=day,
        calls=numbers["calls"],
        calls_by_round=numbers["calls_by_round"],
        referrals=numbers["referrals"],
        file=written,
    )
