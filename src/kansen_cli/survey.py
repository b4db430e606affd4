"""Who is surveyed (pure: a frame in, a sample out).

Groningen's research office phoned 25 people who had the conversation and 25 who declined or
were not at home. So the two groups are: participants (the contact result `spoken`) and
non-participants (every other result, except those that left the programme: moved, benefit
ended — the codebook's `not_applicable`). People without a result yet are in neither.

Each group is sampled on its own, `size` people at random (all of them when the group is
smaller). Stratified by wijk or letter variant, a group's sample is shared over the strata in
proportion to their size (largest remainders), so a small wijk is not over-represented.
The draw depends only on the seed and the population, never on the order of the ledger.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.settings import CodebookRoles

PARTICIPANT = "participant"
NON_PARTICIPANT = "non_participant"
GROUPS = (PARTICIPANT, NON_PARTICIPANT)
GROUP_LABELS = {PARTICIPANT: "Deelnemer", NON_PARTICIPANT: "Niet-deelnemer"}
# `--by` -> the population's column it stratifies on
STRATA = {"wijk": "neighbourhood", "variant": "variant"}

Member = tuple[str, str, str]  # client_id, group, stratum


def group_of(contact_result: str | None, roles: CodebookRoles) -> str | None:
    """The survey group of a contact result: participant, non-participant, or None (left out)."""
    if contact_result is None or contact_result != contact_result:  # None or NaN: no result yet
        return None
    if contact_result == roles.spoken:
        return PARTICIPANT
    if contact_result in roles.not_applicable:
        return None
    return NON_PARTICIPANT


def allocate(size: int, strata: dict[str, int]) -> dict[str, int]:
    """`size` places shared over strata in proportion to their sizes (largest remainder).

    Ties in the remainder go to the larger stratum, then to the first name; no stratum gets
    more places than people. With `size` at least the total, everyone is taken.
    """
    total = sum(strata.values())
    if size >= total:
        return dict(strata)
    exact = {name: size * n / total for name, n in strata.items()}
    places = {name: int(value) for name, value in exact.items()}
    left = size - sum(places.values())
    order = sorted(strata, key=lambda name: (-(exact[name] - places[name]), -strata[name], name))
    for name in order[:left]:
        places[name] += 1
    return places


def draw_sample(
    population: pd.DataFrame, roles: CodebookRoles, size: int, seed: int, by: str | None
) -> list[Member]:
    """A seeded random sample of `size` per group, optionally stratified `by` wijk or variant.

    `population`: client_id, contact_result and the stratum columns (see `STRATA`).
    """
    rng = random.Random(seed)
    column = STRATA[by] if by else None
    chosen: list[Member] = []
    groups = [group_of(value, roles) for value in population["contact_result"]]
    strata = [str(value) for value in population[column]] if column else [""] * len(population)
    for group in GROUPS:
        by_stratum: dict[str, list[str]] = {}
        for client_id, its_group, stratum in zip(population["client_id"], groups, strata, strict=True):
            if its_group == group:
                by_stratum.setdefault(stratum, []).append(str(client_id))
        places = allocate(size, {name: len(ids) for name, ids in by_stratum.items()})
        for stratum in sorted(by_stratum):
            ids = sorted(by_stratum[stratum])
            chosen += [(client_id, group, stratum) for client_id in sorted(rng.sample(ids, places[stratum]))]
    return chosen


def group_sizes(members: Sequence[Member]) -> dict[str, int]:
    return {group: sum(1 for _, g, _ in members if g == group) for group in GROUPS}
