"""The letter clerk's commands: `kansen plan`, `kansen letters`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kansen_cli.cli.app import CampaignOpt, JsonOpt, command, console, date_option, print_json

FORMATS = ("pdf", "html")
DRY_RUN_LETTERS = 3
DRY_RUN_FOLDER = "proef"


@command()
def plan(
    batch: Annotated[str, typer.Argument(help="Batch id, e.g. selwerd-1 (see `kansen batch`).")],
    start: Annotated[str, typer.Option("--start", help="First day visits may be planned (yyyy-mm-dd).")],
    campaign: CampaignOpt = Path("."),
    force: Annotated[
        bool, typer.Option("--force", help="Plan again even though the batch's letters went out.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Propose an appointment (date, time, consultant) for everyone in a batch.

    Each consultant gets a contiguous part of the route (postcode, house number) on
    consecutive slots; no weekends, Dutch public holidays, closed days or double bookings.
    Planning a batch again replaces its plan, until its letters are sent.

    Example: kansen plan selwerd-1 --start 2026-11-02
    """
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.letters import busy_elsewhere, route, store_plan
    from kansen_cli.ledger.runs import require_batch
    from kansen_cli.planning import plan as make_plan
    from kansen_cli.planning import plan_overview
    from kansen_cli.settings import load_settings

    first = date_option(start, "--start")
    settings = load_settings(campaign)
    with open_ledger(campaign, create=False) as ledger:
        require_batch(ledger, batch)
        appointments = make_plan(
            route(ledger, batch), first, settings.planning, busy_elsewhere(ledger, batch)
        )
        store_plan(ledger, batch, appointments, force)
    overview = plan_overview(appointments)
    if as_json:
        print_json({"batch": batch, "planned": len(appointments), "consultants": overview})
        return
    from rich.table import Table

    table = Table(title=f"Plan for {batch}: {len(appointments)} appointments")
    for column in ("consultant", "people", "days", "first", "last"):
        table.add_column(column, justify="right" if column in ("people", "days") else "left")
    for row in overview:
        table.add_row(
            row["consultant"],
            str(row["people"]),
            str(row["days"]),
            _dutch(row["first"]),
            _dutch(row["last"]),
        )
    console().print(table)
    console().print(f"Next: kansen letters {batch}")


def _dutch(iso: str) -> str:
    return f"{iso[8:10]}-{iso[5:7]}-{iso[:4]}"


def _formats(value: str) -> set[str]:
    chosen = {f.strip().lower() for f in value.split(",") if f.strip()}
    unknown = chosen - set(FORMATS)
    if unknown or not chosen:
        raise typer.BadParameter(f"use pdf, html or pdf,html (got {value!r})", param_hint="--format")
    return chosen


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
        typer.Option("--force", help="Replace existing output files; record a batch already sent again."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Render a batch's invitation letters, the mail-merge workbook and the reminder-call list.

    Checks every letter field for everyone first and writes nothing if any is missing.
    Writes <batch>.pdf (one page per letter, by postcode), <batch>-mailmerge.xlsx,
    <batch>-bellijst.xlsx and with --format html one <batch>-<client id>.html per person,
    then records the batch as invited on --sent-on.

    Example: kansen letters selwerd-1 --format pdf,html --sent-on 2026-10-26
    """
    import datetime as dt

    from kansen_cli import letter_render, letter_templates
    from kansen_cli import letters as core
    from kansen_cli.files import check_writable
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.letters import AlreadyInvitedError, letter_people, letters_sent_on, record_letters
    from kansen_cli.ledger.runs import require_batch
    from kansen_cli.settings import load_settings

    chosen = _formats(formats)
    letter_date = date_option(sent_on, "--sent-on") or dt.date.today()
    settings = load_settings(campaign)
    with open_ledger(campaign, create=False) as ledger:
        require_batch(ledger, batch)
        previous = letters_sent_on(ledger, batch)
        if previous is not None and not force and not dry_run:
            raise AlreadyInvitedError(
                f"the letters of batch {batch!r} were recorded as sent on {previous}; "
                "use --force to make and record them again"
            )
        people = letter_people(ledger, batch)
        env = letter_templates.environment(campaign)
        fields = core.letter_fields(people, settings, letter_date)
        core.preflight(env, fields, batch, letter_date)

        if dry_run:
            # Inside the campaign, where the retention rules apply, never in the system temp folder;
            # each dry run replaces the previous sample.
            folder = Path(campaign) / "letters" / batch / DRY_RUN_FOLDER
            fields = fields[:DRY_RUN_LETTERS]
        else:
            folder = out if out is not None else Path(campaign) / "letters" / batch
        paths = _output_paths(folder, batch, fields, chosen, workbooks=not dry_run)
        if not dry_run:
            for path in paths.values():
                check_writable(path, force)

        # Everything is rendered in memory first, so a failure (a letter running over one page,
        # a template error) leaves no file behind; then the files appear together.
        contents: dict[Path, bytes] = _render(letter_render, env, fields, paths, chosen, workers)
        sheets: dict[Path, Any] = {}
        if not dry_run:
            sheets = {
                paths["mailmerge"]: {"Brieven": core.mailmerge_frame(fields)},
                paths["calls"]: core.call_lists(fields),
            }
        written = _write_together(folder, contents, sheets, force or dry_run, replace_folder=dry_run)
        if not dry_run:
            try:
                record_letters(
                    ledger,
                    batch,
                    [(str(f["client_id"]), str(f["variant"])) for f in fields],
                    letter_date,
                    force=force,
                )
            except BaseException:
                # Not recorded: take the new files away again, so that a re-run is not refused.
                for path in written:
                    path.unlink(missing_ok=True)
                raise
    result: dict[str, Any] = {
        "batch": batch,
        "letters": len(fields),
        "sent_on": None if dry_run else letter_date.isoformat(),
        "dry_run": dry_run,
        "folder": str(folder),
        "files": [str(p) for p in written],
    }
    if as_json:
        print_json(result)
        return
    err = console(stderr=True)
    if dry_run:
        err.print(f"Dry run: {len(fields)} sample letters in {folder}; nothing recorded.")
    else:
        err.print(
            f"{len(fields)} letters for {batch} in {folder}; recorded as sent on {letter_date:%d-%m-%Y}."
        )
    htmls = [p for p in written if p.suffix == ".html"]
    for path in written:
        if path.suffix != ".html":
            console().print(str(path))
    if htmls:
        console().print(f"{folder / (batch + '-<client id>.html')} ({len(htmls)} files)")


def _output_paths(
    folder: Path, batch: str, fields: list, chosen: set[str], workbooks: bool = True
) -> dict[str, Path]:
    # File names from batch and client ids only, never from names.
    paths = {}
    if "pdf" in chosen:
        paths["pdf"] = folder / f"{batch}.pdf"
    if workbooks:
        paths["mailmerge"] = folder / f"{batch}-mailmerge.xlsx"
        paths["calls"] = folder / f"{batch}-bellijst.xlsx"
    if "html" in chosen:
        for f in fields:
            paths[f"html:{f['client_id']}"] = folder / f"{batch}-{f['client_id']}.html"
    return paths


def _render(
    render: Any, env: Any, fields: list, paths: dict[str, Path], chosen: set[str], workers: int
) -> dict[Path, bytes]:
    """The PDF (page count checked) and the HTML letters, in memory; nothing is written here."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    contents: dict[Path, bytes] = {}
    total = len(fields) * len(chosen)
    # auto_refresh off: no refresh thread alive while the PDF workers are forked.
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console(stderr=True),
        auto_refresh=False,
        transient=True,
    ) as progress:
        task = progress.add_task("Letters", total=total)

        def advance(n: int) -> None:
            progress.advance(task, n)
            progress.refresh()

        if "pdf" in chosen:
            contents[paths["pdf"]] = render.render_pdf(env, fields, workers=workers, progress=advance)
        if "html" in chosen:
            for f in fields:
                contents[paths[f"html:{f['client_id']}"]] = render.render_letter(env, f).encode("utf-8")
                advance(1)
    return contents


def _write_together(
    folder: Path,
    contents: dict[Path, bytes],
    sheets: dict[Path, Any],
    force: bool,
    replace_folder: bool = False,
) -> list[Path]:
    """Write all files into a private staging folder inside `folder`, then move them into place.

    On any failure nothing is left at the target paths, and folders this call made are removed
    again. With replace_folder, files in `folder` that are not among the new ones go (a dry
    run's previous sample).
    """
    import contextlib
    import os
    import shutil
    import tempfile

    from kansen_cli.files import check_writable, ensure_dir, write_bytes, write_xlsx

    created = [p for p in (folder, *folder.parents) if not p.exists()]
    ensure_dir(folder)
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".kansen-"))
    moved: list[Path] = []
    try:
        for path, data in contents.items():
            write_bytes(staging / path.name, data)
        for path, frames in sheets.items():
            write_xlsx(staging / path.name, frames)
        targets = [*contents, *sheets]
        for path in targets:
            check_writable(path, force)
        if replace_folder:
            keep = {p.name for p in targets}
            for old in folder.iterdir():
                if old.is_file() and old.name not in keep:
                    old.unlink()
        for path in targets:
            os.replace(staging / path.name, path)
            moved.append(path)
    except BaseException:
        for path in moved:
            path.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        for path in created:  # innermost first
            with contextlib.suppress(OSError):
                path.rmdir()
        raise
    staging.rmdir()
    return moved
