"""Retention: `kansen purge` erases personal data and pseudonymises client ids, keeping figures.

The main check does not trust the code's idea of where people are: after a purge of everyone
in the demo campaign, it reads every table and every column SQLite lists and looks for the
register's client ids and the selected people's personal values, read from the register file
with plain `csv`.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaign_helpers import make_campaign
from kansen_cli.cli import app
from kansen_cli.errors import SettingsError
from kansen_cli.ledger import open_ledger, schema
from kansen_cli.ledger.migrations import Migration, event_queries
from kansen_cli.ledger.personal import client_id_columns, declared_personal
from kansen_cli.privacy import load_key, months_before, pseudonym
from kansen_cli.settings import PrivacySettings, load_settings
from kansen_cli.workflows import purge as purge_workflow

KEY = "correct horse battery staple 2026"
# Long after every event of any campaign a test builds.
FAR_FUTURE = dt.date(2099, 1, 1)

# Register columns (the sample's Dutch headers) -> what the scan calls them. Client ids and
# the distinctive values are looked for anywhere in a text; surnames and streets only as a
# whole value (a consultant "Bram Hoekstra" is staff, not the Hoekstra of the register).
ANYWHERE = {"Telefoonnummer": "phone", "E-mailadres": "e-mail", "Postcode": "postcode"}
WHOLE = {"Achternaam": "surname", "Straat": "street"}


# ---------------------------------------------------------------------------- the scan


def read_register(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def iso(dutch: str) -> str:
    day, month, year = dutch.split("-")
    return f"{year}-{month}-{day}"


def forbidden_values(register: Path, selected: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(value -> kind to find anywhere, value -> kind to find as a whole value)."""
    anywhere: dict[str, str] = {}
    whole: dict[str, str] = {}
    rows = read_register(register)
    for row in rows:
        if row["Klantnummer"]:
            anywhere[row["Klantnummer"]] = "client id"
        if row["Klantnummer"] not in selected:
            continue
        for column, kind in ANYWHERE.items():
            if row[column]:
                anywhere[row[column]] = kind
        if row["Geboortedatum"]:
            anywhere[row["Geboortedatum"]] = anywhere[iso(row["Geboortedatum"])] = "birth date"
        for column, kind in WHOLE.items():
            if row[column]:
                whole[row[column]] = kind
    # A surname can be a word the settings use for other reasons: the register's column
    # "Wijk" is also a surname, and the settings (stored with each run) name that column.
    for header in rows[0] if rows else ():
        whole.pop(header, None)
    return anywhere, whole


def json_leaves(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from json_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_leaves(item)
    elif value is not None:
        yield str(value)


def pieces(value: object) -> tuple[set[str], set[str]]:
    """(the words of a cell, with their alphanumeric parts; the cell and its JSON values)."""
    text = str(value)
    whole = {text}
    if text[:1] in ("{", "["):
        with contextlib.suppress(ValueError):
            whole |= set(json_leaves(json.loads(text)))
    words = set(re.findall(r"[^\s\"',;:()\[\]{}]+", text)) | set(re.findall(r"[0-9A-Za-z]+", text))
    return words | whole, whole


def leaks(db_path: Path, anywhere: dict[str, str], whole: dict[str, str]) -> list[str]:
    """'table.column: kind' for every column holding one of the forbidden values."""
    found: set[str] = set()
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cursor = db.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            for row in cursor:
                for name, value in zip(names, row, strict=True):
                    if value is None:
                        continue
                    words, values = pieces(value)
                    for hit in words & anywhere.keys():
                        found.add(f"{table}.{name}: {anywhere[hit]}")
                    for hit in values & whole.keys():
                        found.add(f"{table}.{name}: {whole[hit]}")
    finally:
        db.close()
    return sorted(found)


def people_ids(db_path: Path) -> set[str]:
    with sqlite3.connect(db_path) as db:
        return {r[0] for r in db.execute("SELECT client_id FROM people")}


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The scan itself, on a ledger-like file with one leak of each kind hidden in it."""
    register = tmp_path / "register.csv"
    header = "Klantnummer;Achternaam;Straat;Postcode;Geboortedatum;Telefoonnummer;E-mailadres"
    register.write_text(
        f"{header}\n2144108;Mulder;Van Houtenlaan;9714SB;01-01-1968;050-6952582;m.mulder@example.nl\n"
        "3000001;Smit;Dorpsstraat;9999ZZ;02-02-1970;06-1;s@example.nl\n",
        encoding="utf-8",
    )
    anywhere, whole = forbidden_values(register, {"2144108"})
    db_path = tmp_path / "x.sqlite"
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE a (note TEXT, data TEXT, who TEXT, n INTEGER)")
        db.execute(
            "INSERT INTO a VALUES ('called 050-6952582 twice', '{\"street\": \"Van Houtenlaan\"}',"
            " 'Bram Mulder', 3000001)"
        )
        db.execute("CREATE TABLE b (file TEXT, born TEXT, surname TEXT)")
        db.execute("INSERT INTO b VALUES ('batch-2144108.csv', '1968-01-01', 'Mulder')")
    assert leaks(db_path, anywhere, whole) == [
        "a.data: street",
        "a.n: client id",
        "a.note: phone",
        "b.born: birth date",
        "b.file: client id",
        "b.surname: surname",
    ]


# ---------------------------------------------------------------------------- the demo, purged


@pytest.fixture(scope="module")
def purged_demo(demo_run, tmp_path_factory: pytest.TempPathFactory):
    """A copy of the demo campaign, its report before and after purging everyone."""
    source, result = demo_run
    assert result.exit_code == 0, result.stderr[-2000:]
    campaign = tmp_path_factory.mktemp("purge") / "campaign"
    shutil.copytree(source, campaign)
    selected = people_ids(campaign / "kansen.sqlite")
    close_trajectories(campaign)
    runner = CliRunner()
    before = runner.invoke(app, ["report", "--json", "-c", str(campaign)])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KANSEN_PSEUDONYM_KEY", KEY)
        purged = purge_workflow.run(campaign, load_settings(campaign), older_than=1, today=FAR_FUTURE)
    after = runner.invoke(app, ["report", "--json", "-c", str(campaign)])
    assert before.exit_code == after.exit_code == 0, (before.stderr, after.stderr)
    return campaign, selected, purged, json.loads(before.stdout), json.loads(after.stdout)


def close_trajectories(campaign: Path) -> None:
    """End every open trajectory, as the programme would before erasing everyone: people still
    being coached are never purged (`test_trajectory_purge`)."""
    from kansen_cli.clock import today
    from kansen_cli.workflows import assign

    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        ids = [r[0] for r in db.execute("SELECT client_id FROM trajectories WHERE ended_on IS NULL")]
    assert ids, "the demo has people in a trajectory"
    assign.run(campaign, load_settings(campaign), today(), client_ids=ids, end="gestopt")


def test_purge_leaves_no_client_id_and_no_personal_value_in_any_column(purged_demo) -> None:
    campaign, selected, purged, _, _ = purged_demo
    register = campaign / "register.csv"
    anywhere, whole = forbidden_values(register, selected)
    assert len(selected) > 500 and len(anywhere) > len(selected)
    left = leaks(campaign / "kansen.sqlite", anywhere, whole)
    assert not left, "after the purge, still in the ledger: " + "; ".join(left)
    # Everyone in the register was in the selection run; everyone selected had personal data.
    assert purged.ids_pseudonymised == len({row["Klantnummer"] for row in read_register(register)})
    assert purged.people_purged == len(selected)


# What may stay of people once they are all purged: keys, codes, dates and record-keeping the
# figures are counted by. Written here, column by column, independently of the schema's own
# `personal` declarations: a column on neither list must be empty after the purge, so a new
# column holding people's data fails this test until it is purged (or listed here on purpose).
KEPT = {
    "schema_migrations": {"name", "applied_at"},
    "selection_runs": {"run_id", "created_at", "as_of", "years", "register_name", "register_sha256"}
    | {"settings_json", "rows", "funnel_json", "selected"},
    "run_rows": {"run_id", "row", "client_id", "neighbourhood", "bucket"},
    "people": {"client_id", "neighbourhood", "run_id", "purged_at"},
    "batches": {"batch_id", "neighbourhood", "seq", "run_id", "seed", "created_at", "invited_on"}
    | {"round", "parent_id"},
    "batch_members": {"client_id", "batch_id", "position", "variant"},
    "appointments": {"client_id", "batch_id", "date", "start", "end", "consultant", "planned_at"}
    | {"location", "room"},
    "letters": {"client_id", "batch_id", "variant", "sent_on", "recorded_at"},
    "outcomes": {"client_id", "batch_id", "contact_result", "conversation_date", "location"}
    | {"classification", "activity_types", "participation_potential", "referrals", "consent"}
    | {"source_file", "source_sha256", "loaded_at"},
    "referrals": {"client_id", "destination", "referred_on", "result", "result_date", "source_file"}
    | {"loaded_at"},
    "followups": {"client_id", "round", "call_date", "result", "mark", "source_file", "loaded_at"},
    "history": {"id", "kind", "client_id", "old_json", "replaced_at", "source_file"},
    "loaded_files": {"id", "sha256", "name", "kind", "batch_id", "loaded_at", "counts_json"},
    "surveys": {"survey_id", "created_at", "drawn_on", "seed", "size", "strata", "questions_json"},
    "survey_members": {"survey_id", "client_id", "grp", "stratum"},
    "survey_answers": {"survey_id", "client_id", "call_date", "result", "mark", "answers_json", "reason"}
    | {"source_file", "loaded_at"},
    # Trajectories (issue 13): everything but the goal descriptions and the contact notes.
    "trajectories": {"trajectory_id", "client_id", "started_on", "source", "ended_on", "end_reason"}
    | {"created_at"},
    "coach_assignments": {"id", "trajectory_id", "client_id", "coach", "coach_kind", "from_on", "until_on"}
    | {"assigned_at"},
    "goals": {"goal_id", "trajectory_id", "client_id", "domain", "set_on", "target_on", "baseline", "weight"}
    | {"source_file", "loaded_at"},
    "goal_scores": {"goal_id", "client_id", "reviewed_on", "score", "source_file", "loaded_at"},
    "ladder_steps": {"trajectory_id", "client_id", "on_date", "rung", "source_file", "loaded_at"},
    "contact_moments": {"trajectory_id", "client_id", "on_date", "kind", "coach", "source_file", "loaded_at"},
    # Contact routes (issue 12): who was tried is the client id; channel, round, dates, outcome
    # codes and the staff member who called are no data about the person.
    "contact_attempts": {"attempt_id", "client_id", "batch_id", "round", "channel", "on_date", "part_of_day"}
    | {"by_whom", "outcome", "callback_on", "source_file", "loaded_at"},
    "round_members": {"batch_id", "client_id", "position"},
}


def test_after_purging_everyone_only_the_kept_columns_hold_anything(purged_demo) -> None:
    campaign = purged_demo[0]
    filled: list[str] = []
    with sqlite3.connect(f"file:{campaign / 'kansen.sqlite'}?mode=ro", uri=True) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for (column,) in db.execute("SELECT name FROM pragma_table_info(?)", (table,)):
                if column in KEPT.get(table, set()):
                    continue
                values = db.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NOT NULL AND "{column}" != \'\''
                ).fetchone()[0]
                if values:
                    filled.append(f"{table}.{column} ({values} rows)")
    assert not filled, "personal data left after purging everyone: " + "; ".join(filled)


def test_past_reports_reproduce_exactly_after_purge(purged_demo) -> None:
    _, _, purged, before, after = purged_demo
    assert purged.people_purged > 0
    assert after == before


# ---------------------------------------------------------------------------- the declarations


def test_every_table_with_client_ids_dates_its_events_or_says_it_has_none(tmp_path: Path) -> None:
    make_campaign(tmp_path)
    """A new table's dates must not be missed silently by the purge's "last event"."""
    with open_ledger(tmp_path) as ledger:
        named = {
            table
            for (table,) in ledger.query("SELECT name FROM sqlite_master WHERE type = 'table'")
            for (column,) in ledger.query("SELECT name FROM pragma_table_info(?)", (table,))
            if column.endswith("client_id")
        }
        derived = set(client_id_columns(ledger.db))
    assert named <= derived
    assert derived <= set(event_queries(schema.MIGRATIONS)), "declare `events` for the new table"


def test_personal_declarations_name_real_columns_of_tables_with_client_ids(tmp_path: Path) -> None:
    make_campaign(tmp_path)
    with open_ledger(tmp_path) as ledger:
        declared = declared_personal(ledger.db, schema.MIGRATIONS)
        owners = client_id_columns(ledger.db)
    assert "surname" in declared["people"] and "neighbourhood" not in declared["people"]
    assert set(declared) <= set(owners)


WISHES = Migration(
    "0900_test_wishes",
    """
    CREATE TABLE wishes (
        wish_id         INTEGER PRIMARY KEY,
        client_id       TEXT NOT NULL REFERENCES people(client_id),
        coach_client_id TEXT,
        description     TEXT NOT NULL,
        set_on          TEXT NOT NULL
    );
    CREATE TABLE buddies (person TEXT REFERENCES people, since TEXT);
    """,
    personal={"wishes": ("description",)},
    events={"wishes": "SELECT client_id, set_on FROM wishes", "buddies": None},
)


def test_a_new_tables_free_text_and_client_ids_are_purged_too(batched: Path, monkeypatch) -> None:
    """A later migration's table: found by the schema, its declared free text erased, its
    dates counted as events."""
    monkeypatch.setenv("KANSEN_PSEUDONYM_KEY", KEY)
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, WISHES))
    old, recent, coach = sorted(people_ids(batched / "kansen.sqlite"))[:3]
    with open_ledger(batched) as ledger, ledger.transaction() as db:
        db.executemany(
            "INSERT INTO wishes (client_id, coach_client_id, description, set_on) VALUES (?, ?, ?, ?)",
            [
                (old, coach, "wil vrijwilligerswerk bij de voedselbank", "2026-11-01"),
                (recent, None, "taal", "2098-09-01"),
            ],
        )
        db.execute("INSERT INTO buddies VALUES (?, '2026-11-01')", (old,))
    # Cut-off 2098-07-01: after every other event, before the recent wish.
    result = purge_workflow.run(batched, load_settings(batched), 6, today=FAR_FUTURE)
    with sqlite3.connect(batched / "kansen.sqlite") as db:
        wishes = db.execute(
            "SELECT client_id, coach_client_id, description FROM wishes ORDER BY set_on"
        ).fetchall()
        buddy = db.execute("SELECT person FROM buddies").fetchone()[0]
    key = KEY.encode()
    # The recent wish keeps its person out of the purge; the old wish's text is erased.
    assert wishes == [(pseudonym(old, key), pseudonym(coach, key), ""), (recent, None, "taal")]
    assert buddy == pseudonym(old, key)
    assert result.people_purged == len(people_ids(batched / "kansen.sqlite")) - 1


# ---------------------------------------------------------------------------- pseudonyms and keys


def test_pseudonym_known_answer() -> None:
    # ps- + the first 24 hex digits of HMAC-SHA256(key, client id), computed once by hand with
    # Python's hmac and checked with `printf 0012345 | openssl dgst -sha256 -hmac '<key>'`.
    assert pseudonym("0012345", KEY.encode()) == "ps-e05617f58996aa78f6272154"
    # The client id is taken as UTF-8 (openssl on the UTF-8 bytes of 'K-77é').
    assert pseudonym("K-77é", KEY.encode()) == "ps-127e79d0b542a4223affa43f"


def test_pseudonym_is_stable_and_keyed() -> None:
    assert pseudonym("0012345", b"k" * 20) == pseudonym("0012345", b"k" * 20)
    assert pseudonym("0012345", b"k" * 20) != pseudonym("0012345", b"j" * 20)
    assert pseudonym("0012345", b"k" * 20) != pseudonym("0012346", b"k" * 20)
    assert "0012345" not in pseudonym("0012345", b"k" * 20)


def test_months_before_clips_to_month_end() -> None:
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_key_is_required_and_kept_out_of_the_campaign(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("KANSEN_PSEUDONYM_KEY", raising=False)
    with pytest.raises(SettingsError, match="KANSEN_PSEUDONYM_KEY"):
        load_key(PrivacySettings(), tmp_path)
    inside = tmp_path / "secret.txt"
    inside.write_text(KEY)
    with pytest.raises(SettingsError, match="staat in de campagnemap"):
        load_key(PrivacySettings(pseudonym_key_file=str(inside)), tmp_path)
    monkeypatch.setenv("KANSEN_PSEUDONYM_KEY", "short")
    with pytest.raises(SettingsError, match="korter dan 16 tekens"):
        load_key(PrivacySettings(), tmp_path)


# ---------------------------------------------------------------------------- the command


@pytest.fixture
def batched(invoke, small_register: Path, campaign: Path) -> Path:
    assert invoke("select", small_register, "--as-of", "2026-10-01", "-c", campaign).exit_code == 0
    assert invoke("batch", "--size", "40", "-c", campaign).exit_code == 0
    return campaign


def funnel_and_batches(db: Path) -> tuple[list, list]:
    with sqlite3.connect(db) as con:
        funnel = con.execute("SELECT bucket, count(*) FROM run_rows GROUP BY bucket ORDER BY 1").fetchall()
        batches = con.execute(
            "SELECT batch_id, variant, count(*) FROM batch_members GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
    return funnel, batches


def test_purge_erases_and_pseudonymises_everything(
    invoke, batched: Path, small_register: Path, monkeypatch
) -> None:
    monkeypatch.setenv("KANSEN_PSEUDONYM_KEY", KEY)
    db = batched / "kansen.sqlite"
    anywhere, whole = forbidden_values(small_register, people_ids(db))
    assert leaks(db, anywhere, whole) != []  # before: the ledger holds them, as it should
    before_figures = funnel_and_batches(db)
    result = invoke("purge", "--older-than", "6", "--as-of", "2099-01-01", "-c", batched, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "cutoff": "2098-07-01",
        "people_purged": len(people_ids(db)),
        "ids_pseudonymised": len({row["Klantnummer"] for row in read_register(small_register)}),
        "dry_run": False,
    }
    assert leaks(db, anywhere, whole) == []
    assert funnel_and_batches(db) == before_figures
    assert KEY.encode() not in db.read_bytes()
    assert KEY not in result.output
    # A second purge finds nothing more to do.
    again = purge_workflow.run(batched, load_settings(batched), 6, today=FAR_FUTURE)
    assert (again.people_purged, again.ids_pseudonymised) == (0, 0)


def test_recent_people_and_dry_run_are_untouched(invoke, batched: Path, monkeypatch) -> None:
    monkeypatch.setenv("KANSEN_PSEUDONYM_KEY", KEY)
    db = batched / "kansen.sqlite"
    before = db.read_bytes()
    settings = load_settings(batched)
    dry = invoke("purge", "--older-than", "1", "--as-of", "2099-01-01", "--dry-run", "-c", batched)
    assert dry.exit_code == 0 and "zouden worden gewist" in " ".join(dry.stdout.split())
    as_json = invoke(
        "purge", "--older-than", "1", "--as-of", "2099-01-01", "--dry-run", "-c", batched, "--json"
    )
    expected = purge_workflow.run(batched, settings, 1, today=FAR_FUTURE, dry_run=True)
    assert json.loads(as_json.stdout) == expected.as_json()
    assert expected.people_purged == len(people_ids(db)) > 0
    assert db.read_bytes() == before
    # --as-of defaults to today: the workflow's `today`, which the command takes from KANSEN_TODAY.
    monkeypatch.setenv("KANSEN_TODAY", "2027-01-01")
    recent = invoke("purge", "--older-than", "24", "-c", batched, "--json")
    assert json.loads(recent.stdout) == {
        "cutoff": "2025-01-01",
        "people_purged": 0,
        "ids_pseudonymised": 0,
        "dry_run": False,
    }
    assert db.read_bytes() == before


def test_purge_without_key_exits_1_with_a_clear_message(invoke, batched: Path, monkeypatch) -> None:
    monkeypatch.delenv("KANSEN_PSEUDONYM_KEY", raising=False)
    result = invoke("purge", "--older-than", "6", "-c", batched)
    assert result.exit_code == 1
    assert "KANSEN_PSEUDONYM_KEY" in result.stderr
    assert "Traceback" not in result.output
