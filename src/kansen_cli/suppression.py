"""Statistical disclosure control for `kansen report --publish`.

Every count in the report has a key (the same figure in two tables has the same key) and the
report knows the linear relations between them (`Equation`: a total and the parts that add up to
it, within a table and across tables, such as batches adding up to their neighbourhood).

Primary suppression hides every count from 1 to threshold − 1. Zero is not hidden: following CBS
practice, the disclosure risk is a small group of real people that can be singled out; an empty
cell describes nobody. Secondary suppression then hides more cells until no hidden count can be
recomputed from the shown ones: a hidden count is recomputable exactly when it is fixed by the
equations once every shown value is filled in, i.e. when every solution of the homogeneous system
restricted to the hidden cells is zero in that cell. We test that with the null space of the
system, so relations across tables (the ones hand-made suppression misses) are covered too.

Percentages are the report's business: it shows one only where its denominator reaches
`min_denominator` and none of the counts it is made from is hidden (a percentage and its base
would give the hidden numerator back).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

Key = Hashable
_TOL = 1e-9


@dataclass(frozen=True)
class Equation:
    """`total` equals the sum of `parts` (all keys of counts that the report shows)."""

    total: Key
    parts: tuple[Key, ...]


def primary(values: Mapping[Key, int], threshold: int) -> set[Key]:
    """Counts from 1 to threshold − 1."""
    return {key for key, value in values.items() if 0 < value < threshold}


def derivable(hidden: set[Key], equations: Sequence[Equation]) -> set[Key]:
    """The hidden keys whose value follows from the shown values and the equations."""
    import numpy as np

    order = sorted(hidden, key=repr)
    index = {key: i for i, key in enumerate(order)}
    rows = []
    for eq in equations:
        row = np.zeros(len(order))
        touched = False
        if eq.total in index:
            row[index[eq.total]] -= 1
            touched = True
        for part in eq.parts:
            if part in index:
                row[index[part]] += 1
                touched = True
        if touched:
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    _, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int((singular > _TOL * max(1.0, float(singular.max(initial=0.0)))).sum())
    null = vt[rank:]  # rows span the null space
    if null.shape[0] == 0:
        return set(order)
    weight = np.abs(null).max(axis=0)
    return {order[i] for i in range(len(order)) if weight[i] < 1e-7}


def suppress(values: Mapping[Key, int], equations: Sequence[Equation], threshold: int) -> set[Key]:
    """The keys to hide: primary cells plus the fewest-and-smallest secondary cells found greedily."""
    for eq in equations:
        for key in (eq.total, *eq.parts):
            if key not in values:
                raise ValueError(f"equation refers to an unknown count {key!r}")
    hidden = primary(values, threshold)
    neighbours: dict[Key, set[Key]] = {}
    for eq in equations:
        members = {eq.total, *eq.parts}
        for key in members:
            neighbours.setdefault(key, set()).update(members)
    totals = {eq.total for eq in equations}

    def preference(key: Key) -> tuple[int, int, int, str]:
        # Hide a small part rather than a total, and a non-empty cell rather than a zero.
        value = values[key]
        return (key in totals, value == 0, value, repr(key))

    while True:
        exposed = derivable(hidden, equations)
        if not exposed:
            return hidden
        target = min(exposed, key=repr)
        candidates = sorted((k for k in neighbours.get(target, ()) if k not in hidden), key=preference)
        if not candidates:
            # Every neighbour is hidden and still the value follows: widen to the whole system.
            candidates = sorted((k for k in neighbours if k not in hidden), key=preference)
            if not candidates:
                return hidden
        chosen = candidates[0]
        for candidate in candidates:
            if target not in derivable(hidden | {candidate}, equations):
                chosen = candidate
                break
        hidden.add(chosen)
