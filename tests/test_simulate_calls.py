"""The demo's simulated caller: seeded (the same seed, the same answers) and every row it fills
passes the call workbook's ingest."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from openpyxl import load_workbook

from campaign_helpers import make_campaign
from kansen_cli.settings import load_settings
from kansen_cli.simulate_calls import fill_calls
from kansen_cli.workflows import calls, ingest
from registration_helpers import build_campaign, set_setting

MADE_ON = dt.date(2026, 11, 2)
CALLED_ON = dt.date(2026, 11, 10)


def answers(path: Path) -> list[tuple]:
    sheet = load_workbook(path)["Bellen"]
    return [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]


def test_simulated_calls_are_seeded_and_load(invoke, small_register: Path, tmp_path: Path) -> None:
    campaign = make_campaign(tmp_path / "campaign")
    set_setting(campaign, "letters", "approach", {"B": "phone_first"})
    batch = build_campaign(invoke, campaign, small_register)
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        db.execute("UPDATE batches SET created_at = ? WHERE batch_id = ?", (f"{MADE_ON}T09:00:00", batch))
    settings = load_settings(campaign)
    blank = calls.run(campaign, settings, batch, CALLED_ON).file
    assert blank is not None
    first, again, other = (tmp_path / f"{name}.xlsx" for name in ("a", "b", "c"))
    counts = fill_calls(blank, first, 7, settings, CALLED_ON)
    fill_calls(blank, again, 7, settings, CALLED_ON)
    fill_calls(blank, other, 8, settings, CALLED_ON)
    assert answers(first) == answers(again)
    assert answers(first) != answers(other)
    rows = len(answers(blank))
    assert sum(counts.values()) == rows > 0
    assert set(counts) <= set(settings.codebook.phone_outcome)
    loaded_file = ingest.run(campaign, settings, [first], CALLED_ON + dt.timedelta(days=1))
    assert not loaded_file.not_loaded
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        loaded = db.execute(
            "SELECT outcome, count(*) FROM contact_attempts WHERE channel = 'phone' GROUP BY 1"
        )
        assert dict(loaded.fetchall()) == counts
