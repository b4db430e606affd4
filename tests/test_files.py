"""The one writer: atomic, 0600, no overwrite without --force, no formula ever leaves."""

from __future__ import annotations

import io
import os
import signal
import stat
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from kansen_cli.errors import KansenError, OutputExistsError
from kansen_cli.files import (
    atomic_open,
    check_writable,
    neutralise,
    save_workbook,
    write_bytes,
    write_csv,
    write_table,
    write_text,
    write_xlsx,
)

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

RISKY = ['=HYPERLINK("x")', "+31 6 1234", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/sheet")
        )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# --------------------------------------------------------------------------- formulas


def test_xlsx_formula_text_comes_back_as_text(tmp_path):
    path = tmp_path / "out.xlsx"
    frame = pd.DataFrame({"text": RISKY, "number": [-1, -2.5, 0, 3, 4, 5]})
    write_xlsx(path, {"data": frame})
    assert "<f>" not in sheet_xml(path) and "<f " not in sheet_xml(path)
    sheet = load_workbook(path).active
    # A bare CR reads back as LF through the standard XML writer, as CR through lxml's (which
    # escapes it): the cell is text either way, not a formula.
    values = [sheet.cell(row=r, column=1).value for r in range(2, 8)]
    assert values in (RISKY, [v.replace("\r", "\n") for v in RISKY])
    assert all(sheet.cell(row=r, column=1).data_type == "s" for r in range(2, 8))
    # Numbers stay numbers, negative ones included.
    assert [sheet.cell(row=r, column=2).value for r in range(2, 8)] == [-1, -2.5, 0, 3, 4, 5]
    assert sheet.cell(row=2, column=2).data_type == "n"


def test_save_workbook_turns_formulas_into_text(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet["A1"] = '=HYPERLINK("x")'
    sheet["B1"] = -7
    assert sheet["A1"].data_type == "f"
    path = tmp_path / "book.xlsx"
    save_workbook(path, book)
    assert "<f>" not in sheet_xml(path)
    back = load_workbook(path).active
    assert back["A1"].value == '=HYPERLINK("x")'
    assert back["A1"].data_type == "s"
    assert back["B1"].value == -7


def test_csv_neutralises_triggers_and_keeps_numbers(tmp_path):
    path = tmp_path / "out.csv"
    frame = pd.DataFrame(
        {
            "text": [*RISKY, "gewoon"],
            "number": [-1, -2, 0, 3, 4, 5, -6],
            "amount": [-1.5, 0.0, 2.5, -3.25, 1, 2, 3],
        }
    )
    write_csv(path, frame)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.StringIO(raw.decode("utf-8-sig")), sep=";", keep_default_na=False)
    assert back["text"].tolist() == ["'" + v for v in RISKY] + ["gewoon"]
    assert back["number"].tolist() == [-1, -2, 0, 3, 4, 5, -6]
    assert back["amount"].tolist() == [-1.5, 0.0, 2.5, -3.25, 1, 2, 3]
    assert ";-1;" in raw.decode("utf-8-sig")


def test_neutralise_single_values():
    assert [neutralise(v) for v in RISKY] == ["'" + v for v in RISKY]
    assert neutralise("Jansen") == "Jansen"
    assert neutralise("") == ""


def test_csv_nullable_and_mixed_columns(tmp_path):
    path = tmp_path / "mixed.csv"
    frame = pd.DataFrame(
        {
            "ints": pd.array([-3, None, 4], dtype="Int64"),
            "text": pd.array(["=1+1", None, "ok"], dtype="string"),
        }
    )
    write_csv(path, frame)
    back = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["ints"].tolist() == ["-3", "", "4"]
    assert back["text"].tolist() == ["'=1+1", "", "ok"]


# --------------------------------------------------------------------------- mode, force, atomicity


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_files_are_private(tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    write_table(path, pd.DataFrame({"a": [1]}))
    assert mode(path) == 0o600
    text = write_text(tmp_path / "t.txt", "hoi")
    assert mode(text) == 0o600


def test_new_folders_are_private(tmp_path):
    path = write_text(tmp_path / "new" / "deeper" / "t.txt", "hoi")
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_existing_file_untouched_without_force(tmp_path):
    path = tmp_path / "keep.csv"
    path.write_text("origineel", encoding="utf-8")
    before = path.stat()
    with pytest.raises(OutputExistsError, match="--force"):
        write_csv(path, pd.DataFrame({"a": [1]}))
    with pytest.raises(OutputExistsError):
        write_xlsx(path, {"a": pd.DataFrame({"a": [1]})})
    with pytest.raises(OutputExistsError):
        check_writable(path, force=False)
    assert path.read_text(encoding="utf-8") == "origineel"
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert leftovers(tmp_path) == []
    write_text(path, "nieuw", force=True)
    assert path.read_text(encoding="utf-8") == "nieuw"
    assert mode(path) == 0o600


def test_exception_inside_atomic_open_leaves_nothing(tmp_path):
    path = tmp_path / "half.csv"
    with pytest.raises(RuntimeError), atomic_open(path) as handle:
        handle.write(b"first half;")
        raise RuntimeError("disk full")
    assert not path.exists()
    assert leftovers(tmp_path) == []


def test_exception_keeps_the_old_file_with_force(tmp_path):
    path = tmp_path / "old.csv"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_open(path, force=True) as handle:
        handle.write(b"new but broken")
        raise RuntimeError("stop")
    assert path.read_bytes() == b"old"


def test_file_appearing_while_writing_is_not_replaced(tmp_path):
    path = tmp_path / "race.csv"
    with pytest.raises(OutputExistsError, match="appeared while writing"), atomic_open(path) as handle:
        handle.write(b"mine")
        path.write_bytes(b"theirs")
    assert path.read_bytes() == b"theirs"
    assert leftovers(tmp_path) == []


def test_write_bytes_roundtrip(tmp_path):
    path = write_bytes(tmp_path / "b.bin", b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"


def test_unknown_suffix_is_an_error(tmp_path):
    with pytest.raises(KansenError, match="unknown output type"):
        write_table(tmp_path / "out.pdf", pd.DataFrame({"a": [1]}))
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.slow
def test_sigkill_mid_write_leaves_no_file(tmp_path):
    path = tmp_path / "killed.csv"
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from kansen_cli.files import atomic_open
        with atomic_open(Path({str(path)!r})) as handle:
            handle.write(b"x" * 100_000)
            handle.flush()
            print("writing", flush=True)
            time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        # The temporary file exists now, next to the target: the kill lands mid-write.
        assert len(leftovers(tmp_path)) == 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert not path.exists()


def test_every_folder_the_writer_creates_is_private(tmp_path):
    from kansen_cli.files import write_text

    target = tmp_path / "a" / "b" / "c" / "letter.html"
    write_text(target, "x")
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
