"""Retention: `kansen purge` erases personal data and pseudonymises client ids, keeping figures."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kansen_cli.errors import SettingsError
from kansen_cli.ledger.purge import CLIENT_ID_TABLES, PERSONAL_COLUMNS
from kansen_cli.privacy import load_key, months_before, pseudonym
from kansen_cli.settings import PrivacySettings

KEY = "correct horse battery staple 2026"


@pytest.fixture
def batched(invoke, small_register: Path, campaign: Path) -> Path:
    assert invoke("select", small_register, "--as-of", "2026-10-01", "-c", campaign).exit_code == 0
    assert invoke("batch", "--size", "40", "-c", campaign).exit_code == 0
    return campaign


def client_ids(db: Path) -> dict[str, set[str]]:
    with sqlite3.connect(db) as con:
        return {
            t: {r[0] for r in con.execute(f"SELECT client_id FROM {t}") if r[0]} for t in CLIENT_ID_TABLES
        }


def funnel_and_batches(db: Path) -> tuple[list, list]:
    with sqlite3.connect(db) as con:
        funnel = con.execute("SELECT bucket, count(*) FROM run_rows GROUP BY bucket ORDER BY 1").fetchall()
        batches = con.execute(
            "SELECT batch_id, variant, count(*) FROM batch_members GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
    return funnel, batches


def test_pseudonym_is_stable_and_keyed() -> None:
    assert pseudonym("0012345", b"k" * 20) == pseudonym("0012345", b"k" * 20)
    assert pseudonym("0012345", b"k" * 20) != pseudonym("0012345", b"j" * 20)
    assert pseudonym("0012345", b"k" * 20) != pseudonym("0012346", b"k" * 20)
    assert "0012345" not in pseudonym("0012345", b"k" * 20)


def test_months_before_clips_to_month_end() -> None:
    import datetime as dt

    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_key_is_required_and_kept_out_of_the_campaign(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("KANSEN_PSEUDONYM_KEY", raising=False)
    with pytest.raises(SettingsError, match="KANSEN_PSEUDONYM_KEY"):
        load_key(PrivacySettings(), tmp_path)
    inside = tmp_path / "secret.txt"
    inside.write_text(KEY)
    with pytest.raises(SettingsError, match="inside the campaign folder"):
        load_key(PrivacySettings(pseudonym_key_file=str(inside)), tmp_path)
    monkeypatch.setenv("KANSEN_PSEUDONYM_KEY", "short")
    with pytest.raises(SettingsError, match="shorter"):
        load_key(PrivacySettings(), tmp_path)


def test_purge_erases_and_pseudonymises_everything(invoke, batched: Path, monkeypatch) -> None:
    monkeypatch.setenv("KANSEN_PSEUDONYM_KEY", KEY)
    db = batched / "kansen.sqlite"
    before_ids = client_ids(db)
    before_figures = funnel_and_batches(db)
    result = invoke("purge", "--older-than", "6", "--as-of", "2027-12-01", "-c", batched, "--json")
    assert result.exit_code == 0, result.output
    after_ids = client_ids(db)
    every_old_id = set().union(*before_ids.values())
    for table, ids in after_ids.items():
        assert not ids & every_old_id, table
        assert all(i.startswith("ps-") for i in ids), table
    with sqlite3.connect(db) as con:
        leftovers = con.execute(
            "SELECT count(*) FROM people WHERE " + " OR ".join(f"{c} IS NOT NULL" for c in PERSONAL_COLUMNS)
        ).fetchone()[0]
    assert leftovers == 0
    assert funnel_and_batches(db) == before_figures
    assert KEY.encode() not in db.read_bytes()
    assert KEY not in result.output
    # A second purge finds nothing more to do.
    again = invoke("purge", "--older-than", "6", "--as-of", "2027-12-01", "-c", batched, "--json")
    assert '"ids_pseudonymised": 0' in again.stdout


def test_recent_people_and_dry_run_are_untouched(invoke, batched: Path, monkeypatch) -> None:
    monkeypatch.setenv("KANSEN_PSEUDONYM_KEY", KEY)
    db = batched / "kansen.sqlite"
    before = client_ids(db)
    dry = invoke("purge", "--older-than", "1", "--as-of", "2030-01-01", "--dry-run", "-c", batched)
    assert dry.exit_code == 0 and "would be" in dry.stdout
    assert client_ids(db) == before
    recent = invoke("purge", "--older-than", "24", "--as-of", "2027-01-01", "-c", batched, "--json")
    assert '"people_purged": 0' in recent.stdout
    assert client_ids(db) == before


def test_purge_without_key_exits_1_with_a_clear_message(invoke, batched: Path, monkeypatch) -> None:
    monkeypatch.delenv("KANSEN_PSEUDONYM_KEY", raising=False)
    result = invoke("purge", "--older-than", "6", "-c", batched)
    assert result.exit_code == 1
    assert "KANSEN_PSEUDONYM_KEY" in result.stderr
    assert "Traceback" not in result.output
