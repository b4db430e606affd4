"""`kansen select`: the selection funnel over a register export, recorded in the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.workflows.check import ReadOptions, read_export

if TYPE_CHECKING:
    from kansen_cli.selection import Selection
    from kansen_cli.settings import Settings


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
) -> SelectResult:
    """Put every register row in its bucket on `as_of` (default `today`) and record the run;
    `out` gets the selected people."""
    from kansen_cli.files import check_writable, write_table
    from kansen_cli.ledger import ledger_path, open_ledger
    from kansen_cli.ledger.runs import approached_ids, record_selection
    from kansen_cli.selection import select

    as_of = today if as_of is None else as_of
    window = settings.selection.years if years is None else years
    if out is not None:
        check_writable(out, force)
    reg = read_export(register, settings, options)
    with open_ledger(campaign) as ledger:
        selection = select(reg.people, as_of, window, approached_ids(ledger), settings.selection.exclusions)

        def write_out() -> None:
            # Inside the ledger transaction: the file and the recorded run exist together or not at all.
            if out is not None:
                chosen = (selection.buckets == "selected").to_numpy()
                write_table(out, reg.people.loc[chosen].drop(columns=["invalid", "bsn"]), force)

        run_id = record_selection(ledger, reg, selection, settings, before_commit=write_out)
    return SelectResult(
        selection=selection,
        run_id=run_id,
        register_file=reg.source.file,
        problems=len(reg.report),
        ledger=ledger_path(campaign).resolve(),
        out=out,
    )
