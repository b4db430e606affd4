"""The campaign ledger: schema versions, one transaction per command, and the select/batch cycle."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from campaign_helpers import make_campaign
from kansen_cli.batching import slug
from kansen_cli.errors import LedgerError
from kansen_cli.ledger import core, schema
from kansen_cli.ledger.core import TEST_PAUSE_ENV, ledger_path, open_ledger
from kansen_cli.ledger.migrations import Migration, statements
from kansen_cli.ledger.runs import approached_ids
from kansen_cli.ledger.schema import MIGRATIONS

AS_OF = "2026-10-01"


@pytest.fixture(autouse=True)
def _tmp_path_is_a_campaign(tmp_path: Path) -> None:
    """A new ledger is only made beside a kansen.toml (issue 15): these tests open one in tmp_path."""
    make_campaign(tmp_path)


INSERT_RUN = (
    "INSERT INTO selection_runs (created_at, as_of, years, register_name, register_sha256,"
    " settings_json, rows, funnel_json, selected) VALUES ('t', '2026-10-01', 2, 'r', 's', '{}', 0, '{}', 0)"
)


def dump(path: Path) -> list[str]:
    """The whole database as SQL text: equal dumps, equal ledgers."""
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


# --------------------------------------------------------------------------- schema


def recorded(path: Path) -> list[tuple[str, str | None]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT name, applied_at FROM schema_migrations ORDER BY name").fetchall()


# The released migrations, written out: a renamed or dropped one fails these tests.
RELEASED = [
    "0001_whole_cycle",
    "0002_survey",
    "0003_status_indexes",
    "0004_trajectories",
    "0005_contact_routes",
]


def test_fresh_ledger_is_at_the_latest_schema(tmp_path, monkeypatch):
    monkeypatch.setattr(core, "now", lambda: "2026-05-04T10:00:00+02:00")
    with open_ledger(tmp_path) as ledger:
        assert ledger.scalar("PRAGMA user_version") == len(MIGRATIONS)
        tables = {r[0] for r in ledger.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"selection_runs", "run_rows", "people", "batches", "batch_members"} <= tables
    assert (ledger_path(tmp_path).stat().st_mode & 0o777) == 0o600
    # Each migration recorded by name with the time it was applied.
    assert recorded(ledger_path(tmp_path)) == [
        ("0001_whole_cycle", "2026-05-04T10:00:00+02:00"),
        ("0002_survey", "2026-05-04T10:00:00+02:00"),
        ("0003_status_indexes", "2026-05-04T10:00:00+02:00"),
        ("0004_trajectories", "2026-05-04T10:00:00+02:00"),
        ("0005_contact_routes", "2026-05-04T10:00:00+02:00"),
    ]


def test_opening_an_up_to_date_ledger_writes_nothing(tmp_path):
    open_ledger(tmp_path).close()
    before = ledger_path(tmp_path).read_bytes()
    open_ledger(tmp_path).close()
    assert ledger_path(tmp_path).read_bytes() == before


def test_ledger_from_a_newer_version_is_refused(tmp_path, invoke):
    open_ledger(tmp_path).close()
    with sqlite3.connect(ledger_path(tmp_path)) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    before = dump(ledger_path(tmp_path))
    with pytest.raises(LedgerError, match="nieuwere kansen_cli"):
        open_ledger(tmp_path)
    result = invoke("batch", "-c", tmp_path)
    assert result.exit_code == 1
    assert "nieuwere kansen_cli" in result.stderr and "werk kansen_cli bij" in result.stderr
    assert dump(ledger_path(tmp_path)) == before


def test_ledger_with_an_unknown_migration_is_refused(tmp_path, invoke):
    open_ledger(tmp_path).close()
    with sqlite3.connect(ledger_path(tmp_path)) as db:
        db.execute("INSERT INTO schema_migrations VALUES ('0900_from_the_future', '2030-01-01T00:00+01:00')")
    before = dump(ledger_path(tmp_path))
    with pytest.raises(LedgerError, match=r"nieuwere kansen_cli \(migration 0900_from_the_future\); werk"):
        open_ledger(tmp_path)
    result = invoke("batch", "-c", tmp_path)
    assert result.exit_code == 1
    assert "0900_from_the_future" in result.stderr and "werk kansen_cli bij" in result.stderr
    assert dump(ledger_path(tmp_path)) == before


def test_migrations_run_from_the_stored_version(tmp_path, monkeypatch):
    with open_ledger(tmp_path) as ledger, ledger.transaction() as db:
        db.execute(INSERT_RUN)
    extra = Migration(
        "0099_note", "ALTER TABLE selection_runs ADD COLUMN note TEXT; CREATE TABLE extra (x INTEGER)"
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, extra))
    with open_ledger(tmp_path) as ledger:
        assert ledger.scalar("PRAGMA user_version") == len(MIGRATIONS) + 1
        assert ledger.scalar("SELECT count(*) FROM selection_runs") == 1
        assert ledger.scalar("SELECT note FROM selection_runs") is None
        assert ledger.scalar("SELECT count(*) FROM extra") == 0
    assert [name for name, _ in recorded(ledger_path(tmp_path))] == [*RELEASED, "0099_note"]


def test_a_migration_with_a_trigger_and_semicolons_in_strings_applies(tmp_path, monkeypatch):
    # Cut at every `;`, as the ledger once did, this breaks inside the trigger and the strings.
    sql = """
        CREATE TABLE notes (text TEXT NOT NULL);  -- a comment; with a semicolon
        CREATE TRIGGER note_each_run AFTER INSERT ON selection_runs BEGIN
            INSERT INTO notes VALUES ('run ' || NEW.run_id || '; recorded');
            INSERT INTO notes VALUES ('second; statement');
        END;
        /* a block comment; also with one */
        INSERT INTO notes VALUES ('a string; with; semicolons')
    """
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, Migration("0099_notes", sql)))
    with open_ledger(tmp_path) as ledger:
        with ledger.transaction() as db:
            db.execute(INSERT_RUN)
        notes = [r[0] for r in ledger.query("SELECT text FROM notes ORDER BY rowid")]
    assert notes == ["a string; with; semicolons", "run 1; recorded", "second; statement"]
    assert [name for name, _ in recorded(ledger_path(tmp_path))] == [*RELEASED, "0099_notes"]


def test_statements_are_cut_where_sqlite_says_they_end():
    assert statements("SELECT 1; SELECT ';'") == ["SELECT 1;", " SELECT ';'"]
    assert statements("SELECT 1; -- done\n") == ["SELECT 1;", " -- done\n"]
    assert statements("  \n") == []


def test_a_failing_migration_leaves_the_ledger_as_before(tmp_path, monkeypatch):
    with open_ledger(tmp_path) as ledger, ledger.transaction() as db:
        db.execute(INSERT_RUN)
    before = dump(ledger_path(tmp_path))
    broken = Migration(
        "0099_broken",
        "CREATE TABLE half (x INTEGER); INSERT INTO half VALUES (1); UPDATE selection_runs SET years = 9;"
        " INSERT INTO no_such_table VALUES (1);",
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(
        LedgerError,
        match=r"migratie 0099_broken is mislukt \(no such table: no_such_table\); er is niets",
    ):
        open_ledger(tmp_path)
    assert dump(ledger_path(tmp_path)) == before
    assert [name for name, _ in recorded(ledger_path(tmp_path))] == RELEASED
    # Nothing half-done stays behind: the next program without the broken step opens it.
    monkeypatch.setattr(schema, "MIGRATIONS", MIGRATIONS)
    open_ledger(tmp_path).close()
    assert dump(ledger_path(tmp_path)) == before


def old_ledger(folder: Path) -> Path:
    """A ledger as kansen_cli wrote it before migrations had names: the first migration's
    SQL cut at every `;`, user_version 1, no record table."""
    path = ledger_path(folder)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    for part in MIGRATIONS[0].sql.split(";"):
        if part.strip():
            db.execute(part)
    db.execute("PRAGMA user_version = 1")
    db.execute(INSERT_RUN)
    db.execute("COMMIT")
    db.close()
    return path


def test_an_old_ledger_is_recorded_as_having_the_first_migration(tmp_path, monkeypatch):
    path = old_ledger(tmp_path)
    extra = Migration("0099_extra", "CREATE TABLE extra (x)")
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, extra))
    monkeypatch.setattr(core, "now", lambda: "2026-05-04T10:00:00+02:00")
    with open_ledger(tmp_path) as ledger:
        assert ledger.scalar("SELECT count(*) FROM selection_runs") == 1
        assert ledger.scalar("PRAGMA user_version") == len(MIGRATIONS) + 1
    # When the first migration was applied, nobody wrote down: NULL, not a made-up time.
    assert recorded(path) == [
        ("0001_whole_cycle", None),
        *((name, "2026-05-04T10:00:00+02:00") for name in RELEASED[1:]),
        ("0099_extra", "2026-05-04T10:00:00+02:00"),
    ]


def test_not_a_ledger(tmp_path):
    ledger_path(tmp_path).write_bytes(b"this is no database, it is a shopping list" * 100)
    with pytest.raises(LedgerError, match="geen logboek van kansen"):
        open_ledger(tmp_path)


def test_missing_ledger_when_not_creating(tmp_path, invoke):
    with pytest.raises(LedgerError, match="kansen select"):
        open_ledger(tmp_path, create=False)
    assert not ledger_path(tmp_path).exists()
    for args in (("batch",), ("export", "selection")):
        result = invoke(*args, "-c", tmp_path)
        assert result.exit_code == 1
        assert "geen logboek" in result.stderr


def test_transaction_rolls_back_on_error(tmp_path):
    with open_ledger(tmp_path) as ledger:
        before = dump(ledger.path)
        with pytest.raises(RuntimeError), ledger.transaction() as db:
            db.execute(INSERT_RUN)
            raise RuntimeError("stop")
        assert dump(ledger.path) == before


def test_batch_before_select_is_a_clear_error(invoke, campaign):
    open_ledger(campaign).close()
    result = invoke("batch", "-c", campaign)
    assert result.exit_code == 1
    assert "kansen select" in result.stderr


# --------------------------------------------------------------------------- the cycle


def head_register(source: Path, target: Path, rows: int) -> Path:
    lines = source.read_bytes().split(b"\r\n")
    target.write_bytes(b"\r\n".join(lines[: rows + 1]) + b"\r\n")
    return target


def test_second_selection_after_batching_selects_nobody_twice(invoke, campaign, small_register, tmp_path):
    early = head_register(small_register, tmp_path / "early.csv", 400)
    first = json.loads(invoke("select", early, "--as-of", AS_OF, "-c", campaign, "--json").stdout)
    batched = json.loads(invoke("batch", "--size", "40", "-c", campaign, "--json").stdout)
    assert batched["batched"] == first["selected"] > 0
    # The same export again: everyone selected before is now already approached.
    again = json.loads(invoke("select", early, "--as-of", AS_OF, "-c", campaign, "--json").stdout)
    assert again["funnel"]["already_approached"] == first["selected"]
    assert again["selected"] == 0
    assert {k: v for k, v in again["funnel"].items() if k not in ("selected", "already_approached")} == {
        k: v for k, v in first["funnel"].items() if k not in ("selected", "already_approached")
    }
    nothing = invoke("batch", "-c", campaign)
    assert nothing.exit_code == 0
    assert "Niemand om in een batch te zetten" in nothing.stderr
    # A later, longer export: only the new people are selected, and batched in new batches.
    later = json.loads(invoke("select", small_register, "--as-of", AS_OF, "-c", campaign, "--json").stdout)
    assert later["funnel"]["already_approached"] == first["selected"]
    second = json.loads(invoke("batch", "--size", "40", "-c", campaign, "--json").stdout)
    assert second["batched"] == later["selected"]
    first_ids = {b["batch"] for b in batched["batches"]}
    assert not first_ids & {b["batch"] for b in second["batches"]}
    with open_ledger(campaign) as ledger:
        members = ledger.frame("SELECT client_id, batch_id FROM batch_members")
        assert members["client_id"].is_unique
        assert len(members) == first["selected"] + later["selected"]
        assert len(approached_ids(ledger)) == len(members)


def test_export_selection_has_every_row_with_its_bucket(invoke, campaign, small_register, tmp_path):
    funnel = json.loads(invoke("select", small_register, "--as-of", AS_OF, "-c", campaign, "--json").stdout)
    out = tmp_path / "selectie.csv"
    result = invoke("export", "selection", "--out", out, "-c", campaign)
    assert result.exit_code == 0, result.stderr
    frame = pd.read_csv(out, sep=";", encoding="utf-8-sig", dtype={"client_id": str})
    assert len(frame) == funnel["rows"] == 600
    assert frame["row"].tolist() == sorted(frame["row"])
    assert frame["bucket"].value_counts().to_dict() == {k: v for k, v in funnel["funnel"].items() if v}
    # On stdout too, and as XLSX.
    stdout = invoke("export", "selection", "-c", campaign)
    assert stdout.exit_code == 0
    assert len(stdout.stdout.strip().splitlines()) == 601
    xlsx = tmp_path / "selectie.xlsx"
    assert invoke("export", "selection", "--out", xlsx, "-c", campaign).exit_code == 0
    assert len(pd.read_excel(xlsx, engine="openpyxl")) == 600


def test_export_batches_and_batch_files(invoke, campaign, small_register, tmp_path):
    funnel = json.loads(invoke("select", small_register, "--as-of", AS_OF, "-c", campaign, "--json").stdout)
    folder = tmp_path / "batches"
    result = invoke("batch", "--size", "50", "--files", folder, "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    overview = json.loads(result.stdout)["batches"]
    out = tmp_path / "batches.csv"
    assert invoke("export", "batches", "--out", out, "-c", campaign).exit_code == 0
    frame = pd.read_csv(out, sep=";", encoding="utf-8-sig", dtype={"client_id": str})
    assert len(frame) == funnel["selected"]
    assert frame["client_id"].is_unique
    assert {"batch_id", "variant", "client_id", "neighbourhood"} <= set(frame.columns)
    assert frame.groupby("batch_id").size().to_dict() == {b["batch"]: b["size"] for b in overview}
    # One file per batch, named by batch id, private, without BSN.
    files = sorted(folder.iterdir())
    assert [p.name for p in files] == sorted(f"{b['batch']}.csv" for b in overview)
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600
        part = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str)
        assert "bsn" not in part.columns
        assert len(part) == {b["batch"]: b["size"] for b in overview}[path.stem]
        assert set(part["client_id"]) == set(frame.loc[frame["batch_id"] == path.stem, "client_id"])


def test_batch_files_refuse_to_overwrite_before_recording(invoke, campaign, small_register, tmp_path):
    invoke("select", small_register, "--as-of", AS_OF, "-c", campaign)
    folder = tmp_path / "batches"
    folder.mkdir()
    (folder / "selwerd-1.csv").write_text("mine", encoding="utf-8")
    result = invoke("batch", "--size", "50", "--files", folder, "-c", campaign)
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert (folder / "selwerd-1.csv").read_text(encoding="utf-8") == "mine"
    with open_ledger(campaign) as ledger:
        assert ledger.scalar("SELECT count(*) FROM batches") == 0


def test_export_unknown_table_is_usage_error(invoke, campaign):
    result = invoke("export", "people", "-c", campaign)
    assert result.exit_code == 2


def test_bsn_not_stored_unless_asked(invoke, campaign):
    register = Path(__file__).parent / "fixtures" / "register_minimal.csv"
    invoke("select", register, "--as-of", AS_OF, "-c", campaign)
    with open_ledger(campaign) as ledger:
        assert ledger.scalar("SELECT count(*) FROM people") > 0
        assert ledger.scalar("SELECT count(*) FROM people WHERE bsn IS NOT NULL") == 0
        assert "99999" not in "\n".join(dump(ledger.path))


# --------------------------------------------------------------------------- killed mid-transaction


def run_select(register: Path, campaign: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kansen_cli",
            "select",
            str(register),
            "--as-of",
            AS_OF,
            "-c",
            str(campaign),
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


@pytest.mark.slow
def test_select_killed_inside_the_transaction_leaves_the_ledger_as_it_was(invoke, campaign, small_register):
    # A campaign with history: one selection, batched.
    assert invoke("select", small_register, "--as-of", AS_OF, "-c", campaign).exit_code == 0
    assert invoke("batch", "--size", "50", "-c", campaign).exit_code == 0
    path = ledger_path(campaign)
    before, before_counts = dump(path), counts(path)

    proc = run_select(small_register, campaign, **{TEST_PAUSE_ENV: "60"})
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 60
        line = ""
        while "paused in transaction" not in line:
            line = proc.stderr.readline()
            assert line or proc.poll() is None, "select ended before reaching the transaction"
            assert time.monotonic() < deadline
        # All of select's inserts are done but not committed: kill it now.
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    assert counts(path) == before_counts
    assert dump(path) == before
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # The next run works and sees the batched people as already approached.
    proc = run_select(small_register, campaign)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    again = json.loads(stdout)
    assert again["funnel"]["already_approached"] == before_counts["batch_members"]
    assert again["selected"] == 0
    assert counts(path)["selection_runs"] == before_counts["selection_runs"] + 1
    assert counts(path)["run_rows"] == before_counts["run_rows"] + 600


def test_batch_files_failing_midway_record_nothing(invoke, campaign, small_register, tmp_path):
    invoke("select", small_register, "--as-of", AS_OF, "-c", campaign)
    folder = tmp_path / "batches"
    # A folder where the last batch's file should go: that write fails after others succeeded.
    with open_ledger(campaign) as ledger:
        hoods = sorted({r[0] for r in ledger.query("SELECT neighbourhood FROM people")})
    (folder / f"{slug(hoods[-1])}-1.csv").mkdir(parents=True)
    result = invoke("batch", "--size", "50", "--files", folder, "--force", "-c", campaign)
    assert result.exit_code == 1
    assert [p.name for p in folder.iterdir()] == [f"{slug(hoods[-1])}-1.csv"]
    with open_ledger(campaign) as ledger:
        assert ledger.scalar("SELECT count(*) FROM batches") == 0
        assert ledger.scalar("SELECT count(*) FROM batch_members") == 0
    # Without the obstacle the same command works.
    (folder / f"{slug(hoods[-1])}-1.csv").rmdir()
    assert invoke("batch", "--size", "50", "--files", folder, "-c", campaign).exit_code == 0
    assert len(list(folder.iterdir())) > 1


def test_batch_prints_an_overview(invoke, campaign, small_register):
    invoke("select", small_register, "--as-of", AS_OF, "-c", campaign)
    result = invoke("batch", "--size", "60", "--seed", "7", "-c", campaign)
    assert result.exit_code == 0, result.stderr
    assert "batches" in result.stdout
    for column in ("batch", "wijk", "aantal", "A", "B", "totaal"):
        assert column in result.stdout
    with open_ledger(campaign) as ledger:
        first = ledger.query("SELECT batch_id FROM batches ORDER BY neighbourhood, seq")[0][0]
        assert ledger.scalar("SELECT DISTINCT seed FROM batches") == 7
    assert first in result.stdout
