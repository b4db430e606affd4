"""`kansen select`: the selection funnel over a register export, recorded in the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli import i18n
from kansen_cli.errors import KansenError
from kansen_cli.i18n import _
from kansen_cli.workflows.check import ReadOptions, read_export

if TYPE_CHECKING:
    from kansen_cli.files import HeldBack
    from kansen_cli.ledger import Ledger
    from kansen_cli.ledger.faults import WaitNotice
    from kansen_cli.progress import OnProgress
    from kansen_cli.register import Register
    from kansen_cli.selection import Selection
    from kansen_cli.settings import Settings


class FutureDateError(KansenError):
    """A selection asked for a reference date after today without --allow-future."""


# How often a selection is made again when other commands change who was approached meanwhile.
SELECT_ATTEMPTS = 3


@dataclass(frozen=True)
class SelectResult:
    selection: Selection
    run_id: int
    register_file: str  # the export's file name, as recorded
    problems: int  # row problems found while reading
    ledger: Path
    out: Path | None

    def as_json(self) -> dict[str, Any]:
        """SPEC §9: {"rows", "funnel", "selected"}."""
        return self.selection.as_json()


def run(
    campaign: Path,
    settings: Settings,
    register: Path,
    today: dt.date,
    as_of: dt.date | None = None,
    years: int | None = None,
    out: Path | None = None,
    options: ReadOptions = ReadOptions(),
    force: bool = False,
    on_wait: WaitNotice | None = None,
    allow_future: bool = False,
    on_progress: OnProgress | None = None,
) -> SelectResult:
    """Put every register row in its bucket on `as_of` (default `today`) and record the run;
    `out` gets the selected people. `on_wait` is called once if another command holds the ledger.

    Refused in a folder without kansen.toml, and for an `as_of` after `today` unless
    `allow_future` (a typo such as 2030 for 2026 would otherwise be recorded as the peildatum).
    """
    from kansen_cli.files import check_writable, held_back
    from kansen_cli.ledger import ledger_path, open_ledger
    from kansen_cli.ledger.core import require_campaign

    # Before the register is read or any file written: the ledger lives in a campaign only.
    require_campaign(campaign)
    as_of = today if as_of is None else as_of
    if as_of > today and not allow_future:
        raise FutureDateError(
            _(
                "the reference date {as_of} is after today, {today}; "
                "nothing was recorded. Use --allow-future to select on a future date "
                "anyway"
            ).format(as_of=i18n.day(as_of), today=i18n.day(today))
        )
    window = settings.selection.years if years is None else years
    if out is not None:
        check_writable(out, force)
    reg = read_export(register, settings, options, on_progress)
    with open_ledger(campaign, on_wait=on_wait) as ledger, held_back() as files:
        selection, run_id = _select_and_record(ledger, reg, settings, as_of, window, out, force, files)
    return SelectResult(
        selection=selection,
        run_id=run_id,
        register_file=reg.source.file,
        problems=len(reg.report),
        ledger=ledger_path(campaign).resolve(),
        out=out,
    )


def _select_and_record(
    ledger: Ledger,
    reg: Register,
    settings: Settings,
    as_of: dt.date,
    window: int,
    out: Path | None,
    force: bool,
    files: HeldBack,
) -> tuple[Selection, int]:
    """Select with who was approached, write `out`, and record it all, without holding the ledger
    while the file is written (minutes for a large register in XLSX).

    Optimistic: the selection and its file are made from a first look at who was approached;
    the transaction reads that again under the write lock and records only if it is unchanged
    (otherwise, e.g. a `kansen batch` committed meanwhile, the selection is made again). The
    file waits under a temporary name and is moved in just before COMMIT, and taken away if the
    run is not recorded after all: a file and its recorded run exist together or not at all.
    """
    from kansen_cli.errors import LedgerBusyError
    from kansen_cli.files import write_table
    from kansen_cli.ledger.runs import ApproachedChanged, approached_ids, record_selection
    from kansen_cli.selection import select

    approached = approached_ids(ledger)
    for _attempt in range(SELECT_ATTEMPTS):
        selection = select(reg.people, as_of, window, approached, settings.selection.exclusions)
        files.discard()
        if out is not None:
            chosen = (selection.buckets == "selected").to_numpy()
            write_table(out, reg.people.loc[chosen].drop(columns=["invalid", "bsn"]), force)
        try:
            run_id = record_selection(
                ledger, reg, selection, settings, approached=approached, before_commit=files.publish
            )
        except ApproachedChanged as changed:
            approached = changed.current
            continue
        return selection, run_id
    raise LedgerBusyError(
        _(
            "other kansen commands kept batching or purging people in this campaign "
            "while it selected; nothing was recorded. Run it again once they are done"
        )
    )
