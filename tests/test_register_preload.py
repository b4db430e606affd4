"""A workbook parsed in advance (`kansen_cli.preload`) reads exactly as one read on the spot, and
the command line of `kansen check` is understood well enough to start it."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from kansen_cli import preload
from kansen_cli.checking import check_summary
from kansen_cli.errors import InputFileError
from kansen_cli.register import read_register

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def no_leftovers():
    yield
    preload._pending.clear()


def make_fixtures():
    sys.path.insert(0, str(FIXTURES))
    import make_fixtures as mf

    return mf


def save(book: Workbook, path: Path) -> Path:
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check", "r.xlsx", "--json"], [("r.xlsx", None)]),
        (["--debug", "check", "--sheet", "Data", "r.xlsx"], [("r.xlsx", "Data")]),
        (["check", "--sheet=Data", "-c", "campaign", "r.xlsx"], [("r.xlsx", "Data")]),
        (["check", "--campaign", "r2.xlsx", "--", "r.xlsx"], [("r.xlsx", None)]),
        (["select", "r.xlsx"], []),
        (["check"], []),
        (["tests/test_register.py", "check", "r.xlsx"], []),
    ],
)
def test_the_register_and_sheet_are_found_on_the_command_line(monkeypatch, argv, expected):
    started: list[tuple[str, str | None]] = []
    monkeypatch.setattr(preload, "start", lambda path, sheet=None: started.append((str(path), sheet)))
    preload.start_from_argv(argv)
    assert started == expected


def test_only_existing_workbooks_are_preloaded(tmp_path):
    (tmp_path / "r.csv").write_text("Klantnummer\n1\n", encoding="utf-8")
    preload.start(tmp_path / "r.csv")
    preload.start(tmp_path / "missing.xlsx")
    preload.start(tmp_path)
    assert preload._pending == {}


def test_a_preloaded_sheet_reads_as_one_read_on_the_spot(tmp_path):
    mf = make_fixtures()
    rows = mf.people_rows(mf.PEOPLE)
    path = tmp_path / "gaps.xlsx"
    path.write_bytes(mf.workbook([mf.HEADERS, rows[0], [], rows[1], [" "], rows[2], rows[3], rows[4]]))
    plain = read_register(path)
    preload.start(path)
    early = read_register(path)
    pd.testing.assert_frame_equal(early.people, plain.people)
    assert check_summary(early) == check_summary(plain)
    assert preload._pending == {}  # taken once
    assert preload.take(path, None) is None


def test_a_preload_of_another_sheet_is_not_used_for_the_one_asked(tmp_path):
    mf = make_fixtures()
    book = Workbook()
    book.active.title = "Voorblad"
    book.active.append(["Niets hier"])
    data = book.create_sheet("Data")
    for row in [mf.HEADERS, *mf.people_rows(mf.PEOPLE)]:
        data.append(row)
    path = save(book, tmp_path / "two.xlsx")
    # The preload parses the first sheet; the reader looks past it for the client-id header.
    preload.start(path)
    found = read_register(path)
    assert found.source.sheet == "Data"
    assert found.people["client_id"].tolist() == ["100001", "100002", "100003", "100004", "100005"]


def test_a_failed_preload_leaves_the_error_to_the_reader(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    preload.start(path)
    with pytest.raises(InputFileError, match="not a readable Excel workbook"):
        read_register(path)


def test_rows_of_blanks_of_any_kind_are_dropped_and_punctuation_is_kept(tmp_path):
    mf = make_fixtures()
    rows = mf.people_rows(mf.PEOPLE)
    # Row 3: no-break and em spaces only (blank to Python's str.strip); row 4: a lone dash,
    # which is something (the row is kept and has problems).
    path = tmp_path / "blanks.xlsx"
    path.write_bytes(mf.workbook([mf.HEADERS, rows[0], ["\u00a0", None, "\u2003\t"], ["-"], rows[1]]))
    reg = read_register(path)
    assert reg.people["row"].tolist() == [2, 4, 5]
    assert reg.source.empty_rows_dropped == 1
    assert reg.people["client_id"].tolist() == ["100001", "-", "100002"]
