"""Fault suite, ledger part (issue 17): two commands at once, storage faults, `--out` files.

Concurrency cases run two real `kansen` processes: one is held inside its write transaction by
the test-only hook KANSEN_TEST_PAUSE_IN_TRANSACTION (ledger/core.py) while the second runs.
Storage cases put the campaign on a small tmpfs (filled up, or remounted read-only); they are
skipped, with the reason, where the machine cannot mount one. Every case ends in one of the two
ways `fault_helpers` allows: it copes, or it stops cleanly with the ledger and files as before.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaign_helpers import make_campaign
from dates import TODAY
from fault_helpers import (
    assert_no_process_left,
    assert_stopped_cleanly,
    fill_disk,
    kansen_process,
    kill_group,
    read_only,
    run_kansen,
    small_disk,
    wait_for_mark,
)
from kansen_cli.cli import app
from safety_helpers import integrity_ok, ledger_dump, tree

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

KEY = "fault-test-pseudonym-key-0123456789"
AS_OF = "2026-10-01"
SENT_ON = TODAY - dt.timedelta(days=40)
PAUSE_ENV = "KANSEN_TEST_PAUSE_IN_TRANSACTION"
LOCK_WAIT_ENV = "KANSEN_LOCK_WAIT"
PAUSE_MARK = "KANSEN_TEST: paused in transaction"
WAITING = "another kansen command is working in this campaign"


# ---------------------------------------------------------------------------- campaign states


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory, small_register: Path) -> dict:
    """Template campaigns, one per state a command starts from (built in-process, fast)."""
    from kansen_cli.settings import load_settings
    from kansen_cli.simulate import fill_registration

    root = tmp_path_factory.mktemp("fault-ledger")
    runner = CliRunner()
    work = root / "work"

    def run(*args: object) -> None:
        result = runner.invoke(app, [str(a) for a in args], env={"KANSEN_PSEUDONYM_KEY": KEY})
        assert result.exit_code == 0, (args, result.stdout[-800:], result.stderr[-800:])

    def snapshot(name: str) -> Path:
        shutil.copytree(work, root / name, symlinks=True)
        return root / name

    found: dict = {"register": small_register}
    run("init", work, "--preset", "groningen")
    found["init"] = snapshot("init")
    run("select", small_register, "--as-of", AS_OF, "-c", work)
    found["selected"] = snapshot("selected")
    run("batch", "--size", "40", "-c", work)
    found["batched"] = snapshot("batched")
    with sqlite3.connect(work / "kansen.sqlite") as db:
        batch = db.execute(
            "SELECT batch_id FROM batch_members GROUP BY batch_id HAVING count(*) >= 10"
            " ORDER BY count(*), batch_id LIMIT 1"
        ).fetchone()[0]
        found["names"] = [r[0] for r in db.execute("SELECT surname FROM people") if r[0]]
    found["batch"] = batch
    run("plan", batch, "--start", (SENT_ON + dt.timedelta(days=7)).isoformat(), "-c", work)
    found["planned"] = snapshot("planned")
    run("letters", batch, "--sent-on", SENT_ON.isoformat(), "--format", "html", "-c", work)
    run("sheet", batch, "-c", work)
    filled = root / "filled.xlsx"
    fill_registration(
        work / "sheets" / f"{batch}-registratie.xlsx",
        filled,
        seed=4,
        settings=load_settings(work),
        sent_on=SENT_ON,
        today=TODAY,
    )
    found["filled"] = filled
    found["invited"] = snapshot("invited")
    run("ingest", filled, "-c", work)
    found["ingested"] = snapshot("ingested")
    return found


def fresh(states: dict, name: str, folder: Path) -> Path:
    shutil.copytree(states[name], folder, symlinks=True)
    return folder


def invoke(*args: object, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(app, [str(a) for a in args], env={"KANSEN_PSEUDONYM_KEY": KEY, **(env or {})})


def pause_env(seconds: float) -> dict[str, str]:
    """The first process pauses in its transaction; long enough for a second one to start up
    (imports, reading the register) on a busy machine and meet it there."""
    return {PAUSE_ENV: str(seconds), "KANSEN_PSEUDONYM_KEY": KEY}


def no_pause() -> dict[str, str]:
    """The second process: no pause of its own (the first one's is in the inherited env)."""
    return {PAUSE_ENV: "", "KANSEN_PSEUDONYM_KEY": KEY}


# ---------------------------------------------------------------------------- concurrency


@pytest.mark.slow
@pytest.mark.fault("concurrency")
def test_select_while_batch_commits_sees_the_batched_people(states, tmp_path: Path) -> None:
    """Issue 17: select read who was approached before its transaction, so people batched by a
    `kansen batch` committing meanwhile were selected again."""
    campaign = fresh(states, "selected", tmp_path / "c")
    holder = kansen_process(["batch", "--size", "40", "-c", campaign], pause_env(12), log=tmp_path / "batch")
    try:
        wait_for_mark(tmp_path / "batch.err", PAUSE_MARK, holder)
        second = run_kansen(
            ["select", states["register"], "--as-of", AS_OF, "-c", campaign, "--json"], env=no_pause()
        )
        assert holder.wait(timeout=120) == 0
    finally:
        kill_group(holder)
    assert second.exit_code == 0, second.stderr
    assert second.stderr.count(WAITING) == 1, second.stderr
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        batched = db.execute("SELECT count(*) FROM batch_members").fetchone()[0]
    assert batched > 0
    result = json.loads(second.stdout)
    # Everyone selected before was batched by the first command: nobody is new now.
    assert result["selected"] == 0, result["funnel"]
    assert result["funnel"]["already_approached"] == batched
    assert integrity_ok(campaign)


@pytest.mark.slow
@pytest.mark.fault("concurrency")
def test_two_batches_at_once_batch_everyone_once(states, tmp_path: Path) -> None:
    """Issue 17: two `kansen batch` at once ended in an internal error (IntegrityError)."""
    campaign = fresh(states, "selected", tmp_path / "c")
    holder = kansen_process(["batch", "--size", "40", "-c", campaign], pause_env(12), log=tmp_path / "batch")
    try:
        wait_for_mark(tmp_path / "batch.err", PAUSE_MARK, holder)
        second = run_kansen(["batch", "--size", "40", "-c", campaign, "--json"], env=no_pause())
        assert holder.wait(timeout=120) == 0
    finally:
        kill_group(holder)
    assert_stopped_cleanly(second, codes=(0,))
    assert second.stderr.count(WAITING) == 1, second.stderr
    assert json.loads(second.stdout)["batched"] == 0
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        people = db.execute("SELECT count(*) FROM people").fetchone()[0]
        members = db.execute("SELECT count(*), count(DISTINCT client_id) FROM batch_members").fetchone()
    assert members == (people, people)


@pytest.mark.slow
@pytest.mark.fault("concurrency")
def test_a_second_writer_waits_a_bounded_time_then_stops_cleanly(states, tmp_path: Path) -> None:
    """Issue 17: the second writer failed after 30 s with an internal error (OperationalError)."""
    campaign = fresh(states, "batched", tmp_path / "c")
    before = ledger_dump(campaign)
    holder = kansen_process(
        ["plan", states["batch"], "--start", TODAY.isoformat(), "--force", "-c", campaign],
        pause_env(30),
        log=tmp_path / "plan",
    )
    try:
        wait_for_mark(tmp_path / "plan.err", PAUSE_MARK, holder)
        second = run_kansen(
            ["select", states["register"], "--as-of", AS_OF, "-c", campaign],
            env={**no_pause(), LOCK_WAIT_ENV: "1"},
        )
    finally:
        kill_group(holder)
    end = assert_stopped_cleanly(second, names=states["names"], says=WAITING)
    assert end.stderr.count(WAITING) == 2, end.stderr  # "waiting …", then the error naming it
    assert "not a kansen ledger" not in end.output
    assert ledger_dump(campaign) == before  # the killed holder rolled back; the second wrote nothing
    assert_no_process_left(holder)


@pytest.mark.slow
@pytest.mark.fault("concurrency")
def test_plan_while_the_letters_are_recorded_sees_them(states, tmp_path: Path) -> None:
    """plan read whether the letters went out before its transaction: run while `kansen letters`
    was committing, it replaced the appointments the posted letters name."""
    campaign = fresh(states, "planned", tmp_path / "c")
    batch = states["batch"]
    letters = ["letters", batch, "--sent-on", SENT_ON.isoformat(), "--format", "html", "-c", campaign]
    holder = kansen_process(letters, pause_env(12), log=tmp_path / "letters")
    try:
        wait_for_mark(tmp_path / "letters.err", PAUSE_MARK, holder)
        with sqlite3.connect(campaign / "kansen.sqlite") as db:
            planned = sorted(db.execute("SELECT * FROM appointments WHERE batch_id = ?", (batch,)).fetchall())
        second = run_kansen(
            ["plan", batch, "--start", (SENT_ON + dt.timedelta(days=21)).isoformat(), "-c", campaign],
            env=no_pause(),
        )
        assert holder.wait(timeout=120) == 0
    finally:
        kill_group(holder)
    assert_stopped_cleanly(second, names=states["names"], says="went out")
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        after = sorted(db.execute("SELECT * FROM appointments WHERE batch_id = ?", (batch,)).fetchall())
    assert after == planned  # the letters' appointments stand


@pytest.mark.slow
@pytest.mark.fault("concurrency")
def test_a_reader_works_while_a_writer_is_in_its_transaction(states, tmp_path: Path) -> None:
    campaign = fresh(states, "selected", tmp_path / "c")
    expected = invoke("export", "selection", "-c", campaign)
    holder = kansen_process(["batch", "--size", "40", "-c", campaign], pause_env(20), log=tmp_path / "batch")
    try:
        wait_for_mark(tmp_path / "batch.err", PAUSE_MARK, holder)
        reader = run_kansen(["export", "selection", "-c", campaign], env={**no_pause(), LOCK_WAIT_ENV: "5"})
    finally:
        kill_group(holder)
    assert reader.exit_code == 0, reader.stderr
    assert reader.stdout == expected.stdout  # type: ignore[attr-defined]


@pytest.mark.fault("concurrency")
def test_a_reader_never_takes_a_locked_ledger_for_a_damaged_one(states, tmp_path: Path, monkeypatch) -> None:
    """Issue 17: a reader got "not a kansen ledger (not an SQLite database)" when it was only locked."""
    campaign = fresh(states, "ingested", tmp_path / "c")
    monkeypatch.setenv(LOCK_WAIT_ENV, "0.5")
    holder = sqlite3.connect(campaign / "kansen.sqlite", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # what a writer holds while it commits
        for args in (["export", "batches"], ["report", "--format", "json"]):
            result = invoke(*args, "-c", campaign)
            end = assert_stopped_cleanly(result, names=states["names"], says=WAITING)
            assert "not a kansen ledger" not in end.output
    finally:
        holder.rollback()
        holder.close()


@pytest.mark.fault("concurrency")
def test_the_wait_is_said_once_through_the_callback(states, tmp_path: Path, monkeypatch) -> None:
    """Workflows never print: the ledger calls `on_wait`, which the CLI supplies."""
    from kansen_cli.errors import LedgerBusyError
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import batch

    campaign = fresh(states, "selected", tmp_path / "c")
    monkeypatch.setenv(LOCK_WAIT_ENV, "0.3")
    said: list[float] = []
    holder = sqlite3.connect(campaign / "kansen.sqlite", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(LedgerBusyError):
            batch.run(campaign, load_settings(campaign), size=40, on_wait=said.append)
    finally:
        holder.rollback()
        holder.close()
    assert said == [0.3]


# ---------------------------------------------------------------------------- --out files


@pytest.mark.slow
@pytest.mark.fault("files")
def test_ctrl_c_during_select_out_leaves_no_file_and_the_rerun_works(states, tmp_path: Path) -> None:
    """Issue 17: "nothing was recorded", but the --out file stayed and the rerun was refused."""
    campaign = fresh(states, "batched", tmp_path / "c")
    before = ledger_dump(campaign)
    out = campaign / "out" / "selectie.csv"
    args = ["select", states["register"], "--as-of", AS_OF, "--out", out, "-c", campaign]
    proc = kansen_process(args, pause_env(30), log=tmp_path / "select")
    try:
        wait_for_mark(tmp_path / "select.err", PAUSE_MARK, proc)
        os.kill(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=60) == 130
    finally:
        kill_group(proc)
    assert "nothing was recorded" in (tmp_path / "select.err").read_text()
    assert not out.exists()
    assert not list(campaign.rglob("*.part"))
    assert ledger_dump(campaign) == before
    again = invoke(*args)
    assert again.exit_code == 0, again.stderr  # type: ignore[attr-defined]
    assert out.exists()


@pytest.mark.fault("files")
def test_select_out_is_written_without_holding_the_ledger(states, tmp_path: Path, monkeypatch) -> None:
    """Issue 17: `select --out` wrote its file inside the transaction, holding the lock for minutes."""
    import kansen_cli.files as files

    campaign = fresh(states, "batched", tmp_path / "c")
    locked: list[bool] = []
    real = files.write_table

    def watched(path, frame, force=False, sheet="data"):
        probe = sqlite3.connect(campaign / "kansen.sqlite", timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            locked.append(False)
        except sqlite3.OperationalError:
            locked.append(True)
        finally:
            probe.close()
        return real(path, frame, force, sheet)

    monkeypatch.setattr(files, "write_table", watched)
    out = tmp_path / "selectie.xlsx"
    result = invoke("select", states["register"], "--as-of", AS_OF, "--out", out, "-c", campaign)
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert locked == [False]
    assert out.exists()


@pytest.mark.fault("files")
def test_batch_files_of_a_rolled_back_batch_are_removed(states, tmp_path: Path, monkeypatch) -> None:
    """A failure after the batch files were written, before COMMIT: no file stays behind."""
    from kansen_cli.ledger import core

    campaign = fresh(states, "selected", tmp_path / "c")
    before = ledger_dump(campaign)
    folder = campaign / "batches"

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(core, "_test_pause", interrupted)
    args = ["batch", "--size", "40", "--files", folder, "-c", campaign]
    assert invoke(*args).exit_code == 130  # type: ignore[attr-defined]
    assert not list(folder.glob("*")) if folder.exists() else True
    assert ledger_dump(campaign) == before
    monkeypatch.undo()
    again = invoke(*args)
    assert again.exit_code == 0, again.stderr  # type: ignore[attr-defined]
    assert list(folder.glob("*.csv"))


# ---------------------------------------------------------------------------- damaged ledgers


def damage(campaign: Path) -> None:
    """Random bytes over a page in the middle of the ledger (header and schema page intact)."""
    import random

    path = campaign / "kansen.sqlite"
    with sqlite3.connect(path) as db:
        page = db.execute("PRAGMA page_size").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    rng = random.Random(17)
    with open(path, "r+b") as handle:
        for number in (pages // 2, pages // 2 + 1):
            handle.seek(number * page)
            handle.write(bytes(rng.randrange(256) for _ in range(page)))


@pytest.mark.fault("storage")
@pytest.mark.parametrize(
    "args",
    [
        ["report", "--format", "json"],
        ["batch", "--size", "40"],
        ["select", "{register}", "--as-of", AS_OF],
        ["ingest", "{filled}"],
        ["purge", "--older-than", "1", "--as-of", "2099-01-01"],
    ],
    ids=["report", "batch", "select", "ingest", "purge"],
)
def test_a_damaged_ledger_is_named_and_left_alone(states, tmp_path: Path, args: list[str]) -> None:
    """Issue 17: report and batch crashed (DatabaseError); select and ingest carried on."""
    campaign = fresh(states, "invited", tmp_path / "c")
    damage(campaign)
    before = (campaign / "kansen.sqlite").read_bytes()
    argv = [a.format(register=states["register"], filled=states["filled"]) for a in args]
    result = invoke(*argv, "-c", campaign)
    assert_stopped_cleanly(result, names=states["names"], says="damaged")
    assert (campaign / "kansen.sqlite").read_bytes() == before


@pytest.mark.fault("storage")
@pytest.mark.parametrize(
    "args",
    [
        ["select", "{register}", "--as-of", AS_OF],
        ["batch", "--size", "40"],
        ["report", "--format", "json"],
        ["init", "{campaign}", "--force"],
    ],
    ids=["select", "batch", "report", "init"],
)
def test_a_zero_byte_ledger_is_refused(states, tmp_path: Path, args: list[str]) -> None:
    """Issue 17: a zero-byte ledger was silently taken as empty."""
    campaign = tmp_path / "c"
    campaign.mkdir()
    shutil.copy(states["init"] / "kansen.toml", campaign / "kansen.toml")
    (campaign / "kansen.sqlite").touch()
    argv = [a.format(register=states["register"], campaign=campaign) for a in args]
    result = invoke(*argv, "-c", campaign) if args[0] != "init" else invoke(*argv)
    assert_stopped_cleanly(result, says="empty")
    assert (campaign / "kansen.sqlite").stat().st_size == 0


def test_a_new_ledger_appears_whole(tmp_path: Path) -> None:
    """The ledger kansen makes is never a zero-byte file, even for a moment: made aside, moved in."""
    from kansen_cli.ledger import open_ledger

    campaign = make_campaign(tmp_path / "c")
    with open_ledger(campaign, create=True) as ledger:
        assert ledger.scalar("SELECT count(*) FROM schema_migrations") > 0
    assert (campaign / "kansen.sqlite").stat().st_size > 0
    assert (campaign / "kansen.sqlite").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in campaign.iterdir()) == ["kansen.sqlite", "kansen.toml"]


# ---------------------------------------------------------------------------- rollback


@pytest.mark.fault("storage")
def test_the_cause_is_reported_when_sqlite_already_rolled_back(tmp_path: Path) -> None:
    """Issue 17: on a full disk SQLite rolls back itself; the ROLLBACK then failed and hid the cause."""
    from kansen_cli.ledger import open_ledger

    with open_ledger(make_campaign(tmp_path), create=True) as ledger:
        with pytest.raises(Exception) as raised, ledger.transaction() as db:
            db.execute("CREATE TABLE t (x)")
            db.execute("ROLLBACK")  # what SQLite does by itself on SQLITE_FULL
            raise sqlite3.OperationalError("database or disk is full")
        assert "disk is full" in str(raised.value) or "full" in str(raised.value.__cause__)
        assert not ledger.db.in_transaction
        assert ledger.scalar("SELECT count(*) FROM sqlite_master WHERE name = 't'") == 0


# ---------------------------------------------------------------------------- full disk, read-only


def on_disk(states: dict, name: str, mount: Path) -> Path:
    """The campaign of state `name` on the tmpfs, with the files it refers to beside it."""
    campaign = fresh(states, name, mount / "c")
    shutil.copy(states["filled"], mount / "filled.xlsx")
    return campaign


STORAGE_COMMANDS = {
    "select": ("batched", ["select", "{register}", "--as-of", AS_OF, "--out", "{c}/out/selectie.csv"]),
    "select-ledger": ("batched", ["select", "{register}", "--as-of", AS_OF]),
    "letters": ("planned", ["letters", "{batch}", "--sent-on", SENT_ON.isoformat(), "--format", "html"]),
    "ingest": ("invited", ["ingest", "{filled}"]),
    "purge": ("ingested", ["purge", "--older-than", "1", "--as-of", "2099-01-01"]),
    "sheet": ("invited", ["sheet", "{batch}", "--force"]),
    "batch": ("selected", ["batch", "--size", "40", "--files", "{c}/batches"]),
}


def storage_argv(states: dict, args: list[str], campaign: Path, mount: Path) -> list[str]:
    values = {
        "register": str(states["register"]),
        "batch": states["batch"],
        "filled": str(mount / "filled.xlsx"),
        "c": str(campaign),
    }
    return [a.format(**values) for a in args] + ["-c", str(campaign)]


@pytest.mark.fault("storage")
@pytest.mark.parametrize("name", ["select", "select-ledger", "letters", "ingest", "purge", "batch"])
def test_a_full_disk_is_named_and_changes_nothing(states, tmp_path: Path, name: str) -> None:
    """Issue 17: a full disk ended in an internal error (the ROLLBACK hid SQLITE_FULL)."""
    start, args = STORAGE_COMMANDS[name]
    with small_disk(tmp_path / "disk", "24m") as mount:
        campaign = on_disk(states, start, mount)
        argv = storage_argv(states, args, campaign, mount)
        before, files = ledger_dump(campaign), tree(campaign)
        fill_disk(mount, leave=4096)
        result = invoke(*argv)
        assert_stopped_cleanly(result, names=states["names"], says="full")
        assert ledger_dump(campaign) == before
        assert tree(campaign) == files
        assert integrity_ok(campaign)


@pytest.mark.fault("storage")
@pytest.mark.parametrize("name", ["select", "letters", "ingest", "purge", "sheet", "batch"])
def test_a_read_only_campaign_folder_is_named_and_changes_nothing(states, tmp_path: Path, name: str) -> None:
    """Issue 17: a read-only campaign folder ended in an internal error (select, ingest, sheet)."""
    start, args = STORAGE_COMMANDS[name]
    with small_disk(tmp_path / "disk", "24m") as mount:
        campaign = on_disk(states, start, mount)
        argv = storage_argv(states, args, campaign, mount)
        before, files = ledger_dump(campaign), tree(campaign)
        with read_only(mount):
            result = invoke(*argv)
        assert_stopped_cleanly(result, names=states["names"], says="read-only")
        assert ledger_dump(campaign) == before
        assert tree(campaign) == files


@pytest.mark.fault("storage")
def test_permission_denied_is_named(states, tmp_path: Path, monkeypatch) -> None:
    """As root, chmod does not refuse: the refusal is injected where files are made."""
    import tempfile

    campaign = fresh(states, "invited", tmp_path / "c")

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(campaign / "sheets" / "x.part"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = invoke("sheet", states["batch"], "--force", "-c", campaign)
    end = assert_stopped_cleanly(result, names=states["names"], says="permission")
    assert "x.part" not in end.output
