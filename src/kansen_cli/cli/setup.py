"""Setting up: `kansen init`, `kansen check`, `kansen sample`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kansen_cli.cli.app import CampaignOpt, ForceOpt, JsonOpt, command, console, print_json
from kansen_cli.i18n import N_, _, number

if TYPE_CHECKING:
    from kansen_cli.workflows.check import ReadOptions
    from kansen_cli.workflows.init import InitResult

# How the register is read: a panel of their own in the help of `check` and `select`.
READING = "Reading the register"
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", rich_help_panel=READING, help="Text encoding of a CSV (default: detect)."),
]
DelimiterOpt = Annotated[
    str | None,
    typer.Option(
        "--delimiter", rich_help_panel=READING, help="CSV delimiter: ';', ',' or 'tab' (default: detect)."
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet", metavar="SHEET", rich_help_panel=READING, help="Sheet of an XLSX (default: the first)."
    ),
]
WijkenOpt = Annotated[
    Path | None,
    typer.Option(
        "--wijken",
        rich_help_panel=READING,
        help="Table of postcodes and their neighbourhood, for exports without a neighbourhood column.",
    ),
]

# How `kansen check` names what it found out about the file (the keys stay in --json).
FORMAT_LABELS = {
    "type": N_("type"),
    "header_row": N_("header row"),
    "encoding": N_("encoding"),
    "delimiter": N_("delimiter"),
    "sheet": N_("worksheet"),
    "empty_rows_dropped": N_("empty rows dropped"),
}


def delimiter_value(text: str | None) -> str | None:
    if text is None:
        return None
    value = {"tab": "\t", "\\t": "\t", "semicolon": ";", "comma": ","}.get(text.lower(), text)
    if value not in (";", ",", "\t"):
        raise typer.BadParameter(_("use ';', ',' or 'tab'"), param_hint="--delimiter")
    return value


def read_options(
    encoding: str | None, delimiter: str | None, sheet: str | None, wijken: Path | None
) -> ReadOptions:
    """The reading options shared by `check` and `select`, checked."""
    from kansen_cli.workflows.check import ReadOptions

    return ReadOptions(encoding=encoding, delimiter=delimiter_value(delimiter), sheet=sheet, wijken=wijken)


@command(rich_help_panel="Set-up")
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Campaign folder to create.")] = Path("."),
    preset: Annotated[
        str, typer.Option("--preset", help="Starting settings: groningen, nijmegen or generic.")
    ] = "groningen",
    templates: Annotated[
        bool,
        typer.Option(
            "--templates",
            help="Also copy the letter templates into <DIR>/templates/letters/ to edit them there.",
        ),
    ] = False,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Create a campaign folder: a fully commented kansen.toml and an empty ledger.

    With --templates the letter templates are copied into the campaign's templates/letters/;
    a campaign may also keep only the file of the part it changes there (waar.html.j2 for the
    place of the conversation, afzender.html.j2, ondertekening.html.j2, huisstijl.css, a logo).

    Example: kansen init wijkronde-2026 --preset nijmegen --templates
    """
    from kansen_cli.settings import PRESETS
    from kansen_cli.workflows import init as workflow

    if preset not in PRESETS:
        raise typer.BadParameter(
            _("choose one of: {choices}").format(choices=", ".join(PRESETS)), param_hint="--preset"
        )
    result = workflow.run(directory, preset, force, templates=templates)
    if as_json:
        print_json(result.as_json())
        return
    show_init(result)


def show_init(result: InitResult) -> None:
    err = console(stderr=True)
    said = (
        _("Wrote {file} (preset {preset}); kept the existing ledger.")
        if result.kept_ledger
        else _("Wrote {file} (preset {preset}); created an empty ledger.")
    )
    err.print(said.format(file=result.settings_file, preset=result.preset))
    if result.templates:
        folder = result.templates[0].parent
        err.print(
            _("{count} letter templates copied to {folder} for editing.").format(
                count=len(result.templates), folder=folder
            )
        )


@command(rich_help_panel="Analyst")
def check(
    register: Annotated[Path, typer.Argument(help="Register export, CSV or XLSX; - reads it from stdin.")],
    campaign: CampaignOpt = Path("."),
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    sheet: SheetOpt = None,
    wijken: WijkenOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Read and validate a register export and report what it holds; changes nothing.

    Exits 1 when a required column is missing; row problems are listed, not fatal.

    Example: kansen check sample_data/register.xlsx --json
    """
    from kansen_cli.settings import load_settings
    from kansen_cli.stdin_files import stdin_as_file
    from kansen_cli.workflows import check as workflow

    options = read_options(encoding, delimiter, sheet, wijken)
    from kansen_cli.cli.progress import progress_bar
    from kansen_cli.i18n import _

    with (
        stdin_as_file(register, typer.get_binary_stream("stdin")) as path,
        progress_bar(_("Reading the register"), as_json) as progress,
    ):
        result = workflow.run(path, load_settings(campaign), options, on_progress=progress)
    if as_json:
        print_json(result.as_json())
        return
    _render_check(result.summary)


def _render_check(summary: dict) -> None:
    from rich.table import Table

    out = console()
    fmt = summary["format"]
    how = ", ".join(f"{_(FORMAT_LABELS.get(k, k))} {v}" for k, v in fmt.items())
    out.print(f"{summary['file']}: {how}", style="bold")
    out.print(
        _("{rows} rows read: {valid} valid, {invalid} with problems").format(
            rows=number(summary["rows"]),
            valid=number(summary["valid_rows"]),
            invalid=number(summary["invalid_rows"]),
        )
    )
    mapped = Table(title=_("Columns mapped"), show_edge=False)
    mapped.add_column(_("field"))
    mapped.add_column(_("column in file"))
    for name, header in summary["columns_mapped"].items():
        mapped.add_row(name, header)
    out.print(mapped)
    if summary["columns_unused"]:
        out.print(_("Columns not used: {columns}").format(columns=", ".join(summary["columns_unused"])))
    problems = summary["problems"]
    if not problems["count"]:
        out.print(_("No problems found."))
        return
    table = Table(title=_("Problems ({count})").format(count=number(problems["count"])), show_edge=False)
    table.add_column(_("kind"))
    table.add_column(_("count"), justify="right", no_wrap=True)
    table.add_column(_("examples (row, column, value)"))
    for kind, count in problems["by_kind"].items():
        examples = "; ".join(
            _("row {row}, {column}").format(row=p["row"], column=p["column"])
            + (f", {p['value']!r}" if p["value"] is not None else "")
            for p in problems["examples"][kind]
        )
        table.add_row(kind, number(count), examples)
    out.print(table)
    out.print(_("Rows with problems are excluded from the selection as 'invalid'."))


@command(rich_help_panel="Set-up")
def sample(
    out: Annotated[
        Path, typer.Argument(metavar="FILE", help="Output file: .csv (semicolon, UTF-8) or .xlsx.")
    ],
    rows: Annotated[int, typer.Option("--rows", min=1, help="Number of people.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same register.")] = 2015,
    wijken: Annotated[
        Path | None,
        typer.Option(
            "--wijken", help="Also write the table of postcodes and their neighbourhood to this file."
        ),
    ] = None,
    force: ForceOpt = False,
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Write a synthetic register (fictional people, test-range BSNs) for trying the tool.

    Its headers are the campaign's (kansen.toml [register.columns]), so a preset that names a
    column its own way reads the sample as written.

    Example: kansen sample --rows 100000 big-register.csv
    """
    from kansen_cli.sample_files import write_sample
    from kansen_cli.settings import load_settings

    columns = load_settings(campaign).register_.columns
    written = write_sample(out, rows=rows, seed=seed, wijken=wijken, force=force, columns=columns)
    if as_json:
        print_json({"rows": rows, "seed": seed, "files": [str(p) for p in written]})
        return
    console(stderr=True).print(_("Wrote {files}").format(files=", ".join(str(p) for p in written)))
