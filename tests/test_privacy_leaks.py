"""No personal data where it does not belong.

Takes the test session's demo (`conftest.demo_run`, on a smaller register than the 10,000 of
`kansen demo`) and runs the whole cycle by hand with every export and a purge, then scans:

- everything printed (stdout and stderr of every command) for a BSN — any nine-digit run
  passing the elfproef — and for the register's surnames;
- every file: names only in the files meant to hold them (letters, mail merge, call list,
  registration and follow-up sheets, the exports the user asked for, the ledger); BSNs in no
  file but the register itself (the ledger does not store them by default);
- every file holding personal data is mode 0600, every folder the tool created 0700;
- no file name holds a name or a BSN.

The tool writes no log files; any `*.log` found is scanned like printed output.
"""

from __future__ import annotations

import re
import sqlite3
import stat
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from campaign_helpers import make_campaign
from safety_helpers import bsns_in, run_cycle

KEY = "test-only-pseudonym-key-0123456789abcdef"
# Files meant to hold names (relative to the campaign or the export folder).
NAME_FILES = re.compile(
    r"(^|/)(letters/.*\.(pdf|html|xlsx)"
    r"|sheets/.*\.xlsx"
    r"|enquetes/.*\.xlsx"  # the callers' survey workbook: name and phone, like the follow-up list
    r"|caseload/.*\.xlsx"  # a coach's workbook: their own people by name
    r"|calls/.*\.xlsx"  # the caller's phone-first workbook: name and phone, like the follow-up list
    r"|register\.csv"
    r"|kansen\.sqlite"
    r"|out/(selectie\.(csv|xlsx)|batches/.*\.csv|export-.*\.(csv|xlsx)))$"
)


def _surnames(register: Path, settings_text: str) -> list[str]:
    """The register's distinctive surnames: long, and no word the tool prints for other reasons."""
    frame = pd.read_csv(register, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    other_words = " ".join(
        [
            *frame["Straat"],
            *frame["Woonplaats"],
            *frame["Wijk"],
            *frame["Taal"],
            settings_text,
        ]
    ).casefold()
    names = {s for s in frame["Achternaam"] if len(s) >= 6 and " " not in s}
    return sorted(n for n in names if n.casefold() not in other_words)


def _text_of(path: Path) -> str:
    """What a person could read in the file, as text (workbooks and Word documents: their XML;
    PDF/PNG: skipped)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    if suffix in (".pdf", ".png", ".svg"):
        return path.read_bytes().decode("latin-1")  # names in a PDF are in compressed streams anyway
    if suffix == ".sqlite":
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return "\n".join(repr(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)
        finally:
            db.close()
    return path.read_bytes().decode("utf-8", "replace")


def _hits(text: str, names: list[str]) -> list[str]:
    lowered = text.casefold()
    return [n for n in names if re.search(rf"(?<![^\W\d_]){re.escape(n.casefold())}(?![^\W\d_])", lowered)]


# ---------------------------------------------------------------------------- the demo


@pytest.mark.slow
def test_demo_prints_no_bsn_and_no_name(demo_run) -> None:
    folder, result = demo_run
    assert result.exit_code == 0, (result.stdout[-2000:], result.stderr[-2000:])
    printed = result.stdout + result.stderr
    assert "Rapport" in printed or "rapport" in printed  # the demo got to the report
    settings_text = (folder / "kansen.toml").read_text()
    names = _surnames(folder / "register.csv", settings_text)
    assert len(names) > 40
    assert bsns_in(printed) == []
    assert _hits(printed, names) == []
    for log in folder.rglob("*.log"):
        text = log.read_text(errors="replace")
        assert bsns_in(text) == [] and _hits(text, names) == [], log.name


@pytest.mark.slow
def test_demo_files_hold_personal_data_only_where_meant(demo_run) -> None:
    folder, _result = demo_run
    names = _surnames(folder / "register.csv", (folder / "kansen.toml").read_text())
    scanned = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        text = _text_of(path)
        scanned += 1
        if relative != "register.csv":
            assert bsns_in(text) == [], f"{relative} holds a BSN"
        if not NAME_FILES.search(relative):
            assert _hits(text, names) == [], f"{relative} holds a name"
    assert scanned >= 8
    # The files that should hold names do (the scan can see them).
    merge = next(folder.rglob("*-mailmerge.xlsx"))
    assert _hits(_text_of(merge), names)


def _assert_modes(folder: Path, created: set[Path]) -> None:
    for path in sorted(folder.rglob("*")):
        mode = stat.S_IMODE(path.stat().st_mode)
        relative = path.relative_to(folder).as_posix()
        if path.is_file():
            assert mode == 0o600, f"{relative}: {oct(mode)}"
        elif path in created:
            assert mode == 0o700, f"{relative}/: {oct(mode)}"


@pytest.mark.slow
def test_demo_files_are_private(demo_run) -> None:
    folder, _result = demo_run
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files
    _assert_modes(folder, set())


@pytest.mark.slow
def test_demo_folders_are_private(demo_run) -> None:
    folder, _result = demo_run
    _assert_modes(folder, {p for p in folder.rglob("*") if p.is_dir()})


@pytest.mark.slow
def test_demo_file_names_hold_no_personal_data(demo_run) -> None:
    folder, _result = demo_run
    names = _surnames(folder / "register.csv", (folder / "kansen.toml").read_text())
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).as_posix()
        assert bsns_in(relative) == [], relative
        assert _hits(relative, names) == [], relative


# ---------------------------------------------------------------------------- every command


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory):
    """The cycle by hand: check, select --out, batch --files, exports, plan, letters (PDF and
    HTML), sheet, ingest, followup, report, then a dry and a real purge."""
    from typer.testing import CliRunner

    from kansen_cli.cli import app
    from kansen_cli.sample_files import write_sample

    root = tmp_path_factory.mktemp("leaks")
    register = root / "register.csv"
    write_sample(register, rows=400, seed=33)
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args], env={"KANSEN_PSEUDONYM_KEY": KEY})

    campaign = root / "campaign"
    out = root / "out"
    out.mkdir(mode=0o700)
    batch, ran = run_cycle(invoke, campaign, register, out, formats="pdf,html")
    for args in (
        ["report", "-c", campaign, "--json"],
        ["purge", "--older-than", "1", "--as-of", "2099-01-01", "--dry-run", "-c", campaign],
        ["purge", "--older-than", "1", "--as-of", "2099-01-01", "-c", campaign, "--json"],
        ["export", "outcomes", "-c", campaign],
        ["report", "-c", campaign, "--json"],
    ):
        result = invoke(*args)
        ran.append((" ".join(map(str, args)), result))
        assert result.exit_code == 0, result.stderr
    return root, campaign, out, register, batch, ran


def test_no_command_prints_a_bsn_or_a_name(cycle) -> None:
    _root, campaign, _out, register, _batch, ran = cycle
    names = _surnames(register, (campaign / "kansen.toml").read_text())
    assert len(names) > 30
    commands = {line.split()[0] for line, _ in ran}
    assert {
        "check",
        "select",
        "batch",
        "export",
        "plan",
        "letters",
        "sheet",
        "ingest",
        "followup",
    } <= commands
    assert {"report", "purge"} <= commands
    for line, result in ran:
        printed = result.stdout + result.stderr
        if line.startswith("export") and " --out " not in f" {line} ":
            continue  # export to stdout is the user asking for the table (checked below after purge)
        assert bsns_in(printed) == [], f"`kansen {line}` printed a BSN"
        assert _hits(printed, names) == [], f"`kansen {line}` printed a name"


def test_the_key_is_never_printed_nor_stored(cycle) -> None:
    _root, campaign, out, _register, _batch, ran = cycle
    for line, result in ran:
        assert KEY not in result.stdout + result.stderr, line
    for path in [*campaign.rglob("*"), *out.rglob("*")]:
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path.name


def test_after_purge_the_ledger_and_the_outcome_export_hold_no_name(cycle) -> None:
    _root, campaign, _out, register, _batch, ran = cycle
    names = _surnames(register, (campaign / "kansen.toml").read_text())
    ledger_text = _text_of(campaign / "kansen.sqlite")
    assert bsns_in(ledger_text) == []
    # history keeps replaced answers, never personal data; people rows are erased by the purge
    assert _hits(ledger_text, names) == []
    exported = next(result for line, result in ran if line.startswith("export outcomes"))
    assert _hits(exported.stdout, names) == [] and bsns_in(exported.stdout) == []


def test_cycle_files_hold_personal_data_only_where_meant(cycle) -> None:
    root, _campaign, _out, register, _batch, _ran = cycle
    names = _surnames(register, (root / "campaign" / "kansen.toml").read_text())
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        text = _text_of(path)
        if path != register:
            assert bsns_in(text) == [], f"{relative} holds a BSN"
        if not NAME_FILES.search(relative.removeprefix("campaign/")):
            assert _hits(text, names) == [], f"{relative} holds a name"
        assert bsns_in(path.name) == [] and _hits(path.name, names) == [], relative


def test_cycle_files_are_private(cycle) -> None:
    _root, campaign, out, _register, _batch, _ran = cycle
    _assert_modes(campaign, set())
    _assert_modes(out, set())


def test_cycle_folders_are_private(cycle) -> None:
    _root, campaign, out, _register, _batch, _ran = cycle
    _assert_modes(campaign, {p for p in campaign.rglob("*") if p.is_dir()})
    _assert_modes(out, {p for p in out.rglob("*") if p.is_dir()})


def test_select_out_and_batch_files_hold_no_bsn(cycle) -> None:
    """The user asked for these exports; they hold names, but BSNs stay out of every export."""
    _root, _campaign, out, _register, _batch, _ran = cycle
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) >= 10
    for path in files:
        assert bsns_in(_text_of(path)) == [], path.name


def test_report_figures_identical_before_and_after_purge(cycle) -> None:
    """The purge erases people, not figures: the council report reproduces exactly."""
    import json

    *_rest, ran = cycle
    reports = [
        json.loads(result.stdout) for line, result in ran if line.startswith("report") and "--json" in line
    ]
    purged = next(
        json.loads(result.stdout) for line, result in ran if line.startswith("purge") and "--json" in line
    )
    assert len(reports) == 2
    assert purged["people_purged"] > 0
    assert reports[0] == reports[1]


def test_an_unexpected_error_shows_its_type_only(tmp_path: Path, invoke, monkeypatch) -> None:
    """A bug's message may hold a person's data (a pandas error quoting a cell): never shown."""
    import kansen_cli.selection
    from kansen_cli.sample_files import write_sample

    register = tmp_path / "register.csv"
    write_sample(register, rows=30, seed=3)

    def broken(*args, **kwargs):
        raise ValueError("could not convert 'Brouwersma' (BSN 999991243)")

    monkeypatch.setattr(kansen_cli.selection, "select", broken)
    result = invoke("select", register, "--as-of", "2026-10-01", "-c", make_campaign(tmp_path / "c"))
    printed = result.stdout + result.stderr
    assert result.exit_code == 1
    assert "interne fout (ValueError)" in printed
    assert "Brouwersma" not in printed and bsns_in(printed) == []
    assert "Traceback" not in printed


def test_a_bsn_typed_into_a_workbook_is_shown_masked(tmp_path: Path, invoke, small_register: Path) -> None:
    """Ingest lists typed values with its problems; a BSN typed anywhere is shown as *****1234."""
    from registration_helpers import blank_registration

    campaign, workbook, sheet, columns = blank_registration(invoke, small_register, tmp_path)
    sheet.cell(row=2, column=columns["Klantnummer"], value="999991243")
    sheet.cell(row=3, column=columns["Contactresultaat"], value="BSN 999991243")
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    for args in (["ingest", filled, "-c", campaign], ["ingest", filled, "-c", campaign, "--json"]):
        result = invoke(*args)
        printed = result.stdout + result.stderr
        assert result.exit_code == 1
        assert bsns_in(printed) == [], printed[-1500:]
        assert "*****1243" in printed


def test_problem_values_mask_bsns_only() -> None:
    from kansen_cli.problems import mask_bsns

    assert mask_bsns("999991243") == "*****1243"
    assert mask_bsns("x 999991243;999991244") == "x *****1243;999991244"  # the second fails the elfproef
    assert mask_bsns("0612345678") == "0612345678"  # ten digits: a phone number
    assert mask_bsns("1234567") == "1234567"
