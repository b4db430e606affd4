"""`kansen letters`: a batch's invitation letters, mail-merge workbook and reminder-call list.

Nothing half-written: every field of every letter is checked first (the pre-flight), then
everything is rendered in memory and written aside (`staging`), all outside any ledger
transaction. Then, inside the transaction that records the batch as invited, after it has
the lock and has checked the batch again, the files are swapped in, just before COMMIT. If
the lock does not come, the recording fails or the command is stopped, the new files go and
the letters there were before (the posted ones, with --force) come back: the files and the
ledger never disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import KansenError
from kansen_cli.i18n import _, day, ngettext

if TYPE_CHECKING:
    import pandas as pd
    from jinja2.sandbox import SandboxedEnvironment

    from kansen_cli.calling import CallStatus
    from kansen_cli.ledger.core import Ledger
    from kansen_cli.ledger.faults import WaitNotice
    from kansen_cli.letters import Fields
    from kansen_cli.settings import Settings

FORMATS = ("pdf", "html")
# A dry run renders this many letters, enough to see the layout with real names and addresses.
DRY_RUN_LETTERS = 3
DRY_RUN_FOLDER = "proef"
# Called with (letters rendered so far, letters to render in all); first with 0 as rendering starts.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class LettersResult:
    """What `kansen letters` made: the files in the order written, and the date recorded."""

    batch: str
    letters: int
    sent_on: dt.date
    dry_run: bool
    folder: Path
    files: list[Path]
    # Phone first: confirmations of an appointment made by phone, and people who said no on
    # the phone and get no letter (both 0 in a batch without phone-first people).
    confirmations: int = 0
    no_letter: int = 0
    # Phone-first people still being called who got the invitation because of --stop-calling.
    stopped_calling: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "letters": self.letters,
            "confirmations": self.confirmations,
            "no_letter": self.no_letter,
            "stopped_calling": self.stopped_calling,
            "sent_on": None if self.dry_run else self.sent_on.isoformat(),
            "dry_run": self.dry_run,
            "folder": str(self.folder),
            "files": [str(p) for p in self.files],
        }


def run(
    campaign: Path,
    settings: Settings,
    batch: str,
    *,
    today: dt.date,
    formats: Collection[str] = ("pdf",),
    sent_on: dt.date | None = None,
    dry_run: bool = False,
    out: Path | None = None,
    workers: int = 2,
    force: bool = False,
    stop_calling: bool = False,
    progress: Progress | None = None,
    on_wait: WaitNotice | None = None,
) -> LettersResult:
    """Make the batch's letters (dated `sent_on`, default `today`) and record them as sent.

    Writes into `out` (default `<campaign>/letters/<batch>/`): `<batch>.pdf` with `pdf` in
    `formats`, one `<batch>-<client id>.html` per person with `html`, and the mail-merge and
    call-list workbooks. A dry run writes the first DRY_RUN_LETTERS letters only, into
    `<campaign>/letters/<batch>/proef/` (replacing the previous sample), and records nothing.
    A batch already sent, an existing file, or a send date too close to the first appointment
    (`refuse_late_letters`) is refused unless `force`; a batch whose phone-first people are
    still being called (`refuse_while_calling`) unless `stop_calling`, which sends those people
    the invitation. `on_wait` is called once if another command holds the ledger.
    """
    from kansen_cli.files import check_writable
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.letters import letter_people
    from kansen_cli.ledger.runs import require_batch
    from kansen_cli.letter_templates import environment
    from kansen_cli.letters import letter_fields, preflight
    from kansen_cli.staging import refuse_symlinks, staged, write_together

    chosen = checked_formats(formats)
    letter_date = sent_on or today
    with open_ledger(campaign, create=False, on_wait=on_wait) as ledger:
        batch = require_batch(ledger, batch)
        _refuse_when_sent(ledger, batch, force or dry_run)
        people = letter_people(ledger, batch)
        env = environment(campaign, settings)
        calling = still_calling(ledger, batch, people, settings, letter_date)
        if calling and not (stop_calling or dry_run):
            refuse_while_calling(calling, batch, letter_date)
        fields = letter_fields(people, settings, letter_date)
        fields, confirmations, no_letter = after_calls(fields, latest_phone_outcomes(ledger, batch), settings)
        preflight(env, fields, batch, letter_date)
        if not (dry_run or force):
            refuse_late_letters(people, settings, batch, letter_date)
        folder = output_folder(Path(campaign), batch, out, dry_run)
        if dry_run:
            fields = fields[:DRY_RUN_LETTERS]
        refuse_symlinks(folder, within=Path(campaign))
        paths = output_paths(folder, batch, fields, chosen, workbooks=not dry_run)
        if not dry_run:
            # Refused before the rendering starts, so nobody waits for nothing.
            for path in paths.values():
                check_writable(path, force)
        # Everything is rendered in memory first, so a failure (a letter running over one page,
        # a template error) leaves no file behind; then the files appear together.
        contents = render_contents(env, fields, paths, chosen, workers, progress)
        if not dry_run:
            contents.update(workbooks(paths, fields, settings))
        sheets: dict[Path, Any] = {}
        if dry_run:  # it replaces the previous sample in its folder, and records nothing
            written = write_together(folder, contents, sheets, True, replace=sample_files(batch))
        else:
            with staged(folder, force) as files:
                files.write(contents, sheets)
                _record(ledger, batch, fields, letter_date, force, files.swap_in)
            written = files.moved
    stopped = len(calling) if stop_calling else 0
    return LettersResult(
        batch, len(fields), letter_date, dry_run, folder, written, confirmations, no_letter, stopped
    )


def output_folder(campaign: Path, batch: str, out: Path | None, dry_run: bool) -> Path:
    """Where the letters go; a dry run's sample inside the campaign, where the retention rules
    apply, never in the system temp folder."""
    if dry_run:
        return campaign / "letters" / batch / DRY_RUN_FOLDER
    return out if out is not None else campaign / "letters" / batch


def workbooks(paths: dict[str, Path], fields: list[Fields], settings: Settings) -> dict[Path, bytes]:
    """The mail-merge workbook and the reminder-call list of the letters, as .xlsx bytes. The
    call list's result column offers the codebook's phone outcomes."""
    from kansen_cli.i18n import _
    from kansen_cli.letters import CALL_COLUMNS, CALL_SHEET, call_lists, mailmerge_frame
    from kansen_cli.workbooks.tables import footer_of, frames_workbook, workbook_bytes

    batch = fields[0].get("batch_id") if fields else None
    merge = frames_workbook({_("Letters"): mailmerge_frame(fields)}, footer_of(batch, _("Mail merge")))
    results = tuple(settings.codebook.phone_outcome.values())
    calls = frames_workbook(
        call_lists(fields),
        footer_of(batch, _(CALL_SHEET)),
        dropdowns={(_(CALL_SHEET), _(CALL_COLUMNS["call_result"])): results},
    )
    return {paths["mailmerge"]: workbook_bytes(merge), paths["calls"]: workbook_bytes(calls)}


def latest_phone_outcomes(ledger: Ledger, batch: str) -> dict[str, str]:
    """Client id -> the outcome of the person's latest phone call in this batch."""
    from kansen_cli.ledger.calls import phone_calls
    from kansen_cli.workflows.calls import calls_by_person

    return {
        client_id: calls[-1].outcome
        for client_id, calls in calls_by_person(phone_calls(ledger, batch)).items()
        if calls
    }


def still_calling(
    ledger: Ledger, batch: str, people: pd.DataFrame, settings: Settings, on: dt.date
) -> list[CallStatus]:
    """Where calling stands on `on` for the batch's phone-first people still being called
    (calling.DUE or WAITING: not finished, and with a phone number)."""
    from kansen_cli.calling import DUE, WAITING
    from kansen_cli.ledger.calls import phone_calls
    from kansen_cli.workflows.calls import calls_by_person, phone_first_people, statuses

    phoned = phone_first_people(people, settings)
    if phoned.empty:
        return []
    status = statuses(phoned, calls_by_person(phone_calls(ledger, batch)), settings, on)
    return [s for s in status.values() if s.state in (DUE, WAITING)]


class StillCallingError(KansenError):
    """The batch's phone-first people are still being called: their letter is not known yet."""


def refuse_while_calling(calling: Sequence[CallStatus], batch: str, on: dt.date) -> None:
    """Refuse the letters while phone-first people are still being called: the invitation is for
    those not reached after the maximum of calls (or without a phone number), and letters
    recorded as sent end the batch's calling for good. Names counts and days, never a person."""
    from kansen_cli.calling import DUE

    due = sum(1 for s in calling if s.state == DUE)
    ahead = sorted(s.next_due for s in calling if s.state != DUE and s.next_due is not None)
    parts = [_("{count} due a call on {date}").format(count=due, date=day(on))] if due else []
    if ahead:
        days = (
            day(ahead[0])
            if ahead[0] == ahead[-1]
            else _("{first} to {last}").format(first=day(ahead[0]), last=day(ahead[-1]))
        )
        parts.append(_("{count} with their next call due {days}").format(count=len(ahead), days=days))
    raise StillCallingError(
        ngettext(
            "letters for batch {batch!r} not made, nothing written: {count} "
            "phone-first person is still being called ({parts}). Call them first "
            "(`kansen calls {batch} --today DATE`, then `kansen ingest` the filled "
            "workbook), or use --stop-calling to stop calling them and send them the "
            "invitation letter",
            "letters for batch {batch!r} not made, nothing written: {count} "
            "phone-first people are still being called ({parts}). Call them first "
            "(`kansen calls {batch} --today DATE`, then `kansen ingest` the filled "
            "workbook), or use --stop-calling to stop calling them and send them the "
            "invitation letter",
            len(calling),
        ).format(batch=batch, count=len(calling), parts="; ".join(parts))
    )


CONFIRMATION = "confirmation"
INVITATION = "invitation"


def letter_after_calls(approach: str, latest_outcome: str | None, settings: Settings) -> str | None:
    """Which letter a person gets once the calls are made: CONFIRMATION for a phone-first person
    whose latest call made an appointment, None (no letter) for one who said no on the phone
    (reached, but neither an appointment nor a call back), else INVITATION: letter-first people,
    and the phone-first people not reached, with a wrong number or without a phone number."""
    roles = settings.codebook.roles
    if approach != "phone_first" or latest_outcome is None:
        return INVITATION
    if latest_outcome == roles.phone_appointment:
        return CONFIRMATION
    if latest_outcome in roles.phone_reached and latest_outcome != roles.phone_callback:
        return None
    return INVITATION


def after_calls(
    fields: list[Fields], latest: dict[str, str], settings: Settings
) -> tuple[list[Fields], int, int]:
    """The letters to make after the calls, with the confirmation's template where one goes;
    returns (letters, confirmations, people left without a letter)."""
    chosen: list[Fields] = []
    confirmations = no_letter = 0
    for f in fields:
        client_id = str(f["client_id"])
        which = letter_after_calls(settings.approach_of(str(f["variant"])), latest.get(client_id), settings)
        if which is None:
            no_letter += 1
            continue
        if which == CONFIRMATION:
            f = {**f, "template": settings.letters.confirmation_template}
            confirmations += 1
        chosen.append(f)
    return chosen, confirmations, no_letter


class LettersTooLateError(KansenError):
    """The letters would leave people too few working days before their appointment."""


def refuse_late_letters(people: pd.DataFrame, settings: Settings, batch: str, sent_on: dt.date) -> None:
    """Refuse letters sent too close to the batch's first appointment.

    Counted: the open days of the planning calendar (the settings' working days, without Dutch
    public holidays and [planning] closed_days) from the send date (counted when it is one) up
    to the first appointment (not counted), as numpy.busday_count counts. Letters on Monday
    5-10-2026 for Wednesday 7-10-2026 leave 2 (Monday, Tuesday); for Monday 12-10-2026, 5.
    Refused when that is fewer than [letters] min_working_days. A batch without appointments
    is not checked; the workflow skips the check for a dry run and with --force.
    """
    from kansen_cli.planning import Calendar

    planned = people["appointment_date"].dropna() if "appointment_date" in people else []
    if len(planned) == 0:
        return
    first = min(dt.date.fromisoformat(str(d)) for d in planned)
    needed = settings.letters.min_working_days
    days = Calendar(settings.planning, sent_on.year).open_days_from(sent_on, first)
    if days < needed:
        raise LettersTooLateError(
            ngettext(
                "letters for batch {batch!r} not made, nothing written: {days} working "
                "day between {sent_on} and the first appointment on "
                "{first}; at least {needed} needed ([letters] "
                "min_working_days). Send them earlier (--sent-on), plan again (`kansen "
                "plan {batch} --start DATE --force`), or use --force to send them anyway",
                "letters for batch {batch!r} not made, nothing written: {days} working "
                "days between {sent_on} and the first appointment on "
                "{first}; at least {needed} needed ([letters] "
                "min_working_days). Send them earlier (--sent-on), plan again (`kansen "
                "plan {batch} --start DATE --force`), or use --force to send them anyway",
                days,
            ).format(batch=batch, days=days, sent_on=day(sent_on), first=day(first), needed=needed)
        )


def checked_formats(formats: Collection[str]) -> set[str]:
    """The formats asked for, in lower case; none, or one not in FORMATS, is refused."""
    chosen = {f.strip().lower() for f in formats if f.strip()}
    unknown = chosen - set(FORMATS)
    if unknown or not chosen:
        raise KansenError(
            _("letter formats are pdf and html (got {value})").format(
                value=", ".join(sorted(formats)) or "none"
            )
        )
    return chosen


def _refuse_when_sent(ledger: Ledger, batch: str, allowed: bool) -> None:
    from kansen_cli.ledger.letters import AlreadyInvitedError, letters_sent_on

    previous = letters_sent_on(ledger, batch)
    if previous is not None and not allowed:
        raise AlreadyInvitedError(
            _(
                "the letters of batch {batch!r} were recorded as sent on {previous}; use "
                "--force to make and record them again"
            ).format(batch=batch, previous=previous)
        )


def output_paths(
    folder: Path, batch: str, fields: Sequence[Fields], chosen: Collection[str], workbooks: bool = True
) -> dict[str, Path]:
    """The files to write, by kind (`pdf`, `mailmerge`, `calls`, `html:<client id>`)."""
    # File names from batch and client ids only, never from names.
    paths = {}
    if "pdf" in chosen:
        paths["pdf"] = folder / f"{batch}.pdf"
    if workbooks:
        paths["mailmerge"] = folder / f"{batch}-mailmerge.xlsx"
        paths["calls"] = folder / f"{batch}-bellijst.xlsx"
    if "html" in chosen:
        for f in fields:
            paths[f"html:{f['client_id']}"] = folder / f"{batch}-{f['client_id']}.html"
    return paths


def render_contents(
    env: SandboxedEnvironment,
    fields: list[Fields],
    paths: dict[str, Path],
    chosen: Collection[str],
    workers: int,
    progress: Progress | None = None,
) -> dict[Path, bytes]:
    """The PDF (page count checked) and the HTML letters, in memory; nothing is written here."""
    from kansen_cli.letter_render import render_letter, render_pdf

    total = len(fields) * len(chosen)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    advance(0)
    contents: dict[Path, bytes] = {}
    if "pdf" in chosen:
        contents[paths["pdf"]] = render_pdf(env, fields, workers=workers, progress=advance)
    if "html" in chosen:
        for f in fields:
            contents[paths[f"html:{f['client_id']}"]] = render_letter(env, f).encode("utf-8")
            advance(1)
    return contents


def sample_files(batch: str) -> re.Pattern[str]:
    """The names of the files a dry run of `batch` writes: the only ones the next one removes."""
    return re.compile(rf"{re.escape(batch)}(-[A-Za-z0-9_.-]+)?\.(pdf|html|xlsx)")


def _record(
    ledger: Ledger,
    batch: str,
    fields: list[Fields],
    sent_on: dt.date,
    force: bool,
    swap_in: Callable[[], None],
) -> None:
    """Record the batch as invited; its files are swapped in inside that transaction, last."""
    from kansen_cli.ledger.letters import record_letters

    sent = [(str(f["client_id"]), str(f["variant"])) for f in fields]
    record_letters(ledger, batch, sent, sent_on, force=force, before_commit=swap_in)
