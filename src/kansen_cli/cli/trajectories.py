"""The coordinator's trajectory commands: `kansen assign` and `kansen inview`. Option parsing
and rendering; the work is in `workflows.assign` and `workflows.inview`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kansen_cli.cli.app import CampaignOpt, ForceOpt, JsonOpt, command, console, date_option, print_json
from kansen_cli.i18n import _, day, number

if TYPE_CHECKING:
    from kansen_cli.workflows.assign import AssignResult
    from kansen_cli.workflows.inview import InViewResult


@command(rich_help_panel="Coordinator")
def assign(
    client_ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="ID", help="Client ids to put in a trajectory (or hand over with --to)."),
    ] = None,
    from_referral: Annotated[
        str | None,
        typer.Option(
            "--from-referral",
            metavar="CODE",
            help="Everyone referred to this destination (a codebook.referrals code).",
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="Only coaches of this kind: professional, ambassadeur, ervaringsdeskundige.",
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="COACH",
            help="This coach; people already in a trajectory are handed over to them.",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help="Start or handover date; default today."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Go over a coach's caseload cap.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show who would go where; write nothing.")
    ] = False,
    end: Annotated[
        str | None,
        typer.Option(
            "--end",
            metavar="REASON",
            help="End these people's trajectories for this reason (codebook.trajectory_end).",
        ),
    ] = None,
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """Put people in a trajectory with one fixed coach, within the coaches' caseload caps.

    Each person gets the least-loaded coach (of --kind, if given) serving their wijk who has
    room; if anyone cannot be placed within the caps, nothing is written and the numbers are
    shown (--force goes over the cap). With --to every person goes to that coach, and people
    already in a trajectory are handed over from that date, their history kept. With --end
    REASON the trajectories of the given client ids end (on --on, default today).

    Example: kansen assign --from-referral coach_meedoen
    """
    from kansen_cli.clock import today
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import assign as workflow

    settings = load_settings(campaign)
    result = workflow.run(
        campaign,
        settings,
        today(),
        client_ids=client_ids or (),
        from_referral=from_referral,
        kind=kind,
        to=to,
        on=date_option(on, "--on"),
        force=force,
        dry_run=dry_run,
        end=end,
    )
    if as_json:
        print_json(result.as_json())
        return
    show_assign(result)


def show_assign(result: AssignResult) -> None:
    from rich.table import Table

    out, err = console(), console(stderr=True)
    started, moved, ended = result.count("start"), result.count("reassign"), result.count("end")
    if result.end_reason is not None:
        said = (
            _("Would end on {day}: {count} trajectories ({reason}).")
            if result.dry_run
            else _("Ended on {day}: {count} trajectories ({reason}).")
        )
        out.print(said.format(day=day(result.on), count=number(ended), reason=result.end_reason))
    else:
        said = (
            _("Would assign from {day}: {started} started a trajectory, {moved} handed over.")
            if result.dry_run
            else _("Assigned from {day}: {started} started a trajectory, {moved} handed over.")
        )
        out.print(said.format(day=day(result.on), started=number(started), moved=number(moved)))
    if result.already:
        out.print(
            _("{count} already in a trajectory with this coach or another; left as they were.").format(
                count=number(len(result.already))
            )
        )
    if result.assignments:
        table = Table(_("coach"), _("kind"))
        for header in (_("added"), _("left"), _("caseload"), _("cap")):
            table.add_column(header, justify="right", no_wrap=True)
        for c in result.coaches:
            table.add_row(
                c.coach, c.kind, number(c.added), number(c.removed), number(c.caseload), number(c.cap)
            )
        out.print(table)
    over = [c.coach for c in result.coaches if c.caseload > c.cap]
    if over:
        err.print(_("Over the cap (--force): {coaches}.").format(coaches=", ".join(over)))
    if result.dry_run:
        err.print(_("Dry run: nothing was written."))


@command(rich_help_panel="Coordinator")
def inview(
    coach: Annotated[
        str | None, typer.Option("--coach", metavar="COACH", help="Only this coach's people.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also write the list as a workbook (.xlsx; it holds names)."),
    ] = None,
    campaign: CampaignOpt = Path("."),
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Keep people in view: per coach, who had no contact for too long and whose review is overdue.

    Too long is more than trajectories.contact_weeks weeks (default 8; exactly 8 weeks is not
    yet too long) since the last contact moment, or since the start of the trajectory. A review
    is overdue when trajectories.review_weeks weeks have passed since the last review (or the
    start). The screen shows client ids only; --out writes the same with names.

    Example: kansen inview --coach cm1 --out in-beeld.xlsx
    """
    from kansen_cli.clock import today
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import inview as workflow

    settings = load_settings(campaign)
    result = workflow.run(campaign, settings, today(), coach=coach, out=out, force=force)
    if as_json:
        print_json(result.as_json())
        return
    show_inview(result)


def show_inview(result: InViewResult) -> None:
    from rich.table import Table

    out = console()
    for view in result.coaches:
        # The code only: an ambassador coach is also a client, and names stay off the screen.
        title = _("{coach}: {count} of {caseload} out of view").format(
            coach=view.coach, count=number(len(view.people)), caseload=number(view.caseload)
        )
        if not view.people:
            out.print(title + ".")
            continue
        table = Table(title=title)
        table.add_column(_("client id"), no_wrap=True)
        table.add_column(_("neighbourhood"))
        table.add_column(_("last contact"), no_wrap=True)
        table.add_column(_("weeks since"), justify="right")
        table.add_column(_("review due"))
        for p in view.people:
            table.add_row(
                p.client_id,
                p.wijk,
                day(p.last_contact),
                number(p.weeks_since) + (" " + _("(too long)") if p.no_contact else ""),
                day(p.review_due) + (" " + _("(overdue)") if p.review_overdue else ""),
            )
        out.print(table)
    if result.file is not None:
        console(stderr=True).print(
            _("Wrote {file} (it holds names: keep it only as long as needed).").format(file=result.file)
        )
