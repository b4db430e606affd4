"""`kansen plan`: an appointment (date, time, consultant) for everyone in a batch.

Each person meets where `--place` says (the whole batch), else where their letter variant
does (`Settings.place_of`): at home on the consultants' route, or in a room at a location.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import KansenError
from kansen_cli.i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.ledger.faults import WaitNotice
    from kansen_cli.planning import Busy, Moved
    from kansen_cli.settings import Settings


@dataclass(frozen=True)
class PlanResult:
    """The stored plan of a batch: how many appointments, and per consultant the overview."""

    batch: str
    planned: int
    # Per consultant, in route order: consultant, people, first, last (ISO dates), days.
    consultants: list[dict[str, Any]]
    start: dt.date | None = None  # the asked start
    # Set when other batches' appointments pushed the first appointment behind `start`.
    moved: Moved | None = None
    # How many people meet at home, and how many at each location (by code).
    at_home: int = 0
    at_locations: dict[str, int] = field(default_factory=dict)
    # Per location, by first day: location (code), name, people, first, last (ISO dates), days.
    locations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def moved_by_days(self) -> int:
        """Open (working) days the first appointment lies behind the asked start; 0 if not moved."""
        return 0 if self.moved is None else self.moved.days

    def as_json(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "planned": self.planned,
            "consultants": self.consultants,
            "start": None if self.start is None else self.start.isoformat(),
            "first_appointment": min((c["first"] for c in self.consultants), default=None),
            "moved_by_days": self.moved_by_days,
            "busy_with": [] if self.moved is None else self.moved.batches,
            "at_home": self.at_home,
            "at_locations": self.at_locations,
            "locations": self.locations,
        }


def run(
    campaign: Path,
    settings: Settings,
    batch: str,
    start: dt.date,
    force: bool = False,
    on_wait: WaitNotice | None = None,
    place: str | None = None,
) -> PlanResult:
    """Plan the batch from `start` on and store the plan, replacing an earlier one.

    `place` (home or location) puts the whole batch there; None: each person's variant says.

    Consultants' appointments in other batches are kept free; when they push the first
    appointment behind `start`, the result says by how many working days (`moved`). Once the
    batch's letters went out, planning again needs `force` (AlreadyInvitedError otherwise).
    `on_wait` is called once if another command holds the ledger.
    """
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.letters import batch_neighbourhood, batch_variants, store_plan
    from kansen_cli.ledger.runs import require_batch
    from kansen_cli.planning import moved_start, plan_overview
    from kansen_cli.planning_locations import location_overview, places_overview, plan_places
    from kansen_cli.settings_routes import PLACES

    if place is not None and place not in PLACES:
        raise KansenError(
            _("place {place!r} is not known; use one of: {PLACES}").format(
                place=place, PLACES=", ".join(PLACES)
            )
        )
    elsewhere: list[Busy] = []

    with open_ledger(campaign, create=False, on_wait=on_wait) as ledger:
        batch = require_batch(ledger, batch)

        def make(route: list[str], busy: list[Busy]) -> pd.DataFrame:
            elsewhere[:] = busy  # kept to say which batches moved the start, if any did
            # Read inside store_plan's transaction, like the route itself.
            variants = batch_variants(ledger, batch)
            places = {c: place or settings.place_of(variants.get(c, "")) for c in route}
            wijk = batch_neighbourhood(ledger, batch)
            return plan_places(route, places, wijk, start, settings.planning, busy)

        appointments = store_plan(ledger, batch, make, force)
    counts = places_overview(appointments)
    return PlanResult(
        batch=batch,
        planned=len(appointments),
        consultants=plan_overview(appointments),
        start=start,
        moved=moved_start(appointments, start, settings.planning, elsewhere),
        at_home=counts.pop("home", 0),
        at_locations=counts,
        locations=location_overview(appointments, settings.planning),
    )
