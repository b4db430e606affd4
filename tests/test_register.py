"""Reading register exports (SPEC §4) from the small named fixture files."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from kansen_cli.checking import values_fingerprint
from kansen_cli.errors import InputFileError, MissingColumnsError
from kansen_cli.register import mask_bsn, parse_booleans, parse_dates, read_register
from kansen_cli.settings import ColumnMap

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL_IDS = ["100001", "100002", "100003", "100004", "100005"]


def fixture(name: str) -> Path:
    return FIXTURES / name


def fixture_text(name: str = "register_minimal.csv") -> str:
    # Bytes, not read_text: the fixtures have CRLF line ends and some tests split on them.
    return fixture(name).read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def minimal():
    return read_register(fixture("register_minimal.csv"))


# --------------------------------------------------------------------------- encodings, delimiters


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("register_minimal.csv", "utf-8", ";"),
        ("register_bom.csv", "utf-8-sig", ";"),
        ("register_cp1252.csv", "cp1252", ";"),
        ("register_comma.csv", "utf-8", ","),
        ("register_tab.csv", "utf-8", "\t"),
    ],
)
def test_encodings_and_delimiters_give_identical_values(minimal, name, encoding, delimiter):
    reg = read_register(fixture(name))
    assert reg.source.encoding == encoding
    assert reg.source.delimiter == delimiter
    pd.testing.assert_frame_equal(reg.people, minimal.people)
    assert values_fingerprint(reg) == values_fingerprint(minimal)
    assert not reg.report


def test_minimal_values(minimal):
    people = minimal.people
    assert people["client_id"].tolist() == MINIMAL_IDS
    assert people["row"].tolist() == [2, 3, 4, 5, 6]
    # Diacritics survive every encoding; cp1252 is the one that would mangle them.
    assert people["surname"].tolist()[:4] == ["Jansen", "Hoëlé", "Müller", "Çelik"]
    assert people["initials"][1] == "É.M."
    assert people["postcode"].tolist() == ["9742 AB", "9741 AC", "9736 AB", "9736 CD", "9742 XY"]
    assert people["house_number"].tolist() == [12, 3, 140, 7, 1]
    assert people["house_number_addition"][1] == "a"
    assert people["birth_date"][0] == pd.Timestamp("1970-05-01")
    assert pd.isna(people["last_contact"][0])
    assert people["active_guidance"].tolist() == [False, False, True, False, False]
    assert people["care_team"].tolist() == [False, True, False, False, False]
    assert not people["invalid"].any()


def test_one_cp1252_byte_far_down_makes_the_whole_file_cp1252(tmp_path):
    # UTF-8 is checked over the whole file, not only its start: a single "é" saved by Excel as
    # cp1252 (byte E9) on the last of 20,000 lines means every "é" (C3 A9) above was cp1252 too.
    lines = fixture_text().split("\r\n")
    body = "\r\n".join(lines[:3])
    filler = "\r\n".join(f"9{i:05d};;A.;;Hoëlé;Straat;1;;9742AB;Groningen;Paddepoel" for i in range(20_000))
    path = tmp_path / "late.csv"
    path.write_bytes(body.encode("utf-8") + b"\r\n" + filler.encode("utf-8") + b"\r\nCaf\xe9")
    assert len(path.read_bytes()) > 65536
    reg = read_register(path)
    assert reg.source.encoding == "cp1252"
    assert reg.people["surname"][0] == "Jansen"
    assert reg.people["surname"][1] == "HoÃ«lÃ©"


def test_encoding_override(minimal):
    reg = read_register(fixture("register_cp1252.csv"), encoding="cp1252")
    assert reg.source.encoding == "cp1252"
    pd.testing.assert_frame_equal(reg.people, minimal.people)


def test_wrong_encoding_override_is_a_clear_error():
    with pytest.raises(InputFileError, match="not valid utf-8"):
        read_register(fixture("register_cp1252.csv"), encoding="utf-8")
    with pytest.raises(InputFileError, match="unknown encoding"):
        read_register(fixture("register_minimal.csv"), encoding="klingon")


def test_delimiter_override(minimal):
    reg = read_register(fixture("register_tab.csv"), delimiter="\t")
    pd.testing.assert_frame_equal(reg.people, minimal.people)
    # Forcing the wrong delimiter: the header is not found, so the columns are missing.
    with pytest.raises((MissingColumnsError, InputFileError)):
        read_register(fixture("register_tab.csv"), delimiter=",")


def test_undeterminable_delimiter_is_an_error(tmp_path):
    # No client-id header, and no delimiter splits the lines consistently.
    path = tmp_path / "odd.csv"
    path.write_text("naam\nJansen;12\nde Vries,3\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="cannot determine the delimiter"):
        read_register(path)


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InputFileError, match="empty"):
        read_register(path)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        read_register(tmp_path / "nope.csv")


# --------------------------------------------------------------------------- layout


@pytest.mark.parametrize("name", ["register_title_rows.csv", "register_title_rows.xlsx"])
def test_header_below_two_title_rows(minimal, name):
    reg = read_register(fixture(name))
    assert reg.source.header_row == 3
    assert reg.people["row"].tolist() == [4, 5, 6, 7, 8]
    assert not reg.report
    columns = [c for c in minimal.people.columns if c != "row"]
    pd.testing.assert_frame_equal(reg.people[columns], minimal.people[columns])


def test_missing_required_column_names_it_and_lists_columns_seen():
    with pytest.raises(MissingColumnsError) as info:
        read_register(fixture("register_missing_column.csv"))
    message = str(info.value)
    assert "'Postcode' (postcode)" in message
    assert "columns seen: 'Klantnummer', 'BSN'" in message
    assert "'Taal'" in message


def test_column_mapping_is_case_and_space_insensitive(tmp_path, minimal):
    text = (
        fixture_text()
        .replace("Klantnummer", "  KLANTNUMMER ")
        .replace("Datum laatste gesprek", "datum  laatste gesprek")
    )
    path = tmp_path / "upper.csv"
    path.write_text(text, encoding="utf-8")
    reg = read_register(path)
    pd.testing.assert_frame_equal(reg.people, minimal.people)


def test_custom_column_map(tmp_path, minimal):
    path = tmp_path / "own.csv"
    path.write_text(fixture_text().replace("Klantnummer", "Relatienummer"), encoding="utf-8")
    reg = read_register(path, ColumnMap(client_id="Relatienummer"))
    assert reg.people["client_id"].tolist() == MINIMAL_IDS


def test_unused_columns_are_listed(tmp_path):
    lines = fixture_text().splitlines()
    lines = [lines[0] + ";Opmerking"] + [line + ";x" for line in lines[1:]]
    path = tmp_path / "extra.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reg = read_register(path)
    assert reg.unused == ["Opmerking"]


# --------------------------------------------------------------------------- client ids, dates, booleans


def test_leading_zero_client_ids_from_text_and_number_cells():
    # The fixture holds text cells and real number cells: check that, then what we read.
    sheet = load_workbook(fixture("register_leading_zeros.xlsx")).active
    cells = [sheet.cell(row=r, column=1) for r in range(2, 6)]
    assert [c.data_type for c in cells] == ["s", "n", "n", "s"]
    assert cells[1].value == 12345.0
    reg = read_register(fixture("register_leading_zeros.xlsx"))
    assert reg.people["client_id"].tolist() == ["0012345", "12345", "678", "000789"]
    assert not reg.report


def test_dates_in_every_spelling():
    sheet = load_workbook(fixture("register_dates.xlsx")).active
    assert sheet.cell(row=4, column=14).data_type == "n"  # serial number cell
    assert sheet.cell(row=5, column=14).is_date  # real Excel date
    reg = read_register(fixture("register_dates.xlsx"))
    assert reg.people["last_contact"].tolist() == [pd.Timestamp("2019-03-15")] * 4
    assert not reg.report


def test_parse_dates_core():
    text = pd.Series(
        [
            "15-03-2019",
            "5-3-2019",
            "2019-03-15",
            "15/03/2019",
            "43539",
            "2019-03-15 10:30:00",
            None,
            "31-02-2019",
            "15-03-19",
            "morgen",
        ],
        dtype="string",
    )
    dates, bad = parse_dates(text)
    expected = np.datetime64("2019-03-15", "s")
    assert list(dates[[0, 2, 3, 4, 5]]) == [expected] * 5
    assert dates[1] == np.datetime64("2019-03-05", "s")
    assert np.isnat(dates[6])
    assert bad.tolist() == [False] * 7 + [True] * 3


def test_booleans_in_every_spelling():
    reg = read_register(fixture("register_booleans.csv"))
    assert not reg.report
    # The fixture alternates a yes spelling and a no spelling; care team is the opposite.
    assert reg.people["active_guidance"].tolist() == [True, False] * 6
    assert reg.people["care_team"].tolist() == [False, True] * 6


def test_parse_booleans_unknown_and_empty():
    flags, bad = parse_booleans(
        pd.Series(["Ja", " n ", "", None, "misschien"], dtype="string").replace("", None)
    )
    assert flags.tolist()[:2] == [True, False]
    assert flags.isna().tolist() == [False, False, True, True, True]
    assert bad.tolist() == [False, False, False, False, True]


def test_unknown_boolean_marks_the_row_invalid_with_its_row(tmp_path):
    path = tmp_path / "unknown.csv"
    path.write_text(
        fixture_text().replace(";Nee;Ja;06-12345678", ";onbekend;Ja;06-12345678"), encoding="utf-8"
    )
    reg = read_register(path)
    assert reg.people["invalid"].tolist() == [False, True, False, False, False]
    (problem,) = reg.report.problems
    assert (problem.row, problem.column, problem.value, problem.kind) == (
        3,
        "Actieve begeleiding",
        "<text of 8 characters>",  # a word, not a code: shown by kind and length (issue 17)
        "invalid_boolean",
    )


# --------------------------------------------------------------------------- row problems


def test_duplicates_and_invalid_bsn_reported_with_rows():
    reg = read_register(fixture("register_duplicates.csv"))
    dup = [p for p in reg.report.problems if p.kind == "duplicate_client_id"]
    assert sorted(p.row for p in dup) == [3, 5]
    assert {p.value for p in dup} == {"100002"}
    (bsn,) = [p for p in reg.report.problems if p.kind == "invalid_bsn"]
    assert bsn.row == 4
    assert bsn.column == "BSN"
    assert bsn.value is not None and bsn.value.startswith("*****") and len(bsn.value) == 9
    assert reg.people["invalid"].tolist() == [False, True, True, True, False]


def test_mask_bsn():
    assert mask_bsn("999990019") == "*****0019"
    assert mask_bsn("12") == "*****"


def test_lowercase_and_unspaced_postcodes_are_normalised(tmp_path):
    path = tmp_path / "lower.csv"
    path.write_text(
        fixture_text().replace("9742 AB", "9742ab").replace("9736 CD", " 9736  cd "), encoding="utf-8"
    )
    reg = read_register(path)
    assert reg.people["postcode"].tolist()[:4] == ["9742 AB", "9741 AC", "9736 AB", "9736 CD"]
    assert not reg.report


def test_invalid_postcode_and_missing_street(tmp_path):
    path = tmp_path / "bad.csv"
    text = fixture_text().replace("9742 AB", "97420").replace("Ratelwijk", "")
    path.write_text(text, encoding="utf-8")
    reg = read_register(path)
    kinds = {(p.row, p.kind) for p in reg.report.problems}
    assert kinds == {(2, "invalid_postcode"), (5, "missing_street")}
    # The street is personal data: never shown as a value.
    assert all(p.value is None for p in reg.report.problems if p.kind == "missing_street")


def test_blank_lines_keep_excel_row_numbers(tmp_path):
    lines = fixture_text().split("\r\n")
    path = tmp_path / "blank.csv"
    path.write_text("\r\n".join([*lines[:3], "", "", *lines[3:]]), encoding="utf-8")
    reg = read_register(path)
    assert reg.people["client_id"].tolist() == MINIMAL_IDS
    assert reg.people["row"].tolist() == [2, 3, 6, 7, 8]
    assert reg.source.empty_rows_dropped == 2
    assert not reg.report


def test_delimiter_only_rows_are_dropped_and_counted(tmp_path):
    path = tmp_path / "semis.csv"
    path.write_text(fixture_text() + ";" * 19 + "\r\n" + ";" * 19 + "\r\n", encoding="utf-8")
    reg = read_register(path)
    assert reg.rows == 5
    assert reg.source.empty_rows_dropped == 2
    assert not reg.report


def test_ragged_lines(tmp_path):
    lines = fixture_text().split("\r\n")
    lines[2] = ";".join(lines[2].split(";")[:10])  # truncated: broken, invalid row 3
    lines[3] = lines[3] + ";;"  # trailing empty fields: fine
    path = tmp_path / "ragged.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    reg = read_register(path)
    assert reg.rows == 5  # the broken line still counts as a register row
    assert reg.people["row"].tolist() == [2, 3, 4, 5, 6]
    assert reg.people["invalid"].tolist() == [False, True, False, False, False]
    (problem,) = reg.report.problems
    assert (problem.row, problem.kind) == (3, "broken_line")
    assert reg.people["client_id"][2] == "100003"


def test_header_with_trailing_empty_cells(tmp_path, minimal):
    text = fixture_text().replace("Taal\r\n", "Taal;;\r\n", 1)
    path = tmp_path / "trailing.csv"
    path.write_text(text, encoding="utf-8")
    reg = read_register(path)
    assert not reg.report
    pd.testing.assert_frame_equal(reg.people, minimal.people)


def test_xlsx_with_empty_rows_in_the_middle(tmp_path):
    import sys

    sys.path.insert(0, str(FIXTURES))
    import make_fixtures as mf

    rows = mf.people_rows(mf.PEOPLE)
    path = tmp_path / "gaps.xlsx"
    # Rows 3-4 empty; rows 7-8 hold only spaces (cells that exist but say nothing).
    path.write_bytes(mf.workbook([mf.HEADERS, rows[0], [], [], rows[1], rows[2], [" "], [None, "  "]]))
    reg = read_register(path)
    assert reg.people["client_id"].tolist() == MINIMAL_IDS[:3]
    assert reg.people["row"].tolist() == [2, 5, 6]
    assert reg.source.empty_rows_dropped == 4
    assert not reg.report


def test_xlsx_sheet_choice(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Voorblad"
    book.active.append(["Niets hier"])
    data = book.create_sheet("Data")
    csv_reg = read_register(fixture("register_minimal.csv"))
    data.append(list(pd.read_csv(fixture("register_minimal.csv"), sep=";", nrows=0).columns))
    for line in fixture_text().split("\r\n")[1:]:
        if line:
            data.append(line.split(";"))
    path = tmp_path / "two.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    reg = read_register(path, sheet="Data")
    assert reg.people["client_id"].tolist() == csv_reg.people["client_id"].tolist()
    # Without --sheet: the first sheet with the client-id header, past the cover sheet.
    found = read_register(path)
    assert found.source.sheet == "Data"
    assert found.people["client_id"].tolist() == csv_reg.people["client_id"].tolist()
    with pytest.raises(MissingColumnsError):
        read_register(path, sheet="Voorblad")
    with pytest.raises(InputFileError, match="no sheet 'Blad9'; sheets: Voorblad, Data"):
        read_register(path, sheet="Blad9")


def test_wijken_table(tmp_path):
    path = tmp_path / "nowijk.csv"
    lines = [
        ";".join(f for i, f in enumerate(line.split(";")) if i != 10) for line in fixture_text().split("\r\n")
    ]
    path.write_text("\r\n".join(lines), encoding="utf-8")
    with pytest.raises(MissingColumnsError, match="Wijk"):
        read_register(path)
    table = tmp_path / "wijken.csv"
    table.write_text("Postcode;Wijk\n9742;Paddepoel\n9741 AC;Selwerd\n9736;Beijum\n", encoding="utf-8")
    reg = read_register(path, wijken=table)
    assert reg.people["neighbourhood"].tolist() == ["Paddepoel", "Selwerd", "Beijum", "Beijum", "Paddepoel"]


@pytest.mark.parametrize("text", ["PC;Wijk\n9742;Paddepoel\n", "9742;Paddepoel\n9741;Selwerd\n"])
def test_wijken_table_without_a_postcode_header_is_a_clear_error(tmp_path, text):
    table = tmp_path / "wijken.csv"
    table.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match="no column 'Postcode'"):
        read_register(fixture("register_minimal.csv"), wijken=table)


def test_sample_csv_and_xlsx_are_the_same_register():
    root = Path(__file__).parents[1] / "sample_data"
    csv_reg = read_register(root / "register.csv")
    xlsx_reg = read_register(root / "register.xlsx")
    assert csv_reg.rows == xlsx_reg.rows == 10_000
    assert values_fingerprint(csv_reg) == values_fingerprint(xlsx_reg)
    assert csv_reg.report.as_list() == [{**p, "file": "register.csv"} for p in xlsx_reg.report.as_list()]


def test_dates_are_real_dates(minimal):
    assert minimal.people["birth_date"].dtype.kind == "M"
    assert minimal.people["birth_date"][3].date() == dt.date(1990, 7, 4)


def test_export_without_header_is_refused_without_echoing_the_first_person(tmp_path):
    lines = fixture_text().split("\r\n")
    path = tmp_path / "noheader.csv"
    path.write_text("\r\n".join(lines[1:]), encoding="utf-8")
    with pytest.raises(MissingColumnsError) as info:
        read_register(path)
    message = str(info.value)
    assert "no header row" in message
    first = lines[1].split(";")
    for value in (first[0], first[1], first[4], first[5]):  # client id, BSN, surname, street
        assert value not in message


def test_old_mac_line_endings(tmp_path, minimal):
    path = tmp_path / "mac.csv"
    path.write_bytes(fixture("register_minimal.csv").read_bytes().replace(b"\r\n", b"\r"))
    reg = read_register(path)
    pd.testing.assert_frame_equal(reg.people, minimal.people)


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        # Values with more letters than digits could be a name: shown by kind and length only.
        ("../../etc/x", "<text of 11 characters>"),
        ("a/b", "<text of 3 characters>"),
        ("..", ".."),
        (".hidden", "<text of 7 characters>"),
        ("a\\b", "<text of 3 characters>"),
        ("con", "<text of 3 characters>"),
        ("LPT1.txt", "<text of 8 characters>"),
        ("12 34", "12 34"),
    ],
)
def test_client_ids_that_are_unsafe_file_names_are_invalid(tmp_path, bad, shown):
    path = tmp_path / "ids.csv"
    path.write_text(fixture_text().replace("100002", bad, 1), encoding="utf-8")
    reg = read_register(path)
    (problem,) = reg.report.problems
    assert (problem.row, problem.kind, problem.value) == (3, "invalid_client_id", shown)
    assert reg.people["invalid"].tolist() == [False, True, False, False, False]


def test_ordinary_client_ids_are_fine(tmp_path):
    path = tmp_path / "ids.csv"
    text = fixture_text()
    for old, new in zip(MINIMAL_IDS, ["0012345", "A-1234", "kl_77", "2019.5", "X"], strict=True):
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    assert not read_register(path).report


@pytest.mark.parametrize("trailer", ["", "\r\n", "\r\n\r\n;;;;\r\n"])
def test_header_without_people_is_an_error(tmp_path, trailer):
    path = tmp_path / "header.csv"
    path.write_text(fixture_text().split("\r\n")[0] + trailer, encoding="utf-8")
    with pytest.raises(InputFileError, match=r"no data rows below the header \(row 1\)"):
        read_register(path)


def test_workbook_header_without_people_is_an_error(tmp_path):
    import sys

    sys.path.insert(0, str(FIXTURES))
    import make_fixtures as mf

    path = tmp_path / "header.xlsx"
    path.write_bytes(mf.workbook([["Titel"], mf.HEADERS]))
    with pytest.raises(InputFileError, match=r"no data rows below the header \(row 2\)"):
        read_register(path)


def test_committed_fixtures_match_their_generator(tmp_path, monkeypatch):
    import sys

    sys.path.insert(0, str(FIXTURES))
    import make_fixtures as mf

    monkeypatch.setattr(mf, "HERE", tmp_path)
    mf.main()
    for made in sorted(tmp_path.iterdir()):
        committed = FIXTURES / made.name
        if made.suffix == ".csv":
            assert made.read_bytes() == committed.read_bytes(), made.name
        else:  # workbooks carry a creation time: compare the cells
            new, old = load_workbook(made).active, load_workbook(committed).active
            assert [[c.value for c in r] for r in new.iter_rows()] == [
                [c.value for c in r] for r in old.iter_rows()
            ]
    # Every BSN in the fixtures is from the test range and passes the elfproef, but the one
    # made invalid on purpose.
    from stdnum.nl import bsn

    assert all(b.startswith("99999") and bsn.is_valid(b) for b in mf.BSNS)


def test_private_values_are_never_shown_in_problems(tmp_path):
    path = tmp_path / "private.csv"
    text = fixture_text().replace("01-05-1970", "31-02-1970").replace("Ratelwijk", "")
    path.write_text(text, encoding="utf-8")
    reg = read_register(path)
    kinds = {p.kind: p for p in reg.report.problems}
    assert kinds["invalid_date"].row == 2
    assert kinds["invalid_date"].column == "Geboortedatum"
    assert kinds["invalid_date"].value is None  # a birth date identifies a person
    assert kinds["missing_street"].value is None
