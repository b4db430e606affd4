"""The analyst's commands: `kansen select`, `kansen batch`, `kansen export`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kansen_cli.cli.app import CampaignOpt, ForceOpt, JsonOpt, command, console, date_option, print_json
from kansen_cli.cli.setup import DelimiterOpt, EncodingOpt, SheetOpt, WijkenOpt, delimiter_value


@command("select")
def select_command(
    register: Annotated[Path, typer.Argument(help="Register export, CSV or XLSX.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Reference date (peildatum); default today.")
    ] = None,
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
    import datetime as dt

    from kansen_cli.files import check_writable, write_table
    from kansen_cli.ledger import ledger_path, open_ledger
    from kansen_cli.ledger.runs import approached_ids, record_selection
    from kansen_cli.register import read_register
    from kansen_cli.selection import select
    from kansen_cli.settings import load_settings

    settings = load_settings(campaign)
    reference = date_option(as_of, "--as-of") or dt.date.today()
    window = settings.selection.years if years is None else years
    if out is not None:
        check_writable(out, force)
    reg = read_register(
        register,
        settings.register_.columns,
        encoding=encoding,
        delimiter=delimiter_value(delimiter),
        sheet=sheet,
        wijken=wijken,
        need_birth_date=settings.selection.needs_birth_date(),
    )
    with open_ledger(campaign) as ledger:
        selection = select(
            reg.people, reference, window, approached_ids(ledger), settings.selection.exclusions
        )
        target = out

        def write_out() -> None:
            # Inside the ledger transaction: the file and the recorded run exist together or not at all.
            if target is not None:
                chosen = (selection.buckets == "selected").to_numpy()
                write_table(target, reg.people.loc[chosen].drop(columns=["invalid", "bsn"]), force)

        run_id = record_selection(ledger, reg, selection, settings, before_commit=write_out)
    if as_json:
        print_json(selection.as_json())
        return
    _render_funnel(selection, reg.source.file, run_id, len(reg.report), ledger_path(campaign).resolve())
    if out is not None:
        console(stderr=True).print(f"Selection written to {out}")


def _render_funnel(selection, file: str, run_id: int, problems: int, ledger: Path) -> None:
    from rich.table import Table

    out = console()
    table = Table(
        title=f"Selection funnel, {file}, as of {selection.as_of:%d-%m-%Y}, window {selection.years} years"
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
    if problems:
        out.print(
            f"{selection.funnel['invalid']} rows are invalid ({problems} problems); "
            "`kansen check` lists them."
        )
    out.print(f"Recorded as selection run {run_id} in {ledger}. Next: kansen batch")


@command()
def batch(
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

    Example: kansen batch --size 250 --seed 2015 --files batches/
    """
    from kansen_cli.batching import batch_overview, make_batches
    from kansen_cli.errors import SettingsError
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.runs import batch_members, batch_numbers_taken, record_batches, unbatched_selected
    from kansen_cli.letters import missing_templates
    from kansen_cli.settings import load_settings

    settings = load_settings(campaign)
    size = size or settings.batch.size
    seed = settings.batch.seed if seed is None else seed
    variants = list(settings.letters.variants)
    missing = missing_templates(variants, campaign)
    if missing:
        raise SettingsError(
            f"letters.variants: no letter template for {', '.join(missing)}; add "
            f"templates/letters/<variant>.html.j2 to the campaign folder or remove the variant"
        )
    with open_ledger(campaign, create=False) as ledger:
        people = unbatched_selected(ledger)
        assigned = make_batches(people, size, seed, variants, batch_numbers_taken(ledger))
        if files is not None:
            _check_batch_files(files, assigned, force)
        if len(assigned):
            folder = files
            # The files are written inside the ledger transaction: if one cannot be written,
            # the batches are not recorded either, and the command can simply be run again.
            write = (
                None
                if folder is None
                else lambda: _write_batch_files(
                    folder, batch_members(ledger), set(assigned["batch_id"]), force
                )
            )
            record_batches(ledger, assigned, seed, before_commit=write)
            if folder is not None:
                console(stderr=True).print(f"One file per batch in {folder}")
        overview = batch_overview(assigned, variants)
    if as_json:
        print_json({"batched": len(assigned), "batches": overview})
        return
    if not len(assigned):
        console(stderr=True).print(
            "Nobody to batch: everyone selected in the latest run is in a batch already."
        )
        return
    _render_overview(overview, variants)


def _check_batch_files(folder: Path, assigned, force: bool) -> None:
    from kansen_cli.files import check_writable

    for batch_id in sorted(set(assigned["batch_id"])):
        check_writable(folder / f"{batch_id}.csv", force)


def _write_batch_files(folder: Path, members, batch_ids: set[str], force: bool) -> None:
    from kansen_cli.files import write_csv

    written: list[Path] = []
    try:
        for batch_id, group in members[members["batch_id"].isin(batch_ids)].groupby("batch_id"):
            path = folder / f"{batch_id}.csv"
            existed = path.exists()
            write_csv(path, group.drop(columns=["run_id", "purged_at", "bsn"], errors="ignore"), force)
            if not existed:
                written.append(path)
    except BaseException:
        # The batches will not be recorded: remove the files of this run that are new.
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _render_overview(overview: list[dict], variants: list[str]) -> None:
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


EXPORTS = {
    "selection": "every register row of the latest selection with its bucket",
    "batches": "every batched person with batch and letter variant",
    "runs": "the selection runs with their funnels",
    "appointments": "planned appointments",
    "letters": "letters sent (people approached)",
    "outcomes": "conversation outcomes",
    "referrals": "referrals and their results",
    "followups": "follow-up calls",
    "history": "replaced outcome values",
}


@command()
def export(
    what: Annotated[str, typer.Argument(help="One of: " + ", ".join(EXPORTS) + ".")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this .csv or .xlsx instead of stdout.")
    ] = None,
    campaign: CampaignOpt = Path("."),
    force: ForceOpt = False,
) -> None:
    """Export a ledger table to CSV or XLSX (or CSV on stdout).

    Example: kansen export selection --out selectie.xlsx
    """
    from kansen_cli.files import check_writable, write_table
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.runs import batches_export, selection_export

    if what not in EXPORTS:
        raise typer.BadParameter(f"choose one of: {', '.join(EXPORTS)}", param_hint="WHAT")
    if out is not None:
        check_writable(out, force)
    with open_ledger(campaign, create=False) as ledger:
        if what == "selection":
            frame = selection_export(ledger)
        elif what == "batches":
            frame = batches_export(ledger)
        elif what == "runs":
            frame = ledger.frame(
                "SELECT run_id, created_at, as_of, years, register_name, register_sha256, rows,"
                " funnel_json, selected FROM selection_runs"
            )
        else:
            frame = ledger.frame(f"SELECT * FROM {what}")
    if out is None:
        from kansen_cli.files import neutralise_frame

        typer.echo(neutralise_frame(frame).to_csv(sep=";", index=False), nl=False)
        return
    write_table(out, frame, force)
    console(stderr=True).print(f"{len(frame)} rows written to {out}")
