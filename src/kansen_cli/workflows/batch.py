"""`kansen batch`: the selected, not yet batched people into neighbourhood batches with variants."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.ledger.faults import WaitNotice
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
    on_wait: WaitNotice | None = None,
) -> BatchResult:
    """Make and record the batches (one transaction); `files` gets one CSV per new batch.
    `on_wait` is called once if another command holds the ledger."""
    from kansen_cli.batching import batch_overview, make_batches
    from kansen_cli.files import held_back
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.runs import batch_members, record_batches

    size = size or settings.batch.size
    seed = settings.batch.seed if seed is None else seed
    variants = list(settings.letters.variants)
    _require_templates(variants, campaign)

    def assign(unbatched: pd.DataFrame, taken: dict[str, int]) -> pd.DataFrame:
        return make_batches(unbatched, size, seed, variants, taken)

    with open_ledger(campaign, create=False, on_wait=on_wait) as ledger, held_back() as written:

        def write_files(assigned: pd.DataFrame) -> None:
            # Inside the ledger transaction, after the inserts: the files (CSV, as many rows as
            # were batched: quick) wait under temporary names and move in just before COMMIT;
            # if the batches are not recorded after all, they are taken away again.
            if files is not None:
                _check_batch_files(files, assigned, force)
                _write_batch_files(files, batch_members(ledger), set(assigned["batch_id"]), force)
                written.publish()

        assigned = record_batches(ledger, assign, seed, before_commit=write_files)
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

    for batch_id, group in members[members["batch_id"].isin(batch_ids)].groupby("batch_id"):
        write_csv(
            folder / f"{batch_id}.csv",
            group.drop(columns=["run_id", "purged_at", "bsn"], errors="ignore"),
            force,
        )
