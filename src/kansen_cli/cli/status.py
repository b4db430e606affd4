"""The coordinator's overview: `kansen status`. Option parsing and rendering; the work is in
`workflows.status`, the rules for the next steps in `kansen_cli.status`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.cli.app import CampaignOpt, JsonOpt, command, console, print_json
from kansen_cli.i18n import _, day, ngettext, number, percent

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


def _day(value: dt.date | None) -> str:
    return "" if value is None else day(value)


def _short(value: dt.date | None) -> str:
    """Day and month: the table's dates lie within a campaign's months (--json has the year)."""
    return "" if value is None else f"{value:%d-%m}"


def _batch_table(result: StatusResult, wide: bool) -> Any:
    """The batches, one row each; the wijk column only on a wide terminal (the batch id names it)."""
    from rich import box
    from rich.table import Table

    table = Table(
        title=_("Batches ({count}) on {day}").format(
            count=number(len(result.batches)), day=_day(result.today)
        ),
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column(_("batch"), no_wrap=True, overflow="ellipsis", max_width=20)
    if wide:
        table.add_column(_("neighbourhood"), no_wrap=True, overflow="ellipsis", max_width=16)
    table.add_column("n", justify="right", no_wrap=True)  # people in the batch; short at 80 columns
    table.add_column(_("planned"), min_width=11)  # "(21)", planned of the batch, may go below
    table.add_column(_("letters"), no_wrap=True)
    table.add_column(_("sheet"), no_wrap=True)
    table.add_column(_("outcomes"), justify="right", no_wrap=True)
    table.add_column(_("due"), justify="right", no_wrap=True)  # follow-up calls + referrals waiting
    table.add_column(_("survey"), justify="right", no_wrap=True)
    for b in result.batches[:SHOWN]:
        planned = ""
        if b.planned:
            planned = f"{_short(b.first_appointment)}–{_short(b.last_appointment)}"
            planned += f" ({number(b.planned)})" if b.planned != b.size else ""
        pct = "" if b.outcomes_pct is None else " " + percent(b.outcomes_pct, 0)
        due = b.calls_due + b.referrals_due
        table.add_row(
            b.batch_id,
            *([b.neighbourhood] if wide else []),
            number(b.size),
            planned,
            _short(b.letters_sent_on),
            _("loaded") if b.sheet_loaded_on else (_("written") if b.sheet_written else ""),
            f"{number(b.outcomes)}{pct}" if b.letters_sent_on or b.outcomes else "",
            number(due) if due else "",
            f"{b.survey_answered}/{b.survey_sampled}" if b.survey_sampled else "",
        )
    return table


def show_status(result: StatusResult) -> None:
    out = console()
    run = result.run
    if run is None:
        out.print(_("No selection yet."))
    else:
        out.print(
            _(
                "Selection {run} on {day}: {selected} of {rows} register rows selected, "
                "{unbatched} not in a batch yet."
            ).format(
                run=run.run_id,
                day=_day(run.as_of),
                selected=number(run.selected),
                rows=number(run.rows),
                unbatched=number(run.unbatched),
            )
        )
    if result.batches:
        out.print(_batch_table(result, wide=out.width >= WIDE))
        if len(result.batches) > SHOWN:
            more = len(result.batches) - SHOWN
            out.print(_("... and {count} more batches (--json lists them all).").format(count=number(more)))
    calls, referrals = (sum(getattr(b, k) for b in result.batches) for k in ("calls_due", "referrals_due"))
    out.print(
        _("Follow-up due today: {calls}, {referrals}.").format(
            calls=ngettext("{count} call", "{count} calls", calls).format(count=number(calls)),
            referrals=ngettext(
                "{count} referral waiting for the partner's answer",
                "{count} referrals waiting for the partner's answer",
                referrals,
            ).format(count=number(referrals)),
        )
    )
    for s in result.surveys:
        out.print(
            _("Survey {survey} drawn on {day}: {answered} of {sampled} called.").format(
                survey=s.survey_id,
                day=_day(s.drawn_on),
                answered=number(s.answered),
                sampled=number(s.sampled),
            )
        )
    kept = result.trajectories
    if kept is not None:
        full = _("; at their cap: {coaches}").format(coaches=", ".join(kept.full)) if kept.full else ""
        out.print(
            _(
                "Trajectories: {open} open, {no_contact} without contact for too long, "
                "{overdue} with a review overdue{full}."
            ).format(
                open=number(kept.open),
                no_contact=number(kept.no_contact),
                overdue=number(kept.reviews_overdue),
                full=full,
            )
        )
    out.print(_("Next:") if result.steps else _("Next: nothing to do today."))
    for step in result.steps[:SHOWN]:
        out.print(f"  - {step.text}")
    if len(result.steps) > SHOWN:
        more = len(result.steps) - SHOWN
        out.print("  " + _("... and {count} more (--json lists them all).").format(count=number(more)))
