"""`kansen assign`: people enter a trajectory with one fixed coach, within the caseload caps.

From a referral (everyone referred to a destination, e.g. Coach Meedoen) or from a list of
client ids. Without `--to` the coach is chosen by `kansen_cli.assignment`; with `--to` every
person goes to that coach, and people already in a trajectory are handed over to them (a
reassignment, with dates). All or nothing: if anyone cannot be placed within the caps, the
command is refused with the numbers and nothing is written, unless `force`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import KansenError, NotFoundError
from kansen_cli.i18n import _

if TYPE_CHECKING:
    import sqlite3

    from kansen_cli.assignment import Person
    from kansen_cli.ledger.core import Ledger
    from kansen_cli.ledger.trajectories import KnownPerson, OpenTrajectory
    from kansen_cli.settings import Settings
    from kansen_cli.settings_trajectories import Coach

SHOWN_IDS = 20  # client ids named in one message at most


@dataclass(frozen=True)
class Assignment:
    client_id: str
    coach: str
    action: str  # "start", "reassign" or "end"
    over_cap: bool = False
    previous: str | None = None  # the coach before a reassignment
    trajectory_id: int | None = None  # the trajectory handed over, for a reassignment


@dataclass(frozen=True)
class CoachLoad:
    coach: str
    kind: str
    added: int
    removed: int
    caseload: int
    cap: int

    def as_json(self) -> dict[str, Any]:
        return {
            "coach": self.coach,
            "kind": self.kind,
            "added": self.added,
            "removed": self.removed,
            "caseload": self.caseload,
            "cap": self.cap,
            "over_cap": self.caseload > self.cap,
        }


@dataclass
class AssignResult:
    """What was (or, with dry_run, would be) assigned, and each coach's caseload after."""

    on: dt.date
    source: str
    dry_run: bool
    assignments: list[Assignment] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # in a trajectory already; left as they were
    coaches: list[CoachLoad] = field(default_factory=list)
    end_reason: str | None = None  # with --end: why the trajectories ended

    def count(self, action: str) -> int:
        return sum(1 for a in self.assignments if a.action == action)

    def as_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "source": self.source,
            "dry_run": self.dry_run,
            "started": self.count("start"),
            "reassigned": self.count("reassign"),
            "ended": self.count("end"),
            "end_reason": self.end_reason,
            "over_cap": sum(1 for a in self.assignments if a.over_cap),
            "already_in_trajectory": self.already,
            "assignments": [
                {"client_id": a.client_id, "coach": a.coach, "action": a.action, "over_cap": a.over_cap}
                for a in self.assignments
            ],
            "coaches": [c.as_json() for c in self.coaches],
        }


def named(ids: Sequence[str]) -> str:
    """Client ids for a message (numbers, not names), cut off after SHOWN_IDS."""
    shown = ", ".join(sorted(ids)[:SHOWN_IDS])
    return shown + (f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")


def _coaches(settings: Settings, kind: str | None, to: str | None) -> list[Coach]:
    """The coaches who may take people in this run, in the order of kansen.toml."""
    from kansen_cli.settings_trajectories import COACH_KINDS

    if kind is not None and kind not in COACH_KINDS:
        raise KansenError(
            _("--kind {kind!r} is not known; choose one of: {COACH_KINDS}").format(
                kind=kind, COACH_KINDS=", ".join(COACH_KINDS)
            )
        )
    if to is not None:
        coach = settings.trajectories.coach(to)
        if coach is None:
            codes = ", ".join(c.code for c in settings.trajectories.coaches)
            raise NotFoundError(
                _("--to {to!r}: no such coach in kansen.toml [trajectories]; coaches: {codes}").format(
                    to=to, codes=codes
                )
            )
        if kind not in (None, coach.kind):
            raise KansenError(
                _("--to {code} is a coach of kind {kind}, not {kind2}").format(
                    code=coach.code, kind=coach.kind, kind2=kind
                )
            )
        return [coach]
    coaches = [c for c in settings.trajectories.coaches if kind in (None, c.kind)]
    if not coaches:
        raise NotFoundError(_("no coaches of kind {kind} in kansen.toml [trajectories]").format(kind=kind))
    return coaches


def _check_ambassadors(ledger: Ledger, coaches: Sequence[Coach]) -> None:
    """A coach linked to a client id must be a person in this ledger."""
    from kansen_cli.ledger.trajectories import known_people

    linked = {c.client_id: c.code for c in coaches if c.client_id}
    known = known_people(ledger, linked)
    missing = [code for client_id, code in linked.items() if client_id not in known]
    if missing:
        raise NotFoundError(
            _(
                "coach {codes}: the client_id in kansen.toml [trajectories] is no "
                "person in this campaign's ledger"
            ).format(codes=", ".join(sorted(missing)))
        )


def _in_ledger(ledger: Ledger, client_ids: Sequence[str]) -> dict[str, KnownPerson]:
    """These people as the ledger knows them; an error naming the client ids it does not know."""
    from kansen_cli.ledger.trajectories import known_people

    known = known_people(ledger, client_ids)
    unknown = sorted(set(client_ids) - set(known))
    if unknown:
        raise NotFoundError(
            _("{unknown} client id(s) not in the ledger: {named}").format(
                unknown=len(unknown), named=named(unknown)
            )
        )
    return known


@contextmanager
def _writing(ledger: Ledger, dry_run: bool) -> Iterator[sqlite3.Connection | None]:
    """The transaction a run reads and writes in (two runs at once never both fill the last
    places); a dry run only reads: None."""
    if dry_run:
        yield None
        return
    with ledger.transaction() as db:
        yield db


def _people(ledger: Ledger, client_ids: Sequence[str], from_referral: str | None) -> dict[str, KnownPerson]:
    from kansen_cli.ledger.trajectories import referred_people

    if from_referral is not None:
        return referred_people(ledger, from_referral)
    known = _in_ledger(ledger, client_ids)
    purged = [cid for cid, p in known.items() if p.purged]
    if purged:
        raise KansenError(
            _("{purged} client id(s) are purged, their trajectory cannot start: {named}").format(
                purged=len(purged), named=named(purged)
            )
        )
    return known


def _check_dates(on: dt.date, new: Sequence[KnownPerson], moved: Sequence[OpenTrajectory]) -> None:
    """The history stays in order: no start before an earlier trajectory ended, no handover
    before the current coach took over."""
    day = on.isoformat()
    early = [p.client_id for p in new if p.last_ended and p.last_ended > day]
    early += [t.client_id for t in moved if t.coach_since > day]
    if early:
        raise KansenError(
            _(
                "--on {day} is before an earlier trajectory ended or the current coach "
                "took over, for {early} person(s): {named}"
            ).format(day=day, early=len(early), named=named(early))
        )


def _to_one(
    coach: Coach,
    new: Sequence[KnownPerson],
    moved: Sequence[OpenTrajectory],
    loads: dict[str, int],
    force: bool,
) -> list[Assignment]:
    """Everyone to one coach (`--to`): new people start, people in a trajectory are handed over."""
    from kansen_cli.assignment import CapacityError, refusal

    ids = {p.client_id for p in new} | {t.client_id for t in moved}
    if coach.client_id and coach.client_id in ids:
        raise KansenError(
            _("coach {code} is client {client_id}: nobody is their own coach").format(
                code=coach.code, client_id=coach.client_id
            )
        )
    load = loads.get(coach.code, 0)
    if load + len(ids) > coach.cap and not force:
        raise CapacityError(refusal(len(ids), [coach], loads, []))
    handed = {t.client_id: t for t in moved}
    out = []
    for position, client_id in enumerate(sorted(ids), start=1):
        over = load + position > coach.cap
        t = handed.get(client_id)
        if t is None:
            out.append(Assignment(client_id, coach.code, "start", over))
        else:
            out.append(Assignment(client_id, coach.code, "reassign", over, t.coach, t.trajectory_id))
    return out


def _decide(
    ledger: Ledger,
    on: dt.date,
    people: dict[str, KnownPerson],
    coaches: Sequence[Coach],
    to: Coach | None,
    force: bool,
) -> tuple[list[Assignment], list[str], dict[str, int]]:
    """(assignments, client ids left as they were, caseloads before), read from the ledger."""
    from kansen_cli.assignment import CapacityError, Person, place, refusal
    from kansen_cli.ledger.trajectories import caseloads, open_trajectories

    open_now = open_trajectories(ledger)
    loads = caseloads(ledger)
    new = [p for cid, p in sorted(people.items()) if cid not in open_now]
    existing = [open_now[cid] for cid in sorted(people) if cid in open_now]
    moved = [t for t in existing if to is not None and t.coach != to.code]
    already = [t.client_id for t in existing if t not in moved]
    _check_dates(on, new, moved)
    if to is not None:
        return _to_one(to, new, moved, loads, force), already, loads
    persons: list[Person] = [Person(p.client_id, p.wijk) for p in new]
    plan = place(persons, coaches, loads, force)
    if plan.unplaced:
        raise CapacityError(refusal(len(persons), coaches, loads, plan.unplaced))
    return [Assignment(p.client_id, p.coach, "start", p.over_cap) for p in plan.placements], already, loads


def _summary(
    settings: Settings, coaches: Sequence[Coach], assignments: Sequence[Assignment], loads: dict[str, int]
) -> list[CoachLoad]:
    """Per coach (those of this run, then those who handed people over): added, removed, caseload."""
    added = {c.code: 0 for c in coaches}
    removed: dict[str, int] = {}
    for a in assignments:
        if a.action != "end":
            added[a.coach] = added.get(a.coach, 0) + 1
        if a.previous is not None:
            removed[a.previous] = removed.get(a.previous, 0) + 1
    out = []
    for code in [*added, *(c for c in removed if c not in added)]:
        coach = settings.trajectories.coach(code)
        kind, cap = (coach.kind, coach.cap) if coach is not None else ("", 0)
        got, lost = added.get(code, 0), removed.get(code, 0)
        out.append(CoachLoad(code, kind, got, lost, loads.get(code, 0) + got - lost, cap))
    return out


def _write(db: Any, settings: Settings, on: dt.date, result: AssignResult) -> None:
    from kansen_cli.ledger.core import now
    from kansen_cli.ledger.trajectories import end_trajectory, reassign, start_trajectory

    stamp, day = now(), on.isoformat()
    for a in result.assignments:
        if a.action == "end":
            assert a.trajectory_id is not None and result.end_reason is not None
            end_trajectory(db, a.trajectory_id, day, result.end_reason)
            continue
        coach = settings.trajectories.coach(a.coach)
        assert coach is not None  # chosen from the settings' coaches
        if a.trajectory_id is None:
            start_trajectory(db, a.client_id, coach.code, coach.kind, day, result.source, stamp)
        else:
            reassign(db, a.trajectory_id, a.client_id, coach.code, coach.kind, day, stamp)


def run(
    campaign: Path,
    settings: Settings,
    today: dt.date,
    client_ids: Sequence[str] = (),
    from_referral: str | None = None,
    kind: str | None = None,
    to: str | None = None,
    on: dt.date | None = None,
    force: bool = False,
    dry_run: bool = False,
    end: str | None = None,
) -> AssignResult:
    """Put people in a trajectory (or hand them to the `to` coach; or, with `end`, end their
    trajectory for that reason), all or nothing."""
    from kansen_cli.ledger import open_ledger

    if (from_referral is None) == (not client_ids):
        raise KansenError(_("give either --from-referral DEST or client ids, not both and not neither"))
    if from_referral is not None and from_referral not in settings.codebook.referrals:
        known = ", ".join(settings.codebook.referrals)
        raise KansenError(
            _("--from-referral {from_referral!r} is no referral destination; choose one of: {known}").format(
                from_referral=from_referral, known=known
            )
        )
    on = today if on is None else on
    if on > today:
        raise KansenError(
            _("--on {date} is in the future; use today or an earlier date").format(date=on.isoformat())
        )
    if end is not None:
        if from_referral is not None or kind is not None or to is not None or force:
            raise KansenError(_("--end takes client ids only, not --from-referral, --kind, --to or --force"))
        return _run_end(campaign, settings, on, client_ids, end, dry_run)
    coaches = _coaches(settings, kind, to)
    target = coaches[0] if to is not None else None
    source = "list" if from_referral is None else f"referral:{from_referral}"
    result = AssignResult(on=on, source=source, dry_run=dry_run)
    with open_ledger(campaign, create=False) as ledger, _writing(ledger, dry_run) as db:
        result.assignments, result.already, loads = _decide_all(
            ledger, client_ids, from_referral, on, coaches, target, force
        )
        if db is not None:
            _write(db, settings, on, result)
    result.coaches = _summary(settings, coaches, result.assignments, loads)
    return result


def _decide_all(
    ledger: Ledger,
    client_ids: Sequence[str],
    from_referral: str | None,
    on: dt.date,
    coaches: Sequence[Coach],
    to: Coach | None,
    force: bool,
) -> tuple[list[Assignment], list[str], dict[str, int]]:
    _check_ambassadors(ledger, coaches)
    people = _people(ledger, client_ids, from_referral)
    return _decide(ledger, on, people, coaches, to, force)


def _run_end(
    campaign: Path,
    settings: Settings,
    on: dt.date,
    client_ids: Sequence[str],
    reason: str,
    dry_run: bool,
) -> AssignResult:
    """`--end REASON`: end these people's trajectories on `on`; their coach's assignment closes too."""
    from kansen_cli.ledger import open_ledger

    if reason not in settings.codebook.trajectory_end:
        known = ", ".join(settings.codebook.trajectory_end)
        raise KansenError(
            _("--end {reason!r} is no end reason; choose one of: {known}").format(reason=reason, known=known)
        )
    result = AssignResult(on=on, source="list", dry_run=dry_run, end_reason=reason)
    with open_ledger(campaign, create=False) as ledger, _writing(ledger, dry_run) as db:
        result.assignments, loads = _decide_end(ledger, client_ids, on)
        if db is not None:
            _write(db, settings, on, result)
    result.coaches = _summary(settings, [], result.assignments, loads)
    return result


def _decide_end(
    ledger: Ledger, client_ids: Sequence[str], on: dt.date
) -> tuple[list[Assignment], dict[str, int]]:
    from kansen_cli.ledger.trajectories import caseloads, open_trajectories

    _in_ledger(ledger, client_ids)
    open_now = open_trajectories(ledger)
    outside = sorted(set(client_ids) - set(open_now))
    if outside:
        raise KansenError(
            _("{outside} client id(s) are in no trajectory: {named}").format(
                outside=len(outside), named=named(outside)
            )
        )
    ending = [open_now[cid] for cid in sorted(set(client_ids))]
    _check_dates(on, [], ending)
    assignments = [Assignment(t.client_id, t.coach, "end", False, t.coach, t.trajectory_id) for t in ending]
    return assignments, caseloads(ledger)
