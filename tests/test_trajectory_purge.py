"""`kansen purge` and trajectories: someone being coached is never purged, however long ago the
trajectory started; an ended trajectory dates the person's last event by its end."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from kansen_cli.ledger import open_ledger
from kansen_cli.settings import load_settings
from kansen_cli.workflows import purge
from trajectory_helpers import end_trajectory, people_ledger, start_trajectory

KEY = "correct horse battery staple 2026"


def test_someone_in_an_open_trajectory_is_not_purged(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KANSEN_PSEUDONYM_KEY", KEY)
    campaign = tmp_path / "campaign"
    campaign.mkdir()
    (campaign / "kansen.toml").write_text("", encoding="utf-8")
    people_ledger(campaign, {"T0001": "Noord", "T0002": "Noord", "T0003": "Zuid"})
    with open_ledger(campaign) as ledger, ledger.transaction() as db:
        start_trajectory(db, "T0001", "cm1", "2020-01-06")  # still open, nothing recorded since
        ended = start_trajectory(db, "T0002", "cm1", "2020-01-06")
        end_trajectory(db, ended, "2020-06-01", "werk")
        late = start_trajectory(db, "T0003", "cm2", "2020-01-06")
        end_trajectory(db, late, "2026-10-01", "gestopt")
    # Six months before 20-11-2026 is 20-05-2026: T0002's last event (the end on 01-06-2020) lies
    # before it; T0003's (01-10-2026) after it; T0001's trajectory is still open.
    result = purge.run(campaign, load_settings(campaign), 6, today=dt.date(2026, 11, 20))
    assert result.people_purged == 1
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        kept = {row[0] for row in db.execute("SELECT client_id FROM trajectories")}
    assert {"T0001", "T0003"} <= kept and "T0002" not in kept
