"""Statistical disclosure control for `kansen report --publish`.

Every count in the report has a key (the same figure in two tables has the same key) and the
report knows the linear relations between them (`Equation`: a total and the parts that add up to
it, within a table and across tables, such as batches adding up to their neighbourhood).

Primary suppression hides every count from 1 to threshold − 1. Zero is never hidden as a primary
cell (following CBS practice, the disclosure risk is a small group of real people that can be
singled out; an empty cell describes nobody), but it may be hidden as a secondary cell.

Secondary suppression then hides more cells until every hidden count has a feasible range of more
than one value, given every shown value, every equation and the bounds a reader can assume. Linear
sums alone are not enough: counts are never negative, and a reader who knows that primary cells are
at least 1 can solve 12 = 10 + x + y to x = y = 1. The reader modelled here even knows which hidden
cells are primary (so each is at least 1) and that a secondary one is any count from 0 up (secondary
cells may be zeros). No upper bound: a hidden total may be secondary, so the reader cannot cap it at
threshold − 1 (with that cap a line of only small counts, 4 = 1+1+1+1, could never be protected). A
non-empty cell is protected when the largest and smallest value it can take under those constraints
differ by at least 1 (a hidden zero pinned at 0 gives nothing away: zeros are publishable). The
range comes from linear programming (scipy's HiGHS): the relaxation's range contains the integer
one, and the true values are feasible. A cheap exact test comes first: a cell fixed by the equations
alone (its unit vector in the row space of the hidden system) is exposed whatever the bounds, so
relations across tables are covered too.

The greedy search asks the same two questions every round (which hidden cell is exposed first;
would hiding this candidate protect it), and the hidden set only grows. A cell's range can only
widen when more is hidden (any earlier solution, with the newly hidden cells at their true values,
still fits), so a cell once seen protected stays protected and every solution found stays a valid
witness: `suppression_memo` answers the questions with that memory, `narrow` and `exposed_cells`
answer them from scratch, and both give the same hidden set (tested).

Percentages are the report's business: it shows one only where its denominator reaches
`min_denominator` and none of the counts it is made from is hidden (a percentage and its base
would give the hidden numerator back).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Key = Hashable
_TOL = 1e-9
WIDE = 1 - 1e-6  # a range at least this wide protects a cell (LP solutions are floats)


@dataclass(frozen=True)
class Equation:
    """`total` equals the sum of `parts` (all keys of counts that the report shows)."""

    total: Key
    parts: tuple[Key, ...]


# sum(sign * hidden cell) == constant, from this equation
Line = tuple[list[tuple[Key, float]], float, Equation]


def primary(values: Mapping[Key, int], threshold: int) -> set[Key]:
    """Counts from 1 to threshold − 1."""
    return {key for key, value in values.items() if 0 < value < threshold}


def lines(
    hidden: set[Key], equations: Sequence[Equation], values: Mapping[Key, int] | None = None
) -> list[Line]:
    """Each equation with a hidden cell as `sum(sign * hidden) == constant`, the shown values
    moved over (constant 0 without `values`: the sums alone)."""
    out = []
    for eq in equations:
        line: list[tuple[Key, float]] = []
        constant = 0.0
        for key, sign in [(eq.total, -1.0), *((p, 1.0) for p in eq.parts)]:
            if key in hidden:
                line.append((key, sign))
            elif values is not None:
                constant -= sign * values[key]
        if line:
            out.append((line, constant, eq))
    return out


def components(hidden: Iterable[Key], system: list[Line]) -> list[tuple[list[Key], list[Line]]]:
    """Hidden cells linked by shared lines (union-find), each group with its lines in equation
    order; groups in the order of their first cell by repr, cells by repr (a cell in no line is
    alone). Shown values are constants, so each group can be solved on its own."""
    parent: dict[Key, Key] = {k: k for k in hidden}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for line, _, _ in system:
        first = root(line[0][0])
        for key, _sign in line[1:]:
            other = root(key)
            if other != first:
                parent[other] = first
    cells: dict[Key, list[Key]] = {}
    for key in sorted(parent, key=repr):
        cells.setdefault(root(key), []).append(key)
    grouped: dict[Key, list[Line]] = {r: [] for r in cells}
    for entry in system:
        grouped[root(entry[0][0][0])].append(entry)
    return [(cells[r], grouped[r]) for r in cells]


def fixed_cells(cells: list[Key], group: list[Line]) -> list[Key]:
    """The cells of one group whose value follows from its equations alone."""
    import numpy as np

    index = {key: i for i, key in enumerate(cells)}
    matrix = np.zeros((len(group), len(cells)))
    for r, (line, _, _) in enumerate(group):
        for key, sign in line:
            matrix[r, index[key]] += sign
    return [cells[c] for c in _fixed_columns(matrix)]


def derivable(hidden: set[Key], equations: Sequence[Equation]) -> set[Key]:
    """The hidden keys whose value follows from the shown values and the equations.

    A hidden cell is fixed exactly when its unit vector lies in the row space of its group's
    equations.
    """
    fixed: set[Key] = set()
    for cells, group in components(hidden, lines(hidden, equations)):
        if group:
            fixed.update(fixed_cells(cells, group))
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


class System:
    """One group of linked hidden cells as an LP: its lines as equalities, a primary cell at
    least 1 and a secondary one at least 0, no upper bound."""

    def __init__(
        self, cells: list[Key], group: list[Line], values: Mapping[Key, int], threshold: int
    ) -> None:
        import numpy as np

        self.cells = cells
        self.index = {k: i for i, k in enumerate(cells)}
        self.a = np.zeros((len(group), len(cells)))
        self.rhs = np.zeros(len(group))
        self.rows = [eq for _, _, eq in group]
        for r, (line, constant, _) in enumerate(group):
            for key, sign in line:
                self.a[r, self.index[key]] += sign
            self.rhs[r] = constant
        self.bounds = [(1.0, None) if 0 < values[k] < threshold else (0.0, None) for k in cells]

    def solve(self, objective: Any) -> Any:
        """Minimise `objective`; scipy's result (status 0 solved, 3 unbounded)."""
        from scipy.optimize import linprog

        result = linprog(objective, A_eq=self.a, b_eq=self.rhs, bounds=self.bounds, method="highs")
        if result.status == 2:  # infeasible: cannot happen for the true values; be safe
            raise ValueError("suppression check: the shown values contradict the equations")
        return result

    def unit(self, key: Key, sign: float) -> Any:
        """The objective `sign * key`: -1 maximises the cell, 1 minimises it."""
        import numpy as np

        objective = np.zeros(len(self.cells))
        objective[self.index[key]] = sign
        return objective


def narrow(
    values: Mapping[Key, int],
    hidden: set[Key],
    equations: Sequence[Equation],
    threshold: int,
    only: Key | None = None,
    first: bool = False,
) -> set[Key]:
    """The hidden keys whose feasible range is narrower than one: exposed despite the linear test.

    Feasible: the equations hold with the shown values filled in, a primary cell is at least 1 and a
    secondary one at least 0 (see the module docstring); only non-empty cells can be exposed. Per
    group of linked cells, two LPs (maximise and minimise the group's sum) clear most cells at once,
    since the true values are feasible and a cell the optimum moved by 1 or more already has a wide
    enough range; the rest get their own max and min. With `only`, just that cell's group and that
    cell are checked; with `first`, the search stops at the first exposed cell (all `suppress` needs
    per round). Everything is solved afresh: the reference for `suppression_memo`.
    """
    import numpy as np

    exposed: set[Key] = set()
    for cells, group in components(hidden, lines(hidden, equations, values)):
        if only is not None and only not in cells:
            continue
        if not group:
            continue  # in no equation with a shown value or other hidden cell: unbounded above
        system = System(cells, group, values, threshold)
        truth = np.array([float(values[k]) for k in cells])
        low = truth.copy()
        high = truth.copy()
        for sign in (-1.0, 1.0):  # maximise, then minimise the sum
            result = system.solve(np.full(len(cells), sign))
            if result.status == 0:
                low = np.minimum(low, result.x)
                high = np.maximum(high, result.x)
        for i, key in enumerate(cells):
            if high[i] - low[i] >= WIDE or (only is not None and key != only) or values[key] == 0:
                continue
            top = system.solve(system.unit(key, -1.0))
            if top.status == 3:  # unbounded above
                continue
            if top.status == 0:
                high[i] = max(high[i], top.x[i])
            bottom = system.solve(system.unit(key, 1.0))
            if bottom.status == 0:
                low[i] = min(low[i], bottom.x[i])
            if high[i] - low[i] < WIDE:
                exposed.add(key)
                if first:
                    return exposed
    return exposed


def exposed_cells(
    values: Mapping[Key, int],
    hidden: set[Key],
    equations: Sequence[Equation],
    threshold: int,
    first: bool = False,
) -> set[Key]:
    """Hidden keys a reader can pin down: by the sums alone (cheap, exact) or with the bounds (LP)."""
    # A zero pinned by the equations alone is revealed at the end (see `_show_known_zeros`).
    fixed = {key for key in derivable(hidden, equations) if values[key] != 0}
    if fixed:
        return fixed
    return narrow(values, hidden, equations, threshold, first=first)


class Reader(Protocol):
    """The two questions the greedy search asks a reader of the published tables."""

    def first_exposed(self, hidden: set[Key]) -> Key | None:
        """The cell to protect next: the first by repr a reader can derive from the sums, else the
        first a reader can pin down with the bounds (group by group, cells by repr); None if none."""

    def exposed_with(self, hidden: set[Key], candidate: Key, target: Key) -> bool:
        """Whether `target` is still pinned down once `candidate` is hidden too."""


class PlainReader:
    """Every question solved from scratch with `exposed_cells` and `narrow`."""

    def __init__(self, values: Mapping[Key, int], equations: Sequence[Equation], threshold: int) -> None:
        self.values, self.equations, self.threshold = values, equations, threshold

    def first_exposed(self, hidden: set[Key]) -> Key | None:
        exposed = exposed_cells(self.values, hidden, self.equations, self.threshold, first=True)
        return min(exposed, key=repr) if exposed else None

    def exposed_with(self, hidden: set[Key], candidate: Key, target: Key) -> bool:
        trial = hidden | {candidate}
        return target in narrow(self.values, trial, self.equations, self.threshold, only=target)


def _show_known_zeros(values: Mapping[Key, int], hidden: set[Key], equations: Sequence[Equation]) -> set[Key]:
    """Show the hidden zeros the equations give away anyway (a cell linked to equal totals in
    two tables, say): hiding them protects nothing, and a reader could recompute them. Their
    values were implied already, so showing them makes no other cell derivable."""
    known = {key for key in derivable(hidden, equations) if values[key] == 0}
    return hidden - known


def suppress(
    values: Mapping[Key, int], equations: Sequence[Equation], threshold: int, plain: bool = False
) -> set[Key]:
    """The keys to hide: primary cells plus the fewest-and-smallest secondary cells found greedily.

    `plain` answers every round's questions from scratch (slow; the reference the tests compare
    the remembering reader with)."""
    from kansen_cli.suppression_memo import MemoReader

    for eq in equations:
        for key in (eq.total, *eq.parts):
            if key not in values:
                raise ValueError(f"equation refers to an unknown count {key!r}")
    reader: Reader = (PlainReader if plain else MemoReader)(values, equations, threshold)
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
        _close_lines(equations, hidden, preference)
        # Then exact: combinations of lines (across tables too) and the bounds can still pin a
        # cell down.
        target = reader.first_exposed(hidden)
        if target is None:
            return _show_known_zeros(values, hidden, equations)
        candidates = _boundary(target, hidden, neighbours, preference)
        if not candidates:
            return _show_known_zeros(values, hidden, equations)  # nothing left to hide around it
        chosen = candidates[0]
        for candidate in candidates[:12]:
            if not reader.exposed_with(hidden, candidate, target):
                chosen = candidate
                break
        hidden.add(chosen)


def _close_lines(equations: Sequence[Equation], hidden: set[Key], preference: Any) -> None:
    """Cheap first: a line (total and parts) with exactly one hidden cell gives it away by
    subtraction, so hide its best partner; repeat until no line has a lone hidden cell."""
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


def _boundary(
    target: Key, hidden: set[Key], neighbours: Mapping[Key, set[Key]], preference: Any
) -> list[Key]:
    """The shown cells in the equations of the target's group of linked hidden cells: the
    constants that pin it down, so hiding one of them is what can widen its range."""
    group = {target}
    frontier = [target]
    while frontier:
        key = frontier.pop()
        for other in neighbours.get(key, ()):
            if other in hidden and other not in group:
                group.add(other)
                frontier.append(other)
    shown = {k for key in group for k in neighbours.get(key, ()) if k not in hidden}
    return sorted(shown, key=preference)
