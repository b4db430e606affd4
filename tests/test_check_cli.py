"""`kansen check` through the CLI: exit codes, --json, overrides, and no BSN in any output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kansen_cli.checking import check_summary
from kansen_cli.register import read_register

ROOT = Path(__file__).parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "sample_data"
NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")


def elfproef(number: str) -> bool:
    digits = [int(c) for c in number]
    total = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0 and int(number) > 0


def unmasked_bsns(text: str) -> list[str]:
    """Every run of exactly nine digits that passes the elfproef: a BSN shown in full."""
    return [m for m in NINE_DIGITS.findall(text) if elfproef(m)]


def test_unmasked_bsns_helper_finds_a_bsn():
    assert unmasked_bsns("rij 4: 999990007 en *****0007") == ["999990007"]
    assert unmasked_bsns("999990000") == []  # fails the elfproef


def test_sample_csv_and_xlsx_report_the_same(invoke):
    results = [invoke("check", SAMPLE / name, "--json") for name in ("register.csv", "register.xlsx")]
    assert [r.exit_code for r in results] == [0, 0]
    csv_out, xlsx_out = (json.loads(r.stdout) for r in results)
    assert csv_out["file"] == "register.csv" and xlsx_out["file"] == "register.xlsx"
    assert csv_out["format"]["type"] == "csv" and xlsx_out["format"]["type"] == "xlsx"
    for out in (csv_out, xlsx_out):
        del out["file"], out["format"]
    assert csv_out == xlsx_out
    assert csv_out["rows"] == 10_000


def test_json_is_the_core_summary(invoke):
    path = FIXTURES / "register_duplicates.csv"
    result = invoke("check", path, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(json.dumps(check_summary(read_register(path))))


def test_human_output_lists_rows_columns_and_problems(invoke):
    result = invoke("check", FIXTURES / "register_duplicates.csv")
    assert result.exit_code == 0
    out = result.stdout
    assert "5 rijen gelezen: 2 goed, 3 met problemen" in out
    assert "Klantnummer" in out
    assert "duplicate_client_id" in out and "invalid_bsn" in out
    assert "rij 3" in out and "rij 5" in out and "rij 4" in out
    english = invoke("--lang", "en", "check", FIXTURES / "register_duplicates.csv").stdout
    assert "5 rows read: 2 valid, 3 with problems" in english
    assert "row 3" in english and "Columns mapped" in english


def test_duplicates_json_rows(invoke):
    data = json.loads(invoke("check", FIXTURES / "register_duplicates.csv", "--json").stdout)
    assert data["problems"]["by_kind"] == {"duplicate_client_id": 2, "invalid_bsn": 1}
    assert [p["row"] for p in data["problems"]["examples"]["duplicate_client_id"]] == [3, 5]
    assert [p["row"] for p in data["problems"]["examples"]["invalid_bsn"]] == [4]


ALL_INPUTS = [*sorted(FIXTURES.glob("register_*.*")), SAMPLE / "register.csv", SAMPLE / "register.xlsx"]


@pytest.mark.parametrize("path", ALL_INPUTS, ids=lambda p: p.name)
@pytest.mark.parametrize("as_json", [False, True])
def test_no_unmasked_bsn_in_check_output(invoke, path, as_json):
    result = invoke("check", path, *(["--json"] if as_json else []))
    text = result.stdout + result.stderr
    if as_json and result.exit_code == 0:
        # The values' SHA-256 is hex and may hold nine digits by chance: it is no BSN.
        text = re.sub(r'"values_sha256": "[0-9a-f]+"', "", text)
    assert unmasked_bsns(text) == []


def test_fixtures_do_hold_bsns():
    # Guard for the test above: the inputs really contain valid BSNs to leak.
    text = (FIXTURES / "register_minimal.csv").read_text(encoding="utf-8")
    assert len(unmasked_bsns(text)) == 4


def test_bsn_problems_are_masked_in_output(invoke, tmp_path):
    # A duplicate BSN: its value is reported, masked.
    lines = (FIXTURES / "register_minimal.csv").read_bytes().decode("utf-8").split("\r\n")
    bsn = lines[1].split(";")[1]
    lines[2] = lines[2].replace(lines[2].split(";")[1], bsn)
    path = tmp_path / "dup_bsn.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    for args in ((), ("--json",)):
        result = invoke("check", path, *args)
        assert result.exit_code == 0
        assert "*****" + bsn[-4:] in result.stdout
        assert bsn not in result.stdout + result.stderr


def test_missing_column_exits_1_naming_it(invoke):
    result = invoke("check", FIXTURES / "register_missing_column.csv")
    assert result.exit_code == 1
    assert "Postcode" in result.stderr
    assert "gevonden kolommen: 'Klantnummer'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_undeterminable_delimiter_exits_1(invoke, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("naam\nJansen;12\nde Vries,3\n", encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1
    assert "het scheidingsteken is niet te bepalen" in result.stderr
    assert "--delimiter" in result.stderr


def test_encoding_and_delimiter_overrides(invoke):
    plain = json.loads(invoke("check", FIXTURES / "register_minimal.csv", "--json").stdout)
    forced = invoke(
        "check", FIXTURES / "register_cp1252.csv", "--encoding", "cp1252", "--delimiter", ";", "--json"
    )
    assert forced.exit_code == 0
    data = json.loads(forced.stdout)
    assert data["format"]["encoding"] == "cp1252"
    assert data["values_sha256"] == plain["values_sha256"]
    tab = json.loads(invoke("check", FIXTURES / "register_tab.csv", "--delimiter", "tab", "--json").stdout)
    assert tab["format"]["delimiter"] == "tab"
    assert tab["values_sha256"] == plain["values_sha256"]


def test_bad_overrides(invoke):
    wrong = invoke("check", FIXTURES / "register_cp1252.csv", "--encoding", "utf-8")
    assert wrong.exit_code == 1
    assert "geen geldige utf-8" in wrong.stderr
    english = invoke("--lang", "en", "check", FIXTURES / "register_cp1252.csv", "--encoding", "utf-8")
    assert english.stderr.startswith("kansen: error: ") and "not valid utf-8" in english.stderr
    usage = invoke("check", FIXTURES / "register_minimal.csv", "--delimiter", "|")
    assert usage.exit_code == 2


def test_check_needs_birth_date_when_select_does(invoke, tmp_path):
    # Default settings exclude pension age, so `select` needs birth dates; `check` says so too.
    lines = (FIXTURES / "register_minimal.csv").read_bytes().decode("utf-8").split("\r\n")
    cut = [";".join(f for i, f in enumerate(line.split(";")) if i != 11) for line in lines]
    path = tmp_path / "nobirth.csv"
    path.write_text("\r\n".join(cut), encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1
    assert "Geboortedatum" in result.stderr


def test_missing_file_exits_1(invoke, tmp_path):
    result = invoke("check", tmp_path / "nope.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("kansen: fout: ")
    assert "bestand niet gevonden" in result.stderr


def test_debug_shows_the_error_itself(invoke):
    result = invoke("--debug", "check", FIXTURES / "register_missing_column.csv")
    assert result.exit_code == 1
    from kansen_cli.errors import MissingColumnsError

    assert isinstance(result.exception, MissingColumnsError)


def test_unexpected_error_shows_its_type_only(invoke, monkeypatch):
    import kansen_cli.register

    def broken(*args, **kwargs):
        raise ValueError("999990007 Jansen")  # a message that could hold personal data

    monkeypatch.setattr(kansen_cli.register, "read_register", broken)
    result = invoke("check", FIXTURES / "register_minimal.csv")
    assert result.exit_code == 1
    assert "interne fout (ValueError)" in result.stderr
    assert "999990007" not in result.stderr and "Jansen" not in result.stderr
    assert "--debug" in result.stderr


def test_debug_after_the_command_is_accepted():
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kansen_cli",
            "check",
            str(FIXTURES / "register_missing_column.csv"),
            "--debug",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "MissingColumnsError" in result.stderr


def test_wijken_option(invoke, tmp_path):
    lines = (FIXTURES / "register_minimal.csv").read_bytes().decode("utf-8").split("\r\n")
    path = tmp_path / "nowijk.csv"
    path.write_text(
        "\r\n".join(";".join(f for i, f in enumerate(line.split(";")) if i != 10) for line in lines),
        encoding="utf-8",
    )
    assert invoke("check", path).exit_code == 1
    table = tmp_path / "wijken.csv"
    table.write_text("Postcode;Wijk\n9742;Paddepoel\n9741;Selwerd\n9736;Beijum\n", encoding="utf-8")
    result = invoke("check", path, "--wijken", table, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["invalid_rows"] == 0


def test_cell_text_that_looks_like_markup_is_printed_as_data(invoke, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text(
        "Klantnummer;Achternaam;Straat;Huisnummer;Postcode;Woonplaats;Wijk;Datum laatste gesprek;"
        "Einddatum laatste traject;Actieve begeleiding;Bekend bij WIJ-team;Geboortedatum\n"
        "0012345;Jansen;Straat;1;9741AB;Groningen;Selwerd;[/12];;[/];Nee;01-01-1980\n",
        encoding="utf-8",
    )
    # Closing tags without letters: code-like, so shown as typed (words are shown by kind and
    # length only, issue 17), and rich would fail on them as markup.
    result = invoke("check", register)
    assert result.exit_code == 0, result.output
    assert "'[/12]'" in result.stdout
    assert "'[/]'" in result.stdout
    assert "internal error" not in result.output
