"""Formula injection, everywhere the tool writes a spreadsheet.

A register whose names, streets, towns, phone numbers and e-mail addresses begin with `=`,
`+`, `-` and `@` goes through the whole cycle; then people in the ledger get values beginning
with a tab or a carriage return too (the register reader trims those, but a ledger or a later
reader might not). Every export the tool has is written — select --out (CSV and XLSX), batch
--files, export (CSV and XLSX), the letters' mail-merge workbook and call list, the
registration and follow-up sheets, the report workbook — and then:

- no XLSX holds a formula: no `<f>` element in any sheet XML, openpyxl never sees type 'f';
- every CSV cell starting with a trigger is neutralised with a leading apostrophe, and every
  CSV holding such text has at least one neutralised cell;
- numbers stay numbers: house numbers are numeric cells in XLSX and plain in CSV, and negative
  numbers in a numeric column are written as numbers.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from kansen_cli.files import write_csv, write_table, write_xlsx
from safety_helpers import run_cycle

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

TRIGGERS = ("=", "+", "-", "@")
# What a spreadsheet may run as a formula when a cell starts with it (OWASP's list, and the
# full-width forms that East Asian input turns into the ASCII ones). Kept here, not imported
# from the code under test, so that a character dropped from the code's list is caught.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
FULL_WIDTH = ("\uff1d", "\uff0b", "\uff0d", "\uff20")  # ＝ ＋ － ＠
NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?$")
# Values a spreadsheet would run, one per trigger; several per column across the rows.
NASTY = {
    "Voorletters": ["@A.", "=B.", "+C.", "-D."],
    "Tussenvoegsel": ["-van", "@de", "", "=ter"],
    "Achternaam": ['=HYPERLINK("http://x";"klik")', "+Smit", "-Visser", "@Bakker"],
    "Straat": ["=cmd|' /C calc'!A0", "+Laan", "-Weg", "@Plein"],
    "Toevoeging": ["", "-A", "", "@b"],
    "Woonplaats": ["@Groningen", "=Groningen", "+Groningen", "-Groningen"],
    "Telefoonnummer": ["+31 6 12345678", "-", "=1+1", "@0612345678"],
    "E-mailadres": ["=a@example.nl", "+b@example.nl", "-c@example.nl", "@d@example.nl"],
    "Taal": ["=Nederlands", "@Engels", "+Arabisch", "-Turks"],
}
# Full-width triggers ride along in one column (a town typed with a CJK keyboard layout).
NASTY["Woonplaats"] += [c + "Groningen" for c in FULL_WIDTH]


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory):
    from typer.testing import CliRunner

    from kansen_cli.cli import app
    from kansen_cli.sample_files import write_sample

    root = tmp_path_factory.mktemp("injection")
    plain = root / "plain.csv"
    write_sample(plain, rows=240, seed=21)
    frame = pd.read_csv(plain, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for column, values in NASTY.items():
        frame[column] = [values[i % len(values)] for i in range(len(frame))]
    # A wijk whose name starts with "=": it ends up in batch ids, exports and the report.
    first = frame["Wijk"].iloc[0]
    frame.loc[frame["Wijk"] == first, "Wijk"] = "=" + first
    register = root / "register.csv"
    frame.to_csv(register, sep=";", index=False, encoding="utf-8")

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args])

    campaign = root / "campaign"
    out = root / "out"
    out.mkdir()

    # Tab and CR survive no register reader (cells are trimmed), so put them in the ledger
    # after the selections, before anything else is written from it.
    def poison_ledger() -> None:
        with sqlite3.connect(campaign / "kansen.sqlite") as db:
            ids = [r[0] for r in db.execute("SELECT client_id FROM people ORDER BY client_id")]
            for i, cid in enumerate(ids):
                lead = "\t" if i % 2 else "\r"
                db.execute(
                    "UPDATE people SET initials = ?, street = ? || street, city = ? || city"
                    " WHERE client_id = ?",
                    (f"{lead}=E.", lead, lead + "=", cid),
                )

    batch, ran = run_cycle_with_hook(invoke, campaign, register, out, poison_ledger)
    return campaign, out, batch, ran


def run_cycle_with_hook(invoke, campaign, register, out, hook):
    """run_cycle, poisoning the ledger once the selections are recorded, before `batch`."""
    state = {"done": False}

    def wrapped(*args):
        if args and args[0] == "batch" and not state["done"]:
            hook()
            state["done"] = True
        return invoke(*args)

    return run_cycle(wrapped, campaign, register, out, formats="html")


def _outputs(campaign: Path, out: Path, suffix: str) -> list[Path]:
    return sorted(
        p
        for folder in (campaign, out)
        for p in folder.rglob(f"*{suffix}")
        if p.is_file() and not p.name.startswith(".")
    )


def test_every_export_was_written(cycle) -> None:
    campaign, out, batch, _ran = cycle
    xlsx = {p.name for p in _outputs(campaign, out, ".xlsx")}
    csvs = {p.name for p in _outputs(campaign, out, ".csv")}
    for name in (
        "selectie.xlsx",
        "export-selection.xlsx",
        "export-batches.xlsx",
        f"{batch}-mailmerge.xlsx",
        f"{batch}-bellijst.xlsx",
        f"{batch}-registratie.xlsx",
        "rapport.xlsx",
    ):
        assert name in xlsx, name
    assert any(n.startswith("nabellen-") for n in xlsx), "no follow-up workbook"
    for name in ("selectie.csv", "export-selection.csv", "export-batches.csv", f"{batch}.csv"):
        assert name in csvs, name


def test_no_formula_in_any_workbook(cycle) -> None:
    campaign, out, _batch, _ran = cycle
    books = _outputs(campaign, out, ".xlsx")
    assert len(books) >= 9
    for path in books:
        if "ingevuld" in path.name:
            continue  # filled in by the test (simulated consultants), not written by the tool
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = archive.read(name).decode("utf-8")
                    assert not re.search(r"<(?:\w+:)?f[ >/]", xml), f"{path.name}:{name} holds a formula"
        workbook = load_workbook(path)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{path.name}!{sheet.title}!{cell.coordinate}"


def test_nasty_text_reached_the_workbooks(cycle) -> None:
    """The check above means something: the trigger text is in the workbooks, as text."""
    campaign, out, batch, _ran = cycle
    # Tab and CR from the ledger reach the batch files (letters trim their fields).
    batch_csv = next(p for p in _outputs(campaign, out, ".csv") if p.name == f"{batch}.csv")
    cells = [c for row in _csv_cells(batch_csv) for c in row]
    assert any(c.startswith(("'\t", "'\r")) for c in cells), "tab/CR text missing"
    for name in (f"{batch}-mailmerge.xlsx", f"{batch}-bellijst.xlsx", "selectie.xlsx", "export-batches.xlsx"):
        path = next(p for p in _outputs(campaign, out, ".xlsx") if p.name == name)
        texts = [
            c.value
            for ws in load_workbook(path).worksheets
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str)
        ]
        risky = [t for t in texts if t.startswith(DANGEROUS)]
        assert risky, f"{name}: no trigger text reached it"


def _csv_cells(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_every_csv_cell_is_neutralised(cycle) -> None:
    campaign, out, _batch, _ran = cycle
    files = [p for p in _outputs(campaign, out, ".csv") if p.parent != campaign]
    assert len(files) >= 10
    neutralised_somewhere = 0
    for path in files:
        rows = _csv_cells(path)
        header, body = rows[0], rows[1:]
        apostrophes = 0
        for number, row in enumerate(body, start=2):
            for column, cell in zip(header, row, strict=False):
                if cell.startswith(DANGEROUS):
                    assert NUMBER.match(cell), f"{path.name} row {number} {column}: {cell[:40]!r}"
                if cell.startswith("'") and cell[1:2] in DANGEROUS:
                    apostrophes += 1
        personal = {"surname", "street", "city", "Achternaam", "Straat", "Woonplaats"} & set(header)
        if personal and body:
            assert apostrophes, f"{path.name}: personal text but no neutralised cell"
        neutralised_somewhere += apostrophes
    assert neutralised_somewhere > 100


def test_export_to_stdout_is_neutralised(cycle, invoke) -> None:
    campaign, _out, _batch, _ran = cycle
    result = invoke("export", "batches", "-c", campaign)
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout, newline=""), delimiter=";"))
    cells = [c for row in rows[1:] for c in row]
    assert any(c.startswith("'=") for c in cells)
    assert not [c for c in cells if c.startswith(DANGEROUS) and not NUMBER.match(c)]


def test_house_numbers_stay_numbers(cycle) -> None:
    campaign, out, batch, _ran = cycle
    # (The mail-merge workbook holds every field as text on purpose, so Word cannot reformat it.)
    for name in ("selectie.xlsx",):
        path = next(p for p in _outputs(campaign, out, ".xlsx") if p.name == name)
        sheet = load_workbook(path).worksheets[0]
        header = [c.value for c in sheet[1]]
        col = header.index("house_number") + 1
        values = [sheet.cell(row=r, column=col) for r in range(2, sheet.max_row + 1)]
        assert values and all(c.data_type == "n" for c in values if c.value is not None), name
    for name in ("selectie.csv", f"{batch}.csv"):
        path = next(p for p in _outputs(campaign, out, ".csv") if p.name == name)
        rows = _csv_cells(path)
        col = rows[0].index("house_number")
        assert all(re.fullmatch(r"\d+", r[col]) for r in rows[1:] if r[col]), name


# ---------------------------------------------------------------------------- the writers


FRAME = pd.DataFrame(
    {
        "text": ["=1+1", "+31 6 1", "-x", "@SUM(A1)", "\tcmd", "\rcmd", "plain", "-"],
        "negative": [-1, -2, -3, -4, -5, -6, -7, 0],
        "money": [-1.5, 2.25, -1e9, 0.0, -0.0001, 3.0, -7.5, 1.0],
        "mixed": ["-3", "4", "=5", "-6", "7", "8", "9", "10"],
    }
)


def test_csv_writer_neutralises_text_and_keeps_negative_numbers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", FRAME)
    rows = _csv_cells(path)
    assert [r[0] for r in rows[1:]] == [
        "'=1+1",
        "'+31 6 1",
        "'-x",
        "'@SUM(A1)",
        "'\tcmd",
        "'\rcmd",
        "plain",
        "'-",
    ]
    assert [r[1] for r in rows[1:]] == ["-1", "-2", "-3", "-4", "-5", "-6", "-7", "0"]
    assert [float(r[2]) for r in rows[1:]] == list(FRAME["money"])
    # A text column that happens to hold "-3" is text: neutralised like any other text.
    assert rows[1][3] == "'-3" and rows[3][3] == "'=5"


def test_xlsx_writer_keeps_text_text_and_numbers_numbers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", {"data": FRAME})
    sheet = load_workbook(path)["data"]
    for r, expected in enumerate(FRAME["text"], start=2):
        cell = sheet.cell(row=r, column=1)
        # A bare CR reads back as LF through the standard XML writer, and as CR where openpyxl
        # writes with lxml (escaped as _x000D_; python-docx brings lxml): text either way, never
        # a formula.
        assert cell.data_type == "s" and cell.value in (expected, expected.replace("\r", "\n"))
    for r, expected in enumerate(FRAME["negative"], start=2):
        cell = sheet.cell(row=r, column=2)
        assert cell.data_type == "n" and cell.value == expected
    for r, expected in enumerate(FRAME["money"], start=2):
        assert sheet.cell(row=r, column=3).value == expected
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_save_workbook_turns_formula_cells_into_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from kansen_cli.files import save_workbook

    workbook = Workbook()
    workbook.active["A1"] = "=1+1"  # openpyxl makes this a formula
    workbook.active["A2"] = -5
    assert workbook.active["A1"].data_type == "f"
    path = save_workbook(tmp_path / "w.xlsx", workbook)
    sheet = load_workbook(path).active
    assert sheet["A1"].data_type == "s" and sheet["A1"].value == "=1+1"
    assert sheet["A2"].data_type == "n" and sheet["A2"].value == -5


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_table_both_ways(tmp_path: Path, suffix: str) -> None:
    path = write_table(tmp_path / f"t{suffix}", FRAME)
    if suffix == ".csv":
        assert all(not c.startswith(DANGEROUS) or NUMBER.match(c) for r in _csv_cells(path) for c in r)
    else:
        sheet = load_workbook(path).active
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_report_counts_are_numbers(cycle) -> None:
    _campaign, out, _batch, _ran = cycle
    workbook = load_workbook(out / "rapport.xlsx")
    numbers = [
        c.value
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "n" and c.value is not None
    ]
    assert len(numbers) > 20, "the report's counts should be numeric cells"
    assert all(isinstance(v, int | float) for v in numbers)


@pytest.mark.parametrize("lead", DANGEROUS)
def test_each_dangerous_character_is_neutralised_in_csv(tmp_path: Path, lead: str) -> None:
    frame = pd.DataFrame({"naam": [lead + "SUM(A1)", "gewoon"], "nummer": [-5, 7]})
    rows = _csv_cells(write_csv(tmp_path / "t.csv", frame))
    assert rows[1] == ["'" + lead + "SUM(A1)", "-5"]
    assert rows[2] == ["gewoon", "7"]


def test_full_width_text_reached_the_csv_files_neutralised(cycle) -> None:
    campaign, out, _batch, _ran = cycle
    cells = [c for path in _outputs(campaign, out, ".csv") for row in _csv_cells(path) for c in row]
    assert any(c.startswith("'" + FULL_WIDTH[0]) for c in cells)
    assert not [c for c in cells if c.startswith(FULL_WIDTH)]
