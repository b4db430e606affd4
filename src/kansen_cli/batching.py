"""Neighbourhood batches (SPEC §6) and the random, balanced letter variants within each."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def slug(name: str) -> str:
    """`Corpus den Hoorn` -> `corpus-den-hoorn`; readable and safe in file names."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "wijk"


def batch_count(n: int, size: int) -> int:
    """k = max(1, round(n / size)), rounding halves up as people expect."""
    return max(1, math.floor(n / size + 0.5))


ASSIGNMENT_COLUMNS = {
    "client_id": "string",
    "neighbourhood": "string",
    "batch_id": "string",
    "seq": "int64",
    "position": "int64",
    "variant": "string",
}


def make_batches(
    people: pd.DataFrame,
    size: int,
    seed: int,
    variants: Sequence[str],
    taken: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Assign every person to one batch of their neighbourhood, with a letter variant.

    `people` needs client_id, neighbourhood and the route columns. Batches are contiguous
    runs in route order (postcode, house number), sizes within a neighbourhood differ by at
    most one. Variants are balanced and random within each batch, reproducible from `seed`.
    `taken` gives, per neighbourhood, the highest batch number already used, so a second
    round continues at `selwerd-3`. Returns client_id, neighbourhood, batch_id, seq,
    position (route order within the batch, from 1) and variant.
    """
    import numpy as np
    import pandas as pd

    if not len(people):
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in ASSIGNMENT_COLUMNS.items()})
    order, slug_code, slug_names = _route_order(people)
    code = slug_code[order]
    # Each neighbourhood is one run of rows: where it starts, and how long it is.
    starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    lengths = np.diff(np.r_[starts, len(code)])
    # The label of a merged wijk is its first spelling in route order.
    hood = np.repeat(people["neighbourhood"].to_numpy(dtype=object)[order[starts]], lengths)
    batch_no = _batch_numbers(starts, lengths, size)
    slugs = slug_names[code[starts]]
    used = _taken_by_slug(taken or {})
    offsets = np.array([used.get(str(s), 0) for s in slugs], dtype=np.int64)
    seq = batch_no + np.repeat(offsets, lengths) + 1
    # Batches are contiguous: a new one starts where the neighbourhood or its number changes.
    run = np.repeat(np.arange(len(starts)), lengths)
    new_batch = np.r_[True, (run[1:] != run[:-1]) | (seq[1:] != seq[:-1])]
    group = np.cumsum(new_batch) - 1
    group_start = np.flatnonzero(new_batch)
    # One id text per batch, not per person.
    labels = [f"{s}-{q}" for s, q in zip(slugs[run[group_start]], seq[group_start].tolist(), strict=True)]
    batch_id = np.asarray(labels, dtype=object)[group]
    position = np.arange(len(hood)) - group_start[group] + 1
    return pd.DataFrame(
        {
            "client_id": people["client_id"].to_numpy()[order],
            "neighbourhood": hood,
            "batch_id": batch_id,
            "seq": seq,
            "position": position,
            "variant": _balanced_variants(group, group_start, variants, seed),
        }
    ).astype(ASSIGNMENT_COLUMNS)


def _route_order(people: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions that put people in order of neighbourhood, then along the route (stable,
    missing values last), and per person a code of their neighbourhood's slug into the
    (sorted) slug names returned. Grouped by the slug, not the spelling: "Selwerd" and
    "selwerd" in one export are one wijk (and would otherwise both claim the id selwerd-1).

    Sorted on integer ranks (a pandas sort on Python strings took a second at half a million
    people): text ranked by Arrow, by UTF-8 bytes, which is the order of code points that
    Python's comparison of str uses; few distinct values (wijken, additions) ranked in Python.
    """
    import numpy as np
    import pandas as pd

    def ranked_distinct(values: pd.Series, label: Callable[[str], str]) -> tuple[np.ndarray, np.ndarray]:
        codes, uniques = pd.factorize(values)
        names, rank = np.unique(
            np.asarray([label(str(u)) for u in uniques], dtype=object), return_inverse=True
        )
        return rank.reshape(-1)[codes], names

    slug_code, slug_names = ranked_distinct(people["neighbourhood"].astype(str), slug)
    # Route order: 12 before 12A before 12b (no addition first, additions case-insensitive).
    addition, _ = ranked_distinct(people["house_number_addition"].astype("string").fillna(""), str.upper)
    keys = [
        _ranks(people["client_id"], "string"),
        addition,
        _ranks(people["house_number"], "int64"),
        _ranks(people["postcode"], "string"),
        slug_code,
    ]
    # lexsort sorts by the last key first, and is stable.
    return np.lexsort(keys), slug_code, slug_names


def _ranks(values: pd.Series, kind: str) -> np.ndarray:
    """Dense ranks of one column, missing values after all others."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(values, type=pa.string() if kind == "string" else pa.int64(), from_pandas=True)
    # Missing values rank last: the default placement.
    return pc.rank(array, sort_keys="ascending", tiebreaker="dense").to_numpy()


def _batch_numbers(starts: np.ndarray, lengths: np.ndarray, size: int) -> np.ndarray:
    """Per person, the batch (from 0) within their neighbourhood: `batch_count` batches of
    sizes differing by at most one, the larger ones first (np.array_split's layout)."""
    import numpy as np

    counts = np.array([batch_count(int(n), size) for n in lengths])
    within = np.arange(int(lengths.sum())) - np.repeat(starts, lengths)
    n_rep = np.repeat(lengths, lengths)
    k_rep = np.repeat(counts, lengths)
    q, r = n_rep // k_rep, n_rep % k_rep
    big = r * (q + 1)
    return np.where(within < big, within // (q + 1), r + (within - big) // np.maximum(q, 1))


def _taken_by_slug(taken: Mapping[str, int]) -> dict[str, int]:
    """The highest batch number used per neighbourhood slug (spellings merged)."""
    out: dict[str, int] = {}
    for name, number in taken.items():
        out[slug(name)] = max(number, out.get(slug(name), 0))
    return out


def _balanced_variants(
    group: np.ndarray, group_start: np.ndarray, variants: Sequence[str], seed: int
) -> np.ndarray:
    """A letter variant per person: within each batch (contiguous `group`), people ranked by
    a random key cycle through the variants from a random first one, so the counts differ by
    at most one and the assignment is reproducible from `seed`."""
    import numpy as np

    n = len(group)
    rng = np.random.default_rng(seed)
    keys = rng.random(n)
    shift = rng.integers(0, len(variants), size=len(group_start))
    rank_order = np.lexsort((keys, group))
    rank = np.empty(n, dtype=np.int64)
    rank[rank_order] = np.arange(n) - group_start[group[rank_order]]
    choice = (rank + shift[group]) % len(variants)
    return np.asarray(list(variants), dtype=object)[choice]


def batch_overview(assigned: pd.DataFrame, variants: Sequence[str]) -> list[dict[str, object]]:
    """One row per batch: id, neighbourhood, size and the count of each variant."""
    import pandas as pd

    if not len(assigned):
        return []
    # One pass over the members (a million of them at national scale), not a lookup per batch.
    table = pd.crosstab(assigned["batch_id"], assigned["variant"])
    first = assigned.groupby("batch_id", sort=False)[["neighbourhood", "seq"]].first()
    first = first.loc[table.index]
    sizes = table.sum(axis=1).tolist()
    counts = {v: table[v].tolist() if v in table.columns else [0] * len(table) for v in variants}
    order = sorted(
        zip(
            first["neighbourhood"].tolist(),
            first["seq"].tolist(),
            table.index.tolist(),
            range(len(table)),
            strict=True,
        ),
    )
    rows = []
    for hood, _seq, batch_id, i in order:
        row: dict[str, object] = {"batch": batch_id, "neighbourhood": hood}
        row["size"] = int(sizes[i])
        for v in variants:
            row[v] = int(counts[v][i])
        rows.append(row)
    return rows
