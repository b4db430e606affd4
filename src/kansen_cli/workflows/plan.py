"""`kansen plan`: an appointment (date, time, consultant) for everyone in a batch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.ledger.faults import WaitNotice
    from kansen_cli.planning import Busy
    from kansen_cli.settings import Settings


@dataclass(frozen=True)
class PlanResult:
    """The stored plan of a batch: how many appointments, and per consultant the overview."""

    batch: str
    planned: int
    # Per consultant, in route order: consultant, people, first, last (ISO dates), days.
    consultants: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {"batch": self.batch, "planned": self.planned, "consultants": self.consultants}


def run(
    campaign: Path,
    settings: Settings,
    batch: str,
    start: dt.date,
    force: bool = False,
    on_wait: WaitNotice | None = None,
) -> PlanResult:
    """Plan the batch from `start` on and store the plan, replacing an earlier one.

    Consultants' appointments in other batches are kept free. Once the batch's letters went
    out, planning again needs `force` (AlreadyInvitedError otherwise). `on_wait` is called once
    if another command holds the ledger.
    """
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.letters import store_plan
    from kansen_cli.ledger.runs import require_batch
    from kansen_cli.planning import plan, plan_overview

    def make(route: list[str], busy: list[Busy]) -> pd.DataFrame:
        return plan(route, start, settings.planning, busy)

    with open_ledger(campaign, create=False, on_wait=on_wait) as ledger:
        require_batch(ledger, batch)
        appointments = store_plan(ledger, batch, make, force)
    return PlanResult(batch=batch, planned=len(appointments), consultants=plan_overview(appointments))
