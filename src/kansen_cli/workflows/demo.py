"""`kansen demo`: the whole cycle on generated sample data, through the same workflows a user runs.

The cycle is laid out backwards from `today` so that every date it records lies in the past,
as ingest demands: the selection half a year ago, letters two days later, visits from two weeks
after the selection, one follow-up round once the follow-up months have passed, a survey drawn
five days ago. The people referred to Coach Meedoen enter a trajectory four months ago, with an
intake a week later and two review rounds since. Consultants' answers, follow-up calls, survey
calls and the coaches' workbooks are simulated (seeded, in Groningen's and Tilburg's proportions).

Every route of issue 12 is shown, kept small so the demo stays quick: variant B is approached
by phone first (variants are assigned at random within each batch, so phone-first is compared
with letter-first fairly), one location (two rooms) serves the wijk of the second batch, which
is planned there, and after the registrations are in, the people not at home
(roles.invite_again) are invited again in a second round (`<batch>-r2`), whose letters go
ROUND2_AFTER_DAYS after the selection and whose registrations are loaded well before the
follow-up step. The settings are written once the batches are made, because the location
serves a wijk the batching chose; neither setting changes who is in which batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli import i18n
from kansen_cli.errors import KansenError, OutputExistsError
from kansen_cli.i18n import _

if TYPE_CHECKING:
    from kansen_cli.settings import Settings
    from kansen_cli.workflows.batch import BatchResult
    from kansen_cli.workflows.ingest import IngestResult
    from kansen_cli.workflows.report import ReportResult
    from kansen_cli.workflows.select import SelectResult

DEMO_ROWS = 10_000
DEMO_SEED = 2015
DEMO_BATCHES = 2
SELECTION_DAYS_AGO = 190
# Letters 12 days before the visits: at least 8 weekdays, so [letters] min_working_days (5) holds
# even with three public holidays in between (Christmas and New Year, Ascension and Whitsun).
# Before the letters, the phone-first people are called twice, [calls] days_between (2) apart.
CALL_DAYS_AFTER = (1, 3)
LETTER_AFTER_DAYS = 4
VISITS_AFTER_DAYS = 16
BATCH_SPACING_DAYS = 21
FOLLOWUP_DAYS_AGO = 7
SURVEY_DAYS_AGO = 5
# Trajectories: who is referred here gets a coach, an intake, then two review rounds.
TRAJECTORY_DESTINATION = "coach_meedoen"
TRAJECTORY_DAYS_AGO = 120
INTAKE_AFTER_DAYS = 7
REVIEWS_DAYS_AGO = (60, 3)
REPORT_FOLDER = "rapport"
# Issue 12: the phone-first variant, the demo's location, the second round.
PHONE_FIRST_VARIANT = "B"
LOCATION_BATCH = 1  # the second batch is planned at the location
ROUND2_AFTER_DAYS = 75  # after the last round-1 batch's visits (at most 28 days after its letters)
ROUND2_SEED = DEMO_SEED + 50
CALLS_SEED = DEMO_SEED + 70

Step = Callable[[str], None]
Done = Callable[[Any], None]


@dataclass
class DemoResult:
    """What each step gave, for the command line to show, and every file the demo made."""

    campaign: Path
    selection: SelectResult
    batches: BatchResult
    ingests: list[IngestResult] = field(default_factory=list)
    report: ReportResult | None = None
    files: list[Path] = field(default_factory=list)


def _quiet(_what: Any) -> None:
    pass


def run(
    campaign: Path,
    today: dt.date,
    batches: int = DEMO_BATCHES,
    rows: int = DEMO_ROWS,
    force: bool = False,
    on_step: Step = _quiet,
    on_done: Done = _quiet,
) -> DemoResult:
    """Run the cycle in `campaign` (new or empty; with `force` an earlier demo is replaced).

    `on_step(title)` comes before each step, `on_done(result)` after it with the step's result
    object (the same one the command returns), so a caller can show each as the command would.
    """
    from kansen_cli.sample_files import write_sample
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import batch, init, select

    _prepare(campaign, force)
    as_of = today - dt.timedelta(days=SELECTION_DAYS_AGO)
    on_done(init.run(campaign, "groningen", force=force))
    settings = load_settings(campaign)
    register = campaign / "register.csv"
    write_sample(register, rows=rows, seed=DEMO_SEED, as_of=as_of, force=force)
    on_step(_("Selection on {day} (kansen select)").format(day=i18n.day(as_of)))
    selected = select.run(campaign, settings, register, today, as_of=as_of, force=force)
    on_done(selected)
    on_step(_("Neighbourhood batches (kansen batch)"))
    result = DemoResult(campaign, selected, batch.run(campaign, settings, force=force))
    on_done(result.batches)
    settings = _route_settings(campaign, settings, batches)
    filled = _invite(campaign, settings, as_of, today, batches, force, on_step, on_done)
    on_step(_("Loading the consultants' registrations (kansen ingest)"))
    result.ingests.append(_ingest(campaign, settings, filled, today))
    on_done(result.ingests[-1])
    result.ingests += _second_round(campaign, settings, as_of, today, force, on_step, on_done)
    result.ingests += _follow_up(campaign, settings, today, force, on_step, on_done)
    result.ingests += _survey(campaign, settings, today, force, on_step, on_done)
    result.ingests += _trajectories(campaign, settings, today, force, on_step, on_done)
    on_step(_("Council report (kansen report)"))
    result.report = _report(campaign, settings, today, force, on_done)
    result.files = sorted(p for p in campaign.rglob("*") if p.is_file())
    return result


def _prepare(campaign: Path, force: bool) -> None:
    from kansen_cli.files import ensure_dir
    from kansen_cli.ledger import ledger_path

    if campaign.exists() and any(campaign.iterdir()) and not force:
        raise OutputExistsError(
            _("{campaign} is not empty; choose a new folder or use --force").format(campaign=campaign)
        )
    if force:
        # A demo starts from nothing: an earlier demo's ledger would make everyone 'already approached'.
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(ledger_path(campaign)) + suffix).unlink(missing_ok=True)
    ensure_dir(campaign)


def _invite(
    campaign: Path,
    settings: Settings,
    as_of: dt.date,
    today: dt.date,
    count: int,
    force: bool,
    on_step: Step,
    on_done: Done,
) -> list[Path]:
    """Plan, letters and a registration workbook, filled in by simulated consultants, per batch."""
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.runs import first_batches
    from kansen_cli.simulate import fill_registration
    from kansen_cli.workflows import letters, plan, sheet

    with open_ledger(campaign, create=False) as ledger:
        chosen = first_batches(ledger, count)  # several neighbourhoods, so the report can compare them
    filled = []
    for index, batch_id in enumerate(chosen):
        offset = dt.timedelta(days=index * BATCH_SPACING_DAYS)
        sent_on = as_of + dt.timedelta(days=LETTER_AFTER_DAYS) + offset
        on_step(_("Batch {batch}: plan, letters, registration sheet").format(batch=batch_id))
        start = as_of + dt.timedelta(days=VISITS_AFTER_DAYS) + offset
        place = "location" if index == LOCATION_BATCH else None
        on_done(plan.run(campaign, settings, batch_id, start, place=place))
        for number, days in enumerate(CALL_DAYS_AFTER):
            called_on = as_of + dt.timedelta(days=days) + offset
            _call(
                campaign,
                settings,
                batch_id,
                called_on,
                CALLS_SEED + 10 * index + number,
                today,
                on_step,
                on_done,
            )
        # After two call days some are still being called (max_attempts is 3): as a team would,
        # the demo stops calling them and sends them the invitation (kansen letters --stop-calling).
        on_done(
            letters.run(
                campaign, settings, batch_id, today=today, sent_on=sent_on, force=force, stop_calling=True
            )
        )
        written = sheet.run(campaign, settings, batch_id, force=force)
        on_done(written)
        blank = written.file
        done = blank.with_name(blank.stem + "-ingevuld.xlsx")
        seed = DEMO_SEED + index
        fill_registration(
            blank,
            done,
            seed=seed,
            settings=settings,
            sent_on=sent_on,
            today=today,
            force=force,
            skip=_without_letter(campaign, batch_id),
        )
        filled.append(done)
    return filled


def _route_settings(campaign: Path, settings: Settings, count: int) -> Settings:
    """Variant B phoned first, and Wijkcentrum De Schakel for the wijk of the second batch, written
    into kansen.toml as `kansen init` writes it; returns the settings as the workflows read them."""
    from kansen_cli.files import write_text
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.letters import batch_neighbourhood
    from kansen_cli.ledger.runs import first_batches
    from kansen_cli.settings import load_settings, settings_path
    from kansen_cli.settings_render import render_settings
    from kansen_cli.settings_routes import Location

    with open_ledger(campaign, create=False) as ledger:
        chosen = first_batches(ledger, count)
        wijk = batch_neighbourhood(ledger, chosen[LOCATION_BATCH]) if len(chosen) > LOCATION_BATCH else None
    changed = settings.model_copy(deep=True)
    changed.letters.approach = {PHONE_FIRST_VARIANT: "phone_first"}
    changed.planning.locations = [
        Location(
            code="de-schakel",
            name="Wijkcentrum De Schakel",
            address=["Voorbeeldstraat 1", "9700 AA  GRONINGEN"],
            directions="Bus 5, halte Voorbeeldstraat; fietsenstalling bij de ingang.",
            rooms=2,
            wijken=[] if wijk is None else [wijk],
        )
    ]
    write_text(settings_path(campaign), render_settings(changed, "groningen"), force=True)
    return load_settings(campaign)


def _without_letter(campaign: Path, batch_id: str) -> set[str]:
    """The batch's people sent no letter (they said no on the phone): no visit, no registration."""
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.letters import without_letter

    with open_ledger(campaign, create=False) as ledger:
        return without_letter(ledger, batch_id)


def _call(
    campaign: Path,
    settings: Settings,
    batch_id: str,
    called_on: dt.date,
    seed: int,
    today: dt.date,
    on_step: Step,
    on_done: Done,
) -> None:
    """A call day (`kansen calls` on `called_on`): who is due is phoned by a simulated caller
    and the filled workbook loaded, so the next call day and the letters see the outcomes."""
    from kansen_cli.simulate_calls import fill_calls
    from kansen_cli.workflows import calls

    on_step(
        _("Batch {batch}: phone first, calls on {day} (kansen calls)").format(
            batch=batch_id, day=i18n.day(called_on)
        )
    )
    due = calls.run(campaign, settings, batch_id, called_on)
    on_done(due)
    if due.file is None:
        return
    done = due.file.with_name(due.file.stem + "-ingevuld.xlsx")
    fill_calls(due.file, done, seed, settings, called_on)
    on_done(_ingest(campaign, settings, [done], today))


def _second_round(
    campaign: Path,
    settings: Settings,
    as_of: dt.date,
    today: dt.date,
    force: bool,
    on_step: Step,
    on_done: Done,
) -> list[IngestResult]:
    """Who was not at home is invited again (`kansen batch --round 2`): plan, letters and a
    registration sheet per `-r2` batch, filled by the simulated consultants and loaded."""
    from kansen_cli.simulate import fill_registration
    from kansen_cli.workflows import batch, letters, plan, sheet

    on_step(_("Second round for who was not at home (kansen batch --round 2)"))
    made = batch.run_round(campaign, settings, 2)
    on_done(made)
    sent_on = as_of + dt.timedelta(days=ROUND2_AFTER_DAYS)
    filled = []
    for index, row in enumerate(made.batches):
        batch_id = str(row["batch"])
        on_step(_("Batch {batch}: plan, re-invitations, registration sheet").format(batch=batch_id))
        start = sent_on + dt.timedelta(days=VISITS_AFTER_DAYS - LETTER_AFTER_DAYS)
        # The wijk that met at the location in round 1 is invited there again.
        served = any(row["neighbourhood"] in loc.wijken for loc in settings.planning.locations)
        on_done(plan.run(campaign, settings, batch_id, start, place="location" if served else None))
        # The demo's second round re-invites by letter only: nobody of it is phoned first.
        on_done(
            letters.run(
                campaign, settings, batch_id, today=today, sent_on=sent_on, force=force, stop_calling=True
            )
        )
        written = sheet.run(campaign, settings, batch_id, force=force)
        on_done(written)
        done = written.file.with_name(written.file.stem + "-ingevuld.xlsx")
        fill_registration(
            written.file,
            done,
            seed=ROUND2_SEED + index,
            settings=settings,
            sent_on=sent_on,
            today=today,
            force=force,
        )
        filled.append(done)
    if not filled:
        return []
    on_step(_("Loading the second round's registrations (kansen ingest)"))
    ingested = _ingest(campaign, settings, filled, today)
    on_done(ingested)
    return [ingested]


def _ingest(campaign: Path, settings: Settings, files: list[Path], today: dt.date) -> IngestResult:
    from kansen_cli.workflows import ingest

    result = ingest.run(campaign, settings, files, today)
    if result.not_loaded:
        # Simulated answers are valid by construction: this is a bug, not the user's doing.
        raise KansenError(
            _("the demo's own workbooks did not load: {not_loaded}").format(
                not_loaded=", ".join(result.not_loaded)
            )
        )
    return result


def _follow_up(
    campaign: Path, settings: Settings, today: dt.date, force: bool, on_step: Step, on_done: Done
) -> list[IngestResult]:
    """One follow-up round, a week ago, answered two days later."""
    from kansen_cli.simulate import fill_followup
    from kansen_cli.workflows import followup

    due = today - dt.timedelta(days=FOLLOWUP_DAYS_AGO)
    on_step(_("Follow-up round due {day} (kansen followup)").format(day=i18n.day(due)))
    due_list = followup.run(campaign, settings, today, due=due, force=force)
    on_done(due_list)
    calls = due_list.file
    if calls is None:
        return []
    answered = calls.with_name(calls.stem + "-ingevuld.xlsx")
    called_on = due + dt.timedelta(days=2)
    fill_followup(calls, answered, seed=DEMO_SEED, settings=settings, called_on=called_on, force=force)
    ingested = _ingest(campaign, settings, [answered], today)
    on_done(ingested)
    return [ingested]


def _survey(
    campaign: Path, settings: Settings, today: dt.date, force: bool, on_step: Step, on_done: Done
) -> list[IngestResult]:
    """A survey of participants and non-participants by wijk, phoned yesterday."""
    from kansen_cli.simulate_survey import fill_survey
    from kansen_cli.workflows import survey

    on_step(_("Survey of participants and non-participants (kansen survey)"))
    drawn = survey.run(campaign, settings, today - dt.timedelta(days=SURVEY_DAYS_AGO), by="wijk", force=force)
    on_done(drawn)
    answered = drawn.file.with_name(drawn.file.stem + "-ingevuld.xlsx")
    fill_survey(drawn.file, answered, DEMO_SEED, settings, today - dt.timedelta(days=1), force=force)
    ingested = _ingest(campaign, settings, [answered], today)
    on_done(ingested)
    return [ingested]


def _trajectories(
    campaign: Path, settings: Settings, today: dt.date, force: bool, on_step: Step, on_done: Done
) -> list[IngestResult]:
    """The people referred to Coach Meedoen get one coach each; the coaches' workbooks of the
    intake and two reviews are filled by simulated coaches and loaded."""
    from kansen_cli.simulate_caseload import fill_caseload
    from kansen_cli.workflows import assign, caseload

    started = today - dt.timedelta(days=TRAJECTORY_DAYS_AGO)
    on_step(_("Trajectories with one fixed coach from {day} (kansen assign)").format(day=i18n.day(started)))
    on_done(assign.run(campaign, settings, today, from_referral=TRAJECTORY_DESTINATION, on=started))
    rounds = [started + dt.timedelta(days=INTAKE_AFTER_DAYS)]
    rounds += [today - dt.timedelta(days=days) for days in REVIEWS_DAYS_AGO]
    loaded = []
    for number, day in enumerate(rounds):
        what = _("intake") if number == 0 else _("review {number}").format(number=number)
        on_step(
            _("Coaches' workbooks, {what} on {day} (kansen caseload)").format(what=what, day=i18n.day(day))
        )
        written = caseload.run(campaign, settings, day, force=force)
        on_done(written)
        filled = []
        for index, book in enumerate(written.workbooks):
            done = book.file.with_name(book.file.stem + "-ingevuld.xlsx")
            fill_caseload(book.file, done, DEMO_SEED + 100 * number + index, settings, day, force=force)
            filled.append(done)
        if filled:
            loaded.append(_ingest(campaign, settings, filled, today))
            on_done(loaded[-1])
    return loaded


def _report(campaign: Path, settings: Settings, today: dt.date, force: bool, on_done: Done) -> ReportResult:
    """The council report as workbook, Word document, PDF, Markdown and charts; the Markdown run's
    report is returned."""
    from kansen_cli.workflows import report

    folder = campaign / REPORT_FOLDER
    for fmt in ("xlsx", "docx", "pdf"):
        on_done(
            report.run(campaign, settings, fmt=fmt, out=folder / f"rapport.{fmt}", force=force, today=today)
        )
    markdown = report.run(
        campaign,
        settings,
        fmt="md",
        out=folder / "rapport.md",
        charts=folder / "grafieken",
        force=force,
        today=today,
    )
    on_done(markdown)
    return markdown
