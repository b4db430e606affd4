"""`kansen batch`: the selected, not yet batched people into neighbourhood batches with variants."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.settings import Settings


@dataclass(frozen=True)
class BatchResult:
    batched: int
    overview: list[dict[str, Any]]  # per batch: batch, neighbourhood, size and a count per variant
    variants: list[str]
    files: Path | None  # the folder with one CSV per new batch, when asked for

    def as_json(self) -> dict[str, Any]:
        return {"batched": self.batched, "batches": self.overview}


def run(
    campaign: Path,
    settings: Settings,
    size: int | None = None,
    seed: int | None = None,
    files: Path | None = None,
    force: bool = False,
) -> BatchResult:
    """Make and record the batches (one transaction); `files` gets one CSV per new batch."""
    from kansen_cli.batching import batch_overview, make_batches
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.runs import batch_members, batch_numbers_taken, record_batches, unbatched_selected

    size = size or settings.batch.size
    seed = settings.batch.seed if seed is None else seed
    variants = list(settings.letters.variants)
    _require_templates(variants, campaign)
    with open_ledger(campaign, create=False) as ledger:
        assigned = make_batches(unbatched_selected(ledger), size, seed, variants, batch_numbers_taken(ledger))
        if files is not None:
            _check_batch_files(files, assigned, force)
        if len(assigned):

            def write_files() -> None:
                # Inside the ledger transaction: if a file cannot be written, the batches are not
                # recorded either, and the command can simply be run again.
                if files is not None:
                    _write_batch_files(files, batch_members(ledger), set(assigned["batch_id"]), force)

            record_batches(ledger, assigned, seed, before_commit=write_files)
    return BatchResult(len(assigned), batch_overview(assigned, variants), variants, files)


def _require_templates(variants: list[str], campaign: Path) -> None:
    """A variant without a letter is refused before anyone is assigned it."""
    from kansen_cli.errors import SettingsError
    from kansen_cli.letter_templates import missing_templates

    missing = missing_templates(variants, campaign)
    if missing:
        raise SettingsError(
            f"letters.variants: no letter template for {', '.join(missing)}; add "
            f"templates/letters/<variant>.html.j2 to the campaign folder or remove the variant"
        )


def _check_batch_files(folder: Path, assigned: pd.DataFrame, force: bool) -> None:
    from kansen_cli.files import check_writable

    for batch_id in sorted(set(assigned["batch_id"])):
        check_writable(folder / f"{batch_id}.csv", force)


def _write_batch_files(folder: Path, members: pd.DataFrame, batch_ids: set[str], force: bool) -> None:
    from kansen_cli.files import write_csv

    written: list[Path] = []
    try:
        for batch_id, group in members[members["batch_id"].isin(batch_ids)].groupby("batch_id"):
            path = folder / f"{batch_id}.csv"
            existed = path.exists()
            write_csv(path, group.drop(columns=["run_id", "purged_at", "bsn"], errors="ignore"), force)
            if not existed:
                written.append(path)
    except BaseException:
        # The batches will not be recorded: remove the files of this run that are new.
        for path in written:
            path.unlink(missing_ok=True)
        raise
