"""`kansen inview` ("in beeld"): per coach, the people without contact for too long and the
reviews overdue (`kansen_cli.in_view`), on screen and, when asked, as a workbook.

The screen and --json show client ids only; the workbook may carry names (it is a personal
file: written through `kansen_cli.files`, mode 0600, no formulas).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import KansenError, NotFoundError
from kansen_cli.i18n import _

if TYPE_CHECKING:
    import sqlite3

    from kansen_cli.in_view import Kept, OutOfView
    from kansen_cli.ledger import Ledger
    from kansen_cli.settings import Settings


@dataclass
class CoachView:
    """One coach: their caseload against the cap, and who of it is out of view."""

    coach: str
    name: str
    kind: str
    caseload: int
    cap: int
    people: list[OutOfView] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "coach": self.coach,
            "kind": self.kind,
            "caseload": self.caseload,
            "cap": self.cap,
            "no_contact": sum(1 for p in self.people if p.no_contact),
            "review_overdue": sum(1 for p in self.people if p.review_overdue),
            "people": [p.as_json() for p in self.people],
        }


@dataclass
class InViewResult:
    today: dt.date
    contact_weeks: int
    review_weeks: int
    coaches: list[CoachView]
    file: Path | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "contact_weeks": self.contact_weeks,
            "review_weeks": self.review_weeks,
            "coaches": [c.as_json() for c in self.coaches],
            "file": None if self.file is None else str(self.file),
        }


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _kept(row: sqlite3.Row, with_names: bool) -> Kept:
    from kansen_cli.in_view import Kept
    from kansen_cli.workbooks.layout import person_name

    return Kept(
        client_id=row["client_id"],
        coach=row["coach"],
        wijk=row["wijk"],
        started_on=dt.date.fromisoformat(row["started_on"]),
        latest_contact=_date(row["last_contact"]),
        latest_review=_date(row["last_review"]),
        name=person_name(dict(row)) if with_names else "",
    )


def kept_in_view(
    ledger: Ledger, settings: Settings, today: dt.date, coach: str | None = None, with_names: bool = False
) -> tuple[list[Kept], list[OutOfView]]:
    """Every open trajectory (of `coach`, or all), and who of them is out of view on `today`."""
    from kansen_cli.in_view import out_of_view
    from kansen_cli.ledger.trajectories import in_view_rows

    rules = settings.trajectories
    kept = [_kept(row, with_names) for row in in_view_rows(ledger, coach, with_names=with_names)]
    return kept, out_of_view(kept, today, rules.contact_weeks, rules.review_weeks)


def _views(
    settings: Settings, coach: str | None, kept: list[Kept], found: list[OutOfView]
) -> list[CoachView]:
    """One view per coach of kansen.toml (or the one asked for), then any coach no longer in
    kansen.toml who still has people in a trajectory."""
    codes = [c.code for c in settings.trajectories.coaches] if coach is None else [coach]
    codes += sorted({k.coach for k in kept} - set(codes))
    views = []
    for code in codes:
        known = settings.trajectories.coach(code)
        name, kind, cap = (known.name, known.kind, known.cap) if known is not None else (code, "", 0)
        caseload = sum(1 for k in kept if k.coach == code)
        views.append(CoachView(code, name, kind, caseload, cap, [p for p in found if p.coach == code]))
    return views


def run(
    campaign: Path,
    settings: Settings,
    today: dt.date,
    coach: str | None = None,
    out: Path | None = None,
    force: bool = False,
) -> InViewResult:
    """Who is out of view per coach; with `out`, the same as a workbook."""
    from kansen_cli.files import check_writable
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.trajectories import caseloads

    if out is not None:
        if Path(out).suffix.lower() != ".xlsx":
            raise KansenError(_("--out {out}: inview writes a workbook; name it .xlsx").format(out=out))
        check_writable(out, force)
    rules = settings.trajectories
    with open_ledger(campaign, create=False) as ledger:
        if coach is not None:
            known = rules.coach(coach)
            if known is None and coach not in caseloads(ledger):
                codes = ", ".join(c.code for c in rules.coaches)
                raise NotFoundError(
                    _(
                        "--coach {coach!r}: no such coach in kansen.toml [trajectories]; coaches: {codes}"
                    ).format(coach=coach, codes=codes)
                )
            coach = coach if known is None else known.code
        kept, found = kept_in_view(ledger, settings, today, coach, with_names=out is not None)
    result = InViewResult(
        today, rules.contact_weeks, rules.review_weeks, _views(settings, coach, kept, found)
    )
    if out is not None:
        from kansen_cli.files import save_workbook
        from kansen_cli.workbooks.inview import build

        result.file = save_workbook(out, build(result), force)
    return result
