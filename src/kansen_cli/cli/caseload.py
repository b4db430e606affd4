"""The coach's command: `kansen caseload`. Option parsing and rendering; the work is in
`workflows.caseload`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kansen_cli.cli.app import CampaignOpt, ForceOpt, JsonOpt, command, console, print_json
from kansen_cli.i18n import _, number

if TYPE_CHECKING:
    from kansen_cli.workflows.caseload import CaseloadResult


@command(rich_help_panel="Coach")
def caseload(
    coach: Annotated[
        str | None,
        typer.Argument(
            metavar="COACH", help="A coach's code from kansen.toml; default every coach with people."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder to write to; default <campaign>/caseload (files caseload-<coach>-<date>.xlsx).",
            file_okay=False,
        ),
    ] = None,
    campaign: CampaignOpt = Path("."),
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Write each coach's workbook: their people, open goals, last contact and reviews due.

    One workbook per coach with people in a trajectory. The coach fills in contact moments
    (date and kind), the rung on the Participatieladder, scores of goals at a review
    (-2 ... +2), new goals and the end of a trajectory, all from dropdowns; the pre-filled
    columns are protected. Load the filled workbook with `kansen ingest`.

    Example: kansen caseload cm1 --out werkboeken
    """
    from kansen_cli.clock import today
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import caseload as workflow

    settings = load_settings(campaign)
    result = workflow.run(campaign, settings, today(), coach=coach, out=out, force=force)
    if as_json:
        print_json(result.as_json())
        return
    show_caseload(result)


def show_caseload(result: CaseloadResult) -> None:
    from rich.table import Table

    err = console(stderr=True)
    idle = result.without_people
    if not result.workbooks:
        if len(idle) == 1:
            err.print(
                _("Coach {coach} has nobody in their caseload: no workbook written.").format(coach=idle[0])
            )
        else:
            err.print(
                _("No coach has anybody in a trajectory: no workbook written. Start with `kansen assign`.")
            )
        return
    if idle:
        err.print(_("No workbook for coaches without people: {coaches}.").format(coaches=", ".join(idle)))
    table = Table(_("Coach"), _("Kind"))
    for header in (_("People"), _("Cap"), _("Open goals"), _("Reviews due")):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column(_("Workbook"), overflow="fold")  # a path may be longer than a line
    for book in result.workbooks:
        table.add_row(
            book.coach,
            book.kind,
            number(book.people),
            number(book.cap),
            number(book.goals),
            number(book.reviews_due),
            str(book.file),
        )
    console().print(table)
    err.print(_("Next: give each coach their workbook; load the filled ones with `kansen ingest FILE`."))
