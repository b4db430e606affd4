"""Sample addresses: a wijk by its share of the register, a street of that wijk, a house
number, and the postcode that street and number have. A street always has the same 4-digit
postcode and letters that rise with the house number, so sorting on postcode and house number
walks along streets (as batches do)."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from kansen_cli.sample.draw import IntArray, ObjArray, objects, pick
from kansen_cli.sample.tables import ADDITION_WEIGHTS, ADDITIONS, NEIGHBOURHOODS, STREETS, WIJK_WEIGHTS

# Postcode letters: the letters PostNL uses (no F, I, O, Q, U, Y), without the
# combinations SA, SD and SS that are never issued.
_POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
_HOUSE_BLOCK = 20  # house numbers 1-20, 21-40, ... share a postcode
_MAX_HOUSE_NUMBER = 250
_N_BLOCKS = (_MAX_HOUSE_NUMBER - 1) // _HOUSE_BLOCK + 1


def draw_addresses(rng: np.random.Generator, n: int) -> dict[str, Any]:
    """Street, house number, addition, postcode (in three spellings), town and wijk."""
    wijk_names = list(NEIGHBOURHOODS)
    wijk_idx = pick(rng, [WIJK_WEIGHTS[w] for w in wijk_names], n)
    street_vocab, street_first, street_count, _ = _street_tables()
    street_idx = street_first[wijk_idx] + np.floor(rng.random(n) * street_count[wijk_idx]).astype(np.int64)
    huisnummer = 1 + np.floor(_MAX_HOUSE_NUMBER * rng.random(n) ** 1.6).astype(np.int64)
    toevoeging = objects(ADDITIONS)[pick(rng, ADDITION_WEIGHTS, n)]
    postcode_variant = pick(rng, (0.85, 0.10, 0.05), n)  # 9741AB, 9741 AB, 9741ab
    postcode_vocab = _postcode_vocab()
    postcode = postcode_vocab[
        (street_idx * _N_BLOCKS + (huisnummer - 1) // _HOUSE_BLOCK) * 3 + postcode_variant
    ]
    wijk = objects(wijk_names)[wijk_idx]
    woonplaats = np.where((wijk == "Hoogkerk") & (rng.random(n) < 0.3), "Hoogkerk", "Groningen").astype(
        object
    )
    return {
        "Straat": street_vocab[street_idx],
        "Huisnummer": huisnummer,
        "Toevoeging": toevoeging,
        "Postcode": postcode,
        "Woonplaats": woonplaats,
        "Wijk": wijk,
    }


@functools.cache
def _street_tables() -> tuple[ObjArray, IntArray, IntArray, tuple[str, ...]]:
    """All streets (wijk after wijk, in NEIGHBOURHOODS order), where each wijk's streets start and
    how many it has, and each street's 4-digit postcode."""
    names: list[str] = []
    first: list[int] = []
    count: list[int] = []
    pc4: list[str] = []
    for wijk in NEIGHBOURHOODS:
        streets = STREETS[wijk]
        first.append(len(names))
        count.append(len(streets))
        codes = NEIGHBOURHOODS[wijk]
        for i, street in enumerate(streets):
            names.append(street)
            pc4.append(codes[i % len(codes)])
    return (
        objects(names),
        np.array(first, dtype=np.int64),
        np.array(count, dtype=np.int64),
        tuple(pc4),
    )


@functools.cache
def _postcode_vocab() -> ObjArray:
    """Full postcodes per (street, house-number block, spelling variant).

    Streets sharing a 4-digit code get disjoint, rising runs of letter pairs.
    """
    street_pc4 = _street_tables()[3]
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
    return objects(out)
