"""The coordinator's overview: `kansen status`. Option parsing and rendering; the work is in
`workflows.status`, the rules for the next steps in `kansen_cli.status`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.cli.app import CampaignOpt, JsonOpt, command, console, print_json

if TYPE_CHECKING:
    import datetime as dt

    from kansen_cli.workflows.status import StatusResult

# Beyond this many batches or steps the terminal shows the first ones; --json has them all.
SHOWN = 40
# Terminal columns from which the batch table also shows the wijk (always in --json).
WIDE = 100


@command(rich_help_panel="Coordinator")
def status(campaign: CampaignOpt = Path("."), as_json: JsonOpt = False) -> None:
    """Show where the campaign stands and what to do next. Changes nothing.

    The latest selection; per batch its wijk, size, planned appointments (first and last),
    the letters' date, whether the registration sheet was written (in the campaign's sheets
    folder, or ingested), outcomes in (number and share of the people approached), follow-up
    calls and referrals due today, and survey calls. A later round's batch (selwerd-1-r2) follows
    its round-1 batch; a round-1 batch with people to invite again names `kansen batch --round 2`.
    Then the next steps, most urgent first.

    Example: kansen status -c mijn-campagne
    """
    from kansen_cli.clock import today
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import status as workflow

    result = workflow.run(campaign, load_settings(campaign), today())
    if as_json:
        print_json(result.as_json())
        return
    show_status(result)


def _day(day: dt.date | None) -> str:
    return "" if day is None else f"{day:%d-%m-%Y}"


def _short(day: dt.date | None) -> str:
    """Day and month: the table's dates lie within a campaign's months (--json has the year)."""
    return "" if day is None else f"{day:%d-%m}"


def _batch_table(result: StatusResult, wide: bool) -> Any:
    """The batches, one row each; the wijk column only on a wide terminal (the batch id names it)."""
    from rich import box
    from rich.table import Table

    table = Table(
        title=f"Batches ({len(result.batches):,}) on {_day(result.today)}",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("batch", no_wrap=True, overflow="ellipsis", max_width=20)
    if wide:
        table.add_column("wijk", no_wrap=True, overflow="ellipsis", max_width=16)
    table.add_column("size", justify="right", no_wrap=True)
    table.add_column("planned", no_wrap=True)
    table.add_column("letters", no_wrap=True)
    table.add_column("sheet", no_wrap=True)
    table.add_column("outcomes", justify="right", no_wrap=True)
    table.add_column("due", justify="right")  # follow-up calls + referrals waiting
    table.add_column("survey", justify="right")
    for b in result.batches[:SHOWN]:
        planned = ""
        if b.planned:
            planned = f"{_short(b.first_appointment)}..{_short(b.last_appointment)}"
            planned += f" ({b.planned:,})" if b.planned != b.size else ""
        pct = "" if b.outcomes_pct is None else f" {b.outcomes_pct:.0f}%"
        due = b.calls_due + b.referrals_due
        table.add_row(
            b.batch_id,
            *([b.neighbourhood] if wide else []),
            f"{b.size:,}",
            planned,
            _short(b.letters_sent_on),
            "loaded" if b.sheet_loaded_on else ("written" if b.sheet_written else ""),
            f"{b.outcomes:,}{pct}" if b.letters_sent_on or b.outcomes else "",
            f"{due:,}" if due else "",
            f"{b.survey_answered}/{b.survey_sampled}" if b.survey_sampled else "",
        )
    return table


def show_status(result: StatusResult) -> None:
    out = console()
    run = result.run
    if run is None:
        out.print("No selection yet.")
    else:
        out.print(
            f"Selection {run.run_id} on {_day(run.as_of)}: {run.selected:,} of {run.rows:,} register rows "
            f"selected, {run.unbatched:,} not in a batch yet."
        )
    if result.batches:
        out.print(_batch_table(result, wide=out.width >= WIDE))
        if len(result.batches) > SHOWN:
            out.print(f"... and {len(result.batches) - SHOWN:,} more batches (--json lists them all).")
    calls, referrals = (sum(getattr(b, k) for b in result.batches) for k in ("calls_due", "referrals_due"))
    out.print(
        f"Follow-up due today: {calls:,} call{'' if calls == 1 else 's'}, {referrals:,} "
        f"referral{'' if referrals == 1 else 's'} waiting for the partner's answer."
    )
    for s in result.surveys:
        out.print(f"Survey {s.survey_id} drawn on {_day(s.drawn_on)}: {s.answered} of {s.sampled} called.")
    kept = result.trajectories
    if kept is not None:
        full = f"; at their cap: {', '.join(kept.full)}" if kept.full else ""
        out.print(
            f"Trajectories: {kept.open:,} open, {kept.no_contact:,} without contact for too long, "
            f"{kept.reviews_overdue:,} with a review overdue{full}."
        )
    out.print("Next:" if result.steps else "Next: nothing to do today.")
    for step in result.steps[:SHOWN]:
        out.print(f"  - {step.text}")
    if len(result.steps) > SHOWN:
        out.print(f"  ... and {len(result.steps) - SHOWN:,} more (--json lists them all).")
