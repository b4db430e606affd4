"""Checking a returned workbook's rows and planning what changes in the ledger (pure: no I/O).

Every kind plans the same way: file-level problems first (another campaign, a missing
column: the file never loads), then row by row. A row with every answer cell empty is not
filled in yet: skipped and counted as `blank`. Otherwise the kind's rule for that sheet
checks it through a `RowCheck`, which collects problems instead of stopping at the first,
and returns the record it would write. A file with any problem loads nothing, unless
skip_invalid: then its valid rows load and the rows with problems count as `rejected`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _, day
from kansen_cli.problems import ProblemReport
from kansen_cli.workbooks.cells import (
    NO_WORDS,
    YES_WORDS,
    ClientIds,
    cell_text,
    is_blank,
    lookup,
    mark,
    norm,
    parse_date,
)
from kansen_cli.workbooks.layout import MARK_NO, MARK_YES

if TYPE_CHECKING:
    from kansen_cli.settings import Settings
    from kansen_cli.workbooks.reading import FilledRow, FilledWorkbook


COUNT_KEYS = ("new", "updated", "unchanged", "rejected", "blank")


@dataclass
class Change:
    """One planned change: a new, updated or unchanged record of one kind for one person."""

    kind: str  # what the record is, as the ledger's history names it: outcome, followup, …
    client_id: str
    action: str  # new | updated | unchanged
    record: dict[str, Any]
    old: dict[str, Any] | None
    row: int


@dataclass
class IngestPlan:
    """Everything `ingest` found in one file and what it would change."""

    file: str
    sha256: str
    kind: str
    batch_id: str | None
    changes: list[Change] = field(default_factory=list)
    problems: ProblemReport = field(default_factory=ProblemReport)
    rejected_rows: set[tuple[str, int]] = field(default_factory=set)
    blank: int = 0
    file_level: bool = False  # a problem with the file itself: never loads
    # Labels, codes and yes/no words a consultant picks from: shown as typed in problems.
    words: frozenset[str] = frozenset()
    # What the kind's rules want the user told about a loadable file (ingest shows them as warnings).
    notes: list[str] = field(default_factory=list)

    def loadable(self, skip_invalid: bool) -> bool:
        if self.file_level:
            return False
        return not self.problems or skip_invalid

    def counts(self, loaded: bool = True) -> dict[str, int]:
        def count(action: str) -> int:
            return sum(1 for c in self.changes if c.action == action) if loaded else 0

        return {
            "new": count("new"),
            "updated": count("updated"),
            "unchanged": count("unchanged"),
            "rejected": len(self.rejected_rows),
            "blank": self.blank,
        }


class FileRefused(Exception):
    """Raised by a kind's `read_context` when the file cannot be checked at all (unknown batch)."""

    def __init__(self, problem: str, value: str | None, message: str, batch_id: str | None = None) -> None:
        super().__init__(message)
        self.problem = problem
        self.value = value
        self.message = message
        self.batch_id = batch_id

    def plan(self, filled: FilledWorkbook) -> IngestPlan:
        """The plan of a refused file: one file-level problem, nothing to load."""
        plan = IngestPlan(filled.name, filled.sha256, filled.kind, self.batch_id, file_level=True)
        plan.problems.add(filled.name, None, None, self.value, self.problem, self.message, known=True)
        return plan


class RowCheck:
    """Problems of one row, collected into the file's report."""

    def __init__(self, plan: IngestPlan, headers: dict[str, str], row: FilledRow) -> None:
        self.plan = plan
        self.headers = headers
        self.row = row
        self.failed = False
        self.matched: set[str] = set()  # client ids this row's cells were matched to

    def cell(self, key: str) -> Any:
        return self.row.cells.get(key)

    def problem(self, key: str | None, value: Any, kind: str, message: str) -> None:
        """A problem of this row. The value is shown as typed when it is a label, code or mark
        from the lists, a matched client id, or code-like; other text only by kind and length."""
        column = self.headers.get(key, key) if key else None
        known = value is not None and (norm(value) in self.plan.words or cell_text(value) in self.matched)
        self.plan.problems.add(self.plan.file, self.row.row, column, value, kind, message, known=known)
        self.failed = True

    def coded(self, key: str, choices: dict[str, str]) -> str | None:
        value = self.cell(key)
        if is_blank(value):
            return None
        code = lookup(choices).get(norm(value))
        if code is None:
            self.problem(
                key,
                value,
                "unknown_value",
                _("not in the list; allowed: {choices}").format(choices=", ".join(choices.values())),
            )
        return code

    def missing(self, key: str, message: str) -> None:
        """A problem when the cell is empty; a filled but invalid cell has its own problem."""
        if is_blank(self.cell(key)):
            self.problem(key, None, "missing", message)

    def required(self, key: str, choices: dict[str, str]) -> None:
        """A problem when a coded cell is empty, naming the allowed labels."""
        self.missing(key, _("required; allowed: {choices}").format(choices=", ".join(choices.values())))

    def mark(self, key: str) -> bool:
        value = self.cell(key)
        marked = mark(value)
        if marked is None:
            self.problem(
                key,
                value,
                "unknown_value",
                _("allowed: {yes}, {no} or empty").format(yes=MARK_YES, no=MARK_NO),
            )
            return False
        return marked

    def date(
        self, key: str, not_before: dt.date | None, today: dt.date | None, before_what: str
    ) -> str | None:
        """The date in the cell as yyyy-mm-dd, between `not_before` and `today` (None: a date
        that may lie ahead, such as a target date)."""
        value = self.cell(key)
        if is_blank(value):
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problem(key, value, "bad_date", _("not a date; write it as dd-mm-yyyy"))
            return None
        if today is not None and parsed > today:
            self.problem(
                key, value, "date_in_future", _("lies after today ({today})").format(today=day(today))
            )
        elif not_before is not None and parsed < not_before:
            self.problem(
                key,
                value,
                "date_too_early",
                _("lies before {what} ({date})").format(what=before_what, date=day(not_before)),
            )
        return parsed.isoformat()

    def known_id(self, ids: ClientIds, key: str = "client_id") -> str:
        """The known client id the cell stands for, else the cell's text (for a problem message)."""
        value = self.cell(key)
        match = ids.match(value)
        if match is not None:
            self.matched.add(match)
        return match or ("" if is_blank(value) else cell_text(value))


@dataclass
class Planned:
    """What a valid row would write: the record and the one it replaces (None when new)."""

    kind: str
    client_id: str
    record: dict[str, Any]
    old: dict[str, Any] | None


@dataclass
class SheetRules:
    """How one data sheet's rows are checked: its answer columns and its rule for a filled row.

    The rule reports problems through the `RowCheck` and returns the planned record (or the
    records, when one row holds several: a contact, a rung and an end), or None when the row
    cannot be planned (it has a problem then).
    """

    answers: Collection[str]
    rule: Callable[[RowCheck, FilledRow], Planned | Sequence[Planned] | None]


def start_plan(filled: FilledWorkbook, settings: Settings, batch_id: str | None) -> IngestPlan:
    """An empty plan with the file-level problems: another campaign's file, missing columns."""
    plan = IngestPlan(filled.name, filled.sha256, filled.kind, batch_id, words=choice_words(settings))
    campaign = str(filled.meta.get("campaign", ""))
    if campaign != settings.campaign.name:
        plan.problems.add(
            filled.name,
            None,
            None,
            campaign,
            "wrong_campaign",
            _("this workbook belongs to campaign '{campaign}', not to '{name}'").format(
                campaign=campaign, name=settings.campaign.name
            ),
            known=True,  # the message names it anyway: a campaign's name, no person's
        )
        plan.file_level = True
    for column, message in filled.problems:
        plan.problems.add(filled.name, 1, column or None, None, "missing_column", message)
        plan.file_level = True
    return plan


def choice_words(settings: Settings) -> frozenset[str]:
    """Every code and label of the codebook's lists and the yes/no marks, normalised (`norm`)."""
    words = set(YES_WORDS | NO_WORDS)
    for name in type(settings.codebook).model_fields:
        choices = getattr(settings.codebook, name)
        if isinstance(choices, dict):
            words.update(lookup(choices))
    return frozenset(words)


def plan_rows(
    plan: IngestPlan,
    filled: FilledWorkbook,
    sheets: Mapping[str, SheetRules],
    name_sheets: bool = False,
) -> IngestPlan:
    """Check every row by its sheet's rules and plan the changes of the valid ones.

    `name_sheets`: a problem names the column with its sheet ("Doelen: Score"), for a workbook
    whose sheets share headers (Klantnummer on each)."""
    if plan.file_level:
        return plan
    headers = {
        sheet: {key: f"{sheet}: {header}" for key, header in named.items()} if name_sheets else named
        for sheet, named in filled.headers.items()
    }
    for row in filled.rows:
        rules = sheets[row.sheet]
        if all(is_blank(row.cells.get(key)) for key in rules.answers):
            plan.blank += 1
            continue
        check = RowCheck(plan, headers[row.sheet], row)
        planned = rules.rule(check, row)
        if check.failed or planned is None:
            plan.rejected_rows.add((row.sheet, row.row))
            continue
        for item in [planned] if isinstance(planned, Planned) else planned:
            plan_change(plan, item, row.row)
    return plan


def unchanged(planned: Planned) -> bool:
    """The record replaces one that holds the same values."""
    old = planned.old
    return old is not None and all(old.get(k) == v for k, v in planned.record.items())


def plan_change(plan: IngestPlan, planned: Planned, row: int) -> None:
    old = planned.old
    if old is None:
        action = "new"
    elif unchanged(planned):
        action = "unchanged"
    else:
        action = "updated"
    plan.changes.append(
        Change(planned.kind, planned.client_id, action, planned.record, None if action == "new" else old, row)
    )
