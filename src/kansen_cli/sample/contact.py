"""How sample people can be reached: phone (85 % have one), e-mail (40 %), and the language
they prefer, which follows the origin of their surname."""

from __future__ import annotations

import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from kansen_cli.sample.draw import IntArray, objects, pick_rows
from kansen_cli.sample.people import People
from kansen_cli.sample.tables import INITIALS, LANGUAGE_BY_ORIGIN, LANGUAGES, SURNAMES


def draw_contact_details(rng: np.random.Generator, people: People) -> dict[str, Any]:
    """Phone number, e-mail address and language."""
    n = int(people.birth.shape[0])
    phone = _phones(rng, n)
    email = _emails(rng, people.first_initial, people.surname, people.birth)
    origin_vocab = list(dict.fromkeys(o for *_, o, _ in SURNAMES))
    origin_of_surname = np.array([origin_vocab.index(o) for *_, o, _ in SURNAMES])
    lang_p = np.array([LANGUAGE_BY_ORIGIN[o] for o in origin_vocab])
    taal = objects(LANGUAGES)[pick_rows(rng, np.cumsum(lang_p, axis=1)[origin_of_surname[people.surname]])]
    return {"Telefoonnummer": phone, "E-mailadres": email, "Taal": taal}


def _phones(rng: np.random.Generator, n: int) -> pd.Series:
    mobile = "06-" + pd.Series(rng.integers(10_000_000, 70_000_000, n)).astype("str")
    landline = "050-" + pd.Series(rng.integers(2_000_000, 10_000_000, n)).astype("str")
    kind = rng.random(n)
    phone = mobile.where(kind < 0.75, landline)
    return phone.where(rng.random(n) >= 0.15, "")


def _ascii_fold(text: str) -> str:
    text = text.translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return kept.encode("ascii", "ignore").decode("ascii")


_FOLD = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
    }
)


def _emails(
    rng: np.random.Generator, first_initial: IntArray, surname_idx: IntArray, birth: IntArray
) -> pd.Series:
    """About 40 % filled: "j.devries@example.nl", sometimes with a birth year."""
    n = int(first_initial.shape[0])
    local_names = objects(
        [_ascii_fold(f"{p}{s}").lower().replace(" ", "").replace("'", "") for p, s, *_ in SURNAMES]
    )
    initial = objects([c.lower() for c in INITIALS])[first_initial]
    year = (birth.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970) % 100
    suffix = np.where(rng.random(n) < 0.25, objects([f"{y:02d}" for y in range(100)])[year], "")
    domain = np.where(rng.random(n) < 0.65, "@example.nl", "@example.com")
    email = (
        pd.Series(initial, dtype="str")
        + "."
        + pd.Series(local_names[surname_idx], dtype="str")
        + pd.Series(suffix.astype(object), dtype="str")
        + pd.Series(domain.astype(object), dtype="str")
    )
    return email.where(rng.random(n) < 0.40, "")
