"""--json on every command that prints a result, and with --json an error is a JSON object on
stderr ({"error": {"kind", "message"}, "exit_code"}) with the same exit code, stdout empty."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer

from kansen_cli.cli.app import app

NO_LEDGER = "{empty}"  # replaced by a folder without a ledger
CAMPAIGN = "{campaign}"  # replaced by a folder `kansen init` made

# A typical error for every command with --json: (arguments, exit code). Usage errors exit 2.
CASES: dict[str, tuple[tuple[str, ...], int]] = {
    "assign": (("99999001", "-c", NO_LEDGER), 1),
    "batch": (("-c", NO_LEDGER), 1),
    "calls": (("selwerd-1", "-c", NO_LEDGER), 1),
    "caseload": (("-c", NO_LEDGER), 1),
    "check": (("nergens.csv", "-c", NO_LEDGER), 1),
    "export": (("selection", "-c", NO_LEDGER), 1),
    "followup": (("-c", NO_LEDGER), 1),
    "ingest": (("nergens.xlsx", "-c", NO_LEDGER), 1),
    "init": ((CAMPAIGN,), 1),  # the settings are there already and --force is not given
    "inview": (("--as-of", "gisteren", "-c", CAMPAIGN), 2),
    "letters": (("selwerd-1", "-c", CAMPAIGN), 1),
    "plan": (("selwerd-1", "--start", "2026-11-02", "-c", CAMPAIGN), 1),
    "purge": (("-c", CAMPAIGN), 2),  # --older-than is required
    "report": (("--from", "2026-06-30", "--to", "2026-01-01", "-c", CAMPAIGN), 2),
    "sample": (("register.txt", "-c", CAMPAIGN), 1),
    "select": (("nergens.csv", "-c", CAMPAIGN), 1),
    "sheet": (("selwerd-1", "-c", CAMPAIGN), 1),
    "status": (("-c", NO_LEDGER), 1),
    "survey": (("-c", CAMPAIGN), 1),
}
WITHOUT_JSON = {"demo"}  # a walk through the whole cycle, printed as it goes


def _commands_with_json() -> set[str]:
    group = typer.main.get_command(app)
    named: set[str] = set()
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        flags = [p for p in command.params if "--json" in p.opts]
        if flags:
            assert [p.name for p in flags] == ["as_json"], name  # what _guarded looks for
            named.add(name)
    return named


def test_every_command_but_demo_has_json() -> None:
    group = typer.main.get_command(app)
    with_json = _commands_with_json()
    assert set(group.commands) - with_json == WITHOUT_JSON  # type: ignore[attr-defined]
    assert with_json == set(CASES)  # a new command needs its error case here


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from typer.testing import CliRunner

    root = tmp_path_factory.mktemp("json-errors")
    (root / "leeg").mkdir()
    result = CliRunner().invoke(app, ["init", str(root / "campagne")])
    assert result.exit_code == 0, result.stderr
    return {NO_LEDGER: root / "leeg", CAMPAIGN: root / "campagne"}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_an_error_with_json_is_a_json_object_on_stderr(invoke, folders, monkeypatch, name, lang) -> None:
    args, code = CASES[name]
    monkeypatch.chdir(folders[CAMPAIGN])
    result = invoke("--lang", lang, name, *(str(folders.get(a, a)) for a in args), "--json")
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert error["exit_code"] == code
    assert error["error"]["kind"] == ("usage" if code == 2 else "error")
    assert isinstance(error["error"]["message"], str) and error["error"]["message"]


def test_export_json_lists_the_rows(invoke, demo_run) -> None:
    campaign, _ = demo_run
    result = invoke("export", "batches", "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    csv = invoke("export", "batches", "-c", campaign)
    assert len(rows) == len(csv.stdout.strip().splitlines()) - 1  # the CSV has a header line
    assert {"batch_id", "client_id"} <= set(rows[0])


def test_init_and_sample_json(invoke, tmp_path: Path) -> None:
    made = invoke("init", tmp_path / "c", "--json")
    assert made.exit_code == 0, made.stderr
    assert json.loads(made.stdout)["preset"] == "groningen"
    sample = invoke("sample", tmp_path / "r.csv", "--rows", "20", "-c", tmp_path / "c", "--json")
    assert sample.exit_code == 0, sample.stderr
    assert json.loads(sample.stdout) == {"rows": 20, "seed": 2015, "files": [str(tmp_path / "r.csv")]}
    assert len((tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()) == 21
