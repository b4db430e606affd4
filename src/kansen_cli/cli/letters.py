"""The letter clerk's commands: `kansen plan`, `kansen letters`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kansen_cli.cli.app import CampaignOpt, JsonOpt, command, console, date_option, print_json, wait_notice
from kansen_cli.i18n import _
from kansen_cli.workflows.letters import DRY_RUN_FOLDER, DRY_RUN_LETTERS

if TYPE_CHECKING:
    from kansen_cli.workflows.letters import LettersResult
    from kansen_cli.workflows.plan import PlanResult


@command()
def plan(
    batch: Annotated[str, typer.Argument(help="Batch id, e.g. selwerd-1 (see `kansen batch`).")],
    start: Annotated[str, typer.Option("--start", help="First day visits may be planned (yyyy-mm-dd).")],
    campaign: CampaignOpt = Path("."),
    force: Annotated[
        bool, typer.Option("--force", help="Plan again even though the batch's letters went out.")
    ] = False,
    place: Annotated[
        str | None,
        typer.Option(
            "--place",
            help="Where the whole batch meets: home or location (default: per letter variant, "
            "[letters.place], else [planning] place).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Propose an appointment (date, time, consultant) for everyone in a batch.

    At home, each consultant gets a contiguous part of the route (postcode, house number) on
    consecutive slots; at a location (the wijk's own first), conversations follow each other
    in every room within its opening hours. No Dutch public holidays, closed days or double
    bookings, of consultants or rooms. Planning a batch again replaces its plan, until its
    letters are sent.

    Example: kansen plan selwerd-1 --start 2026-11-02 --place location
    """
    from kansen_cli.settings import load_settings
    from kansen_cli.settings_routes import PLACES
    from kansen_cli.workflows.plan import run

    if place is not None and place not in PLACES:
        raise typer.BadParameter(f"choose one of: {', '.join(PLACES)}", param_hint="--place")
    first = date_option(start, "--start")
    settings = load_settings(campaign)
    result = run(campaign, settings, batch, first, force=force, on_wait=wait_notice, place=place)
    if as_json:
        print_json(result.as_json())
        return
    show_plan(result)


def show_plan(result: PlanResult) -> None:
    from rich.table import Table

    batch = result.batch
    table = Table(title=f"Plan for {batch}: {result.planned} appointments")
    for column in ("consultant", "people", "days", "first", "last"):
        table.add_column(column, justify="right" if column in ("people", "days") else "left")
    for row in result.consultants:
        table.add_row(
            row["consultant"],
            str(row["people"]),
            str(row["days"]),
            _dutch(row["first"]),
            _dutch(row["last"]),
        )
    console().print(table)
    if result.locations:
        # Beside the consultants: where people come to, so rooms and opening hours can be checked.
        located = Table(title=f"At a location: {sum(r['people'] for r in result.locations)} appointments")
        for column in ("location", "people", "days", "first", "last"):
            located.add_column(column, justify="right" if column in ("people", "days") else "left")
        for row in result.locations:
            located.add_row(
                row["name"], str(row["people"]), str(row["days"]), _dutch(row["first"]), _dutch(row["last"])
            )
        console().print(located)
        if result.at_home:
            console().print(f"{batch}: {result.at_home} at home")
    moved = result.moved
    if moved is not None:
        whom = ", ".join(moved.batches) or "other batches"
        days = f"{moved.days} working day{'' if moved.days == 1 else 's'}"
        console().print(
            f"{batch}: first appointment {moved.first:%d-%m-%Y}, {days} after the asked start: "
            f"the consultants are busy with {whom} until then"
        )
    console().print(f"Next: kansen letters {batch}")


def _dutch(iso: str) -> str:
    return f"{iso[8:10]}-{iso[5:7]}-{iso[:4]}"


def _formats(value: str) -> set[str]:
    from kansen_cli.errors import KansenError
    from kansen_cli.workflows.letters import checked_formats

    try:
        return checked_formats(value.split(","))
    except KansenError:
        raise typer.BadParameter(
            f"use pdf, html or pdf,html (got {value!r})", param_hint="--format"
        ) from None


@command()
def letters(
    batch: Annotated[str, typer.Argument(help="Batch id, e.g. selwerd-1.")],
    formats: Annotated[
        str, typer.Option("--format", help="pdf (one combined PDF), html (one file per person), or pdf,html.")
    ] = "pdf",
    sent_on: Annotated[
        str | None, typer.Option("--sent-on", help="Date the letters go out (yyyy-mm-dd); default today.")
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help=f"Render {DRY_RUN_LETTERS} sample letters to <campaign>/letters/<batch>/{DRY_RUN_FOLDER}/;"
            " record nothing.",
        ),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder; default <campaign>/letters/<batch>/.")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Processes rendering the PDF.")] = 2,
    campaign: CampaignOpt = Path("."),
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace existing output files; record a batch already sent again; send letters "
            "with fewer working days before the first appointment than the settings ask.",
        ),
    ] = False,
    stop_calling: Annotated[
        bool,
        typer.Option(
            "--stop-calling",
            help="Phone first: stop calling those still being called (not reached, calls left) "
            "and send them the invitation; without it such a batch is refused.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Render a batch's invitation letters, the mail-merge workbook and the reminder-call list.

    Checks every letter field for everyone first and writes nothing if any is missing.
    Writes <batch>.pdf (one page per letter, by postcode), <batch>-mailmerge.xlsx,
    <batch>-bellijst.xlsx and with --format html one <batch>-<client id>.html per person,
    then records the batch as invited on --sent-on. Phone-first people get a confirmation
    (appointment made by phone), no letter (said no) or the invitation (not reached after
    the calls, no phone number); while some are still being called, use --stop-calling.

    Example: kansen letters selwerd-1 --format pdf,html --sent-on 2026-10-26
    """
    from kansen_cli.clock import today
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows.letters import run

    chosen = _formats(formats)
    letter_date = date_option(sent_on, "--sent-on")
    settings = load_settings(campaign)
    from kansen_cli.cli.progress import progress_bar

    with progress_bar(_("Letters"), as_json) as progress:
        result = run(
            campaign,
            settings,
            batch,
            today=today(),
            formats=chosen,
            sent_on=letter_date,
            dry_run=dry_run,
            out=out,
            workers=workers,
            force=force,
            stop_calling=stop_calling,
            progress=progress,
            on_wait=wait_notice,
        )
    if as_json:
        print_json(result.as_json())
        return
    show_letters(result)


def show_letters(result: LettersResult) -> None:
    err = console(stderr=True)
    if result.dry_run:
        err.print(f"Dry run: {result.letters} sample letters in {result.folder}; nothing recorded.")
    else:
        err.print(
            f"{result.letters} letters for {result.batch} in {result.folder};"
            f" recorded as sent on {result.sent_on:%d-%m-%Y}."
        )
    if result.confirmations or result.no_letter:
        err.print(
            f"Phone first: {result.confirmations} of them confirm an appointment made by phone;"
            f" {result.no_letter} people said no on the phone and get no letter."
        )
    if result.stopped_calling:
        err.print(
            f"Phone first: calling stopped for {result.stopped_calling} people still being called;"
            " they get the invitation."
        )
    htmls = [p for p in result.files if p.suffix == ".html"]
    for path in result.files:
        if path.suffix != ".html":
            console().print(str(path))
    if htmls:
        console().print(f"{result.folder / (result.batch + '-<client id>.html')} ({len(htmls)} files)")
