"""`kansen sheet`: the registration workbook of one batch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kansen_cli.ledger.faults import WaitNotice
    from kansen_cli.settings import Settings

SHEETS_DIR = "sheets"


def registration_path(campaign: Path, batch_id: str) -> Path:
    """Default file of a batch's registration workbook: named by batch, never by a person."""
    return Path(campaign) / SHEETS_DIR / f"{batch_id}-registratie.xlsx"


@dataclass
class SheetResult:
    """The workbook written and how many of its people can be registered yet."""

    batch_id: str
    file: Path
    people: int
    with_appointment: int
    approached: int

    @property
    def without_letter(self) -> int:
        """Members whose answers load only after `kansen letters` for the batch."""
        return self.people - self.approached

    def as_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "file": str(self.file),
            "people": self.people,
            "with_appointment": self.with_appointment,
            "approached": self.approached,
        }


def run(
    campaign: Path,
    settings: Settings,
    batch_id: str,
    out: Path | None = None,
    force: bool = False,
    on_wait: WaitNotice | None = None,
) -> SheetResult:
    """Write the registration workbook of `batch_id` to `out` (default: the campaign's sheets folder).
    `on_wait` is called once if it has to wait for another command to finish with the ledger."""
    from kansen_cli.files import check_writable, save_workbook
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.outcomes import approached_on, sheet_people
    from kansen_cli.ledger.runs import require_batch
    from kansen_cli.workbooks import registration

    if out is not None:
        check_writable(out, force)
    with open_ledger(campaign, create=False, on_wait=on_wait) as ledger:
        batch_id = require_batch(ledger, batch_id)
        target = out or registration_path(campaign, batch_id)
        check_writable(target, force)
        people = sheet_people(ledger, batch_id)
        letter_dates = approached_on(ledger, batch_id)
    approached = len(letter_dates)
    first_letter = min(letter_dates.values(), default=None)
    save_workbook(target, registration.build(people, settings, batch_id, letter_date=first_letter), force)
    return SheetResult(
        batch_id=batch_id,
        file=target,
        people=len(people),
        with_appointment=int(people["appointment_date"].notna().sum()),
        approached=approached,
    )
