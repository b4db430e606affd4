"""The council figures: `kansen report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kansen_cli.cli.app import CampaignOpt, ForceOpt, JsonOpt, command, console, date_option

FORMATS = ("table", "md", "xlsx", "json")


@command()
def report(
    date_from: Annotated[
        str | None,
        typer.Option(
            "--from", help="First day of the period (letters by send date, outcomes by conversation date)."
        ),
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day of the period, inclusive.")] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="Only this batch.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table, md, xlsx or json.")] = "table",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write md, xlsx or json to this file (xlsx needs it).")
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

    Example: kansen report --from 2026-01-01 --to 2026-06-30 --format md --out raad.md --charts grafieken/
    """
    from kansen_cli.errors import KansenError

    fmt = "json" if as_json else output_format.lower()
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of: {', '.join(FORMATS)}", param_hint="--format")
    if fmt == "xlsx" and out is None:
        raise KansenError("--format xlsx needs --out FILE.xlsx")
    if fmt == "table" and out is not None:
        raise KansenError("--out works with --format md, xlsx or json")
    start = date_option(date_from, "--from")
    end = date_option(date_to, "--to")
    if start is not None and end is not None and end < start:
        raise typer.BadParameter("the period ends before it starts", param_hint="--to")
    from kansen_cli.files import check_writable

    if out is not None:
        check_writable(out, force)
    if charts is not None:
        from kansen_cli.charts import CHART_FILES

        for name in CHART_FILES:
            check_writable(charts / name, force)

    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.reporting import read_report_data
    from kansen_cli.ledger.runs import require_batch
    from kansen_cli.report import build_report
    from kansen_cli.settings import load_settings

    settings = load_settings(campaign)
    with open_ledger(campaign, create=False) as ledger:
        if batch is not None:
            require_batch(ledger, batch)
        data = read_report_data(ledger, start, end, batch)
    result = build_report(data, settings, start, end, batch, publish=publish)
    err = console(stderr=True)
    if result.empty:
        err.print(
            "Nobody approached in this period yet: the figures are all zero. "
            "Send letters with `kansen letters`."
        )

    from kansen_cli import report_render as render

    if fmt == "json":
        text = render.to_json(result)
        if out is None:
            typer.echo(text, nl=False)
        else:
            from kansen_cli.files import write_text

            write_text(out, text, force)
    elif fmt == "md":
        text = render.to_markdown(result)
        if out is None:
            typer.echo(text, nl=False)
        else:
            from kansen_cli.files import write_text

            write_text(out, text, force)
    elif fmt == "xlsx":
        assert out is not None
        render.write_xlsx(result, out, force)
    else:
        term = console()
        for item in render.to_rich(result):
            term.print(item)
    if out is not None:
        err.print(f"Report written to {out}")
    if charts is not None:
        from kansen_cli.charts import write_charts

        written = write_charts(result, charts, force)
        err.print(f"{len(written)} charts written to {charts}")
