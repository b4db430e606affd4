"""Where each sample person lands in the selection funnel, and the status columns and contact
dates that put them there: about 28 % under active guidance, 8 % known to the WIJ-team, 13 %
with recent contact, 51 % the rest (the selected)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from kansen_cli.sample.draw import (
    NO_DATE,
    IntArray,
    days,
    pick,
    pick_rows,
    to_dates,
    uniform_days,
)
from kansen_cli.sample.people import People
from kansen_cli.selection import window_start

MARGIN_DAYS = 14  # keep funnel-deciding dates this far from the window edge

# Funnel groups and their shares.
_ACTIVE, _CARE, _RECENT, _REST = 0, 1, 2, 3
_GROUP_P = (0.28, 0.08, 0.13, 0.51)

# Date states of (Datum laatste gesprek, Einddatum laatste traject).
_EMPTY, _RECENT_D, _OLD_D, _YEAR_D, _ANY_D = 0, 1, 2, 3, 4
# fmt: off
_DATE_PATTERNS: dict[int, tuple[tuple[int, int, float], ...]] = {
    _ACTIVE: (
        (_YEAR_D, _EMPTY, 0.40), (_YEAR_D, _ANY_D, 0.40), (_EMPTY, _ANY_D, 0.10),
        (_EMPTY, _EMPTY, 0.05), (_ANY_D, _EMPTY, 0.05),
    ),
    _CARE: (
        (_RECENT_D, _EMPTY, 0.25), (_RECENT_D, _ANY_D, 0.15),
        (_OLD_D, _EMPTY, 0.20), (_OLD_D, _OLD_D, 0.10), (_EMPTY, _EMPTY, 0.20),
        (_EMPTY, _ANY_D, 0.10),
    ),
    # Recent contact: at least one of the two dates inside the window.
    _RECENT: (
        (_RECENT_D, _EMPTY, 0.30), (_RECENT_D, _OLD_D, 0.30),
        (_EMPTY, _RECENT_D, 0.12), (_OLD_D, _RECENT_D, 0.13),
        (_RECENT_D, _RECENT_D, 0.15),
    ),
    # The rest (selected): about half without any date, half with old ones.
    _REST: (
        (_EMPTY, _EMPTY, 0.50), (_OLD_D, _EMPTY, 0.25), (_EMPTY, _OLD_D, 0.10),
        (_OLD_D, _OLD_D, 0.15),
    ),
}


def draw_status(rng: np.random.Generator, people: People, as_of: date) -> dict[str, Any]:
    """The funnel group of each person, as the four columns that decide it."""
    n = int(people.birth.shape[0])
    group = pick(rng, _GROUP_P, n)
    actief = group == _ACTIVE
    wij = (group == _CARE) | (actief & (rng.random(n) < 0.10))
    gesprek, traject = _contact_dates(rng, group, as_of, people)
    return {
        "Datum laatste gesprek": to_dates(gesprek),
        "Einddatum laatste traject": to_dates(traject),
        "Actieve begeleiding": np.where(actief, "Ja", "Nee").astype(object),
        "Bekend bij WIJ-team": np.where(wij, "Ja", "Nee").astype(object),
    }


def _contact_dates(
    rng: np.random.Generator, group: IntArray, as_of: date, people: People
) -> tuple[IntArray, IntArray]:
    """Days of last conversation and end of last trajectory; NO_DATE means empty."""
    birth, adult, benefit_start = people.birth, people.adult, people.benefit_start
    n = int(group.shape[0])
    today = days(as_of)
    recent_from = days(window_start(as_of, 2))
    recent_lo = np.maximum(recent_from + MARGIN_DAYS, benefit_start)
    old_lo = np.maximum(adult, days(window_start(as_of, 15)))
    old_hi = recent_from - MARGIN_DAYS
    year_lo = np.maximum(today - 365, benefit_start)
    now = np.full(n, today, dtype=np.int64)

    max_len = max(len(p) for p in _DATE_PATTERNS.values())
    cum = np.zeros((len(_DATE_PATTERNS), max_len))
    states = np.zeros((len(_DATE_PATTERNS), max_len, 2), dtype=np.int64)
    for g, patterns in _DATE_PATTERNS.items():
        probs = [p for *_, p in patterns]
        cum[g, : len(probs)] = np.cumsum(probs)
        cum[g, len(probs) :] = cum[g, len(probs) - 1]
        states[g, : len(probs)] = [(a, b) for a, b, _ in patterns]
    chosen = pick_rows(rng, cum[group])

    result = []
    for column in (0, 1):
        state = states[group, chosen, column]
        candidates = {
            _RECENT_D: uniform_days(rng, recent_lo, now),
            _OLD_D: uniform_days(rng, old_lo, np.full(n, old_hi, dtype=np.int64)),
            _YEAR_D: uniform_days(rng, year_lo, now),
            _ANY_D: uniform_days(rng, np.maximum(benefit_start, old_lo), now),
        }
        drawn = np.full(n, NO_DATE, dtype=np.int64)
        for s, values in candidates.items():
            drawn = np.where(state == s, values, drawn)
        # An "old" date cannot exist for someone who was not yet an adult then.
        drawn = np.where((state == _OLD_D) & (old_lo > old_hi), NO_DATE, drawn)
        # Nothing before birth or after the reference date.
        drawn = np.where((drawn != NO_DATE) & ((drawn < birth) | (drawn > today)), NO_DATE, drawn)
        result.append(drawn)
    return result[0], result[1]
