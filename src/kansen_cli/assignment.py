"""Choosing a coach for each person entering a trajectory (pure: no ledger, no files).

Persoonlijke begeleiding works because every person has one fixed coach and no coach has
more people than they can keep in view (about 50). So people are placed one by one, in a
fixed order (wijk, client id), each with the least-loaded coach who still has room: coaches
whose wijken include the person's wijk first, then coaches serving every wijk; only when no
coach serves that wijk at all, any coach. Loads are updated as people are placed, so the
result is balanced. "Least loaded" counts people (not the share of the cap); ties go to the
coach listed first in kansen.toml. A coach who is also a client (an ambassador) never
coaches themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kansen_cli.errors import KansenError
from kansen_cli.i18n import _

if TYPE_CHECKING:
    from kansen_cli.settings_trajectories import Coach


class CapacityError(KansenError):
    """Placing these people would take a coach over their caseload cap; nothing was written."""


@dataclass(frozen=True)
class Person:
    """Someone to place: their client id and wijk (no name: the choice needs none)."""

    client_id: str
    wijk: str


@dataclass(frozen=True)
class Placement:
    client_id: str
    coach: str
    over_cap: bool = False


@dataclass
class Plan:
    """Who goes to which coach, who could not be placed within the caps, and the loads after."""

    placements: list[Placement]
    unplaced: list[Person]
    loads: dict[str, int]


def _tiers(person: Person, coaches: Sequence[Coach]) -> list[list[Coach]]:
    """The coaches who may take this person, best first: serving their wijk, serving every
    wijk; or, when no coach serves that wijk at all, every coach."""
    mine = [c for c in coaches if c.client_id != person.client_id]
    wijk = person.wijk.casefold()
    own = [c for c in mine if wijk in {w.casefold() for w in c.wijken}]
    everywhere = [c for c in mine if not c.wijken]
    if own or everywhere:
        return [tier for tier in (own, everywhere) if tier]
    return [mine] if mine else []


def _least_loaded(coaches: Sequence[Coach], loads: Mapping[str, int]) -> Coach:
    # min() keeps the first of equals: ties go to the order the coaches are given in.
    return min(coaches, key=lambda c: loads.get(c.code, 0))


def place(
    people: Iterable[Person],
    coaches: Sequence[Coach],
    loads: Mapping[str, int],
    force: bool = False,
) -> Plan:
    """Place each person with a coach (order of `coaches` = order in settings; `loads` = the
    current caseloads). Without `force`, nobody goes over a cap: who cannot be placed is in
    `unplaced`. With `force` they go to the least-loaded coach of their best tier, over the cap."""
    current = Counter({code: int(n) for code, n in loads.items()})
    placements: list[Placement] = []
    unplaced: list[Person] = []
    for person in sorted(people, key=lambda p: (p.wijk, p.client_id)):
        tiers = _tiers(person, coaches)
        chosen: Coach | None = None
        for tier in tiers:
            with_room = [c for c in tier if current[c.code] < c.cap]
            if with_room:
                chosen = _least_loaded(with_room, current)
                break
        over = False
        if chosen is None and force and tiers:
            chosen, over = _least_loaded(tiers[0], current), True
        if chosen is None:
            unplaced.append(person)
            continue
        current[chosen.code] += 1
        placements.append(Placement(person.client_id, chosen.code, over))
    return Plan(placements, unplaced, dict(current))


def load_line(coaches: Sequence[Coach], loads: Mapping[str, int]) -> str:
    """'cm1 50/50, cm2 48/50': each coach's caseload against their cap."""
    return ", ".join(f"{c.code} {loads.get(c.code, 0)}/{c.cap}" for c in coaches)


def room(coaches: Sequence[Coach], loads: Mapping[str, int]) -> int:
    """Places left under the caps of these coaches."""
    return sum(max(0, c.cap - loads.get(c.code, 0)) for c in coaches)


def refusal(
    to_place: int, coaches: Sequence[Coach], loads: Mapping[str, int], unplaced: Sequence[Person]
) -> str:
    """The message of a refused assignment: the numbers, per coach, before anything was placed."""
    text = _("{count} people to place, room for {room}: {loads}").format(
        count=to_place, room=room(coaches, loads), loads=load_line(coaches, loads)
    )
    if room(coaches, loads) >= to_place:
        # Room elsewhere, but not with the coaches who serve these people's wijken.
        per_wijk = Counter(p.wijk for p in unplaced)
        wijken = ", ".join(f"{w}: {n}" for w, n in sorted(per_wijk.items()))
        text += _("; {count} cannot be placed with a coach serving their wijk ({wijken})").format(
            count=len(unplaced), wijken=wijken
        )
    return text + _(". Nothing was written; raise a cap in kansen.toml or use --force to go over it")
