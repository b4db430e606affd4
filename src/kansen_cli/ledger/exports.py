"""Ledger tables as frames for `kansen export`: what each export holds, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kansen_cli.ledger.core import Ledger

if TYPE_CHECKING:
    import pandas as pd

# What a user can export, with the one-line description `kansen export --help` lists.
EXPORTS = {
    "selection": "every register row of the latest selection with its bucket",
    "batches": "every batched person with batch and letter variant",
    "runs": "the selection runs with their funnels",
    "appointments": "planned appointments",
    "letters": "letters sent (people approached)",
    "outcomes": "conversation outcomes",
    "referrals": "referrals and their results",
    "followups": "follow-up calls",
    "history": "replaced outcome values",
    "survey": "survey members with their group and answers (no names)",
}


def export_frame(ledger: Ledger, what: str) -> pd.DataFrame:
    """The rows of one export (a key of EXPORTS)."""
    from kansen_cli.ledger.runs import batches_export, selection_export

    if what not in EXPORTS:
        raise KeyError(what)
    if what == "selection":
        return selection_export(ledger)
    if what == "batches":
        return batches_export(ledger)
    if what == "survey":
        from kansen_cli.ledger.surveys import survey_frame

        return survey_frame(ledger)
    if what == "runs":
        # The settings of each run stay out: they are the campaign's, not the run's figures.
        return ledger.frame(
            "SELECT run_id, created_at, as_of, years, register_name, register_sha256, rows,"
            " funnel_json, selected FROM selection_runs"
        )
    return ledger.frame(f"SELECT * FROM {what}")
