"""Who the sample people are: client number, initials, surname, birth date and the start of
their benefit. The draws that later columns depend on (the surname steers the language and
the e-mail address; birth and benefit start bound the contact dates) are kept in `People`."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from kansen_cli.sample.draw import IntArray, ObjArray, days, objects, pick, to_dates
from kansen_cli.sample.tables import INITIAL_WEIGHTS, INITIALS, SURNAMES
from kansen_cli.selection import window_start

MAX_ROWS = 10_000_000  # 7-digit client numbers


@dataclass
class People:
    first_initial: IntArray  # index into INITIALS
    surname: IntArray  # index into SURNAMES
    birth: IntArray  # day numbers
    adult: IntArray  # the 18th birthday
    benefit_start: IntArray
    columns: dict[str, Any]  # register header -> values


def draw_people(rng: np.random.Generator, n: int, as_of: date) -> People:
    """n people as of `as_of`: adults, most of working age, on a benefit for up to 20 years."""
    client_numbers = _client_numbers(rng, n)
    first_initial, initials = _voorletters(rng, n)
    surname = pick(rng, [w for *_, w in SURNAMES], n)
    as_of_days = days(as_of)
    birth = _birth_days(rng, n, as_of)
    adult = birth + 6575  # 18th birthday (18 years rounded up to whole days)
    earliest_start = np.maximum(adult, days(window_start(as_of, 20)))
    benefit_start = as_of_days - np.floor((as_of_days - earliest_start) * rng.random(n) ** 1.4).astype(
        np.int64
    )
    columns = {
        "Klantnummer": client_numbers,
        "Voorletters": initials,
        "Tussenvoegsel": objects([p for p, *_ in SURNAMES])[surname],
        "Achternaam": objects([s for _, s, *_ in SURNAMES])[surname],
        "Geboortedatum": to_dates(birth),
        "Ingangsdatum uitkering": to_dates(benefit_start),
    }
    return People(first_initial, surname, birth, adult, benefit_start, columns)


def _client_numbers(rng: np.random.Generator, n: int) -> pd.Series:
    # Draw from a range well below 10,000,000 so that many numbers need a
    # leading zero (a third at least), as in real exports.
    population = min(MAX_ROWS, max(3_000_000, 2 * n))
    numbers = rng.choice(population, size=n, replace=False).astype(np.int64)
    return pd.Series(numbers + MAX_ROWS).astype("str").str.slice(1)


def _voorletters(rng: np.random.Generator, n: int) -> tuple[IntArray, ObjArray]:
    """(index of the first initial, "J." / "A.M." / "H.J.C." strings)."""
    k = len(INITIALS)
    count = 1 + pick(rng, (0.50, 0.35, 0.15), n)
    letters = [pick(rng, INITIAL_WEIGHTS, n) for _ in range(3)]
    code = np.where(
        count == 1,
        letters[0],
        np.where(
            count == 2,
            k + letters[0] * k + letters[1],
            k + k * k + (letters[0] * k + letters[1]) * k + letters[2],
        ),
    )
    return letters[0], _initials_vocab()[code]


@functools.lru_cache(maxsize=1)
def _initials_vocab() -> ObjArray:
    letters = INITIALS
    one = [f"{a}." for a in letters]
    two = [f"{a}.{b}." for a in letters for b in letters]
    three = [f"{a}.{b}.{c}." for a in letters for b in letters for c in letters]
    return objects(one + two + three)


def _birth_days(rng: np.random.Generator, n: int, as_of: date) -> IntArray:
    """Ages mostly 18-66, about 1 % aged 67-74; a week's margin at both edges."""
    turned_18 = days(window_start(as_of, 18)) - 7
    turned_67 = days(window_start(as_of, 67))
    turned_75 = days(window_start(as_of, 75)) + 7
    young_shape = rng.beta(1.5, 1.8, n)
    regular = turned_18 - np.floor(young_shape * (turned_18 - (turned_67 + 7))).astype(np.int64)
    senior = turned_67 - 7 - np.floor(rng.random(n) * (turned_67 - 7 - turned_75)).astype(np.int64)
    return np.where(rng.random(n) < 0.01, senior, regular)
