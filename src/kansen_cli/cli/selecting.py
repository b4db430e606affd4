"""The analyst's commands: `kansen select`, `kansen batch`, `kansen export`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
from kansen_cli.cli.setup import DelimiterOpt, EncodingOpt, SheetOpt, WijkenOpt, read_options
from kansen_cli.i18n import N_, _, day, ngettext, number, percent
from kansen_cli.workflows.export import EXPORTS

if TYPE_CHECKING:
    from kansen_cli.workflows.batch import BatchResult, RoundResult
    from kansen_cli.workflows.select import SelectResult


@command("select", rich_help_panel="Analyst")
def select_command(
    register: Annotated[Path, typer.Argument(help="Register export, CSV or XLSX; - reads it from stdin.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="Reference date (peildatum); default today.")
    ] = None,
    allow_future: Annotated[
        bool, typer.Option("--allow-future", help="Accept an --as-of after today.")
    ] = False,
    years: Annotated[
        int | None, typer.Option("--years", min=0, help="Window in years; default from settings (2).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the selection to this .csv or .xlsx.")
    ] = None,
    campaign: CampaignOpt = Path("."),
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    sheet: SheetOpt = None,
    wijken: WijkenOpt = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Run the selection funnel: every register row lands in exactly one bucket.

    Buckets, in order: invalid row, in active guidance, in a care team, recent contact,
    approached already, the exclusions in the settings, selected. The run is recorded in the ledger.

    Example: kansen select sample_data/register.csv --as-of 2026-10-01 --out selectie.xlsx
    """
    from kansen_cli.cli.progress import progress_bar
    from kansen_cli.clock import today
    from kansen_cli.i18n import _
    from kansen_cli.settings import load_settings
    from kansen_cli.stdin_files import stdin_as_file
    from kansen_cli.workflows import select

    with (
        stdin_as_file(register, typer.get_binary_stream("stdin")) as path,
        progress_bar(_("Reading the register"), as_json) as progress,
    ):
        result = select.run(
            campaign,
            load_settings(campaign),
            path,
            today(),
            as_of=date_option(as_of, "--as-of"),
            years=years,
            out=out,
            options=read_options(encoding, delimiter, sheet, wijken),
            force=force,
            on_wait=wait_notice,
            allow_future=allow_future,
            on_progress=progress,
        )
    if as_json:
        print_json(result.as_json())
        return
    show_selection(result)


# The funnel's buckets as people call them; the codes stay in --json. A configured exclusion
# is shown by the name it has in kansen.toml.
BUCKET_LABELS = {
    "invalid": N_("invalid"),
    "active_guidance": N_("active guidance"),
    "care_team": N_("known to the care team"),
    "recent_contact": N_("recent contact"),
    "already_approached": N_("already approached"),
    "selected": N_("selected"),
}


def bucket_label(code: str) -> str:
    """The bucket's name in the current language; a configured exclusion's own name."""
    return _(BUCKET_LABELS[code]) if code in BUCKET_LABELS else code


def show_selection(result: SelectResult) -> None:
    """The funnel table, and where the run and the selection went."""
    _render_funnel(result)
    if result.out is not None:
        console(stderr=True).print(_("Selection written to {path}").format(path=result.out))


def _render_funnel(result: SelectResult) -> None:
    from rich.table import Table

    selection = result.selection
    out = console()
    table = Table(
        title=_("Selection funnel, {file}, reference date {day}, window {years} years").format(
            file=result.register_file, day=day(selection.as_of), years=selection.years
        )
    )
    table.add_column(_("bucket"))
    table.add_column(_("people"), justify="right", no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    for name, count in selection.funnel.items():
        share = 100 * count / selection.rows if selection.rows else None
        table.add_row(bucket_label(name), number(count), _share(share))
    table.add_section()
    table.add_row(_("register rows"), number(selection.rows), _share(100.0 if selection.rows else None))
    out.print(table)
    if result.problems:
        invalid = selection.funnel["invalid"]
        rows = ngettext("{count} row is invalid", "{count} rows are invalid", invalid).format(
            count=number(invalid)
        )
        problems = ngettext("{count} problem", "{count} problems", result.problems).format(
            count=number(result.problems)
        )
        out.print(_("{rows} ({problems}); `kansen check` lists them.").format(rows=rows, problems=problems))
    out.print(
        _("Recorded as selection run {run} in {ledger}. Next: kansen batch").format(
            run=result.run_id, ledger=result.ledger
        )
    )


def _share(value: float | None) -> str:
    """A share in the funnel: the number only (the column says %), or that there is none yet."""
    return percent(None) if value is None else number(value, 1)


@command(rich_help_panel="Analyst")
def batch(
    batches: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="BATCH", help="With --round: only the follow-on batches of these batches; default all."
        ),
    ] = None,
    round_no: Annotated[
        int | None,
        typer.Option(
            "--round",
            min=2,
            help="Make round N: who is to be invited again (codebook roles.invite_again) in a batch"
            " of their own, <batch>-rN.",
        ),
    ] = None,
    size: Annotated[int | None, typer.Option("--size", min=1, help="Target batch size; default 250.")] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed for the letter variants; default from settings.")
    ] = None,
    files: Annotated[
        Path | None, typer.Option("--files", metavar="DIR", help="Write one CSV per batch into this folder.")
    ] = None,
    campaign: CampaignOpt = Path("."),
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Split the selected, not yet batched people into neighbourhood batches with letter variants.

    With --round 2 [BATCH ...]: the people of each round-1 batch whose contact result says
    "invite again" go into a follow-on batch (selwerd-1-r2) with its own letter; round 1 stays
    as it was.

    Example: kansen batch --size 250 --seed 2015 --files batches/
    """
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import batch as workflow

    if round_no is not None:
        rounds = workflow.run_round(campaign, load_settings(campaign), round_no, batches, on_wait=wait_notice)
        if as_json:
            print_json(rounds.as_json())
            return
        show_round(rounds)
        return
    if batches:
        raise typer.BadParameter(_("batches are named only with --round N"), param_hint="BATCHES")
    result = workflow.run(
        campaign, load_settings(campaign), size=size, seed=seed, files=files, force=force, on_wait=wait_notice
    )
    if as_json:
        if files is not None and result.batched:
            console(stderr=True).print(_("One file per batch in {folder}").format(folder=files))
        print_json(result.as_json())
        return
    show_batches(result)


def show_batches(result: BatchResult) -> None:
    if result.files is not None and result.batched:
        console(stderr=True).print(_("One file per batch in {folder}").format(folder=result.files))
    if not result.batched:
        console(stderr=True).print(
            _("Nobody to batch: everyone selected in the latest run is in a batch already.")
        )
        return
    _render_overview(result.overview, result.variants)


def show_round(result: RoundResult) -> None:
    """The follow-on batches; nothing new said so."""
    if not result.added:
        console(stderr=True).print(
            _(
                "Nothing new: nobody left to invite again in round {round} (whoever has that contact"
                " result is in a batch of that round already)."
            ).format(round=result.round)
        )
        return
    from rich.table import Table

    table = Table(
        title=ngettext(
            "Round {round}: {count} follow-on batch",
            "Round {round}: {count} follow-on batches",
            len(result.batches),
        ).format(round=result.round, count=len(result.batches))
    )
    table.add_column(_("batch"))
    table.add_column(_("round 1 batch"))
    table.add_column(_("neighbourhood"))
    table.add_column(_("people"), justify="right", no_wrap=True)
    table.add_column(_("new"), justify="right", no_wrap=True)
    for row in result.batches:
        table.add_row(
            row["batch"], row["parent"], row["neighbourhood"], number(row["size"]), number(row["added"])
        )
    table.add_section()
    table.add_row(
        _("total"), "", "", number(sum(int(r["size"]) for r in result.batches)), number(result.added)
    )
    console().print(table)
    console(stderr=True).print(_("Next: kansen plan BATCH, then kansen letters BATCH"))


def _render_overview(overview: list[dict[str, Any]], variants: list[str]) -> None:
    from rich.table import Table

    table = Table(
        title=ngettext("{count} batch", "{count} batches", len(overview)).format(count=len(overview))
    )
    table.add_column(_("batch"))
    table.add_column(_("neighbourhood"))
    table.add_column(_("size"), justify="right", no_wrap=True)
    for variant in variants:  # a letter variant's own name, from kansen.toml
        table.add_column(variant, justify="right", no_wrap=True)
    for row in overview:
        table.add_row(
            str(row["batch"]), str(row["neighbourhood"]), *(number(row[c]) for c in ("size", *variants))
        )
    table.add_section()
    table.add_row(
        _("total"),
        "",
        number(sum(int(r["size"]) for r in overview)),
        *(number(sum(int(r[v]) for r in overview)) for v in variants),
    )
    console().print(table)


@command(rich_help_panel="Analyst")
def export(
    what: Annotated[str, typer.Argument(metavar="TABLE", help="One of: " + ", ".join(EXPORTS) + ".")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this .csv or .xlsx instead of stdout.")
    ] = None,
    campaign: CampaignOpt = Path("."),
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Export a ledger table to CSV or XLSX (or CSV on stdout).

    With --json: the rows as a JSON list on stdout, or with --out what was written.

    Example: kansen export selection --out selectie.xlsx
    """
    from kansen_cli.workflows import export as workflow

    if what not in EXPORTS:
        raise typer.BadParameter(
            _("choose one of: {choices}").format(choices=", ".join(EXPORTS)), param_hint="WHAT"
        )
    result = workflow.run(campaign, what, out=out, force=force)
    if as_json:
        print_json(result.as_json(what))
        return
    if out is None:
        typer.echo(result.csv_text(), nl=False)
        return
    rows = len(result.frame)
    console(stderr=True).print(
        ngettext("{count} row written to {path}", "{count} rows written to {path}", rows).format(
            count=number(rows), path=out
        )
    )
