"""Fault suite, letters (issue 17): hostile templates, symbolic links, the ledger locked, signals.

Each case ends as `fault_helpers` says a command may end under a fault: it copes, or it stops
cleanly (one "kansen: error:" line, no traceback, nothing personal) with the ledger and the
files as before, and no process of it left running.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from campaign_helpers import make_campaign
from fault_helpers import (
    assert_no_process_left,
    assert_stopped_cleanly,
    group_alive,
    kansen_process,
    kill_group,
    run_kansen,
    wait_for_children,
)
from safety_helpers import integrity_ok, ledger_dump, tree

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

SENT_ON = "2026-10-26"
BATCH = "hoogkerk-1"  # 7 people, 4 with letter A and 3 with B (batches of 50 on the small register)
SECRET = "pseudonym-key-kept-outside-the-campaign-0123456789"


def _surnames(campaign: Path, batch: str) -> list[str]:
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        rows = db.execute(
            "SELECT p.surname FROM people p JOIN batch_members m USING (client_id) WHERE m.batch_id = ?",
            (batch,),
        ).fetchall()
    return [r[0] for r in rows if r[0] and len(r[0]) >= 4]


@pytest.fixture(scope="module")
def planned_template(tmp_path_factory, small_register) -> Path:
    """A campaign with batches of about 50 and a plan for hoogkerk-1, made once."""
    from typer.testing import CliRunner

    from kansen_cli.cli import app

    runner = CliRunner()
    folder = make_campaign(tmp_path_factory.mktemp("fault-letters") / "campaign")
    for args in (
        ["select", str(small_register), "--as-of", "2026-10-01"],
        ["batch", "--size", "50"],
        ["plan", BATCH, "--start", "2026-11-02"],
    ):
        result = runner.invoke(app, [*args, "--campaign", str(folder)])
        assert result.exit_code == 0, result.stderr
    return folder


@pytest.fixture
def planned(planned_template, tmp_path) -> Path:
    folder = tmp_path / "campaign"
    shutil.copytree(planned_template, folder, symlinks=True)
    return folder


@pytest.fixture
def secret(tmp_path) -> Path:
    """A pseudonym key beside the campaign, where the settings tell users to keep it."""
    path = tmp_path / "pseudonym.key"
    path.write_text(SECRET)
    path.chmod(0o600)
    return path


def own_template(campaign: Path, name: str, text: str) -> Path:
    folder = campaign / "templates" / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder / name


def variant(block: str, name: str = "intro") -> str:
    return '{% extends "base.html.j2" %}{% block ' + name + " %}" + block + "{% endblock %}"


def _no_letters_and_ledger_as_before(campaign: Path, before: dict) -> None:
    assert not (campaign / "letters").exists() or not any((campaign / "letters").rglob("*.*"))
    assert ledger_dump(campaign) == before
    assert integrity_ok(campaign)


def _nothing_holds(folder: Path, secret_text: str) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.suffix != ".sqlite":
            assert secret_text.encode() not in path.read_bytes(), path


# ---------------------------------------------------------------------------- templates


HOSTILE_URLS = {
    "attachment": '<link rel="attachment" href="{url}">',
    "image": '<img src="{url}" alt="">',
    "css": "<div style=\"background: url('{url}')\">x</div>",
}


@pytest.mark.fault("template")
@pytest.mark.parametrize("kind", sorted(HOSTILE_URLS))
def test_a_template_cannot_embed_a_file_outside_the_template_folders(invoke, planned, secret, kind) -> None:
    before = ledger_dump(planned)
    own_template(planned, "A.html.j2", variant(HOSTILE_URLS[kind].format(url=secret.as_uri())))
    result = invoke("letters", BATCH, "--sent-on", SENT_ON, "-c", planned)
    end = assert_stopped_cleanly(result, names=_surnames(planned, BATCH))
    assert "A.html.j2" in end.stderr
    assert SECRET not in end.output
    _no_letters_and_ledger_as_before(planned, before)
    _nothing_holds(planned, SECRET)


@pytest.mark.fault("template")
def test_the_house_style_cannot_load_a_file_outside(invoke, planned, secret) -> None:
    before = ledger_dump(planned)
    own_template(planned, "huisstijl.css", f"body {{ background: url('{secret.as_uri()}'); }}")
    result = invoke("letters", BATCH, "--sent-on", SENT_ON, "-c", planned)
    end = assert_stopped_cleanly(result, names=_surnames(planned, BATCH))
    assert "huisstijl.css" in end.stderr
    _no_letters_and_ledger_as_before(planned, before)


@pytest.mark.fault("template")
def test_a_template_cannot_reach_the_network(invoke, planned) -> None:
    before = ledger_dump(planned)
    # Port 9 (discard) on this machine: a test that never depends on a network being there.
    own_template(planned, "B.html.j2", variant('<img src="http://127.0.0.1:9/pixel.png" alt="">'))
    result = invoke("letters", BATCH, "--sent-on", SENT_ON, "-c", planned)
    end = assert_stopped_cleanly(result, names=_surnames(planned, BATCH))
    assert "B.html.j2" in end.stderr and "network" in end.stderr
    _no_letters_and_ledger_as_before(planned, before)


@pytest.mark.fault("template")
def test_a_symbolic_link_in_the_template_folder_does_not_lead_outside(invoke, planned, secret) -> None:
    before = ledger_dump(planned)
    folder = own_template(planned, "A.html.j2", variant('<img src="stempel.png" alt="">')).parent
    (folder / "stempel.png").symlink_to(secret)
    uri = (folder / "stempel.png").as_uri()
    (folder / "A.html.j2").write_text(variant(f'<img src="{uri}" alt="">'))
    result = invoke("letters", BATCH, "--sent-on", SENT_ON, "-c", planned)
    end = assert_stopped_cleanly(result, names=_surnames(planned, BATCH))
    assert "A.html.j2" in end.stderr
    _no_letters_and_ledger_as_before(planned, before)


@pytest.mark.fault("template")
@pytest.mark.parametrize("name", ["geheim.html.j2", "logo.png"])
def test_an_included_template_or_logo_linked_outside_is_refused(invoke, planned, secret, name) -> None:
    before = ledger_dump(planned)
    folder = own_template(planned, "A.html.j2", variant('{% include "geheim.html.j2" %}')).parent
    if name == "logo.png":
        (folder / "A.html.j2").unlink()
    (folder / name).symlink_to(secret)
    result = invoke("letters", BATCH, "--format", "pdf,html", "--sent-on", SENT_ON, "-c", planned)
    end = assert_stopped_cleanly(result, names=_surnames(planned, BATCH))
    assert name in end.stderr
    _no_letters_and_ledger_as_before(planned, before)
    _nothing_holds(planned, SECRET)


@pytest.mark.fault("template")
def test_a_file_in_the_campaign_template_folder_may_be_used(invoke, planned) -> None:
    """The fence lets through what is inside it: a stamp image in the campaign's own folder."""
    from PIL import Image

    folder = own_template(planned, "A.html.j2", "").parent
    Image.new("RGB", (40, 20), (200, 0, 0)).save(folder / "stempel.png")
    (folder / "A.html.j2").write_text(variant(f'<img src="{(folder / "stempel.png").as_uri()}" alt="">'))
    result = invoke("letters", BATCH, "--sent-on", SENT_ON, "-c", planned)
    assert result.exit_code == 0, result.stderr
    pdf = PdfReader(planned / "letters" / BATCH / f"{BATCH}.pdf")
    # Seven letters; a person whose language has a translation gets it on a page of its own.
    dutch = [page for page in pdf.pages if re.search(r"\b(Beste|Geachte)\b", page.extract_text())]
    assert len(dutch) == 7
    assert any(page.images for page in pdf.pages)  # the packaged letters have no image


SANDBOX_ABUSE = {
    "escape": "{{ name.__class__.__mro__[1].__subclasses__() }}",
    "call": "{{ salutation.format.__globals__ }}",
    "range": "{% for i in range(10**8) %}{% endfor %}",
    "recursion": "{% macro deeper(n) %}{{ deeper(n + 1) }}{% endmacro %}{{ deeper(0) }}",
    "string": '{{ "x" * 10**8 }}',
    "power": "{{ 10 ** 100000000 }}",
    "join": "{{ range(9999)|join(range(9999)|join('x')) }}",
}


@pytest.mark.fault("template")
@pytest.mark.parametrize("kind", sorted(SANDBOX_ABUSE))
def test_sandbox_violations_and_resource_abuse_are_a_clear_error(invoke, planned, kind) -> None:
    before = ledger_dump(planned)
    own_template(planned, "B.html.j2", variant(SANDBOX_ABUSE[kind]))
    result = invoke("letters", BATCH, "--format", "pdf,html", "--sent-on", SENT_ON, "-c", planned)
    end = assert_stopped_cleanly(result, names=_surnames(planned, BATCH))
    assert "B.html.j2" in end.stderr
    assert len(end.stderr.strip().splitlines()) == 1, end.stderr
    _no_letters_and_ledger_as_before(planned, before)


# ---------------------------------------------------------------------------- files


@pytest.mark.fault("files")
def test_dry_run_never_deletes_through_a_symbolic_link(invoke, planned, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "thesis.docx").write_bytes(b"years of work")
    (elsewhere / f"{BATCH}.pdf").write_bytes(b"not kansen's")
    folder = planned / "letters" / BATCH
    folder.mkdir(parents=True)
    (folder / "proef").symlink_to(elsewhere, target_is_directory=True)
    before = tree(elsewhere)
    result = invoke("letters", BATCH, "--dry-run", "--sent-on", SENT_ON, "-c", planned)
    end = assert_stopped_cleanly(result, names=_surnames(planned, BATCH))
    assert "symbolic link" in end.stderr
    assert tree(elsewhere) == before
    assert (folder / "proef").is_symlink()


@pytest.mark.fault("files")
def test_dry_run_removes_only_its_own_sample_files(invoke, planned) -> None:
    folder = planned / "letters" / BATCH / "proef"
    folder.mkdir(parents=True)
    (folder / "notities.txt").write_text("the printer wants 90 g/m2")
    (folder / f"{BATCH}-oud.html").write_text("an old sample")  # a name kansen writes
    (folder / "ander-1.pdf").write_bytes(b"another batch: not this dry run's")
    result = invoke("letters", BATCH, "--dry-run", "--sent-on", SENT_ON, "-c", planned)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(["notities.txt", "ander-1.pdf", f"{BATCH}.pdf"])


@pytest.mark.fault("files")
def test_a_symlinked_letters_folder_is_refused(invoke, planned, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (planned / "letters").mkdir()
    (planned / "letters" / BATCH).symlink_to(elsewhere, target_is_directory=True)
    before = ledger_dump(planned)
    result = invoke("letters", BATCH, "--sent-on", SENT_ON, "-c", planned)
    end = assert_stopped_cleanly(result, names=_surnames(planned, BATCH))
    assert "symbolic link" in end.stderr
    assert list(elsewhere.iterdir()) == []
    assert ledger_dump(planned) == before


# ---------------------------------------------------------------------------- concurrency


def _hold_the_ledger(campaign: Path, other_batch: str, seconds: float, log: Path):
    """A real `kansen plan` of another batch, paused inside its write transaction."""
    proc = kansen_process(
        ["plan", other_batch, "--start", "2026-11-02", "--force", "-c", campaign],
        env={"KANSEN_TEST_PAUSE_IN_TRANSACTION": str(seconds)},
        log=log,
    )
    deadline = time.monotonic() + 60
    while "paused in transaction" not in log.with_suffix(".err").read_text(errors="replace"):
        assert proc.poll() is None, log.with_suffix(".err").read_text()
        assert time.monotonic() < deadline, "the holder never paused"
        time.sleep(0.05)
    return proc


@pytest.mark.slow
@pytest.mark.fault("concurrency")
def test_letters_again_while_the_ledger_is_locked_keep_the_posted_letters(planned, tmp_path) -> None:
    first = run_kansen(["letters", BATCH, "--format", "pdf,html", "--sent-on", SENT_ON, "-c", planned])
    assert first.exit_code == 0, first.stderr
    posted = tree(planned / "letters")
    before = ledger_dump(planned)
    holder = _hold_the_ledger(planned, "selwerd-1", 120, tmp_path / "holder")
    try:
        again = run_kansen(
            ["letters", BATCH, "--format", "pdf,html", "--sent-on", "2026-10-27", "--force", "-c", planned],
            env={"KANSEN_LOCK_WAIT": "5"},  # the bounded wait, shortened: the holder keeps the lock
            timeout=110,
        )
    finally:
        kill_group(holder)
    assert again.exit_code != 0, again.output
    # The posted letters are what the ledger says was sent: untouched.
    assert tree(planned / "letters") == posted
    assert ledger_dump(planned) == before
    assert integrity_ok(planned)
    assert_stopped_cleanly(again, names=_surnames(planned, BATCH), says="another kansen command")


@pytest.mark.slow
@pytest.mark.fault("concurrency")
def test_letters_wait_for_a_short_lock_and_then_agree_with_the_ledger(planned, tmp_path) -> None:
    first = run_kansen(["letters", BATCH, "--sent-on", SENT_ON, "-c", planned])
    assert first.exit_code == 0, first.stderr
    holder = _hold_the_ledger(planned, "selwerd-1", 3, tmp_path / "holder")
    try:
        again = run_kansen(["letters", BATCH, "--sent-on", "2026-10-27", "--force", "-c", planned])
        assert holder.wait(timeout=60) == 0
    finally:
        kill_group(holder)
    assert again.exit_code == 0, again.output
    with sqlite3.connect(planned / "kansen.sqlite") as db:
        sent = {r[0] for r in db.execute("SELECT sent_on FROM letters WHERE batch_id = ?", (BATCH,))}
    assert sent == {"2026-10-27"}
    text = PdfReader(planned / "letters" / BATCH / f"{BATCH}.pdf").pages[0].extract_text()
    assert "27 oktober 2026" in text
    assert [p.name for p in (planned / "letters" / BATCH).iterdir() if p.name.startswith(".")] == []


# ---------------------------------------------------------------------------- signals


@pytest.fixture(scope="module")
def big_batch(tmp_path_factory) -> tuple[Path, str]:
    """A campaign whose oosterpark-1 (114 people) is rendered on the worker pool."""
    from typer.testing import CliRunner

    from kansen_cli.cli import app
    from kansen_cli.sample_files import write_sample

    root = tmp_path_factory.mktemp("fault-signals")
    register = root / "register.csv"
    write_sample(register, rows=2000, seed=7)
    folder = make_campaign(root / "campaign")
    runner = CliRunner()
    for args in (
        ["select", str(register), "--as-of", "2026-10-01"],
        ["batch", "--size", "200"],
        ["plan", "oosterpark-1", "--start", "2026-11-02"],
    ):
        result = runner.invoke(app, [*args, "--campaign", str(folder)])
        assert result.exit_code == 0, result.stderr
    return folder, "oosterpark-1"


@pytest.mark.slow
@pytest.mark.fault("signals")
@pytest.mark.parametrize(
    ("signum", "code", "whole_group"),
    [(signal.SIGTERM, 143, False), (signal.SIGTERM, 143, True), (signal.SIGINT, 130, True)],
    ids=["sigterm", "sigterm-group", "ctrl-c"],
)
def test_a_signal_while_the_workers_render_stops_everything(
    big_batch, tmp_path, signum, code, whole_group
) -> None:
    template, batch = big_batch
    campaign = tmp_path / "campaign"
    shutil.copytree(template, campaign)
    before = ledger_dump(campaign)
    proc = kansen_process(
        ["letters", batch, "--sent-on", SENT_ON, "--workers", "2", "-c", campaign], log=tmp_path / "run"
    )
    try:
        assert wait_for_children(proc, 2, timeout=120), "the worker pool never started"
        if whole_group:
            os.killpg(proc.pid, signum)  # Ctrl-C in a terminal signals the whole foreground group
        else:
            os.kill(proc.pid, signum)  # `kill PID`, a service manager stopping the command
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            kill_group(proc)
    stderr = (tmp_path / "run.err").read_text(errors="replace")
    stdout = (tmp_path / "run.out").read_text(errors="replace")
    assert_no_process_left(proc)
    assert proc.returncode == code, stderr
    assert "nothing was recorded" in stderr
    assert "Traceback" not in stderr + stdout and "internal error" not in stderr
    assert ledger_dump(campaign) == before
    assert not (campaign / "letters").exists() or not any((campaign / "letters").rglob("*"))


@pytest.mark.slow
@pytest.mark.fault("signals")
def test_sigterm_in_the_transaction_restores_the_posted_letters(planned, tmp_path) -> None:
    first = run_kansen(["letters", BATCH, "--sent-on", SENT_ON, "-c", planned])
    assert first.exit_code == 0, first.stderr
    posted = tree(planned / "letters")
    before = ledger_dump(planned)
    proc = kansen_process(
        ["letters", BATCH, "--sent-on", "2026-10-27", "--force", "-c", planned],
        env={"KANSEN_TEST_PAUSE_IN_TRANSACTION": "60"},
        log=tmp_path / "run",
    )
    try:
        deadline = time.monotonic() + 60
        while "paused in transaction" not in (tmp_path / "run.err").read_text(errors="replace"):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            kill_group(proc)
    assert_no_process_left(proc)
    assert proc.returncode == 143, (tmp_path / "run.err").read_text()
    assert ledger_dump(planned) == before
    assert tree(planned / "letters") == posted
    assert not group_alive(proc.pid)
