"""The letter clerk's commands: `kansen plan`, `kansen letters`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kansen_cli.cli.app import CampaignOpt, JsonOpt, command, console, date_option, print_json, wait_notice
from kansen_cli.i18n import _, day, ngettext, number
from kansen_cli.workflows.letters import DRY_RUN_FOLDER, DRY_RUN_LETTERS

if TYPE_CHECKING:
    from kansen_cli.workflows.letters import LettersResult
    from kansen_cli.workflows.plan import PlanResult


@command(rich_help_panel="Letter clerk")
def plan(
    batch: Annotated[str, typer.Argument(help="Batch id, e.g. selwerd-1 (see `kansen batch`).")],
    start: Annotated[
        str, typer.Option("--start", metavar="DATE", help="First day appointments may be planned.")
    ],
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
        raise typer.BadParameter(
            _("choose one of: {choices}").format(choices=", ".join(PLACES)), param_hint="--place"
        )
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
    table = Table(
        title=ngettext(
            "Plan for {batch}: {count} appointment", "Plan for {batch}: {count} appointments", result.planned
        ).format(batch=batch, count=number(result.planned))
    )
    _plan_columns(table, _("consultant"))
    for row in result.consultants:
        table.add_row(
            row["consultant"],
            number(row["people"]),
            number(row["days"]),
            _day(row["first"]),
            _day(row["last"]),
        )
    console().print(table)
    if result.locations:
        # Beside the consultants: where people come to, so rooms and opening hours can be checked.
        at_location = sum(r["people"] for r in result.locations)
        located = Table(
            title=ngettext(
                "At a location: {count} appointment", "At a location: {count} appointments", at_location
            ).format(count=number(at_location))
        )
        _plan_columns(located, _("location"))
        for row in result.locations:
            located.add_row(
                row["name"], number(row["people"]), number(row["days"]), _day(row["first"]), _day(row["last"])
            )
        console().print(located)
        if result.at_home:
            console().print(_("{batch}: {count} at home").format(batch=batch, count=number(result.at_home)))
    moved = result.moved
    if moved is not None:
        whom = ", ".join(moved.batches) or _("other batches")
        days = ngettext("{count} working day", "{count} working days", moved.days).format(count=moved.days)
        console().print(
            _(
                "{batch}: first appointment {day}, {days} after the asked start: "
                "the consultants are busy with {whom} until then"
            ).format(batch=batch, day=day(moved.first), days=days, whom=whom)
        )
    console().print(_("Next: kansen letters {batch}").format(batch=batch))


def _plan_columns(table: Any, who: str) -> None:
    """Who (a consultant or a location), then people, days, first and last day."""
    table.add_column(who)
    table.add_column(_("people"), justify="right", no_wrap=True)
    table.add_column(_("days"), justify="right", no_wrap=True)
    table.add_column(_("first"), no_wrap=True)
    table.add_column(_("last"), no_wrap=True)


def _day(iso: str) -> str:
    import datetime as dt

    return day(dt.date.fromisoformat(iso[:10]))


def _formats(value: str) -> set[str]:
    from kansen_cli.errors import KansenError
    from kansen_cli.workflows.letters import checked_formats

    try:
        return checked_formats(value.split(","))
    except KansenError:
        raise typer.BadParameter(
            _("use pdf, html or pdf,html (got {value!r})").format(value=value), param_hint="--format"
        ) from None


LetterFormatsOpt = Annotated[
    str,
    typer.Option(
        "--format",
        metavar="FORMAT",
        help="Output format: pdf (one combined PDF), html (one file per person) or pdf,html.",
    ),
]
LettersForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace existing output files; record a batch already sent again; send letters "
        "with fewer working days before the first appointment than the settings ask.",
    ),
]
StopCallingOpt = Annotated[
    bool,
    typer.Option(
        "--stop-calling",
        help="Phone first: stop calling those still being called (not reached, calls left) "
        "and send them the invitation; without it such a batch is refused.",
    ),
]


@command(rich_help_panel="Letter clerk")
def letters(
    batch: Annotated[str, typer.Argument(help="Batch id, e.g. selwerd-1.")],
    formats: LetterFormatsOpt = "pdf",
    sent_on: Annotated[
        str | None,
        typer.Option("--sent-on", metavar="DATE", help="Date the letters go out; default today."),
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
        Path | None,
        typer.Option("--out", metavar="DIR", help="Output folder; default <campaign>/letters/<batch>/."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Number of processes that render the PDF.")
    ] = 2,
    campaign: CampaignOpt = Path("."),
    force: LettersForceOpt = False,
    stop_calling: StopCallingOpt = False,
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
        err.print(
            _("Dry run: {count} sample letters in {folder}; nothing recorded.").format(
                count=number(result.letters), folder=result.folder
            )
        )
    else:
        err.print(
            ngettext(
                "{count} letter for {batch} in {folder}; recorded as sent on {day}.",
                "{count} letters for {batch} in {folder}; recorded as sent on {day}.",
                result.letters,
            ).format(
                count=number(result.letters),
                batch=result.batch,
                folder=result.folder,
                day=day(result.sent_on),
            )
        )
    if result.confirmations or result.no_letter:
        err.print(
            _(
                "Phone first: {confirmations} of them confirm an appointment made by phone;"
                " {no_letter} people said no on the phone and get no letter."
            ).format(confirmations=number(result.confirmations), no_letter=number(result.no_letter))
        )
    if result.stopped_calling:
        err.print(
            _(
                "Phone first: calling stopped for {count} people still being called; they get the invitation."
            ).format(count=number(result.stopped_calling))
        )
    htmls = [p for p in result.files if p.suffix == ".html"]
    for path in result.files:
        if path.suffix != ".html":
            console().print(str(path))
    if htmls:
        pattern = result.folder / (result.batch + "-" + _("<client id>") + ".html")
        console().print(
            ngettext("{pattern} ({count} file)", "{pattern} ({count} files)", len(htmls)).format(
                pattern=pattern, count=number(len(htmls))
            )
        )
