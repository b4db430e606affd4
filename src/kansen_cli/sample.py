"""Synthetic municipal benefit register (uitkeringsbestand export) for demos and tests.

Everything here is made up: names, addresses, client numbers and phone numbers
belong to nobody. The generator is pure (no printing, no files) and seeded, so
the same ``rows``/``seed``/``as_of``/``invalid_rows`` always give the same frame.
It is vectorised with numpy, so a 1,000,000-row register takes a few seconds.

What the data looks like, and why:

* **BSN.** Real BSNs must never appear in sample data, so only the test range
  ``99999xxxx`` is used. That range holds just 909 numbers that pass the
  elfproef (see :func:`test_bsns`). Each of them goes to at most one randomly
  chosen person; everybody else gets an empty BSN. No other 9-digit number is
  ever produced, and no invalid BSN is produced either.
* **Selection funnel.** Status columns are drawn so that the funnel of the
  product spec (active guidance, then WIJ-team, then recent contact within two
  years, then the rest) gives roughly 28 % / 8 % / 13 % / 51 %. Dates that
  decide "recent contact" stay at least 14 days away from the two-year boundary
  (``as_of`` minus two calendar years), so ``>=`` versus ``>`` or 730 versus
  731 days cannot change anyone's bucket. No contact date lies after ``as_of``.
* **Deliberately invalid rows.** ``invalid_rows`` rows (default ``rows // 2000``)
  each get exactly one realistic defect. The kinds rotate in this order over
  randomly placed rows: a postcode that is not a postcode (``"97XX"``), an
  unparseable text in "Datum laatste gesprek" (``"31-02-2019"``, ``"onbekend"``),
  an empty "Straat", and a "Klantnummer" copied from another row. So ``n``
  invalid rows contain ``(n + 3) // 4`` bad postcodes, ``(n + 2) // 4`` bad dates,
  ``(n + 1) // 4`` empty streets and ``n // 4`` duplicated client numbers (each
  copied from a different row). With ``invalid_rows=0`` every row is valid and
  client numbers are unique.
* **Types.** Text columns hold ``str`` (``""`` when empty, never NaN/None),
  "Huisnummer" holds ``int``, the four date columns hold ``datetime.date`` or
  ``None`` (plus the invalid text described above), so a writer can put real
  dates and numbers into XLSX and plain text into CSV.
* **Neighbourhoods.** Fourteen Groningen wijken of unequal size, each with its
  own 4-digit postcodes (real ones where known, e.g. Selwerd 9741 and Beijum
  9736/9737; plausible otherwise) and street names in the wijk's naming theme.
  A street always has the same 4-digit postcode and letters that rise with the
  house number, so sorting on postcode and house number walks along streets.
"""

from __future__ import annotations

import functools
import unicodedata
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd
from stdnum.nl import bsn as _bsn

from kansen_cli.settings import ColumnMap, PlanningSettings

__all__ = [
    "NEIGHBOURHOODS",
    "REGISTER_HEADERS",
    "SAMPLE_AS_OF",
    "generate_register",
    "generate_wijken",
    "test_bsns",
]

SAMPLE_AS_OF: date = date(2026, 10, 1)
"""Reference date (peildatum) the committed sample register is made for."""

# The default headers of [register.columns], in their order: the sample reads with zero configuration.
REGISTER_HEADERS: tuple[str, ...] = tuple(ColumnMap().model_dump().values())

NEIGHBOURHOODS: dict[str, tuple[str, ...]] = {
    "Selwerd": ("9741",),
    "Paddepoel": ("9742",),
    "Vinkhuizen": ("9743", "9746"),
    "Hoogkerk": ("9744", "9745"),
    "Beijum": ("9736", "9737"),
    "Lewenborg": ("9733", "9734", "9735"),
    "Korrewegwijk": ("9714",),
    "De Hoogte": ("9715",),
    "Indische buurt": ("9716",),
    "Oosterpark": ("9713",),
    "Schildersbuurt": ("9718",),
    "De Wijert": ("9721", "9722"),
    "Hoornse Meer": ("9727",),
    "Corpus den Hoorn": ("9728",),
}
"""Wijk name -> its 4-digit postcodes. Every postcode belongs to one wijk."""

# Relative sizes of the wijken (share of the register). The largest is about
# 3.5 times the smallest, so at 10,000 rows the selected people per wijk range
# from about 170 to about 630.
_WIJK_WEIGHTS: dict[str, float] = {
    "Selwerd": 9.0,
    "Paddepoel": 8.0,
    "Vinkhuizen": 11.0,
    "Hoogkerk": 4.0,
    "Beijum": 12.5,
    "Lewenborg": 9.0,
    "Korrewegwijk": 8.0,
    "De Hoogte": 5.0,
    "Indische buurt": 4.0,
    "Oosterpark": 10.0,
    "Schildersbuurt": 3.5,
    "De Wijert": 7.0,
    "Hoornse Meer": 6.0,
    "Corpus den Hoorn": 6.0,
}

# fmt: off
# Street names follow each wijk's naming theme (trees in Selwerd, stars in
# Paddepoel, stones in Vinkhuizen, -heerd in Beijum, ship terms in Lewenborg ...).
_STREETS: dict[str, tuple[str, ...]] = {
    "Selwerd": (
        "Berkenlaan", "Eikenlaan", "Mispellaan", "Esdoornlaan", "Lindenlaan",
        "Elzenlaan", "Iepenlaan", "Wilgenlaan", "Vlierlaan", "Acaciastraat",
    ),
    "Paddepoel": (
        "Kometenstraat", "Dierenriemstraat", "Morgensterlaan", "Planetenlaan",
        "Orionstraat", "Saturnusstraat", "Jupiterstraat", "Siriusstraat",
        "Castorstraat", "Polluxstraat",
    ),
    "Vinkhuizen": (
        "Diamantlaan", "Metaallaan", "Siersteenlaan", "Vuursteenstraat",
        "Granaatstraat", "Robijnstraat", "Smaragdstraat", "Saffierstraat",
        "Kwartslaan", "Koperstraat", "Platinastraat",
    ),
    "Hoogkerk": (
        "Kerkstraat", "Zuiderweg", "Hoendiep", "Suikerlaan", "Halmstraat",
        "Roegeweg", "Pelsterpark",
    ),
    "Beijum": (
        "Amkemaheerd", "Atensheerd", "Bentismaheerd", "Claremaheerd",
        "Framaheerd", "Fossemaheerd", "Grevingaheerd", "Isebrandtsheerd",
        "Menkemaheerd", "Wibenaheerd", "Ypemaheerd", "Beijumerweg",
    ),
    "Lewenborg": (
        "Kluiverboom", "Loefzijde", "Lijzijde", "Midscheeps", "Kajuit",
        "Sloep", "Toplicht", "Kombuis", "Stuurboordswal", "Bakboordswal",
        "Zonland",
    ),
    "Korrewegwijk": (
        "Korreweg", "Oosterhamrikkade", "Professor Rankestraat",
        "Kapteynstraat", "Bernoullistraat", "Van Houtenlaan",
        "Dirk Huizingastraat",
    ),
    "De Hoogte": (
        "Bedumerweg", "Warffumerstraat", "Kantensstraat", "Ulrumstraat",
        "Winsumerstraat", "Pieterburenstraat",
    ),
    "Indische buurt": (
        "Javastraat", "Sumatralaan", "Borneostraat", "Celebesstraat",
        "Balistraat", "Timorstraat", "Molukkenstraat",
    ),
    "Oosterpark": (
        "Wielewaalplein", "Zaagmuldersweg", "Oliemuldersweg", "Gorechtkade",
        "Pioenstraat", "Violenstraat", "Anemoonstraat", "Merelstraat",
        "Vinkenstraat", "Kievitstraat",
    ),
    "Schildersbuurt": (
        "Rembrandt van Rijnstraat", "Frans Halsstraat", "Jan Steenstraat",
        "Ferdinand Bolstraat", "Paulus Potterstraat", "Jozef Israëlsplein",
        "Hendrik Willem Mesdagstraat",
    ),
    "De Wijert": (
        "Van Schendelstraat", "Bilderdijklaan", "Lodewijk van Deysselstraat",
        "Multatulistraat", "Potgieterstraat",
        "Burgemeester van Ketwich Verschuurlaan",
    ),
    "Hoornse Meer": (
        "Tjeukemeerstraat", "Leekstermeerstraat", "Sneekermeerstraat",
        "Paterswoldsemeerstraat", "Zuidlaardermeerstraat",
        "Hoornsediep",
    ),
    "Corpus den Hoorn": (
        "Laan Corpus den Hoorn", "Van Swietenlaan", "Boerhaavelaan",
        "Paterswoldseweg", "Jonkheer Wolter Lewe van Aduardstraat",
    ),
}

# (tussenvoegsel, achternaam, origin, weight). The origin steers the language
# column. Weights are relative frequencies; very long names are rare on purpose.
_SURNAMES: tuple[tuple[str, str, str, float], ...] = (
    *(("", name, "nl", 3.0) for name in (
        "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos",
        "Peters", "Hendriks", "Dekker", "Brouwer", "Kok", "Janssen",
        "Vermeulen", "Koster", "Schouten", "Prins", "Huisman", "Wolters",
        "Kramer", "Timmerman",
    )),
    *((prefix, name, "nl", 2.2) for prefix, name in (
        ("de", "Vries"), ("de", "Jong"), ("de", "Boer"), ("de", "Groot"),
        ("de", "Haan"), ("de", "Wit"), ("de", "Graaf"), ("van", "Dijk"),
        ("van", "Dam"), ("van", "Wijk"), ("van", "Beek"), ("van", "Leeuwen"),
        ("van der", "Meer"), ("van der", "Veen"), ("van der", "Laan"),
        ("van der", "Wal"), ("van den", "Berg"), ("van den", "Bosch"),
        ("van den", "Broek"), ("ter", "Horst"), ("ter", "Veen"),
        ("van 't", "Hof"), ("van 't", "Zand"), ("in 't", "Veld"),
    )),
    *(("", name, "nl", 2.0) for name in (
        "Dijkstra", "Hoekstra", "Postma", "Wiersma", "Zijlstra", "Boersma",
        "Bouma", "Huizinga", "Wierenga", "Kuipers", "Bosma", "Sikkema",
        "Feenstra", "Kloosterman", "Nienhuis", "Oosting", "Doornbos",
        "Zuidema", "Kamminga", "Hazenberg", "Schuiling", "Venema", "Mellema",
        "Tammeling", "Bolhuis", "Veldman", "Lubbers", "Stoker", "Vegter",
        "IJzerman",
    )),
    *(("", name, "tr", 1.0) for name in (
        "Çelik", "Yılmaz", "Öztürk", "Şahin", "Demir", "Kaya", "Aydın",
        "Arslan", "Doğan", "Koç",
    )),
    *(("", name, "ar", 1.0) for name in (
        "Benali", "El Amrani", "El Idrissi", "Bouzid", "Haddou", "Mohamed",
        "Ahmed", "Al-Hassan", "Haddad", "Aït Taleb", "El Khatib", "Ouali",
    )),
    *(("", name, "pl", 0.8) for name in (
        "Kowalczyk", "Nowak", "Wójcik", "Lewandowski", "Zieliński",
        "Wiśniewska",
    )),
    *(("", name, "er", 0.8) for name in (
        "Tesfay", "Ghebremedhin", "Tekle", "Haile", "Gebremariam", "Berhane",
        "Woldu",
    )),
    *(("", name, "so", 0.7) for name in (
        "Mahamud", "Abdi", "Abdullahi", "Osman", "Warsame", "Farah",
    )),
    *(("", name, "xx", 0.6) for name in (
        "Nguyễn", "Trần", "Phạm", "Müller", "Schäfer", "Šimić", "Kovačević",
        "Hadžić", "Ødegaard", "Østergaard", "Dos Santos", "Da Costa",
        "Fernandes", "García", "Lefèvre", "O'Brien", "D'Souza", "Popescu",
    )),
    # Very long names (up to 40 characters) so letter layouts get tested.
    ("", "Van Heemstra-Bouwmeester-Tjaarda", "nl", 0.12),
    ("", "Lycklama à Nijeholt-Hora Siccama", "nl", 0.12),
    ("", "Schimmelpenninck van der Oye-Wijnbergen", "nl", 0.12),
    ("", "Tjaarda-Rengers van Starkenborgh Wichers", "nl", 0.12),
    ("", "Gebremedhin-Woldemariam Tesfamariam", "er", 0.12),
)

# Initials and how common they are as a first letter of a Dutch given name.
_INITIALS = "JAMHWGPRSKETCDLNBFIYZOV"
_INITIAL_WEIGHTS = (
    12, 10, 9, 7, 5, 5, 5, 5, 6, 4, 5, 4, 4, 4, 4, 3, 3, 3, 2, 2, 1, 1, 1,
)

# fmt: on

_LANGUAGES = (
    "Nederlands",
    "Arabisch",
    "Turks",
    "Engels",
    "Pools",
    "Tigrinya",
    "Somalisch",
)
# Probability of each language in _LANGUAGES, per surname origin.
_LANGUAGE_BY_ORIGIN: dict[str, tuple[float, ...]] = {
    "nl": (0.99, 0.0, 0.0, 0.01, 0.0, 0.0, 0.0),
    "tr": (0.45, 0.0, 0.55, 0.0, 0.0, 0.0, 0.0),
    "ar": (0.50, 0.50, 0.0, 0.0, 0.0, 0.0, 0.0),
    "pl": (0.30, 0.0, 0.0, 0.10, 0.60, 0.0, 0.0),
    "er": (0.20, 0.0, 0.0, 0.10, 0.0, 0.70, 0.0),
    "so": (0.25, 0.0, 0.0, 0.10, 0.0, 0.0, 0.65),
    "xx": (0.60, 0.0, 0.0, 0.40, 0.0, 0.0, 0.0),
}

_ADDITIONS = ("", "A", "B", "bis", "1", "2")
_ADDITION_WEIGHTS = (0.86, 0.04, 0.03, 0.01, 0.04, 0.02)

# Postcode letters: the letters PostNL uses (no F, I, O, Q, U, Y), without the
# combinations SA, SD and SS that are never issued.
_POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_HOUSE_BLOCK = 20  # house numbers 1-20, 21-40, ... share a postcode
_MAX_HOUSE_NUMBER = 250
_N_BLOCKS = (_MAX_HOUSE_NUMBER - 1) // _HOUSE_BLOCK + 1

_BAD_POSTCODES = ("97XX", "974 AB", "9741 A", "onbekend")
_BAD_DATES = ("31-02-2019", "onbekend", "30-13-2020", "00-00-0000")

_MAX_ROWS = 10_000_000  # 7-digit client numbers
_MARGIN_DAYS = 14  # keep funnel-deciding dates this far from the window edge

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
# fmt: on

_EPOCH = date(1970, 1, 1)
_NO_DATE = np.int64(-(2**62))  # day count standing for "no date"
_IntArray = npt.NDArray[np.int64]
_ObjArray = npt.NDArray[np.object_]


@functools.lru_cache(maxsize=1)
def _valid_test_bsns() -> tuple[str, ...]:
    numbers = (f"99999{i:04d}" for i in range(10_000))
    return tuple(n for n in numbers if _bsn.is_valid(n))


def test_bsns() -> list[str]:
    """All 9-digit test BSNs ``99999xxxx`` that pass the elfproef, sorted.

    These are the only BSNs the sample generator hands out (909 of them).
    """
    return list(_valid_test_bsns())


# Not a pytest test, even when imported into a test module by name.
setattr(test_bsns, "__test__", False)  # noqa: B010


def generate_wijken(seed: int = 2015) -> pd.DataFrame:
    """Postcode-to-wijk table: one row per 4-digit postcode in NEIGHBOURHOODS.

    The table is fixed geography, sorted by postcode; ``seed`` is accepted for
    symmetry with :func:`generate_register` and does not change the result.
    """
    del seed  # the geography does not depend on the seed
    pairs = sorted((pc, wijk) for wijk, pcs in NEIGHBOURHOODS.items() for pc in pcs)
    return pd.DataFrame(
        {
            "Postcode": pd.Series([pc for pc, _ in pairs], dtype="str"),
            "Wijk": pd.Series([wijk for _, wijk in pairs], dtype="str"),
        }
    )


def generate_register(
    rows: int,
    seed: int = 2015,
    as_of: date = SAMPLE_AS_OF,
    invalid_rows: int | None = None,
) -> pd.DataFrame:
    """A synthetic benefit register of ``rows`` people, reproducible from ``seed``.

    Dates are relative to ``as_of``; ``invalid_rows`` (default ``rows // 2000``)
    rows carry one deliberate defect each. See the module docstring for the
    distributions, the BSN rule and the kinds of defect.
    """
    if rows < 0:
        raise ValueError(f"rows must be 0 or more, got {rows}")
    if rows > _MAX_ROWS:
        raise ValueError(f"rows must be at most {_MAX_ROWS} (7-digit client numbers)")
    if invalid_rows is None:
        invalid_rows = max(0, rows // 2000)
    if not 0 <= invalid_rows <= rows:
        raise ValueError(f"invalid_rows must be between 0 and rows ({rows}), got {invalid_rows}")

    rng = np.random.default_rng(seed)
    n = rows

    klantnummer = _client_numbers(rng, n)

    # People: names, birth dates, benefit start.
    initials_codes, voorletters = _voorletters(rng, n)
    surname_idx = _pick(rng, [w for *_, w in _SURNAMES], n)
    prefix_vocab = _obj([p for p, *_ in _SURNAMES])
    surname_vocab = _obj([s for _, s, *_ in _SURNAMES])

    as_of_days = _days(as_of)
    birth = _birth_days(rng, n, as_of)
    adult = birth + 6575  # 18th birthday (18 years rounded up to whole days)
    earliest_start = np.maximum(adult, _days(_years_before(as_of, 20)))
    benefit_start = as_of_days - np.floor((as_of_days - earliest_start) * rng.random(n) ** 1.4).astype(
        np.int64
    )

    # Funnel status and contact dates.
    group = _pick(rng, _GROUP_P, n)
    actief = group == _ACTIVE
    wij = (group == _CARE) | (actief & (rng.random(n) < 0.10))
    gesprek, traject = _contact_dates(rng, group, as_of, birth, adult, benefit_start)

    # Address.
    wijk_names = list(NEIGHBOURHOODS)
    wijk_idx = _pick(rng, [_WIJK_WEIGHTS[w] for w in wijk_names], n)
    street_vocab, street_first, street_count, street_pc4 = _street_tables(wijk_names)
    street_idx = street_first[wijk_idx] + np.floor(rng.random(n) * street_count[wijk_idx]).astype(np.int64)
    huisnummer = 1 + np.floor(_MAX_HOUSE_NUMBER * rng.random(n) ** 1.6).astype(np.int64)
    toevoeging = _obj(_ADDITIONS)[_pick(rng, _ADDITION_WEIGHTS, n)]
    postcode_variant = _pick(rng, (0.85, 0.10, 0.05), n)  # 9741AB, 9741 AB, 9741ab
    postcode_vocab = _postcode_vocab(street_pc4)
    postcode = postcode_vocab[
        (street_idx * _N_BLOCKS + (huisnummer - 1) // _HOUSE_BLOCK) * 3 + postcode_variant
    ]
    wijk = _obj(wijk_names)[wijk_idx]
    woonplaats = np.where((wijk == "Hoogkerk") & (rng.random(n) < 0.3), "Hoogkerk", "Groningen").astype(
        object
    )

    # Contact details and language.
    phone = _phones(rng, n)
    email = _emails(rng, initials_codes, surname_idx, birth)
    origin_vocab = list(dict.fromkeys(o for *_, o, _ in _SURNAMES))
    origin_of_surname = np.array([origin_vocab.index(o) for *_, o, _ in _SURNAMES])
    lang_p = np.array([_LANGUAGE_BY_ORIGIN[o] for o in origin_vocab])
    taal = _obj(_LANGUAGES)[_pick_rows(rng, np.cumsum(lang_p, axis=1)[origin_of_surname[surname_idx]])]

    bsn = _assign_bsns(rng, n)

    frame = pd.DataFrame(
        {
            "Klantnummer": klantnummer,
            "BSN": bsn,
            "Voorletters": voorletters,
            "Tussenvoegsel": prefix_vocab[surname_idx],
            "Achternaam": surname_vocab[surname_idx],
            "Straat": street_vocab[street_idx],
            "Huisnummer": huisnummer,
            "Toevoeging": toevoeging,
            "Postcode": postcode,
            "Woonplaats": woonplaats,
            "Wijk": wijk,
            "Geboortedatum": _to_dates(birth),
            "Ingangsdatum uitkering": _to_dates(benefit_start),
            "Datum laatste gesprek": _to_dates(gesprek),
            "Einddatum laatste traject": _to_dates(traject),
            "Actieve begeleiding": np.where(actief, "Ja", "Nee").astype(object),
            "Bekend bij WIJ-team": np.where(wij, "Ja", "Nee").astype(object),
            "Telefoonnummer": phone,
            "E-mailadres": email,
            "Taal": taal,
        }
    )
    _break_rows(rng, frame, invalid_rows)
    return _finish(frame)


# --- helpers ---------------------------------------------------------------


def _obj(values: tuple[str, ...] | list[str]) -> _ObjArray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def _pick(rng: np.random.Generator, weights: tuple[float, ...] | list[float], n: int) -> _IntArray:
    """n indices drawn with the given relative weights (vectorised)."""
    cum = np.cumsum(np.asarray(weights, dtype=np.float64))
    idx = np.searchsorted(cum / cum[-1], rng.random(n), side="right")
    return np.minimum(idx, len(cum) - 1).astype(np.int64)


def _pick_rows(rng: np.random.Generator, cum: npt.NDArray[np.float64]) -> _IntArray:
    """One index per row from per-row cumulative probabilities (rows x k)."""
    u = rng.random(cum.shape[0]) * cum[:, -1]
    idx = (cum <= u[:, None]).sum(axis=1)
    return np.minimum(idx, cum.shape[1] - 1).astype(np.int64)


def _days(day: date) -> int:
    return (day - _EPOCH).days


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _uniform_days(rng: np.random.Generator, lo: _IntArray, hi: _IntArray) -> _IntArray:
    """A day in [lo, hi] per row (meaningless where lo > hi; callers mask that)."""
    span = np.maximum(hi - lo + 1, 1)
    return lo + np.floor(rng.random(lo.shape[0]) * span).astype(np.int64)


def _client_numbers(rng: np.random.Generator, n: int) -> pd.Series:
    # Draw from a range well below 10,000,000 so that many numbers need a
    # leading zero (a third at least), as in real exports.
    population = min(_MAX_ROWS, max(3_000_000, 2 * n))
    numbers = rng.choice(population, size=n, replace=False).astype(np.int64)
    return pd.Series(numbers + _MAX_ROWS).astype("str").str.slice(1)


def _voorletters(rng: np.random.Generator, n: int) -> tuple[_IntArray, _ObjArray]:
    """(index of the first initial, "J." / "A.M." / "H.J.C." strings)."""
    k = len(_INITIALS)
    count = 1 + _pick(rng, (0.50, 0.35, 0.15), n)
    letters = [_pick(rng, _INITIAL_WEIGHTS, n) for _ in range(3)]
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
def _initials_vocab() -> _ObjArray:
    letters = _INITIALS
    one = [f"{a}." for a in letters]
    two = [f"{a}.{b}." for a in letters for b in letters]
    three = [f"{a}.{b}.{c}." for a in letters for b in letters for c in letters]
    return _obj(one + two + three)


def _birth_days(rng: np.random.Generator, n: int, as_of: date) -> _IntArray:
    """Ages mostly 18-66, about 1 % aged 67-74; a week's margin at both edges."""
    turned_18 = _days(_years_before(as_of, 18)) - 7
    turned_67 = _days(_years_before(as_of, 67))
    turned_75 = _days(_years_before(as_of, 75)) + 7
    young_shape = rng.beta(1.5, 1.8, n)
    regular = turned_18 - np.floor(young_shape * (turned_18 - (turned_67 + 7))).astype(np.int64)
    senior = turned_67 - 7 - np.floor(rng.random(n) * (turned_67 - 7 - turned_75)).astype(np.int64)
    return np.where(rng.random(n) < 0.01, senior, regular)


def _contact_dates(
    rng: np.random.Generator,
    group: _IntArray,
    as_of: date,
    birth: _IntArray,
    adult: _IntArray,
    benefit_start: _IntArray,
) -> tuple[_IntArray, _IntArray]:
    """Days of last conversation and end of last trajectory; -2**62 means empty."""
    n = int(group.shape[0])
    today = _days(as_of)
    window_start = _days(_years_before(as_of, 2))
    recent_lo = np.maximum(window_start + _MARGIN_DAYS, benefit_start)
    old_lo = np.maximum(adult, _days(_years_before(as_of, 15)))
    old_hi = window_start - _MARGIN_DAYS
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
    chosen = _pick_rows(rng, cum[group])

    result = []
    for column in (0, 1):
        state = states[group, chosen, column]
        candidates = {
            _RECENT_D: _uniform_days(rng, recent_lo, now),
            _OLD_D: _uniform_days(rng, old_lo, np.full(n, old_hi, dtype=np.int64)),
            _YEAR_D: _uniform_days(rng, year_lo, now),
            _ANY_D: _uniform_days(rng, np.maximum(benefit_start, old_lo), now),
        }
        days = np.full(n, _NO_DATE, dtype=np.int64)
        for s, values in candidates.items():
            days = np.where(state == s, values, days)
        # An "old" date cannot exist for someone who was not yet an adult then.
        days = np.where((state == _OLD_D) & (old_lo > old_hi), _NO_DATE, days)
        # Nothing before birth or after the reference date.
        days = np.where((days != _NO_DATE) & ((days < birth) | (days > today)), _NO_DATE, days)
        result.append(days)
    return result[0], result[1]


def _to_dates(days: _IntArray) -> _ObjArray:
    """datetime.date objects (None where empty)."""
    as_dt = np.where(days == _NO_DATE, np.iinfo(np.int64).min, days).astype("datetime64[D]")
    out: _ObjArray = as_dt.astype(object)
    return out


@functools.lru_cache(maxsize=1)
def _street_tables_cached(
    wijk_names: tuple[str, ...],
) -> tuple[_ObjArray, _IntArray, _IntArray, tuple[str, ...]]:
    names: list[str] = []
    first: list[int] = []
    count: list[int] = []
    pc4: list[str] = []
    for wijk in wijk_names:
        streets = _STREETS[wijk]
        first.append(len(names))
        count.append(len(streets))
        codes = NEIGHBOURHOODS[wijk]
        for i, street in enumerate(streets):
            names.append(street)
            pc4.append(codes[i % len(codes)])
    return (
        _obj(names),
        np.array(first, dtype=np.int64),
        np.array(count, dtype=np.int64),
        tuple(pc4),
    )


def _street_tables(
    wijk_names: list[str],
) -> tuple[_ObjArray, _IntArray, _IntArray, tuple[str, ...]]:
    return _street_tables_cached(tuple(wijk_names))


@functools.lru_cache(maxsize=4)
def _postcode_vocab(street_pc4: tuple[str, ...]) -> _ObjArray:
    """Full postcodes per (street, house-number block, spelling variant).

    Streets sharing a 4-digit code get disjoint, rising runs of letter pairs.
    """
    letters = _POSTCODE_LETTERS
    pairs = [a + b for a in letters for b in letters if a + b not in ("SA", "SD", "SS")]
    streets_per_pc: dict[str, int] = {}
    for pc in street_pc4:
        streets_per_pc[pc] = streets_per_pc.get(pc, 0) + 1
    seen: dict[str, int] = {}
    out: list[str] = []
    for pc in street_pc4:
        rank = seen.get(pc, 0)
        seen[pc] = rank + 1
        stride = max(_N_BLOCKS, len(pairs) // streets_per_pc[pc])
        for block in range(_N_BLOCKS):
            pair = pairs[(rank * stride + block) % len(pairs)]
            out.extend((f"{pc}{pair}", f"{pc} {pair}", f"{pc}{pair.lower()}"))
    return _obj(out)


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
    rng: np.random.Generator, first_initial: _IntArray, surname_idx: _IntArray, birth: _IntArray
) -> pd.Series:
    """About 40 % filled: "j.devries@example.nl", sometimes with a birth year."""
    n = int(first_initial.shape[0])
    local_names = _obj(
        [_ascii_fold(f"{p}{s}").lower().replace(" ", "").replace("'", "") for p, s, *_ in _SURNAMES]
    )
    initial = _obj([c.lower() for c in _INITIALS])[first_initial]
    year = (birth.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970) % 100
    suffix = np.where(rng.random(n) < 0.25, _obj([f"{y:02d}" for y in range(100)])[year], "")
    domain = np.where(rng.random(n) < 0.65, "@example.nl", "@example.com")
    email = (
        pd.Series(initial, dtype="str")
        + "."
        + pd.Series(local_names[surname_idx], dtype="str")
        + pd.Series(suffix.astype(object), dtype="str")
        + pd.Series(domain.astype(object), dtype="str")
    )
    return email.where(rng.random(n) < 0.40, "")


def _assign_bsns(rng: np.random.Generator, n: int) -> _ObjArray:
    """Each valid test BSN to at most one random person; the rest get ""."""
    valid = _obj(list(_valid_test_bsns()))
    holders = min(n, valid.shape[0])
    out = np.full(n, "", dtype=object)
    if holders:
        people = rng.choice(n, size=holders, replace=False)
        out[people] = rng.permutation(valid)[:holders]
    return out


def _break_rows(rng: np.random.Generator, frame: pd.DataFrame, count: int) -> None:
    """Give ``count`` random rows one defect each, kinds in rotation."""
    if count == 0:
        return
    n = len(frame)
    positions = rng.choice(n, size=count, replace=False)
    kinds = np.arange(count) % 4
    bad_pc = positions[kinds == 0]
    bad_date = positions[kinds == 1]
    no_street = positions[kinds == 2]
    duplicates = positions[kinds == 3]

    _set_values(frame, "Postcode", bad_pc, _obj(_BAD_POSTCODES), rng)
    _set_values(frame, "Datum laatste gesprek", bad_date, _obj(_BAD_DATES), rng)
    _set_values(frame, "Straat", no_street, _obj(("",)), rng)
    if duplicates.shape[0]:
        others = np.setdiff1d(np.arange(n), duplicates, assume_unique=True)
        sources = rng.choice(others, size=duplicates.shape[0], replace=False)
        ids = frame["Klantnummer"].to_numpy(dtype=object, copy=True)
        ids[duplicates] = ids[sources]
        frame["Klantnummer"] = ids


def _set_values(
    frame: pd.DataFrame,
    column: str,
    positions: _IntArray,
    choices: _ObjArray,
    rng: np.random.Generator,
) -> None:
    values = frame[column].to_numpy(dtype=object, copy=True)
    values[positions] = choices[rng.integers(0, choices.shape[0], positions.shape[0])]
    frame[column] = values


_TEXT_COLUMNS = tuple(
    c
    for c in REGISTER_HEADERS
    if c
    not in (
        "Huisnummer",
        "Geboortedatum",
        "Ingangsdatum uitkering",
        "Datum laatste gesprek",
        "Einddatum laatste traject",
    )
)


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Fix the column dtypes: str for text, int64 for Huisnummer, object for dates."""
    for column in _TEXT_COLUMNS:
        frame[column] = frame[column].astype("str")
    frame["Huisnummer"] = frame["Huisnummer"].astype(np.int64)
    return frame[list(REGISTER_HEADERS)]


def letter_people(
    register: pd.DataFrame, start: date, planning: PlanningSettings, batch_id: str = "sample-1"
) -> pd.DataFrame:
    """Generated people shaped like the ledger's letter rows (`ledger.letters.letter_people`),
    variants A and B alternating, each with an appointment planned from `start`: letters can
    be tried and benchmarked without a campaign."""
    from kansen_cli.planning import plan

    headers = ColumnMap()
    fields: tuple[str, ...] = (
        "initials",
        "prefix",
        "surname",
        "street",
        "house_number",
        "house_number_addition",
        "postcode",
        "city",
        "phone",
        "email",
    )
    frame = pd.DataFrame(
        {
            "batch_id": batch_id,
            "variant": [("A", "B")[i % 2] for i in range(len(register))],
            "client_id": register[headers.client_id].astype(str).to_numpy(),
            **{name: register[getattr(headers, name)].to_numpy() for name in fields},
        }
    )
    appointments = plan(frame["client_id"].tolist(), start, planning)
    frame["appointment_date"] = [d.isoformat() for d in appointments["date"]]
    frame["appointment_start"] = [t.strftime("%H:%M") for t in appointments["start"]]
    frame["appointment_end"] = [t.strftime("%H:%M") for t in appointments["end"]]
    frame["consultant"] = appointments["consultant"].to_numpy()
    return frame
