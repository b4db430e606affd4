"""`kansen demo`: the whole cycle on generated sample data, from register to council report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kansen_cli.cli.app import ForceOpt, command, console
from kansen_cli.workflows.demo import DEMO_BATCHES, DEMO_ROWS


@command()
def demo(
    directory: Annotated[Path, typer.Argument(help="Folder for the demo campaign (new or empty).")] = Path(
        "kansen-demo"
    ),
    batches: Annotated[
        int, typer.Option("--batches", min=1, max=10, help="Batches to invite.")
    ] = DEMO_BATCHES,
    rows: Annotated[
        int, typer.Option("--rows", min=100, help="People in the generated register.")
    ] = DEMO_ROWS,
    force: ForceOpt = False,
) -> None:
    """Run the whole cycle on synthetic sample data in a fresh folder and print the report.

    init, select, batch, plan and letters for the first batches, registration sheets filled
    with simulated answers (seeded, in Groningen's proportions), ingest, one follow-up
    round, and the council report with charts. Nothing in it is about real people.

    Example: kansen demo kansen-demo
    """
    from kansen_cli import report_render
    from kansen_cli.cli.registration import render_ingest
    from kansen_cli.cli.selecting import render_funnel
    from kansen_cli.clock import today
    from kansen_cli.workflows import demo as workflow

    def step(title: str) -> None:
        console(stderr=True).rule(title, style="bold")

    result = workflow.run(directory, today(), batches=batches, rows=rows, force=force, on_step=step)
    out = console()
    step("Selection funnel")
    render_funnel(result.selection)
    for ingested in result.ingests:
        render_ingest(ingested)
    if result.report is not None:
        step("Council report")
        for item in report_render.to_rich(result.report.report):
            out.print(item)
    step("Files produced")
    for path in result.files:
        out.print(f"  {path}")
