"""The registry of workbook kinds: a new kind is one module's worth of code, registered once.

`SurveyKind` below stands for a kind from elsewhere (a toy poll of one mark): it is defined here, in
the test, and registered at run time; nothing in the package knows it. It goes the whole
way: built with the shared writer, read back by its marker, checked by its own rule and
loaded by the ingest workflow, which records the file like any other.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest
from openpyxl import load_workbook

from campaign_helpers import make_campaign
from kansen_cli.errors import InputFileError
from kansen_cli.files import save_workbook
from kansen_cli.ledger import open_ledger
from kansen_cli.settings import Settings, preset
from kansen_cli.workbooks import calls as calls_kind
from kansen_cli.workbooks import caseload as caseload_kind
from kansen_cli.workbooks import followup, registration, registry
from kansen_cli.workbooks import survey as survey_kind
from kansen_cli.workbooks.cells import ClientIds, is_blank
from kansen_cli.workbooks.kind import WorkbookKind
from kansen_cli.workbooks.layout import MARKER_SHEET, Column
from kansen_cli.workbooks.plan import Planned, RowCheck, SheetRules, plan_rows, start_plan
from kansen_cli.workbooks.reading import read_filled
from kansen_cli.workbooks.writing import DataSheet, write_workbook
from kansen_cli.workflows import ingest

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

TODAY = dt.date(2026, 11, 20)
SURVEY_SHEET = "Enquete"
MARKS = tuple(str(mark) for mark in range(1, 11))


def survey_columns() -> list[Column]:
    return [
        Column("client_id", "Klantnummer", 12),
        Column("name", "Naam", 24),
        Column("mark", "Rapportcijfer", 12, answer=True, choices=MARKS),
    ]


class SurveyKind(WorkbookKind):
    """A mark from 1 to 10 per person asked; stored in memory instead of a ledger table."""

    name = "toy_poll"
    required: ClassVar[Mapping[str, frozenset[str]]] = {SURVEY_SHEET: frozenset({"client_id", "mark"})}

    def __init__(self, asked: set[str]) -> None:
        self.asked = asked
        self.stored: dict[str, dict[str, Any]] = {}
        self.contexts = 0

    def build(self, people: list[dict[str, Any]], settings: Settings) -> Any:
        return write_workbook(
            [DataSheet(SURVEY_SHEET, survey_columns(), people)],
            ["Kies per persoon een rapportcijfer."],
            kind=self.name,
            campaign=settings.campaign.name,
        )

    def read_context(self, ledger: Any, filled: Any, today: dt.date) -> dict[str, dict[str, Any]]:
        self.contexts += 1
        return dict(self.stored)

    def plan(self, filled: Any, context: dict[str, dict[str, Any]], settings: Settings) -> Any:
        asked = ClientIds(self.asked)

        def rule(check: RowCheck, row: Any) -> Planned | None:
            client_id = asked.match(check.cell("client_id"))
            if client_id is None:
                check.problem("client_id", check.cell("client_id"), "not_asked", "was not asked")
            mark = check.coded("mark", {m: m for m in MARKS})
            if client_id is None or mark is None:
                return None
            return Planned("survey", client_id, {"mark": mark}, context.get(client_id))

        plan = start_plan(filled, settings, None)
        return plan_rows(plan, filled, {SURVEY_SHEET: SheetRules(("mark",), rule)})

    def write(self, db: sqlite3.Connection, plan: Any, change: Any, stamp: str) -> None:
        self.stored[change.client_id] = change.record


@pytest.fixture
def survey(monkeypatch: pytest.MonkeyPatch):
    kind = SurveyKind({"0001", "0002", "0003"})
    monkeypatch.setitem(registry.KINDS, kind.name, kind)
    return kind


@pytest.fixture
def ledger_folder(tmp_path: Path) -> Path:
    folder = make_campaign(tmp_path / "campaign")
    open_ledger(folder, create=True).close()
    return folder


def _survey_file(kind: SurveyKind, folder: Path, marks: dict[str, Any]) -> Path:
    """The survey workbook of three people, with `marks` typed into the mark column."""
    people = [{"client_id": cid, "name": f"Persoon {cid[-1]}"} for cid in ("0001", "0002", "0003")]
    path = folder / "enquete.xlsx"
    save_workbook(path, kind.build(people, Settings()), force=True)
    workbook = load_workbook(path)
    sheet = workbook[SURVEY_SHEET]
    for row in range(2, sheet.max_row + 1):
        cid = sheet.cell(row=row, column=1).value
        if cid in marks:
            sheet.cell(row=row, column=3, value=marks[cid])
    workbook.save(path)
    return path


def test_an_unregistered_kind_is_refused(tmp_path: Path):
    kind = SurveyKind(set())
    path = tmp_path / "enquete.xlsx"
    save_workbook(path, kind.build([], Settings()))
    with pytest.raises(InputFileError, match="unknown sheet kind 'toy_poll'"):
        read_filled(path)


def test_a_kind_defined_elsewhere_round_trips_build_read_plan(survey: SurveyKind, tmp_path: Path):
    path = _survey_file(survey, tmp_path, {"0001": "8", "0003": " 6 "})
    workbook = load_workbook(path)
    marker = {r[0]: r[1] for r in workbook[MARKER_SHEET].iter_rows(values_only=True)}
    assert marker["kind"] == "toy_poll"
    assert json.loads(marker["sheets"]) == {
        SURVEY_SHEET: [["client_id", "Klantnummer"], ["name", "Naam"], ["mark", "Rapportcijfer"]]
    }
    [validation] = workbook[SURVEY_SHEET].data_validations.dataValidation
    assert str(validation.sqref) == "C2:C4"

    filled = read_filled(path)
    assert filled.kind == "toy_poll" and [r.row for r in filled.rows] == [2, 3, 4]
    plan = survey.plan(filled, {}, Settings())
    assert [(c.client_id, c.record, c.action) for c in plan.changes] == [
        ("0001", {"mark": "8"}, "new"),
        ("0003", {"mark": "6"}, "new"),
    ]
    assert plan.counts() == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 0, "blank": 1}


def test_the_ingest_workflow_loads_a_registered_kind(survey: SurveyKind, ledger_folder: Path, tmp_path: Path):
    path = _survey_file(survey, tmp_path, {"0001": "8", "0002": 7})
    result = ingest.run(ledger_folder, Settings(), [path], TODAY)
    [file] = result.files
    assert (file.kind, file.loaded, file.batch_id) == ("toy_poll", True, None)
    assert file.counts == {"new": 2, "updated": 0, "unchanged": 0, "rejected": 0, "blank": 1}
    assert survey.stored == {"0001": {"mark": "8"}, "0002": {"mark": "7"}}
    assert survey.contexts == 1
    with sqlite3.connect(ledger_folder / "kansen.sqlite") as db:
        assert db.execute("SELECT name, kind FROM loaded_files").fetchall() == [("enquete.xlsx", "toy_poll")]

    # A changed mark is an update whose old value the shared machinery keeps in the history.
    changed = _survey_file(survey, tmp_path, {"0001": "9", "0002": "7"})
    again = ingest.run(ledger_folder, Settings(), [changed], TODAY).files[0]
    assert again.counts == {"new": 0, "updated": 1, "unchanged": 1, "rejected": 0, "blank": 1}
    with sqlite3.connect(ledger_folder / "kansen.sqlite") as db:
        history = db.execute("SELECT kind, client_id, old_json FROM history").fetchall()
    assert history == [("survey", "0001", '{"mark": "8"}')]


def test_a_registered_kind_gets_the_shared_checks(survey: SurveyKind, ledger_folder: Path, tmp_path: Path):
    path = _survey_file(survey, tmp_path, {"0001": "elf", "0002": "7"})
    [file] = ingest.run(ledger_folder, Settings(), [path], TODAY).files
    assert not file.loaded
    assert [(p["row"], p["column"], p["kind"]) for p in file.problems] == [
        (2, "Rapportcijfer", "unknown_value")
    ]
    assert survey.stored == {}

    # Another campaign's survey is a problem with the file itself, found before any row.
    other = Settings().model_copy(update={"campaign": Settings().campaign.model_copy(update={"name": "X"})})
    [file] = ingest.run(ledger_folder, other, [path], TODAY).files
    assert file.file_problem and [p["kind"] for p in file.problems] == ["wrong_campaign"]

    # The marker must list the kind's required column.
    workbook = load_workbook(path)
    for row in workbook[MARKER_SHEET].iter_rows():
        if row[0].value == "sheets":
            row[1].value = json.dumps({SURVEY_SHEET: [["client_id", "Klantnummer"]]})
    workbook.save(path)
    with pytest.raises(InputFileError, match="damaged"):
        read_filled(path)


@pytest.mark.parametrize("preset_name", ["groningen", "nijmegen"])
def test_built_in_kinds_write_the_columns_they_require(preset_name: str):
    """Each kind's builder writes every column its reader cannot do without, under its name."""
    import pandas as pd

    settings = preset(preset_name)
    kinds = {kind.name: kind for kind in registry.BUILT_IN}
    assert set(kinds) == {"registration", "followup", "survey", "caseload", "calls"}
    # What ingest cannot do without (from the workbook design): the rest may be missing.
    assert kinds["registration"].required == {
        "Registratie": {"client_id", "contact_result", "conversation_date"}
    }
    assert kinds["followup"].required == {
        "Nabellen": {"client_id", "round", "call_date", "followup_result"},
        "Verwijzingen": {"client_id", "destination", "result_date", "referral_result"},
    }
    assert kinds["survey"].required == {
        "Enquête": {"client_id", "call_date", "survey_result", "mark", "reason"}
    }
    assert kinds["caseload"].required == {
        "Deelnemers": {"client_id", "contact_date", "contact_kind", "rung", "end_reason"},
        "Doelen": {"goal_id", "client_id", "review_date", "score"},
        "Nieuwe doelen": {"client_id", "domain", "description", "target_on", "baseline"},
    }
    assert kinds["calls"].required == {
        "Bellen": {"client_id", "call_date", "part_of_day", "caller", "outcome", "callback_on"}
    }
    written = {
        "Registratie": {c.key for c in registration.columns(settings)},
        "Nabellen": {c.key for c in followup.calls_columns(settings)},
        "Verwijzingen": {c.key for c in followup.referral_columns(settings)},
        "Enquête": {c.key for c in survey_kind.columns(settings, settings.survey.questions)},
        "Deelnemers": {c.key for c in caseload_kind.people_columns(settings)},
        "Doelen": {c.key for c in caseload_kind.goal_columns(settings)},
        "Nieuwe doelen": {c.key for c in caseload_kind.new_goal_columns(settings)},
        "Bellen": {c.key for c in calls_kind.columns(settings)},
    }
    for kind in kinds.values():
        for sheet, keys in kind.required.items():
            assert keys <= written[sheet], (kind.name, sheet)
    empty = pd.DataFrame(columns=["client_id"])
    built = {
        "registration": registration.build(empty, settings, "b-1", created_at="t"),
        "followup": followup.build(empty, empty, settings, TODAY, created_at="t"),
        "survey": survey_kind.build(empty, settings, 1, settings.survey.questions, created_at="t"),
        "caseload": caseload_kind.build(
            empty, empty, settings, settings.trajectories.coaches[0], TODAY, created_at="t"
        ),
        "calls": calls_kind.build(empty, {}, {}, settings, "b-1", TODAY, created_at="t"),
    }
    for name, workbook in built.items():
        marker = {r[0].value: r[1].value for r in workbook[MARKER_SHEET].iter_rows()}
        assert marker["kind"] == name
        assert set(json.loads(marker["sheets"])) == set(kinds[name].required)


def test_no_kind_is_dispatched_by_name_in_the_package():
    """Ingest finds a kind by its marker: no branch on a workbook kind's name anywhere.

    A comparison of any `kind` with a registered workbook kind's name, written out or as a
    module's NAME, is such a branch. (A change's own kind, such as the registration's
    'attempt' change, is not a workbook kind and may be compared.)"""
    import re

    import kansen_cli
    from kansen_cli.workbooks.registry import KINDS

    names = "|".join(re.escape(name) for name in KINDS)
    branch = re.compile(rf"""kind\s*[!=]=\s*(["']({names})["']|[\w.]*\bNAME\b)""")
    root = Path(kansen_cli.__file__).parent
    for folder in ("workbooks", "workflows", "cli", "ledger"):
        for path in (root / folder).glob("*.py"):
            found = branch.search(path.read_text())
            assert found is None, f"{path}: {found and found.group(0)}"
    # The check itself sees such a branch.
    assert branch.search('if filled.kind == "calls":') and branch.search("if meta.kind != caseload.NAME:")


def test_blank_cells_are_what_a_consultant_leaves():
    assert is_blank(None) and is_blank("  ") and not is_blank(0) and not is_blank("0")
