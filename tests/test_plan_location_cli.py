"""`kansen plan` at a location: Nijmegen's Bedrijvencentrum Groenestraat, end to end."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter


def test_nijmegen_plans_at_groenestraat_four_at_once_and_the_letter_says_where(invoke, nijmegen) -> None:
    campaign, batch = nijmegen
    # Monday 2 November 2026; the preset's location opens 9.00-17.00 on weekdays.
    result = invoke("plan", batch, "--start", "2026-11-02", "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        members = db.execute("SELECT count(*) FROM batch_people WHERE batch_id = ?", (batch,)).fetchone()[0]
        rows = db.execute(
            "SELECT date, start, end, consultant, location, room FROM appointments WHERE batch_id = ?",
            (batch,),
        ).fetchall()
    assert data["planned"] == members == len(rows) > 4
    assert data["at_home"] == 0 and data["at_locations"] == {"groenestraat": members}
    assert {r[4] for r in rows} == {"groenestraat"}
    assert {r[5] for r in rows} <= {1, 2, 3, 4}
    at_once = Counter((r[0], r[1]) for r in rows)
    # Four rooms and four consultants: the first hour is full, never more than four at once.
    assert max(at_once.values()) == 4 and at_once[("2026-11-02", "09:00")] == 4
    assert len({(r[0], r[1], r[5]) for r in rows}) == len(rows)  # a room holds one at a time
    assert len({(r[0], r[1], r[3]) for r in rows}) == len(rows)  # a consultant too
    # Back to back, an hour each, no travel time: 9.00, 10.00, ... on the first day.
    first_day = sorted({r[1] for r in rows if r[0] == "2026-11-02"})
    assert first_day[:3] == ["09:00", "10:00", "11:00"]

    letters = invoke("letters", batch, "--format", "html", "--sent-on", "2026-10-26", "-c", campaign)
    assert letters.exit_code == 0, letters.stderr
    pages = sorted((campaign / "letters" / batch).glob("*.html"))
    assert len(pages) == members
    text = " ".join(pages[0].read_text(encoding="utf-8").split())
    assert "<strong>Waar:</strong> Bedrijvencentrum Groenestraat, Groenestraat 1, 6531 AA NIJMEGEN." in text
    assert "Zo komt u er: Bus 5 en 10 stoppen voor de deur; parkeren kan op het terrein." in text
    assert "bij u thuis" not in text


def test_place_home_overrides_the_preset_for_the_whole_batch(invoke, nijmegen) -> None:
    campaign, batch = nijmegen
    result = invoke("plan", batch, "--start", "2026-11-02", "--place", "home", "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["at_home"] == data["planned"] and data["at_locations"] == {}
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        assert db.execute("SELECT count(*) FROM appointments WHERE location IS NOT NULL").fetchone()[0] == 0
    letters = invoke("letters", batch, "--format", "html", "--sent-on", "2026-10-26", "-c", campaign)
    assert letters.exit_code == 0, letters.stderr
    page = next((campaign / "letters" / batch).glob("*.html")).read_text(encoding="utf-8")
    assert "<strong>Waar:</strong> bij u thuis" in page and "Groenestraat" not in page


def test_an_unknown_place_is_a_usage_error(invoke, nijmegen) -> None:
    campaign, batch = nijmegen
    result = invoke("plan", batch, "--start", "2026-11-02", "--place", "kantoor", "-c", campaign)
    assert result.exit_code == 2
    assert "home, location" in result.stderr
