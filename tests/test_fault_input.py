"""Fault cases of issue 17 at the input doors: registers, settings, the pseudonym key, and
what problem messages may show.

Registers that cannot silently shrink: a stray quote that swallows lines is an error naming
the line where it opens and how many lines it swallowed, for `check` and `select` alike. The
BSN cannot be the client id. A value typed into a cell is shown in a problem only when it is
code-like. Unreadable settings and key files stop with one clear message.

Expected line numbers and counts are worked out by hand from how the test files are made
(`_with_quote` puts the quote on a known line of a file whose line count is known).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fault_helpers import assert_no_leak, assert_stopped_cleanly, ended
from safety_helpers import elfproef, ledger_dump, tree

AS_OF = "2026-10-01"
KEY = "test-only-pseudonym-key-0123456789abcdef"
REGISTER_ROWS = 2000  # enough that a swallowed tail exceeds the csv module's 128 KiB field limit


@pytest.fixture(scope="module")
def register_2000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kansen_cli.sample_files import write_sample

    path = tmp_path_factory.mktemp("register2000") / "register.csv"
    write_sample(path, rows=REGISTER_ROWS, seed=7)
    return path


def _lines(path: Path) -> list[str]:
    """The file's lines without their CRLF (the sample writer ends every line with one)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


def _write(lines: list[str], out: Path) -> Path:
    out.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return out


def _with_quote(register: Path, out: Path, line: int, header: str, close_at: int | None = None) -> Path:
    """`register` with a stray opening quote at the start of column `header` on file line `line`
    (1-based, the header is line 1); with `close_at`, a second stray quote in the same column
    on that later line."""
    lines = _lines(register)
    column = lines[0].split(";").index(header)
    for number in (line, close_at):
        if number is not None:
            cells = lines[number - 1].split(";")
            cells[column] = '"' + cells[column]
            lines[number - 1] = ";".join(cells)
    return _write(lines, out)


def _surname(register: Path, line: int) -> str:
    lines = _lines(register)
    return lines[line - 1].split(";")[lines[0].split(";").index("Achternaam")]


def _refused_by_check_and_select(
    invoke, path: Path, campaign: Path, names: list[str], says: list[str]
) -> None:
    """`check` and `select` both stop cleanly, saying all of `says`; select records nothing."""
    before = tree(campaign)
    for args in (["check", path], ["select", path, "--as-of", AS_OF, "-c", campaign]):
        end = assert_stopped_cleanly(invoke(*args), names=names)
        for words in says:
            assert words in end.output, f"{words!r} not in {end.output!r}"
    assert tree(campaign) == before
    assert not (campaign / "kansen.sqlite").exists() or ledger_dump(campaign)["run_rows"] == []


# ---------------------------------------------------------------------------- register


@pytest.mark.fault("register")
def test_a_stray_quote_hundreds_of_lines_before_the_end_is_refused(
    invoke, register_2000: Path, tmp_path: Path, campaign: Path
) -> None:
    # The file has 2001 lines (header + 2000); a quote opening on line 1500 swallows the
    # 501 lines after it, to the end of the file.
    path = _with_quote(register_2000, tmp_path / "late.csv", 1500, "Actieve begeleiding")
    names = [_surname(register_2000, n) for n in (1500, 1501, 2001)]
    _refused_by_check_and_select(
        invoke, path, campaign, names, ["regel 1500", "'Actieve begeleiding'", "501 regels"]
    )


@pytest.mark.fault("register")
def test_a_stray_quote_early_in_a_large_register_is_refused_not_an_internal_error(
    invoke, register_2000: Path, tmp_path: Path, campaign: Path
) -> None:
    # Line 5 of 2001: 1996 lines swallowed, far more than the csv module's field size limit.
    path = _with_quote(register_2000, tmp_path / "early.csv", 5, "Actieve begeleiding")
    names = [_surname(register_2000, n) for n in (5, 6, 2001)]
    _refused_by_check_and_select(invoke, path, campaign, names, ["regel 5", "1996 regels"])


@pytest.mark.fault("register")
def test_a_stray_quote_in_the_last_column_is_refused(
    invoke, register_2000: Path, tmp_path: Path, campaign: Path
) -> None:
    # In the last column the swallowing row keeps its number of fields: nothing looks broken.
    path = _with_quote(register_2000, tmp_path / "last.csv", 1800, "Taal")
    names = [_surname(register_2000, n) for n in (1800, 1801)]
    _refused_by_check_and_select(invoke, path, campaign, names, ["regel 1800", "'Taal'", "201 regels"])


@pytest.mark.fault("register")
def test_two_stray_quotes_in_one_column_are_refused(
    invoke, register_2000: Path, tmp_path: Path, campaign: Path
) -> None:
    # A quote on line 700 closed by another on line 1000 in the same column: the row has the
    # right number of fields again, and lines 701..1000 are gone into one cell.
    path = _with_quote(register_2000, tmp_path / "pair.csv", 700, "Bekend bij WIJ-team", close_at=1000)
    names = [_surname(register_2000, n) for n in (700, 701, 1000)]
    _refused_by_check_and_select(invoke, path, campaign, names, ["regel 700", "300 regels"])


@pytest.mark.fault("register")
def test_a_quoted_line_break_in_a_value_is_still_read(invoke, small_register: Path, tmp_path: Path) -> None:
    """The one legitimate reason for more lines than rows: a quoted value with a line break."""
    lines = _lines(small_register)
    street = lines[0].split(";").index("Straat")
    cells = lines[10].split(";")
    cells[street] = f'"{cells[street]}\r\nachterom"'
    lines[10] = ";".join(cells)
    path = _write(lines, tmp_path / "multiline.csv")
    result = invoke("check", path, "--json")
    assert result.exit_code == 0, result.output
    # 602 lines in all: the header, 600 rows, and one line break inside a quoted street.
    assert json.loads(result.stdout)["rows"] == 600


# ---------------------------------------------------------------------------- privacy


@pytest.mark.fault("privacy")
@pytest.mark.parametrize("header", ["BSN", "bsn", "Burgerservicenummer", "Sofinummer"])
def test_the_bsn_column_cannot_be_the_client_id(
    invoke, small_register: Path, campaign: Path, header: str
) -> None:
    from kansen_cli.errors import SettingsError
    from kansen_cli.settings import load_settings

    (campaign / "kansen.toml").write_text(f'[register.columns]\nclient_id = "{header}"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"client_id .* BSN"):
        load_settings(campaign)
    for args in (["check", small_register, "-c", campaign], ["select", small_register, "-c", campaign]):
        end = assert_stopped_cleanly(
            invoke(*args, "--as-of", AS_OF) if args[0] == "select" else invoke(*args)
        )
        assert "client_id" in end.output and "BSN" in end.output
    assert not (campaign / "kansen.sqlite").exists()


@pytest.mark.fault("privacy")
def test_the_column_named_as_the_bsn_cannot_be_the_client_id_either(campaign: Path) -> None:
    from kansen_cli.errors import SettingsError
    from kansen_cli.settings import load_settings

    (campaign / "kansen.toml").write_text(
        '[register.columns]\nbsn = "Sofi-nr"\nclient_id = "sofi-NR"\n', encoding="utf-8"
    )
    with pytest.raises(SettingsError, match="client_id"):
        load_settings(campaign)


def _test_bsns(count: int) -> list[str]:
    """Nine-digit numbers from the 99999xxxx test range that pass the elfproef (checked by the
    test helpers' own implementation)."""
    found = [str(n) for n in range(999990000, 999999999) if elfproef(str(n))]
    return found[:count]


@pytest.mark.fault("privacy")
def test_a_client_id_column_full_of_bsns_is_refused(invoke, small_register: Path, tmp_path: Path) -> None:
    lines = _lines(small_register)
    bsns = _test_bsns(len(lines) - 1)
    for i, bsn in enumerate(bsns, start=1):
        cells = lines[i].split(";")
        cells[0] = bsn
        lines[i] = ";".join(cells)
    path = _write(lines, tmp_path / "bsn_ids.csv")
    end = assert_stopped_cleanly(invoke("check", path))
    assert "Klantnummer" in end.output and "BSN" in end.output


@pytest.mark.fault("privacy")
def test_nine_digit_client_numbers_are_not_taken_for_bsns(
    invoke, small_register: Path, tmp_path: Path
) -> None:
    """Random nine-digit numbers pass the elfproef about one time in eleven: no refusal."""
    lines = _lines(small_register)
    for i in range(1, len(lines)):
        cells = lines[i].split(";")
        cells[0] = str(100_000_000 + i * 7919)
        lines[i] = ";".join(cells)
    path = _write(lines, tmp_path / "nine_digits.csv")
    result = invoke("check", path)
    assert result.exit_code == 0, result.output


@pytest.mark.fault("privacy")
def test_a_surname_typed_into_a_register_yes_no_column_is_not_shown(
    invoke, small_register: Path, tmp_path: Path
) -> None:
    lines = _lines(small_register)
    head = lines[0].split(";")
    cells = lines[20].split(";")
    surname = "Zwartkruisen"
    cells[head.index("Actieve begeleiding")] = surname
    cells[head.index("Bekend bij WIJ-team")] = "12-3"  # code-like: shown as typed
    lines[20] = ";".join(cells)
    path = _write(lines, tmp_path / "typed.csv")
    for args in (["check", path], ["check", path, "--json"]):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        assert_no_leak(result.output, [surname])
        assert "12-3" in result.output
    examples = json.loads(result.stdout)["problems"]["examples"]["invalid_boolean"]
    shown = {(p["row"], p["column"]): p["value"] for p in examples}
    assert shown == {
        (21, "Actieve begeleiding"): "<tekst van 12 tekens>",
        (21, "Bekend bij WIJ-team"): "12-3",
    }


@pytest.mark.fault("privacy")
def test_a_surname_typed_into_an_answer_column_is_not_shown_by_ingest(
    invoke, small_register: Path, tmp_path: Path
) -> None:
    from registration_helpers import blank_registration

    campaign, workbook, sheet, columns = blank_registration(invoke, small_register, tmp_path)
    surname, email = "Zwartkruisen", "z.kruisen@example.nl"
    sheet.cell(row=2, column=columns["Contactresultaat"], value=surname)
    sheet.cell(row=3, column=columns["Contactresultaat"], value="Niet thuis (twee keer)")
    sheet.cell(row=3, column=columns["Datum gesprek"], value=email)
    sheet.cell(row=4, column=columns["Contactresultaat"], value="Gesproken")
    sheet.cell(row=4, column=columns["Datum gesprek"], value="31-02-2026")
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    before = ledger_dump(campaign)
    for args in (["ingest", filled, "-c", campaign], ["ingest", filled, "-c", campaign, "--json"]):
        end = ended(invoke(*args))  # not loaded: exit 1, the problems listed
        assert end.exit_code == 1 and "Traceback" not in end.output, end.output
        assert_no_leak(end.output, [surname, email, "kruisen"])
        assert "31-02-2026" in end.output  # a date-like value is shown as typed
    assert ledger_dump(campaign) == before
    problems = json.loads(end.stdout)["files"][0]["problems"]
    shown = {(p["row"], p["column"]): p["value"] for p in problems}
    assert shown[(2, "Contactresultaat")] == "<tekst van 12 tekens>"  # the surname: kind and length
    assert shown[(3, "Datum gesprek")] == "<tekst van 20 tekens>"  # the e-mail address
    assert shown[(4, "Datum gesprek")] == "31-02-2026"


@pytest.mark.fault("privacy")
def test_a_binary_pseudonym_key_file_is_a_clear_error(
    runner, small_register: Path, tmp_path: Path, campaign: Path
) -> None:
    from kansen_cli.cli import app

    key_file = tmp_path / "secret.key"
    key_file.write_bytes(bytes(range(256)) * 4)
    (campaign / "kansen.toml").write_text(f'[privacy]\npseudonym_key_file = "{key_file}"\n', encoding="utf-8")
    result = runner.invoke(app, ["select", str(small_register), "--as-of", AS_OF, "-c", str(campaign)])
    assert result.exit_code == 0, result.output
    before = ledger_dump(campaign)
    env = {"KANSEN_PSEUDONYM_KEY": ""}
    end = assert_stopped_cleanly(
        runner.invoke(app, ["purge", "--older-than", "1", "-c", str(campaign)], env=env)
    )
    assert "pseudonym_key_file" in end.output
    assert ledger_dump(campaign) == before


@pytest.mark.fault("privacy")
def test_a_pseudonym_key_file_that_is_a_device_or_folder_is_a_clear_error(
    runner, small_register: Path, tmp_path: Path, campaign: Path
) -> None:
    from kansen_cli.cli import app

    result = runner.invoke(app, ["select", str(small_register), "--as-of", AS_OF, "-c", str(campaign)])
    assert result.exit_code == 0, result.output
    for key_file in ("/dev/zero", str(tmp_path)):
        (campaign / "kansen.toml").write_text(
            f'[privacy]\npseudonym_key_file = "{key_file}"\n', encoding="utf-8"
        )
        env = {"KANSEN_PSEUDONYM_KEY": ""}
        end = assert_stopped_cleanly(
            runner.invoke(app, ["purge", "--older-than", "1", "-c", str(campaign)], env=env)
        )
        assert "pseudonym_key_file" in end.output


# ---------------------------------------------------------------------------- settings files


def _settings_refused(invoke, campaign: Path, small_register: Path) -> str:
    end = assert_stopped_cleanly(invoke("check", small_register, "-c", campaign))
    assert "kansen.toml" in end.output
    return end.output


@pytest.mark.fault("storage")
@pytest.mark.parametrize("shape", ["array", "inline_table"])
def test_a_settings_value_nested_thousands_deep_is_a_clear_error(
    invoke, campaign: Path, small_register: Path, shape: str
) -> None:
    depth = 5000
    value = "[" * depth + "]" * depth if shape == "array" else "{a = " * depth + "1" + "}" * depth
    (campaign / "kansen.toml").write_text(f"[campaign]\nname = {value}\n", encoding="utf-8")
    assert "nested" in _settings_refused(invoke, campaign, small_register)


@pytest.mark.fault("storage")
def test_settings_that_are_no_utf8_text_are_a_clear_error(
    invoke, campaign: Path, small_register: Path
) -> None:
    (campaign / "kansen.toml").write_bytes(b'[campaign]\nname = "Kansen \xe9n Kaart"\n')
    _settings_refused(invoke, campaign, small_register)


@pytest.mark.fault("storage")
def test_settings_that_are_a_folder_are_a_clear_error(invoke, campaign: Path, small_register: Path) -> None:
    (campaign / "kansen.toml").unlink()  # the fixture's campaign settings, replaced by a folder
    (campaign / "kansen.toml").mkdir()
    assert "is een map, geen bestand" in _settings_refused(invoke, campaign, small_register)


@pytest.mark.fault("storage")
def test_settings_that_cannot_be_read_are_a_clear_error(invoke, campaign: Path, small_register: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files without read permission")
    path = campaign / "kansen.toml"
    path.write_text('[campaign]\nname = "x"\n', encoding="utf-8")
    path.chmod(0)
    try:
        _settings_refused(invoke, campaign, small_register)
    finally:
        path.chmod(0o600)


@pytest.mark.fault("storage")
def test_settings_that_are_a_device_are_a_clear_error(invoke, campaign: Path, small_register: Path) -> None:
    (campaign / "kansen.toml").unlink()  # the fixture's campaign settings, replaced by a device
    (campaign / "kansen.toml").symlink_to("/dev/zero")
    _settings_refused(invoke, campaign, small_register)


# ---------------------------------------------------------------------------- the quote scanner


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a;b;c\n", None),  # nothing quoted
        ('a;"b";c\n', None),  # quoted, on one line
        ('a;"b\nx";c\n', (1, 2, 6)),  # a quoted line break in field 2
        ('a;"b""\nx";c\n', (1, 2, 8)),  # "" inside a quoted value is a quote, not its end
        ('a;b"x\ny;c\n', None),  # a quote inside a field is a character, not an opening
        ('a;b;"c\r\nd;e;f\r\n', (2, 4, None)),  # never closed
        ('"a"b;"c\nd"\n', (1, 5, 9)),  # text after a closing quote belongs to the field
    ],
)
def test_the_quote_that_spans_lines_is_found_where_a_parser_sees_it(text: str, expected) -> None:
    from kansen_cli.register.csv_quotes import spanning_quote

    quote = spanning_quote(text, 0, len(text), ";")
    assert (None if quote is None else (quote.field, quote.opens, quote.closes)) == expected


def test_line_breaks_count_crlf_once_and_a_bare_cr_as_a_break() -> None:
    from kansen_cli.register.csv_quotes import line_breaks

    assert line_breaks("a\r\nb\nc\rd") == 3
    assert line_breaks("abc") == 0
