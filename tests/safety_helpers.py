"""Shared by the bad-input, fuzz, injection, leak and crash tests: snapshots and scanners."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import stat
from pathlib import Path
from typing import Any

LEDGER = "kansen.sqlite"
BSN_RUN = re.compile(r"(?<!\d)\d{9}(?!\d)")
# SHA-256 digests and HMAC pseudonyms (`ps-` + 24 hex) are long hex strings holding letters; a
# nine-digit stretch inside one is chance, not a BSN.
HEX_DIGEST = re.compile(r"[0-9a-fA-F]{16,}")
# Columns holding the time a row was written: a re-run writes other times, the same facts.
TIME_COLUMNS = frozenset(
    {"created_at", "recorded_at", "planned_at", "loaded_at", "purged_at", "replaced_at", "applied_at"}
)


def elfproef(number: str) -> bool:
    if len(number) != 9 or not number.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0 and int(number) > 0


def bsns_in(text: str) -> list[str]:
    """Every nine-digit run in `text` that passes the elfproef: a BSN, or something just like one."""
    text = HEX_DIGEST.sub(lambda m: " " if re.search("[a-fA-F]", m.group()) else m.group(), text)
    return [m for m in BSN_RUN.findall(text) if elfproef(m)]


def tree(folder: Path) -> dict[str, tuple[str, int]]:
    """Relative path -> (sha256, mode) of every file and folder under `folder`."""
    out: dict[str, tuple[str, int]] = {}
    for path in sorted(Path(folder).rglob("*")):
        mode = stat.S_IMODE(path.lstat().st_mode)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        out[str(path.relative_to(folder))] = (digest, mode)
    return out


def ledger_dump(campaign_or_file: Path, skip_time: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, so two ledgers with the same content compare equal."""
    path = Path(campaign_or_file)
    if path.is_dir():
        path = path / LEDGER
    if not path.exists():
        return {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master"
                " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        dump: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables:
            cursor = db.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            keep = [i for i, n in enumerate(names) if not (skip_time and n in TIME_COLUMNS)]
            rows = [tuple(row[i] for i in keep) for row in cursor.fetchall()]
            dump[table] = sorted(rows, key=repr)
        dump["_user_version"] = [(db.execute("PRAGMA user_version").fetchone()[0],)]
        return dump
    finally:
        db.close()


def integrity_ok(campaign: Path) -> bool:
    db = sqlite3.connect(Path(campaign) / LEDGER)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()


ERROR_PREFIXES = ("kansen: fout:", "kansen: error:")  # Dutch (the default), English (--lang en)
INTERNAL_ERRORS = ("internal error", "interne fout")


def assert_clean_failure(result: Any, prefix: str | tuple[str, ...] = ERROR_PREFIXES) -> str:
    """Exit 1, one message line on stderr starting with `prefix`, no traceback anywhere."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-2000:]
    assert not any(text in output for text in INTERNAL_ERRORS), output[-2000:]
    assert result.exit_code == 1, (result.exit_code, output[-2000:])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr[-2000:]
    assert lines[0].startswith(prefix), lines[0][:500]
    return lines[0]


def assert_no_traceback(result: Any) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-2000:]
    assert not any(text in output for text in INTERNAL_ERRORS), output[-2000:]
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)


def run_cycle(
    invoke: Any,
    campaign: Path,
    register: Path,
    out: Path,
    formats: str = "html",
    batch_size: int = 20,
) -> tuple[str, list[tuple[str, Any]]]:
    """The whole cycle through the CLI, every export the tool has written into `out`.

    Returns the batch worked on and (command line, result) of every command, so a test can
    look at everything printed. Dates are laid out backwards from the tests' fixed today, as ingest demands.
    """
    import datetime as dt

    from dates import TODAY as today
    from kansen_cli.settings import load_settings
    from kansen_cli.simulate import fill_followup, fill_registration
    from kansen_cli.simulate_survey import fill_survey

    sent_on = today - dt.timedelta(days=40)
    ran: list[tuple[str, Any]] = []

    def run(*args: Any, ok: tuple[int, ...] = (0,)) -> Any:
        result = invoke(*args)
        line = " ".join(str(a) for a in args)
        ran.append((line, result))
        assert result.exit_code in ok, (line, result.stdout[-1500:], result.stderr[-1500:])
        return result

    run("init", campaign, "--preset", "groningen")
    run("check", register, "-c", campaign)
    run("select", register, "--as-of", "2026-10-01", "-c", campaign, "--out", out / "selectie.csv")
    run("select", register, "--as-of", "2026-10-01", "-c", campaign, "--out", out / "selectie.xlsx")
    run("batch", "--size", batch_size, "-c", campaign, "--files", out / "batches")
    for what in ("selection", "batches"):
        run("export", what, "-c", campaign, "--out", out / f"export-{what}.csv")
        run("export", what, "-c", campaign, "--out", out / f"export-{what}.xlsx")
    db = sqlite3.connect(campaign / LEDGER)
    try:
        batch = db.execute("SELECT batch_id FROM batches ORDER BY neighbourhood, seq LIMIT 1").fetchone()[0]
    finally:
        db.close()
    run("plan", batch, "--start", (sent_on + dt.timedelta(days=7)).isoformat(), "-c", campaign)
    run("letters", batch, "--format", formats, "--sent-on", sent_on.isoformat(), "-c", campaign)
    run("sheet", batch, "-c", campaign)
    settings = load_settings(campaign)
    blank = campaign / "sheets" / f"{batch}-registratie.xlsx"
    filled = campaign / "sheets" / f"{batch}-registratie-ingevuld.xlsx"
    fill_registration(blank, filled, seed=5, settings=settings, sent_on=sent_on, today=today)
    run("ingest", filled, "-c", campaign)
    due = today + dt.timedelta(days=200)
    run("followup", "--due", due.isoformat(), "-c", campaign)
    calls = campaign / "sheets" / f"nabellen-{due.isoformat()}.xlsx"
    if calls.exists():
        answered = calls.with_name(calls.stem + "-ingevuld.xlsx")
        fill_followup(calls, answered, seed=5, settings=settings, called_on=today)
        run("ingest", answered, "-c", campaign)
    run("survey", "--size", "5", "-c", campaign)
    fill_survey(
        campaign / "enquetes" / "enquete-1.xlsx",
        campaign / "enquetes" / "enquete-1-ingevuld.xlsx",
        seed=5,
        settings=settings,
        called_on=today,
    )
    run("ingest", campaign / "enquetes" / "enquete-1-ingevuld.xlsx", "-c", campaign)
    ledger_exports = ("appointments", "letters", "outcomes", "referrals", "followups", "history", "runs")
    for what in (*ledger_exports, "survey"):
        run("export", what, "-c", campaign, "--out", out / f"export-{what}.csv")
    run("report", "-c", campaign)
    run("report", "-c", campaign, "--format", "xlsx", "--out", out / "rapport.xlsx")
    run("report", "-c", campaign, "--format", "md", "--out", out / "rapport.md")
    return batch, ran
