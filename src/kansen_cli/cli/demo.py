"""`kansen demo`: the whole cycle on generated sample data, from register to council report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from kansen_cli.cli.app import ForceOpt, command, console
from kansen_cli.i18n import _
from kansen_cli.workflows.demo import DEMO_BATCHES, DEMO_ROWS


@command(rich_help_panel="Set-up")
def demo(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder for the demo campaign (new or empty).")
    ] = Path("kansen-demo"),
    batches: Annotated[
        int, typer.Option("--batches", min=1, max=10, help="Number of batches to invite.")
    ] = DEMO_BATCHES,
    rows: Annotated[
        int, typer.Option("--rows", min=100, help="People in the generated register.")
    ] = DEMO_ROWS,
    force: ForceOpt = False,
) -> None:
    """Run the whole cycle on synthetic sample data in a fresh folder and print the report.

    init, select, batch, plan and letters for the first batches, registration sheets filled
    with simulated answers (seeded, in Groningen's proportions), ingest, one follow-up
    round, a survey, trajectories with a fixed coach (assign, an intake and two review rounds
    in the coaches' workbooks), and the council report with charts. Nothing in it is about real people.

    Example: kansen demo kansen-demo
    """
    from kansen_cli import report_render
    from kansen_cli.clock import today
    from kansen_cli.workflows import demo as workflow

    result = workflow.run(
        directory, today(), batches=batches, rows=rows, force=force, on_step=_rule, on_done=_show
    )
    out = console()
    if result.report is not None:
        for item in report_render.to_rich(result.report.report):
            out.print(item)
    _rule(_("Files produced"))
    for path in result.files:
        out.print(f"  {path}", soft_wrap=True)  # a path is never broken over two lines


def _rule(title: str) -> None:
    console(stderr=True).rule(title, style="bold")


def _show(result: Any) -> None:
    """Each step's result as its own command shows it."""
    from kansen_cli.cli import calls as calls_cli
    from kansen_cli.cli import caseload as caseload_cli
    from kansen_cli.cli import letters, registration, reporting, selecting, setup, surveying, trajectories
    from kansen_cli.workflows import (
        assign,
        batch,
        calls,
        caseload,
        followup,
        ingest,
        init,
        plan,
        report,
        select,
        sheet,
        survey,
    )
    from kansen_cli.workflows import letters as letter_workflow

    shows: dict[type, Callable[[Any], None]] = {
        init.InitResult: setup.show_init,
        select.SelectResult: selecting.show_selection,
        batch.BatchResult: selecting.show_batches,
        batch.RoundResult: selecting.show_round,
        calls.CallsResult: calls_cli.show_calls,
        plan.PlanResult: letters.show_plan,
        letter_workflow.LettersResult: letters.show_letters,
        sheet.SheetResult: registration.show_sheet,
        ingest.IngestResult: registration.show_ingest,
        followup.FollowupResult: registration.show_followup,
        survey.SurveyResult: surveying.show_survey,
        assign.AssignResult: trajectories.show_assign,
        caseload.CaseloadResult: caseload_cli.show_caseload,
        report.ReportResult: reporting.show_report,
    }
    shows[type(result)](result)
