"""`kansen batch`: the selected, not yet batched people into neighbourhood batches with variants."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _

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


@dataclass(frozen=True)
class RoundResult:
    """`kansen batch --round N`: the follow-on batches made or grown, and the round asked for."""

    round: int
    batches: list[dict[str, Any]]  # per batch: batch, parent, neighbourhood, round, size, added

    @property
    def added(self) -> int:
        return sum(int(b["added"]) for b in self.batches)

    def as_json(self) -> dict[str, Any]:
        return {"round": self.round, "added": self.added, "batches": self.batches}


def run_round(
    campaign: Path,
    settings: Settings,
    round_no: int,
    named: list[str] | None = None,
    on_wait: WaitNotice | None = None,
) -> RoundResult:
    """Make the round-`round_no` batches of the round before it (all, or those `named`) from the
    people whose contact result the codebook marks "invite again" (`roles.invite_again`)."""
    from kansen_cli.errors import SettingsError
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.rounds import record_round

    highest = settings.rounds.max_round
    if round_no < 2 or round_no > highest:
        raise SettingsError(
            _(
                "--round {round}: a later round is 2 up to [rounds] max_round ({highest}) in "
                "kansen.toml; raise max_round there to make a further round"
            ).format(round=round_no, highest=highest)
            if round_no > highest
            else _(
                "--round {round}: round 1 is made by `kansen batch` itself; a later round is 2 or more"
            ).format(round=round_no)
        )
    _require_round_template(settings.rounds.template, campaign)
    with open_ledger(campaign, create=False, on_wait=on_wait) as ledger:
        made = record_round(ledger, round_no, settings.codebook.roles.invite_again, named or ())
    return RoundResult(
        round_no,
        [
            {
                "batch": b.batch_id,
                "parent": b.parent_id,
                "neighbourhood": b.neighbourhood,
                "round": b.round,
                "size": b.size,
                "added": b.added,
            }
            for b in made
        ],
    )


def _require_templates(variants: list[str], campaign: Path) -> None:
    """A variant without a letter is refused before anyone is assigned it."""
    from kansen_cli.errors import SettingsError
    from kansen_cli.letter_templates import missing_templates

    missing = missing_templates(variants, campaign)
    if missing:
        raise SettingsError(
            _(
                "letters.variants: no letter template for {missing}; add "
                "templates/letters/<variant>.html.j2 to the campaign folder or remove "
                "the variant"
            ).format(missing=", ".join(missing))
        )


def _require_round_template(template: str, campaign: Path) -> None:
    """A later round whose letter cannot be made is refused before anyone is put in it."""
    from kansen_cli.errors import SettingsError
    from kansen_cli.letter_templates import missing_templates

    if missing_templates([template], campaign):
        raise SettingsError(
            _(
                "[rounds] template: no letter template {template!r}; add "
                "templates/letters/{template}.html.j2 to the campaign folder or name "
                "another template"
            ).format(template=template)
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
