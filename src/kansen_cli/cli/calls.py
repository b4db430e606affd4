"""The caller's command: `kansen calls`. Option parsing and rendering; the work is in
`workflows.calls`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kansen_cli.cli.app import CampaignOpt, ForceOpt, JsonOpt, command, console, date_option, print_json
from kansen_cli.i18n import _, number

if TYPE_CHECKING:
    from kansen_cli.workflows.calls import CallsResult


@command(rich_help_panel="Coordinator")
def calls(
    batch: Annotated[str, typer.Argument(help="Batch id, e.g. selwerd-1.")],
    today_text: Annotated[
        str | None,
        typer.Option("--today", metavar="DATE", help="Day of the calls; default today."),
    ] = None,
    campaign: CampaignOpt = Path("."),
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Write the call workbook of a batch's phone-first people who are due a call.

    People whose letter variant is `phone_first` ([letters] approach) are called before any
    letter goes. The workbook <campaign>/calls/<batch>-bellen-<date>.xlsx lists who is due on
    that day under the [calls] rules (days between calls, maximum attempts, another part of
    the day), with their phone number, planned appointment and earlier calls; load it with
    `kansen ingest`, then run `kansen calls` again for the next round of calls.

    Example: kansen calls selwerd-1 --today 2026-11-03
    """
    from kansen_cli.clock import today
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import calls as workflow

    day = date_option(today_text, "--today") or today()
    settings = load_settings(campaign)
    result = workflow.run(campaign, settings, batch, day, force=force)
    if as_json:
        print_json(result.as_json())
        return
    show_calls(result)


def show_calls(result: CallsResult) -> None:
    console().print(
        _(
            "Batch {batch}: {due} to call, {waiting} due later, {finished} finished calling,"
            " {no_phone} without a phone number."
        ).format(
            batch=result.batch,
            due=number(result.due),
            waiting=number(result.waiting),
            finished=number(result.finished),
            no_phone=number(result.no_phone),
        )
    )
    if result.file is None:
        console(stderr=True).print(_("Nobody is due a call today; no calls workbook written."))
    else:
        console(stderr=True).print(
            _("Wrote {file}. Next: call them, fill it in, then `kansen ingest {file}`").format(
                file=result.file
            )
        )
