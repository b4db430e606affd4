"""`kansen purge`: erase the personal data of people past retention, keep their figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kansen_cli.ledger.faults import WaitNotice
    from kansen_cli.settings import Settings


@dataclass
class PurgeResult:
    """Who was (or, on a dry run, would be) purged: last event before `cutoff`."""

    cutoff: dt.date
    people_purged: int
    ids_pseudonymised: int
    dry_run: bool

    def as_json(self) -> dict[str, object]:
        return {
            "cutoff": self.cutoff.isoformat(),
            "people_purged": self.people_purged,
            "ids_pseudonymised": self.ids_pseudonymised,
            "dry_run": self.dry_run,
        }


def run(
    campaign: Path,
    settings: Settings,
    older_than: int,
    today: dt.date,
    as_of: dt.date | None = None,
    dry_run: bool = False,
    on_wait: WaitNotice | None = None,
) -> PurgeResult:
    """Purge everyone whose last event lies more than `older_than` months before `as_of`
    (default `today`); with `dry_run`, only count them. The pseudonym secret comes from the
    environment or the key file the settings name, never from the campaign folder. `on_wait` is
    called once if another command holds the ledger."""
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.purge import purge
    from kansen_cli.privacy import load_key, months_before, pseudonym

    key = load_key(settings.privacy, campaign)
    cutoff = months_before(as_of or today, older_than)
    with open_ledger(campaign, create=False, on_wait=on_wait) as ledger:
        counts = purge(ledger, cutoff, lambda client_id: pseudonym(client_id, key), dry_run=dry_run)
    return PurgeResult(cutoff, counts.people_purged, counts.ids_pseudonymised, dry_run)
