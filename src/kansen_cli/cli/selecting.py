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
from kansen_cli.workflows.export import EXPORTS

if TYPE_CHECKING:
    from kansen_cli.workflows.batch import BatchResult, RoundResult
    from kansen_cli.workflows.select import SelectResult


@command("select")
def select_command(
    register: Annotated[Path, typer.Argument(help="Register export, CSV or XLSX; - reads it from stdin.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Reference date (peildatum); default today.")
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

    Buckets, in order: invalid, active_guidance, care_team, recent_contact,
    already_approached, configured exclusions, selected. The run is recorded in the ledger.

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


def show_selection(result: SelectResult) -> None:
    """The funnel table, and where the run and the selection went."""
    _render_funnel(result)
    if result.out is not None:
        console(stderr=True).print(f"Selection written to {result.out}")


def _render_funnel(result: SelectResult) -> None:
    from rich.table import Table

    selection = result.selection
    out = console()
    table = Table(
        title=f"Selection funnel, {result.register_file}, as of {selection.as_of:%d-%m-%Y}, "
        f"window {selection.years} years"
    )
    table.add_column("bucket")
    table.add_column("people", justify="right")
    table.add_column("%", justify="right")
    for name, count in selection.funnel.items():
        share = 100 * count / selection.rows if selection.rows else 0
        table.add_row(name, str(count), f"{share:.1f}")
    table.add_section()
    table.add_row("register rows", str(selection.rows), "100.0")
    out.print(table)
    if result.problems:
        out.print(
            f"{selection.funnel['invalid']} rows are invalid ({result.problems} problems); "
            "`kansen check` lists them."
        )
    out.print(f"Recorded as selection run {result.run_id} in {result.ledger}. Next: kansen batch")


@command()
def batch(
    batches: Annotated[
        list[str] | None,
        typer.Argument(help="With --round: only the follow-on batches of these batches; default all."),
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
        Path | None, typer.Option("--files", help="Write one CSV per batch into this folder.")
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
        raise typer.BadParameter("batches are named only with --round N", param_hint="BATCHES")
    result = workflow.run(
        campaign, load_settings(campaign), size=size, seed=seed, files=files, force=force, on_wait=wait_notice
    )
    if as_json:
        if files is not None and result.batched:
            console(stderr=True).print(f"One file per batch in {files}")
        print_json(result.as_json())
        return
    show_batches(result)


def show_batches(result: BatchResult) -> None:
    if result.files is not None and result.batched:
        console(stderr=True).print(f"One file per batch in {result.files}")
    if not result.batched:
        console(stderr=True).print(
            "Nobody to batch: everyone selected in the latest run is in a batch already."
        )
        return
    _render_overview(result.overview, result.variants)


def show_round(result: RoundResult) -> None:
    """The follow-on batches, in Dutch like the letters they lead to; nothing new said so."""
    if not result.added:
        console(stderr=True).print(
            f"Niets nieuws: niemand meer om opnieuw uit te nodigen in ronde {result.round}"
            " (wie het contactresultaat daarvoor heeft, zit al in een batch van die ronde)."
        )
        return
    from rich.table import Table

    table = Table(title=f"Ronde {result.round}: {len(result.batches)} vervolgbatches")
    for col in ("batch", "ronde 1-batch", "wijk", "personen", "nieuw"):
        table.add_column(col, justify="right" if col in ("personen", "nieuw") else "left")
    for row in result.batches:
        table.add_row(row["batch"], row["parent"], row["neighbourhood"], str(row["size"]), str(row["added"]))
    table.add_section()
    table.add_row("totaal", "", "", str(sum(int(r["size"]) for r in result.batches)), str(result.added))
    console().print(table)
    console(stderr=True).print("Volgende stap: kansen plan BATCH, dan kansen letters BATCH")


def _render_overview(overview: list[dict[str, Any]], variants: list[str]) -> None:
    from rich.table import Table

    table = Table(title=f"{len(overview)} batches")
    for col in ("batch", "neighbourhood", "size", *variants):
        table.add_column(col, justify="right" if col not in ("batch", "neighbourhood") else "left")
    for row in overview:
        table.add_row(*(str(row[c]) for c in ("batch", "neighbourhood", "size", *variants)))
    table.add_section()
    table.add_row(
        "total",
        "",
        str(sum(int(r["size"]) for r in overview)),
        *(str(sum(int(r[v]) for r in overview)) for v in variants),
    )
    console().print(table)


@command()
def export(
    what: Annotated[str, typer.Argument(help="One of: " + ", ".join(EXPORTS) + ".")],
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
        raise typer.BadParameter(f"choose one of: {', '.join(EXPORTS)}", param_hint="WHAT")
    result = workflow.run(campaign, what, out=out, force=force)
    if as_json:
        print_json(result.as_json(what))
        return
    if out is None:
        typer.echo(result.csv_text(), nl=False)
        return
    console(stderr=True).print(f"{len(result.frame)} rows written to {out}")
