"""The council figures: `kansen report`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kansen_cli.cli.app import CampaignOpt, ForceOpt, JsonOpt, command, console, date_option
from kansen_cli.i18n import _, ngettext

if TYPE_CHECKING:
    from kansen_cli.workflows.report import ReportResult


# The period's options, declared here so that the command reads as its steps.
FromOpt = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="DATE",
        help="First day of the period (letters by send date, outcomes by conversation date).",
    ),
]
ToOpt = Annotated[str | None, typer.Option("--to", metavar="DATE", help="Last day of the period, inclusive.")]


@command(rich_help_panel="Coordinator")
def report(
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    batch: Annotated[str | None, typer.Option("--batch", metavar="BATCH", help="Only this batch.")] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", metavar="FORMAT", help="Output format: table, md, xlsx, json, docx or pdf."),
    ] = "table",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write md, xlsx, json, docx or pdf to this file (xlsx, docx and pdf need it)."
        ),
    ] = None,
    charts: Annotated[
        Path | None, typer.Option("--charts", help="Also write PNG charts into this folder.", file_okay=False)
    ] = None,
    publish: Annotated[
        bool,
        typer.Option(
            "--publish",
            help="For publication: hide small counts (and what would reveal them) and thin percentages.",
        ),
    ] = False,
    campaign: CampaignOpt = Path("."),
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """The figures for the council: reach, letter variants, outcomes, referrals, follow-up, funnel.

    The period (--from/--to) applies to the send date of the letters for reach and letter
    variants, and to the conversation date for outcomes; referrals, follow-up calls and
    'became active' belong to the conversations they came from. Response rate = spoken /
    (approached - not applicable). Tables that must add up are checked: a figure that
    disagrees between tables stops the report with an error.

    Formats: table (on the terminal), md (Markdown), xlsx (a sheet per table), json, docx (a Word
    document with the tables, their notes and the charts, for the council letter's annex) and
    pdf (the same as a fixed annex). --publish applies to all of them.

    Example: kansen report --from 2026-01-01 --to 2026-06-30 --format md --out raad.md --charts grafieken/

    Example: kansen report --from 2026-01-01 --to 2026-06-30 --format docx --out bijlage.docx --publish
    """
    from kansen_cli.workflows import report as workflow

    fmt = "json" if as_json else output_format.lower()
    if fmt not in workflow.FORMATS:
        raise typer.BadParameter(
            _("choose one of: {formats}").format(formats=", ".join(workflow.FORMATS)), param_hint="--format"
        )
    start = date_option(date_from, "--from")
    end = date_option(date_to, "--to")
    if start is not None and end is not None and end < start:
        raise typer.BadParameter(_("the period ends before it starts"), param_hint="--to")
    from kansen_cli.cli.progress import progress_bar
    from kansen_cli.clock import today
    from kansen_cli.settings import load_settings

    settings = load_settings(campaign)
    with progress_bar(_("Making the report"), as_json or fmt == "json") as progress:
        result = workflow.run(
            campaign,
            settings,
            start,
            end,
            batch,
            fmt=fmt,
            out=out,
            charts=charts,
            publish=publish,
            force=force,
            today=today(),
            on_progress=progress,
        )
    show_report(result)


def show_report(result: ReportResult) -> None:
    """The report on the terminal (or its text on stdout) and what was written, on stderr."""

    def err() -> Any:
        # rich only when there is something to say: `report --json` on stdout needs none of it.
        return console(stderr=True)

    if result.empty:
        err().print(
            _(
                "Nobody approached in this period yet: the figures are all zero. "
                "Send letters with `kansen letters`."
            ),
            markup=False,
        )
    if result.text is not None and result.out is None:
        typer.echo(result.text, nl=False)
    elif result.fmt == "table":
        from kansen_cli import report_render as render

        term = console()
        for item in render.to_rich(result.report, term.width):
            term.print(item)
    if result.out is not None:
        err().print(_("Report written to {path}").format(path=result.out), markup=False)
    if result.charts_folder is not None:
        count = len(result.charts)
        written = ngettext("{count} chart written to {path}", "{count} charts written to {path}", count)
        err().print(written.format(count=count, path=result.charts_folder), markup=False)
