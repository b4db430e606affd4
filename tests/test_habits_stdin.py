"""`-` reads a register (or a filled-in workbook) from stdin, through a private temporary copy
that is gone afterwards; messages say `stdin`, never the temporary path."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest

from kansen_cli.errors import InputFileError
from kansen_cli.stdin_files import stdin_as_file


def test_a_file_is_passed_through(tmp_path: Path) -> None:
    with stdin_as_file(tmp_path / "r.csv", io.BytesIO(b"x")) as path:
        assert path == tmp_path / "r.csv"


def test_stdin_copy_is_private_and_removed_even_on_error() -> None:
    seen: list[Path] = []
    with pytest.raises(InputFileError) as error, stdin_as_file(Path("-"), io.BytesIO(b"a;b\n1;2\n")) as path:
        seen.append(path)
        assert path.read_bytes() == b"a;b\n1;2\n"
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
        raise InputFileError(f"{path}: line 3: cannot be read")
    assert str(error.value) == "stdin: line 3: cannot be read"
    assert not seen[0].exists() and not seen[0].parent.exists()


def test_a_workbook_on_stdin_is_read_as_a_workbook() -> None:
    with stdin_as_file(Path("-"), io.BytesIO(b"PK\x03\x04rest")) as path:
        assert path.suffix == ".xlsx"


def test_check_reads_a_csv_register_from_stdin(invoke, small_register: Path) -> None:
    data = small_register.read_text(encoding="utf-8")
    from_file = invoke("check", small_register, "--json")
    from_stdin = invoke("check", "-", "--json", input=data)
    assert from_stdin.exit_code == 0, from_stdin.stderr
    assert json.loads(from_stdin.stdout)["rows"] == json.loads(from_file.stdout)["rows"] == 600


def test_check_reads_an_xlsx_register_from_stdin(runner, small_register: Path, tmp_path: Path) -> None:
    import pandas as pd

    from kansen_cli.cli.app import app

    book = tmp_path / "register.xlsx"
    pd.read_csv(small_register, sep=";", dtype=str).to_excel(book, index=False)
    result = runner.invoke(app, ["check", "-", "--json"], input=book.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == 600


def test_an_error_on_stdin_names_stdin(invoke) -> None:
    result = invoke("check", "-", input="")
    assert result.exit_code == 1
    assert "stdin" in result.stderr and "kansen-stdin-" not in result.stderr


def test_ingest_reads_a_workbook_from_stdin(runner, small_register: Path, tmp_path: Path) -> None:
    from kansen_cli.cli.app import app
    from registration_helpers import blank_registration

    def invoke(*args):  # type: ignore[no-untyped-def]
        return runner.invoke(app, [str(a) for a in args])

    campaign, *_ = blank_registration(invoke, small_register, tmp_path)
    blank = tmp_path / "blank.xlsx"
    from_stdin = runner.invoke(app, ["ingest", "-", "-c", str(campaign), "--json"], input=blank.read_bytes())
    from_file = invoke("ingest", blank, "-c", campaign, "--json")
    assert from_stdin.exit_code == from_file.exit_code, from_stdin.stderr
    read, again = json.loads(from_stdin.stdout), json.loads(from_file.stdout)
    assert read["files"][0]["kind"] == again["files"][0]["kind"] == "registration"
    assert "kansen-stdin-" not in from_stdin.stdout + from_stdin.stderr
    twice = runner.invoke(app, ["ingest", "-", "-", "-c", str(campaign)], input=b"")
    assert twice.exit_code == 2
