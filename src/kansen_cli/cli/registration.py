"""The coordinator's registration commands: `kansen sheet`, `kansen ingest`, `kansen followup`.

Option parsing and rendering only; the work is in `workflows.sheet`, `workflows.ingest` and
`workflows.followup`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kansen_cli.cli.app import (
    CampaignOpt,
    ForceOpt,
    JsonOpt,
    command,
    console,
    date_option,
    print_json,
    wait_notice,
)
from kansen_cli.i18n import N_, _, day, ngettext, number

if TYPE_CHECKING:
    from kansen_cli.settings import Settings
    from kansen_cli.workflows.followup import FollowupResult
    from kansen_cli.workflows.ingest import IngestResult
    from kansen_cli.workflows.sheet import SheetResult


@command(rich_help_panel="Coordinator")
def sheet(
    batch_id: Annotated[str, typer.Argument(metavar="BATCH", help="Batch id, e.g. selwerd-1.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Workbook to write; default <campaign>/sheets/<batch>-registratie.xlsx."),
    ] = None,
    campaign: CampaignOpt = Path("."),
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Write the consultants' registration workbook of a batch.

    One row per person, pre-filled with client number, name, address and appointment (when
    planned); a dropdown for every coded answer, one Ja/Nee column per activity type and per
    referral destination. Pre-filled columns are protected; a hidden marker tells
    `kansen ingest` which batch the workbook belongs to.

    Example: kansen sheet selwerd-1 --out selwerd-1-registratie.xlsx
    """
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import sheet as workflow

    result = workflow.run(
        campaign, load_settings(campaign), batch_id, out=out, force=force, on_wait=wait_notice
    )
    if as_json:
        print_json(result.as_json())
        return
    show_sheet(result)


def show_sheet(result: SheetResult) -> None:
    batch_id = result.batch_id
    err = console(stderr=True)
    err.print(
        _(
            "Wrote {file}: {people} people, {appointments} with an appointment. "
            "Next: fill it in, then `kansen ingest {file}`"
        ).format(file=result.file, people=number(result.people), appointments=number(result.with_appointment))
    )
    if result.without_letter:
        # Outcomes load only for people who were sent a letter; say so before the work is done.
        err.print(
            _(
                "Note: {count} people in {batch} have no letter recorded yet; "
                "their answers load only after `kansen letters {batch}`."
            ).format(count=number(result.without_letter), batch=batch_id)
        )


@command(rich_help_panel="Coordinator")
def ingest(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Filled-in workbooks, one or more; - reads one from stdin."),
    ],
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help="Load the valid rows of a file with problems; reject the others."
        ),
    ] = False,
    campaign: CampaignOpt = Path("."),
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace answers that later work depends on (a referral with the partner's result,"
            " a conversation with follow-up calls).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Validate and load filled-in workbooks into the ledger: registration, follow-up, survey, caseload.

    Each file is checked as a whole against the codebook, its batch and the rules (answers
    only for people spoken to, referrals only with consent, dates between the letter and
    today). A file with any problem loads nothing unless --skip-invalid. One transaction per
    file; loading a file again changes nothing, a changed answer is updated and the old one
    kept in the ledger's history. A row that would remove a referral holding the partner's
    result, or take a conversation with follow-up calls off the follow-up, is refused unless
    --force; a file changing answers after other copies were loaded gets a warning (an older
    copy undoes newer answers). Exit code 1 when a file was not loaded.

    Example: kansen ingest sheets/selwerd-1-registratie.xlsx --skip-invalid
    """
    from kansen_cli.settings import load_settings

    result = _ingest(campaign, load_settings(campaign), files, skip_invalid, force, as_json)
    if as_json:
        print_json(result.as_json())
    else:
        show_ingest(result)
    err = console(stderr=True)
    for warning in result.warnings:
        err.print(_("Warning: {warning}").format(warning=warning), markup=False)
    if result.not_loaded:
        fix = (
            _("Fix the problems listed, or use --skip-invalid to load the valid rows.")
            if result.skip_invalid_would_help
            else _("Fix the problems listed.")
        )
        if result.force_would_help:
            fix += " " + _("Rows refused to keep later work: --force replaces it.")
        count = len(result.not_loaded)
        err.print(
            ngettext("{count} file not loaded: {files}.", "{count} files not loaded: {files}.", count).format(
                count=count, files=", ".join(result.not_loaded)
            )
            + " "
            + fix,
            markup=False,
        )
        raise typer.Exit(1)


def _ingest(
    campaign: Path, settings: Settings, files: list[Path], skip_invalid: bool, force: bool, as_json: bool
) -> IngestResult:
    """Run the ingest, with `-` read from stdin and a progress bar over the files."""
    from kansen_cli.cli.progress import progress_bar
    from kansen_cli.clock import today
    from kansen_cli.stdin_files import is_stdin, stdin_as_file
    from kansen_cli.workflows import ingest as workflow

    if sum(is_stdin(f) for f in files) > 1:
        raise typer.BadParameter(_("stdin (-) can be read once only"), param_hint="FILE")
    stdin = next((f for f in files if is_stdin(f)), Path("not-stdin"))
    with (
        stdin_as_file(stdin, typer.get_binary_stream("stdin")) as copy,
        progress_bar(_("Reading workbooks"), as_json) as progress,
    ):
        paths = [copy if is_stdin(f) else f for f in files]
        return workflow.run(
            campaign,
            settings,
            paths,
            today(),
            skip_invalid=skip_invalid,
            on_wait=wait_notice,
            force=force,
            on_progress=progress,
        )


def show_ingest(result: IngestResult) -> None:
    from rich.table import Table

    from kansen_cli.workflows.ingest import COUNT_KEYS

    def counted(counts: dict[str, int]) -> str:
        return ", ".join(f"{number(counts[k])} {_(COUNT_LABELS.get(k, k))}" for k in COUNT_KEYS)

    out = console()
    for r in result.files:
        state = _("loaded") if r.loaded else _("NOT loaded")
        kind = _(KIND_LABELS.get(r.kind, r.kind)) if r.kind else "?"
        what = kind + (f" {r.batch_id}" if r.batch_id else "")
        out.print(f"{r.file} ({what}): {state}: " + counted(r.counts))
    if len(result.files) > 1:
        out.print(_("total") + ": " + counted(result.totals))
    problems = [p for r in result.files for p in r.problems]
    if not problems:
        return
    listing = Table(title=_("Problems ({count})").format(count=number(len(problems))), show_edge=False)
    listing.add_column(_("file"), overflow="fold")  # a path may be longer than a line
    listing.add_column(_("row"), justify="right", no_wrap=True)
    listing.add_column(_("column"))
    listing.add_column(_("value"), overflow="fold")  # a value as typed, e.g. a long number
    listing.add_column(_("problem"))
    for p in problems:
        listing.add_row(
            p["file"],
            "" if p["row"] is None else str(p["row"]),
            p["column"] or "",
            "" if p["value"] is None else p["value"],
            p["message"],
        )
    out.print(listing)


@command(rich_help_panel="Coordinator")
def followup(
    due: Annotated[
        str | None,
        typer.Option("--due", metavar="DATE", help="List who is due on this date; default today."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Workbook to write; default <campaign>/sheets/nabellen-<due>.xlsx."),
    ] = None,
    campaign: CampaignOpt = Path("."),
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """List who is due a follow-up call and write the follow-up workbook.

    Due: people who said they would become active on their own, the set number of months
    after the conversation (two call rounds when not reached), and referrals still waiting
    for the partner's answer. Without --due the list holds everyone due up to today, also
    those due earlier and not yet called: make one list a month. A line ends with a final
    result ("Niet meer bellen", "Geen resultaat van partner"), after the set call rounds, and
    for a referral after the set number of lists without an answer. Fill in the workbook and
    load it with `kansen ingest`.

    Example: kansen followup --due 2027-03-01
    """
    from kansen_cli.clock import today
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import followup as workflow

    settings = load_settings(campaign)
    day = date_option(due, "--due")
    result = workflow.run(campaign, settings, today(), due=day, out=out, force=force)
    if as_json:
        print_json(result.as_json())
        return
    show_followup(result)


def show_followup(result: FollowupResult) -> None:
    err = console(stderr=True)
    if result.file is None:
        err.print(
            _("Nobody is due a follow-up call on {day}, and no referral waits for an answer.").format(
                day=day(result.due)
            )
        )
        return
    rounds = ", ".join(
        _("round {round}: {count}").format(round=k, count=number(v)) for k, v in result.calls_by_round.items()
    ) or _("none")
    console().print(
        _("Due on {day}: {calls} ({rounds}); {referrals}.").format(
            day=day(result.due),
            calls=ngettext("{count} call", "{count} calls", result.calls).format(count=number(result.calls)),
            rounds=rounds,
            referrals=ngettext(
                "{count} referral waiting for an answer",
                "{count} referrals waiting for an answer",
                result.referrals,
            ).format(count=number(result.referrals)),
        )
    )
    err.print(_("Wrote {file}. Next: fill it in, then `kansen ingest {file}`").format(file=result.file))


# What became of the rows of a workbook, and the kinds of workbook, as people call them.
COUNT_LABELS = {
    "new": N_("new"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "rejected": N_("rejected"),
    "blank": N_("blank"),
}
KIND_LABELS = {
    "registration": N_("registration sheet"),
    "followup": N_("follow-up calls"),
    "survey": N_("survey"),
    "caseload": N_("caseload"),
    "calls": N_("calls workbook"),
}
