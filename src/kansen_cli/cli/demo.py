"""`kansen demo`: the whole cycle on generated sample data, from register to council report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from kansen_cli.cli.app import ForceOpt, command, console

DEMO_ROWS = 10_000
DEMO_SEED = 2015
DEMO_BATCHES = 2
# The cycle is laid out backwards from today so that every date the demo records lies in
# the past, as ingest demands: selection half a year ago, letters a week later, visits from
# two weeks after the selection, one follow-up round once the follow-up months have passed.
SELECTION_DAYS_AGO = 190
LETTER_AFTER_DAYS = 7
VISITS_AFTER_DAYS = 14
BATCH_SPACING_DAYS = 21


@command()
def demo(
    directory: Annotated[Path, typer.Argument(help="Folder for the demo campaign (new or empty).")] = Path(
        "kansen-demo"
    ),
    batches: Annotated[
        int, typer.Option("--batches", min=1, max=10, help="Batches to invite.")
    ] = DEMO_BATCHES,
    force: ForceOpt = False,
) -> None:
    """Run the whole cycle on synthetic sample data in a fresh folder and print the report.

    init, select, batch, plan and letters for the first batches, registration sheets filled
    with simulated answers (seeded, in Groningen's proportions), ingest, one follow-up
    round, and the council report with charts. Nothing in it is about real people.

    Example: kansen demo kansen-demo
    """
    from kansen_cli.errors import OutputExistsError
    from kansen_cli.ledger import ledger_path

    if directory.exists() and any(directory.iterdir()) and not force:
        raise OutputExistsError(f"{directory} is not empty; choose a new folder or use --force")
    if force:
        # A demo starts from nothing: an earlier demo's ledger would make everyone
        # 'already approached'.
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(ledger_path(directory)) + suffix).unlink(missing_ok=True)
    run_demo(directory, batches, force)


def _step(text: str) -> None:
    console(stderr=True).rule(text, style="bold")


def run_demo(
    campaign: Path, batch_count: int, force: bool = False, today: dt.date | None = None
) -> list[Path]:
    """The demo's steps, each through the same command a user would type."""
    from kansen_cli.cli import letters, registration, reporting, selecting, setup
    from kansen_cli.ledger import open_ledger
    from kansen_cli.sample_files import write_sample
    from kansen_cli.settings import load_settings
    from kansen_cli.simulate import fill_followup, fill_registration

    today = today or dt.date.today()
    as_of = today - dt.timedelta(days=SELECTION_DAYS_AGO)
    campaign.mkdir(parents=True, exist_ok=True, mode=0o700)
    setup.init(directory=campaign, preset="groningen", force=force)
    settings = load_settings(campaign)
    register = campaign / "register.csv"
    write_sample(register, rows=DEMO_ROWS, seed=DEMO_SEED, as_of=as_of, force=force)

    _step(f"Selection on {as_of:%d-%m-%Y} (kansen select)")
    selecting.select_command(register=register, as_of=as_of.isoformat(), campaign=campaign, force=force)
    _step("Neighbourhood batches (kansen batch)")
    selecting.batch(campaign=campaign, force=force)
    with open_ledger(campaign, create=False) as ledger:
        chosen = [
            row[0]
            # The first batch of several neighbourhoods, so the report can compare wijken.
            for row in ledger.query(
                "SELECT batch_id FROM batches WHERE seq = 1 ORDER BY neighbourhood LIMIT ?", (batch_count,)
            )
        ]
    filled = []
    for index, batch_id in enumerate(chosen):
        offset = dt.timedelta(days=index * BATCH_SPACING_DAYS)
        sent_on = as_of + dt.timedelta(days=LETTER_AFTER_DAYS) + offset
        start = as_of + dt.timedelta(days=VISITS_AFTER_DAYS) + offset
        _step(f"Batch {batch_id}: plan, letters, registration sheet")
        letters.plan(batch=batch_id, start=start.isoformat(), campaign=campaign)
        letters.letters(batch=batch_id, sent_on=sent_on.isoformat(), campaign=campaign, force=force)
        registration.sheet(batch_id=batch_id, campaign=campaign, force=force)
        blank = registration.registration_path(campaign, batch_id)
        done = blank.with_name(blank.stem + "-ingevuld.xlsx")
        fill_registration(
            blank, done, seed=DEMO_SEED + index, settings=settings, sent_on=sent_on, today=today, force=force
        )
        filled.append(done)
    _step("Loading the consultants' registrations (kansen ingest)")
    registration.ingest(files=filled, campaign=campaign)

    due = today - dt.timedelta(days=7)
    _step(f"Follow-up round due {due:%d-%m-%Y} (kansen followup)")
    registration.followup(due=due.isoformat(), campaign=campaign, force=force)
    calls = registration.followup_path(campaign, due)
    if calls.exists():
        answered = calls.with_name(calls.stem + "-ingevuld.xlsx")
        fill_followup(
            calls,
            answered,
            seed=DEMO_SEED,
            settings=settings,
            called_on=due + dt.timedelta(days=2),
            force=force,
        )
        registration.ingest(files=[answered], campaign=campaign)

    _step("Council report (kansen report)")
    report_dir = campaign / "rapport"
    reporting.report(campaign=campaign, out=report_dir / "rapport.xlsx", output_format="xlsx", force=force)
    reporting.report(campaign=campaign, out=report_dir / "rapport.md", output_format="md", force=force)
    reporting.report(campaign=campaign, charts=report_dir / "grafieken", force=force)
    produced = sorted(p for p in campaign.rglob("*") if p.is_file())
    _step("Files produced")
    out = console()
    for path in produced:
        out.print(f"  {path}")
    return produced
