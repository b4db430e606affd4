"""The survey workbook (`kansen survey`) and its rules for `ingest`.

One data sheet: the people sampled, each with their group, and the answers the caller fills
in: the date of the call, its result, the mark (1-10 or "Geen cijfer"), a Ja/Nee per question
of the survey, and for non-participants the main reason for not taking part. The rules:

- an answer only for a member of this survey, once per file;
- the call dated between the day the sample was drawn and today, with a result;
- a completed survey call needs a mark (or "Geen cijfer"); a whole mark 1..10 only;
- answers only when the survey call was completed; a reason only for a non-participant.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from kansen_cli.i18n import _
from kansen_cli.ledger import surveys as ledger_surveys
from kansen_cli.survey import GROUP_LABELS, NON_PARTICIPANT
from kansen_cli.workbooks import grades
from kansen_cli.workbooks.cells import ClientIds, is_blank, mark
from kansen_cli.workbooks.grades import grade
from kansen_cli.workbooks.kind import WorkbookKind
from kansen_cli.workbooks.layout import MARK_NO, MARK_YES, Column, person_name
from kansen_cli.workbooks.plan import (
    Change,
    FileRefused,
    IngestPlan,
    Planned,
    RowCheck,
    SheetRules,
    plan_rows,
    start_plan,
)
from kansen_cli.workbooks.writing import DataSheet, write_workbook

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook

    from kansen_cli.ledger import Ledger
    from kansen_cli.settings import Settings
    from kansen_cli.workbooks.reading import FilledRow, FilledWorkbook

NAME = "survey"
SHEET = "Enquête"
QUESTION_PREFIX = "q_"
ANSWERS = ("call_date", "survey_result", "mark", "reason")


def columns(settings: Settings, questions: Mapping[str, str]) -> list[Column]:
    cb = settings.codebook
    return [
        Column("client_id", _("Client number"), 12),
        Column("name", _("Name"), 24),
        Column("phone", _("Phone"), 14),
        Column("group", _("Group"), 14),
        Column("call_date", _("Date called"), 13, answer=True, date=True),
        Column("survey_result", _("Result"), 20, True, tuple(cb.survey_result.values())),
        Column("mark", _("Mark (1-10)"), 12, True, grades.CHOICES),
        *(
            Column(QUESTION_PREFIX + key, text, 22, True, (MARK_YES, MARK_NO))
            for key, text in questions.items()
        ),
        Column("reason", _("Reason for not taking part"), 30, True, tuple(cb.survey_reason.values())),
    ]


def build(
    people: pd.DataFrame,
    settings: Settings,
    survey_id: int,
    questions: Mapping[str, str],
    created_at: str | None = None,
) -> Workbook:
    """The survey workbook of one sample: a row per person, participants first."""
    rows = [
        {
            "client_id": str(p["client_id"]),
            "name": person_name(p),
            "phone": p.get("phone") or None,
            "group": GROUP_LABELS[p["grp"]],
        }
        for p in people.to_dict("records")
    ]
    done = settings.codebook.survey_result[settings.codebook.roles.survey_done]
    explanation = [
        _("Survey {campaign}, sample {sample}.").format(campaign=settings.campaign.name, sample=survey_id),
        _("Call everyone on the sheet and fill in for each person: the date, the result of the call"),
        _("and, if the survey is '{done}', the mark for the municipality's services (1 to").format(done=done),
        _(
            "10, or '{no_mark}') and the questions with Yes or No (leave empty when someone gives no answer)."
        ).format(no_mark=grades.NO_MARK),
        _("Only for those not taking part: the main reason for not taking part."),
        _("An empty row means: not called yet. Read the filled-in file in with kansen ingest."),
    ]
    return write_workbook(
        [DataSheet(SHEET, columns(settings, questions), rows)],
        explanation,
        kind=NAME,
        campaign=settings.campaign.name,
        created_at=created_at,
        survey_id=str(survey_id),
    )


@dataclass
class SurveyContext:
    """What the ledger knows about this workbook's survey."""

    survey_id: int
    drawn_on: dt.date
    questions: dict[str, str]
    members: dict[str, str]  # client id -> group
    answers: dict[str, dict[str, Any]]
    today: dt.date


class SurveyKind(WorkbookKind):
    name = NAME
    required: ClassVar[Mapping[str, frozenset[str]]] = {SHEET: frozenset({"client_id", *ANSWERS})}

    def read_context(self, ledger: Ledger, filled: FilledWorkbook, today: dt.date) -> SurveyContext:
        text = str(filled.meta.get("survey_id", ""))
        info = ledger_surveys.survey_info(ledger, int(text)) if text.isdigit() else None
        if info is None:
            raise FileRefused(
                "unknown_survey", text, _("the ledger holds no survey '{text}'").format(text=text)
            )
        survey_id = int(text)
        return SurveyContext(
            survey_id=survey_id,
            drawn_on=dt.date.fromisoformat(info["drawn_on"]),
            questions=info["questions"],
            members=ledger_surveys.members(ledger, survey_id),
            answers=ledger_surveys.current_answers(ledger, survey_id),
            today=today,
        )

    def plan(self, filled: FilledWorkbook, context: SurveyContext, settings: Settings) -> IngestPlan:
        plan = start_plan(filled, settings, None)
        answers = (*ANSWERS, *(QUESTION_PREFIX + key for key in context.questions))
        return plan_rows(plan, filled, {SHEET: SheetRules(answers, _Rules(context, settings).row)})

    def write(self, db: sqlite3.Connection, plan: IngestPlan, change: Change, stamp: str) -> None:
        record = change.record
        ledger_surveys.write_answer(db, record["survey_id"], change.client_id, record, plan.file, stamp)


KIND = SurveyKind()


class _Rules:
    """The rules of one file's rows; remembers the people seen, to catch doubles."""

    def __init__(self, context: SurveyContext, settings: Settings) -> None:
        self.context = context
        self.cb = settings.codebook
        self.done = settings.codebook.roles.survey_done
        self.ids = ClientIds(context.members)
        self.seen: set[str] = set()

    def row(self, check: RowCheck, row: FilledRow) -> Planned | None:
        ctx = self.context
        client_id = check.known_id(self.ids)
        group = ctx.members.get(client_id)
        if group is None:
            check.problem(
                "client_id", client_id, "not_in_sample", _("this person is not in this survey's sample")
            )
        elif client_id in self.seen:
            check.problem("client_id", client_id, "duplicate", _("this person appears twice"))
        self.seen.add(client_id)
        call_date = check.date("call_date", ctx.drawn_on, ctx.today, _("the sample was drawn"))
        check.missing("call_date", _("the date of the call is required"))
        result = check.coded("survey_result", self.cb.survey_result)
        if result is None:
            check.required("survey_result", self.cb.survey_result)
        record: dict[str, Any] = {
            "survey_id": ctx.survey_id,
            "call_date": call_date,
            "result": result,
            "mark": None,
            "answers": {},
            "reason": None,
        }
        if result == self.done:
            self._answers(check, group, record)
        elif result is not None:
            self._no_answers(check)
        if group is None:
            return None
        old = ctx.answers.get(client_id)
        return Planned(
            "survey", client_id, record, None if old is None else {**old, "survey_id": ctx.survey_id}
        )

    def _answers(self, check: RowCheck, group: str | None, record: dict[str, Any]) -> None:
        record["mark"] = grade(check, "mark", required=True)
        record["answers"] = {
            key: answer
            for key in self.context.questions
            if (answer := _yes_no(check, QUESTION_PREFIX + key)) is not None
        }
        record["reason"] = check.coded("reason", self.cb.survey_reason)
        if record["reason"] is not None and group is not None and group != NON_PARTICIPANT:
            check.problem(
                "reason",
                check.cell("reason"),
                "reason_for_participant",
                _("a reason only for a non-participant"),
            )

    def _no_answers(self, check: RowCheck) -> None:
        """A call that was not completed has no answers: a filled answer would be a mistake."""
        label = self.cb.survey_result[self.done]
        for key in ("mark", "reason", *(QUESTION_PREFIX + q for q in self.context.questions)):
            if not is_blank(check.cell(key)):
                check.problem(
                    key,
                    check.cell(key),
                    "answer_without_survey",
                    _("answers only when the result is '{label}'").format(label=label),
                )


def _yes_no(check: RowCheck, key: str) -> bool | None:
    """Ja -> True, Nee -> False, empty -> None (not answered); a problem for anything else."""
    value = check.cell(key)
    if is_blank(value):
        return None
    answer = mark(value)
    if answer is None:
        check.problem(
            key,
            value,
            "unknown_value",
            _("allowed: {MARK_YES}, {MARK_NO} or empty").format(MARK_YES=MARK_YES, MARK_NO=MARK_NO),
        )
    return answer
