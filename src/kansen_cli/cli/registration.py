"""The coordinator's registration commands: `kansen sheet`, `kansen ingest`, `kansen followup`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kansen_cli.cli.app import CampaignOpt, ForceOpt, JsonOpt, command, console, date_option, print_json

if TYPE_CHECKING:
    from kansen_cli.ingest import IngestPlan
    from kansen_cli.ledger import Ledger
    from kansen_cli.settings import Settings

SHEETS_DIR = "sheets"


def registration_path(campaign: Path, batch_id: str) -> Path:
    """Default file of a batch's registration workbook: named by batch, never by a person."""
    return Path(campaign) / SHEETS_DIR / f"{batch_id}-registratie.xlsx"


def followup_path(campaign: Path, due: Any) -> Path:
    return Path(campaign) / SHEETS_DIR / f"nabellen-{due.isoformat()}.xlsx"


@command()
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
    from kansen_cli.files import check_writable, save_workbook
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.outcomes import approached_on, sheet_people
    from kansen_cli.ledger.runs import require_batch
    from kansen_cli.settings import load_settings
    from kansen_cli.sheets import build_registration

    settings = load_settings(campaign)
    target = out or registration_path(campaign, batch_id)
    check_writable(target, force)
    with open_ledger(campaign, create=False) as ledger:
        require_batch(ledger, batch_id)
        people = sheet_people(ledger, batch_id)
        approached = len(approached_on(ledger, batch_id))
    workbook = build_registration(people, settings, batch_id)
    save_workbook(target, workbook, force)
    planned = int(people["appointment_date"].notna().sum())
    result = {
        "batch_id": batch_id,
        "file": str(target),
        "people": len(people),
        "with_appointment": planned,
        "approached": approached,
    }
    if as_json:
        print_json(result)
        return
    err = console(stderr=True)
    err.print(
        f"Wrote {target}: {len(people)} people, {planned} with an appointment. "
        f"Next: fill it in, then `kansen ingest {target}`"
    )
    if approached < len(people):
        # Outcomes load only for people who were sent a letter; say so before the work is done.
        err.print(
            f"Note: {len(people) - approached} people in {batch_id} have no letter recorded yet; "
            f"their answers load only after `kansen letters {batch_id}`."
        )


@command()
def ingest(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Filled-in workbooks, one or more.")],
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help="Load the valid rows of a file with problems; reject the others."
        ),
    ] = False,
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Validate and load filled-in registration and follow-up workbooks into the ledger.

    Each file is checked as a whole against the codebook, its batch and the rules (answers
    only for people spoken to, referrals only with consent, dates between the letter and
    today). A file with any problem loads nothing unless --skip-invalid. One transaction per
    file; loading a file again changes nothing, a changed answer is updated and the old one
    kept in the ledger's history. Exit code 1 when a file was not loaded.

    Example: kansen ingest sheets/selwerd-1-registratie.xlsx --skip-invalid
    """
    import datetime as dt

    from kansen_cli.ledger import open_ledger
    from kansen_cli.settings import load_settings

    settings = load_settings(campaign)
    today = dt.date.today()
    results: list[dict[str, Any]] = []
    with open_ledger(campaign, create=False) as ledger:
        for path in files:
            results.append(_ingest_one(ledger, path, settings, today, skip_invalid))
    totals = {k: sum(r[k] for r in results) for k in ("new", "updated", "unchanged", "rejected", "blank")}
    not_loaded = [r["file"] for r in results if not r["loaded"]]
    summary = {**totals, "files": results, "not_loaded": not_loaded}
    if as_json:
        print_json(summary)
    else:
        _render_ingest(results, totals)
    if not_loaded:
        console(stderr=True).print(
            f"{len(not_loaded)} file(s) not loaded: "
            + ", ".join(not_loaded)
            + (
                ". Fix the problems listed, or use --skip-invalid to load the valid rows."
                if not skip_invalid and not all(r["file_problem"] for r in results if not r["loaded"])
                else ". Fix the problems listed."
            )
        )
        raise typer.Exit(1)


def _ingest_one(
    ledger: Ledger, path: Path, settings: Settings, today: Any, skip_invalid: bool
) -> dict[str, Any]:
    from kansen_cli.errors import KansenError
    from kansen_cli.ingest import IngestPlan
    from kansen_cli.ledger.outcomes import load_file
    from kansen_cli.sheets import read_filled

    try:
        filled = read_filled(path)
    except KansenError as exc:
        plan = IngestPlan(Path(path).name, "", "", None, file_level=True)
        plan.problems.add(Path(path).name, None, None, None, "file", str(exc))
        return _result(plan, loaded=False)
    plan, loaded = load_file(ledger, filled, settings, today, skip_invalid)
    return _result(plan, loaded=loaded)


def _result(plan: IngestPlan, loaded: bool) -> dict[str, Any]:
    counts = plan.counts(loaded=loaded)
    if not loaded:
        # Nothing of the file loaded: every filled row counts as rejected.
        counts["rejected"] = len(plan.changes) + len(plan.rejected_rows)
    return {
        "file": plan.file,
        "kind": plan.kind,
        "batch_id": plan.batch_id,
        "loaded": loaded,
        "file_problem": plan.file_level,
        **counts,
        "problems": plan.problems.as_list(),
    }


def _render_ingest(results: list[dict[str, Any]], totals: dict[str, int]) -> None:
    from rich.table import Table

    out = console()
    keys = ("new", "updated", "unchanged", "rejected", "blank")
    for r in results:
        state = "loaded" if r["loaded"] else "NOT loaded"
        what = r["kind"] + (f" {r['batch_id']}" if r["batch_id"] else "") if r["kind"] else "?"
        out.print(f"{r['file']} ({what}): {state}: " + ", ".join(f"{r[k]} {k}" for k in keys))
    if len(results) > 1:
        out.print("total: " + ", ".join(f"{totals[k]} {k}" for k in keys))
    problems = [p for r in results for p in r["problems"]]
    if not problems:
        return
    listing = Table(title=f"Problems ({len(problems)})", show_edge=False)
    listing.add_column("file", overflow="fold")
    listing.add_column("row", justify="right")
    for name in ("column", "value", "problem"):
        listing.add_column(name, overflow="fold")
    for p in problems:
        listing.add_row(
            p["file"],
            "" if p["row"] is None else str(p["row"]),
            p["column"] or "",
            "" if p["value"] is None else p["value"],
            p["message"],
        )
    out.print(listing)


@command()
def followup(
    due: Annotated[
        str | None, typer.Option("--due", help="List who is due on this date (yyyy-mm-dd); default today.")
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
    for the partner's answer. Fill in the workbook and load it with `kansen ingest`.

    Example: kansen followup --due 2027-03-01
    """
    import datetime as dt

    from kansen_cli.files import check_writable, save_workbook
    from kansen_cli.followup import due_calls, due_referrals, summary
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.outcomes import current_followups, followup_people, open_referrals
    from kansen_cli.settings import load_settings
    from kansen_cli.sheets import build_followup

    settings = load_settings(campaign)
    day = date_option(due, "--due") or dt.date.today()
    target = out or followup_path(campaign, day)
    with open_ledger(campaign, create=False) as ledger:
        calls = due_calls(followup_people(ledger), current_followups(ledger), settings, day)
        referrals = due_referrals(open_referrals(ledger), settings, day)
    result = summary(calls, referrals, day)
    written = None
    if len(calls) or len(referrals):
        check_writable(target, force)
        save_workbook(target, build_followup(calls, referrals, settings, day), force)
        written = str(target)
    result["file"] = written
    if as_json:
        print_json(result)
        return
    err = console(stderr=True)
    if written is None:
        err.print(f"Nobody is due a follow-up call on {day:%d-%m-%Y}, and no referral waits for an answer.")
        return
    rounds = ", ".join(f"round {k}: {v}" for k, v in result["calls_by_round"].items()) or "none"
    console().print(
        f"Due on {day:%d-%m-%Y}: {result['calls']} calls ({rounds}); "
        f"{result['referrals']} referrals waiting for an answer."
    )
    err.print(f"Wrote {written}. Next: fill it in, then `kansen ingest {written}`")
