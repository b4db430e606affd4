"""Every file of the bad-input corpus through every command that reads it.

A refused file (exit 1) gives exactly one message line on stderr, no traceback, and writes
nothing: the campaign folder and the ledger's content are byte-for-byte as before. An accepted
file (exit 0) is one the design says to read, listing its row problems and counting those rows
`invalid` (see `why` per case in tests/fixtures/bad/make_corpus.py). No output ever shows a BSN
or a surname from the file.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dates import TODAY
from safety_helpers import assert_clean_failure, assert_no_traceback, bsns_in, ledger_dump, tree

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "bad"))
import make_corpus as corpus

AS_OF = "2026-10-01"
OK_REGISTER = corpus.HERE / "register_ok.csv"
NO_WIJK_REGISTER = corpus.HERE / "register_without_wijk.csv"
# Output must never echo a megabyte back, nor a file's personal data.
MAX_OUTPUT = 200_000


@pytest.fixture(scope="module")
def large_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    corpus.write_large(folder)
    return folder


@pytest.fixture(scope="module")
def base_campaign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A campaign that already holds a selection and batches, so 'unchanged' means something."""
    from typer.testing import CliRunner

    from kansen_cli.cli import app

    folder = tmp_path_factory.mktemp("base") / "campaign"
    runner = CliRunner()
    for args in (
        ["init", str(folder)],
        ["select", str(OK_REGISTER), "--as-of", AS_OF, "-c", str(folder)],
        ["batch", "--size", "3", "-c", str(folder)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
    return folder


@pytest.fixture
def campaign(base_campaign: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "campaign"
    shutil.copytree(base_campaign, folder)
    return folder


def _args(command: str, path: Path, campaign: Path) -> list[str | Path]:
    if command == "wijken":
        return ["check", NO_WIJK_REGISTER, "--wijken", path, "-c", campaign]
    if command == "select":
        # --out inside the campaign: a refused file must not leave even part of it behind.
        return ["select", path, "--as-of", AS_OF, "-c", campaign, "--out", campaign / "out" / "selectie.csv"]
    return [command, path, "-c", campaign]


def _assert_no_personal_data(text: str) -> None:
    assert not bsns_in(text), "a BSN is shown"
    for surname in corpus.SURNAMES:
        assert surname not in text, "a surname is shown"


# Known bugs in code this test does not own, for the lead (strict: they must fail until fixed).
KNOWN_BUGS: dict[str, str] = {}


def _marks(case) -> list:
    reason = KNOWN_BUGS.get(case.name)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


PARAMS = [
    pytest.param(
        case,
        command,
        id=f"{case.name}-{command}-{'reject' if case.exit_code else 'accept'}",
        marks=_marks(case),
    )
    for case in corpus.CASES
    for command in case.commands
]


@pytest.mark.parametrize(("case", "command"), PARAMS)
def test_corpus_file(case, command, campaign: Path, large_files: Path, invoke) -> None:
    path = corpus.path_of(case, large_files)
    assert path.exists(), f"{path.name} missing: run tests/fixtures/bad/make_corpus.py"
    before_files = tree(campaign)
    before_ledger = ledger_dump(campaign)

    result = invoke(*_args(command, path, campaign))

    output = result.stdout + result.stderr
    assert len(output) < MAX_OUTPUT, f"{len(output)} characters of output"
    _assert_no_personal_data(output)
    if case.exit_code == corpus.REJECT:
        assert_clean_failure(result)
        assert result.stdout == ""
        assert tree(campaign) == before_files, "a refused file wrote something"
        assert ledger_dump(campaign) == before_ledger, "a refused file changed the ledger"
        return
    assert_no_traceback(result)
    assert result.exit_code == 0, result.stderr
    if command == "check":
        # check never writes, whatever it reads
        assert tree(campaign) == before_files
        assert ledger_dump(campaign) == before_ledger
        summary = json.loads(invoke(*_args(command, path, campaign), "--json").stdout)
        assert summary["rows"] == summary["valid_rows"] + summary["invalid_rows"]
        if case.invalid_rows is not None:
            assert summary["invalid_rows"] == case.invalid_rows
        return
    # select: a new run whose funnel accounts for every row; nothing else written
    after = ledger_dump(campaign)
    assert len(after["selection_runs"]) == len(before_ledger["selection_runs"]) + 1
    assert set(tree(campaign)) == set(before_files) | {"out", "out/selectie.csv"}
    run = json.loads(invoke(*_args(command, path, campaign), "--json", "--force").stdout)
    assert sum(run["funnel"].values()) == run["rows"]
    if case.invalid_rows is not None:
        assert run["funnel"]["invalid"] == case.invalid_rows


def test_corpus_counts() -> None:
    """The closing note's numbers; also guards against cases silently dropping out."""
    files = {c.name for c in corpus.CASES}
    assert len(files) == len(corpus.CASES) >= 35
    assert len(PARAMS) >= 60


def test_committed_files_are_current() -> None:
    """Every small corpus file is committed and (for text files) what the generator writes."""
    for case in corpus.SMALL:
        path = corpus.HERE / case.name
        assert path.exists(), case.name
        if case.name.endswith(".csv") and case.make is not None:
            made = case.make()
            if made.startswith(b"PK"):
                continue  # a workbook: openpyxl stamps the time into it
            assert path.read_bytes() == made, f"{case.name} differs from make_corpus.py"


def test_password_workbook_is_really_encrypted() -> None:
    """The committed password.xlsx is an OLE container (encrypted package), not a zip."""
    data = (corpus.HERE / "password.xlsx").read_bytes()
    assert data.startswith(bytes.fromhex("d0cf11e0a1b11ae1"))
    assert b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data


def test_path_characters_in_client_ids_never_leave_the_letters_folder(
    campaign: Path, invoke, tmp_path: Path
) -> None:
    """Client ids are text from the register; a file named by one must stay in its folder."""
    fresh = tmp_path / "paths"
    assert invoke("init", fresh).exit_code == 0
    result = invoke("select", corpus.HERE / "client_id_path.csv", "--as-of", AS_OF, "-c", fresh)
    assert result.exit_code == 0, result.stderr
    assert invoke("batch", "--size", "10", "-c", fresh).exit_code == 0
    import sqlite3

    with sqlite3.connect(fresh / "kansen.sqlite") as db:
        batches = [r[0] for r in db.execute("SELECT batch_id FROM batches")]
    outside_before = set(tmp_path.rglob("*")) - set(fresh.rglob("*"))
    for batch in batches:
        assert invoke("plan", batch, "--start", "2026-10-05", "-c", fresh).exit_code == 0
        result = invoke(
            "letters",
            batch,
            "--format",
            "html",
            "--sent-on",
            "2026-10-01",
            "-c",
            fresh,
            "--out",
            fresh / "brieven",
        )
        assert_no_traceback(result)
    outside_after = set(tmp_path.rglob("*")) - set(fresh.rglob("*"))
    assert outside_after == outside_before, "a file was written outside the campaign folder"
    letters = fresh / "brieven"
    for path in letters.rglob("*"):
        assert path.parent == letters, f"{path} is not directly in the letters folder"


# ---------------------------------------------------------------------------- ingest


@pytest.fixture(scope="module")
def ingest_setup(tmp_path_factory: pytest.TempPathFactory, small_register: Path):
    """A campaign with a batch invited and its blank sheet, plus sheets made from other campaigns."""
    from typer.testing import CliRunner

    from kansen_cli.cli import app
    from registration_helpers import build_campaign, send_letters

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args])

    root = tmp_path_factory.mktemp("ingest")
    campaign = root / "campaign"
    batch = build_campaign(invoke, campaign, small_register, preset="groningen")
    send_letters(campaign, batch)
    sheet = root / "blank.xlsx"
    assert invoke("sheet", batch, "--out", sheet, "-c", campaign).exit_code == 0

    # The same batch id in another campaign (another register): other people.
    other_register = root / "other.csv"
    from kansen_cli.sample_files import write_sample

    write_sample(other_register, rows=600, seed=99)
    other = root / "other"
    other_batch = build_campaign(invoke, other, other_register, preset="groningen")
    send_letters(other, other_batch)
    other_sheet = root / "other.xlsx"
    assert invoke("sheet", other_batch, "--out", other_sheet, "-c", other).exit_code == 0
    return campaign, batch, sheet, other_sheet, other_batch


def _filled(sheet: Path, out: Path, settings_campaign: Path, **labels) -> Path:
    from kansen_cli.settings import load_settings
    from kansen_cli.simulate import fill_registration

    settings = load_settings(settings_campaign)
    fill_registration(
        sheet, out, seed=3, settings=settings, sent_on=TODAY - dt.timedelta(days=40), today=TODAY
    )
    return out


def _edit(path: Path, out: Path, edit) -> Path:
    workbook = load_workbook(path)
    edit(workbook)
    workbook.save(out)
    return out


def _headers(ws) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[1] if c.value is not None}


def _ingest_cases(setup, folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, why it must be refused)."""
    campaign, _batch, sheet, other_sheet, _other_batch = setup
    filled = _filled(sheet, folder / "filled.xlsx", campaign)
    cases: dict[str, tuple[Path, str]] = {}

    def add(name: str, path: Path, why: str) -> None:
        cases[name] = (path, why)

    other_filled = _filled(other_sheet, folder / "other-filled.xlsx", campaign)
    add("other_campaign_same_batch_id", other_filled, "people not in this batch")

    def rename_batch(wb):
        ws = wb["_kansen"]
        for row in ws.iter_rows():
            if row[0].value == "batch_id":
                row[1].value = "nergens-1"

    add("unknown_batch", _edit(filled, folder / "unknown-batch.xlsx", rename_batch), "no such batch here")
    add(
        "marker_removed",
        _edit(filled, folder / "no-marker.xlsx", lambda wb: wb.remove(wb["_kansen"])),
        "no marker: not a kansen sheet",
    )

    def damage_marker(wb):
        ws = wb["_kansen"]
        for row in ws.iter_rows():
            if row[0].value == "sheets":
                row[1].value = "{not json"

    add("marker_damaged", _edit(filled, folder / "bad-marker.xlsx", damage_marker), "marker unreadable")

    def unknown_labels(wb):
        ws = wb["Registratie"]
        headers = _headers(ws)
        result_col = next(c for h, c in headers.items() if "contact" in h.lower() or "resultaat" in h.lower())
        for row in range(2, min(ws.max_row, 6) + 1):
            ws.cell(row=row, column=result_col, value="Misschien later")

    add("unknown_labels", _edit(filled, folder / "labels.xlsx", unknown_labels), "labels not in the codebook")

    def foreign_client(wb):
        ws = wb["Registratie"]
        col = _headers(ws)
        cid = next(c for h, c in col.items() if "klant" in h.lower())
        ws.cell(row=2, column=cid, value="9999999")

    add("client_not_in_batch", _edit(filled, folder / "foreign.xlsx", foreign_client), "unknown client id")

    def drop_column(wb):
        ws = wb["Registratie"]
        ws.delete_cols(ws.max_column)

    add("column_missing", _edit(filled, folder / "column.xlsx", drop_column), "a column is missing")

    def duplicate_row(wb):
        ws = wb["Registratie"]
        ws.append([c.value for c in ws[2]])

    add("person_twice", _edit(filled, folder / "twice.xlsx", duplicate_row), "one person on two rows")

    def future_date(wb):
        ws = wb["Registratie"]
        col = _headers(ws)["Datum gesprek"]
        for row in range(2, ws.max_row + 1):
            if ws.cell(row=row, column=col).value is not None:
                ws.cell(row=row, column=col, value=TODAY + dt.timedelta(days=30))
                break

    add("conversation_in_future", _edit(filled, folder / "future.xlsx", future_date), "a date in the future")
    for name in ("binary_named.xlsx", "corrupt.xlsx", "password.xlsx", "empty.csv", "zip_not_workbook.xlsx"):
        add(name, corpus.HERE / name, "not a kansen workbook")
    add("register_csv", OK_REGISTER, "a register, not a sheet")
    return cases


INGEST_CASES = [
    "other_campaign_same_batch_id",
    "unknown_batch",
    "marker_removed",
    "marker_damaged",
    "unknown_labels",
    "client_not_in_batch",
    "column_missing",
    "person_twice",
    "conversation_in_future",
    "binary_named.xlsx",
    "corrupt.xlsx",
    "password.xlsx",
    "empty.csv",
    "zip_not_workbook.xlsx",
    "register_csv",
]


@pytest.fixture(scope="module")
def ingest_files(ingest_setup, tmp_path_factory: pytest.TempPathFactory):
    return _ingest_cases(ingest_setup, tmp_path_factory.mktemp("workbooks"))


@pytest.mark.parametrize("name", INGEST_CASES)
def test_ingest_refuses(name: str, ingest_setup, ingest_files, tmp_path: Path, invoke) -> None:
    base = ingest_setup[0]
    campaign = tmp_path / "campaign"
    shutil.copytree(base, campaign)
    path, _why = ingest_files[name]
    before_files = tree(campaign)
    before_ledger = ledger_dump(campaign)

    result = invoke("ingest", path, "-c", campaign)

    output = result.stdout + result.stderr
    assert_no_traceback(result)
    assert result.exit_code == 1, output[-2000:]
    # ingest lists every problem as a table on stdout; stderr says in one line what was not loaded
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "no message"
    assert "niet ingelezen" in result.stderr
    assert path.name in " ".join(result.stderr.split())
    assert not bsns_in(output)
    assert tree(campaign) == before_files
    assert ledger_dump(campaign) == before_ledger


def test_ingest_of_a_good_file_still_loads(ingest_setup, ingest_files, tmp_path: Path, invoke) -> None:
    """The control: the file the bad ones were made from loads, so the refusals are about the damage."""
    base = ingest_setup[0]
    campaign = tmp_path / "campaign"
    shutil.copytree(base, campaign)
    filled = tmp_path / "filled.xlsx"
    _filled(ingest_setup[2], filled, campaign)
    result = invoke("ingest", filled, "-c", campaign)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert ledger_dump(campaign) != ledger_dump(base)
