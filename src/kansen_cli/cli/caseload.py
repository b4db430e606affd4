"""The coach's command: `kansen caseload`. Option parsing and rendering; the work is in
`workflows.caseload`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kansen_cli.cli.app import CampaignOpt, ForceOpt, JsonOpt, command, console, print_json

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
            err.print(f"Coach {idle[0]} has nobody in their caseload: no workbook written.")
        else:
            err.print(
                "No coach has anybody in a trajectory: no workbook written. Start with `kansen assign`."
            )
        return
    if idle:
        err.print(f"No workbook for coaches without people: {', '.join(idle)}.")
    table = Table("Coach", "Kind", "People", "Cap", "Open goals", "Reviews due by today", "Workbook")
    for book in result.workbooks:
        table.add_row(
            book.coach,
            book.kind,
            str(book.people),
            str(book.cap),
            str(book.goals),
            str(book.reviews_due),
            str(book.file),
        )
    console().print(table)
    err.print("Next: give each coach their workbook; load the filled ones with `kansen ingest FILE`.")
