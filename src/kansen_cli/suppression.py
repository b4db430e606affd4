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
from typing import Any

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
    """The hidden keys whose value follows from the shown values and the equations.

    Shown values are constants, so the system falls apart into groups of hidden cells linked by
    shared equations; each group is solved on its own. A hidden cell is fixed exactly when its
    unit vector lies in the row space of its group's equations.
    """
    import numpy as np

    lines: list[list[tuple[Key, float]]] = []
    for eq in equations:
        line = [(k, -1.0) for k in (eq.total,) if k in hidden]
        line += [(k, 1.0) for k in eq.parts if k in hidden]
        if line:
            lines.append(line)
    parent: dict[Key, Key] = {k: k for k in hidden}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for line in lines:
        first = root(line[0][0])
        for key, _ in line[1:]:
            other = root(key)
            if other != first:
                parent[other] = first
    groups: dict[Key, list[list[tuple[Key, float]]]] = {}
    for line in lines:
        groups.setdefault(root(line[0][0]), []).append(line)
    fixed: set[Key] = set()
    for group in groups.values():
        order = sorted({k for line in group for k, _ in line}, key=repr)
        index = {key: i for i, key in enumerate(order)}
        matrix = np.zeros((len(group), len(order)))
        for r, line in enumerate(group):
            for key, sign in line:
                matrix[r, index[key]] += sign
        fixed.update(order[c] for c in _fixed_columns(matrix))
    return fixed


def _fixed_columns(matrix: Any) -> list[int]:
    """Columns whose unit vector lies in the row space: Gauss-Jordan elimination.

    Elementwise numpy only, no LAPACK: on a busy machine a multithreaded SVD of a few hundred
    columns took a second where this takes milliseconds. Entries are small integers and partial
    pivoting keeps them so; a column is fixed when its pivot row has no other non-zero entry.
    """
    import numpy as np

    m = np.array(matrix, dtype=float)
    rows, cols = m.shape
    pivots: list[tuple[int, int]] = []
    r = 0
    for c in range(cols):
        if r == rows:
            break
        p = r + int(np.argmax(np.abs(m[r:, c])))
        if abs(m[p, c]) < _TOL:
            continue
        if p != r:
            m[[r, p]] = m[[p, r]]
        m[r] /= m[r, c]
        factors = m[:, c].copy()
        factors[r] = 0.0
        m -= factors[:, None] * m[r][None, :]
        pivots.append((r, c))
        r += 1
    fixed = []
    for row, c in pivots:
        rest = np.abs(m[row])
        rest[c] = 0.0
        if rest.max(initial=0.0) < 1e-7:
            fixed.append(c)
    return fixed


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

    def close_lines() -> None:
        # Cheap first: a line (total and parts) with exactly one hidden cell gives it away by
        # subtraction, so hide its best partner; repeat until no line has a lone hidden cell.
        changed = True
        while changed:
            changed = False
            for eq in equations:
                members = (eq.total, *eq.parts)
                if sum(k in hidden for k in members) == 1:
                    partners = sorted((k for k in members if k not in hidden), key=preference)
                    if partners:
                        hidden.add(partners[0])
                        changed = True

    while True:
        close_lines()
        # Then exact: combinations of lines (across tables too) can still pin a cell down.
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
        for candidate in candidates[:4]:
            if target not in derivable(hidden | {candidate}, equations):
                chosen = candidate
                break
        hidden.add(chosen)
