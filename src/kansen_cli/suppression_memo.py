"""The greedy suppression's questions answered with memory: the fast path of `--publish`.

`suppression.PlainReader` solves every round from scratch: two LPs per group of linked cells and
two per cell the group's optimum did not move, for every group, every round, and four LPs per
candidate tried. On the golden ledger that was some 1,900 LPs (13 s) and most of the test suite's time; this
reader needs about 250 for the same hidden set.

The search only ever hides more, and hiding more only widens a cell's feasible range: a solution
found earlier, with the newly hidden cells at their true values, is still a solution. So:

- every LP solution is kept as a witness (per cell, the lowest and highest value seen); a cell
  whose witnesses lie at least 1 apart, or that is unbounded, is protected for good and is
  never solved again;
- the sums-alone test only looks at groups with a cell not yet known to be protected (a cell
  with a range of 1 is not fixed by the sums);
- before any LP for a candidate, LP duality: the dual solutions of the target's own max and min
  bound how far one more hidden cell can move them (by its value times its reduced cost); when
  that keeps the range under 1, the target is still pinned and nothing is solved (most
  candidates tried are such failures);
- otherwise the candidate costs one LP (maximise the target) when the target's known minimum
  already gives a range of 1, two when not; the solutions of the candidate finally hidden are kept.

The answers are the same as the plain reader's (a cell is exposed exactly when its true range is
under 1); only the work to find them differs. `test_suppression` compares both on generated tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kansen_cli.suppression import WIDE, Equation, Key, System, components, fixed_cells, lines

# (hidden set the solutions hold for, the group's cells, its solutions)
Witnesses = tuple[frozenset[Key], list[Key], list[Any]]
_DUAL_TOL = 1e-9  # a reduced cost this far below 0 is 0 (duals of small integer systems)
_MARGIN = 1e-6  # a duality bound must clear the LP test's own tolerance to count


@dataclass
class _Optima:
    """The target's max and min LPs (scipy results, None unless solved) for one hidden set."""

    hidden: frozenset[Key]
    system: System | None
    top: Any
    bottom: Any

    def column(self, candidate: Key) -> Any:
        """The candidate's coefficients in the group's lines, were it hidden too."""
        import numpy as np

        rows = self.system.rows if self.system is not None else []
        return np.array(
            [sum(1.0 for p in eq.parts if p == candidate) - (eq.total == candidate) for eq in rows]
        )


def _solved(result: Any) -> Any:
    return result if result.status == 0 else None


class MemoReader:
    """Answers `suppression.Reader`'s questions, remembering what earlier rounds established."""

    def __init__(self, values: Mapping[Key, int], equations: Sequence[Equation], threshold: int) -> None:
        self.values, self.equations, self.threshold = values, equations, threshold
        self._forget()

    def _forget(self) -> None:
        self.seen: frozenset[Key] = frozenset()  # what we know holds for this hidden set and more
        self.low: dict[Key, float] = {}
        self.high: dict[Key, float] = {}
        self.protected: set[Key] = set()
        self.trials: list[Witnesses] = []  # from candidates tried: they hold once those are hidden
        self.optima: dict[Key, _Optima] = {}  # an exposed cell's own max and min LPs

    def _advance(self, hidden: set[Key]) -> None:
        """Move on to `hidden`: keep what holds for it (everything, when it only grew)."""
        if hidden == self.seen:
            return
        if not self.seen <= hidden:
            self._forget()  # not a later round of the same search: start over
        waiting = []
        for held_for, cells, points in self.trials:
            if held_for <= hidden:
                for point in points:
                    self._witness(cells, point)
            else:
                waiting.append((held_for, cells, points))
        self.trials = waiting
        self.seen = frozenset(hidden)

    def _witness(self, cells: list[Key], point: Any) -> None:
        for key, value in zip(cells, point.tolist(), strict=True):
            low = min(self.low.get(key, self.values[key]), value)
            high = max(self.high.get(key, self.values[key]), value)
            self.low[key], self.high[key] = low, high
            if high - low >= WIDE:
                self.protected.add(key)

    def _open(self, key: Key) -> bool:
        """Non-empty and not yet known to be protected."""
        return self.values[key] != 0 and key not in self.protected

    def first_exposed(self, hidden: set[Key]) -> Key | None:
        self._advance(hidden)
        groups = components(hidden, lines(hidden, self.equations, self.values))
        fixed = [
            key
            for cells, group in groups
            if group and any(self._open(k) for k in cells)
            for key in fixed_cells(cells, group)
            if self.values[key] != 0
        ]
        if fixed:
            return min(fixed, key=repr)
        for cells, group in groups:
            if not group:
                self.protected.update(cells)  # in no equation: unbounded above
                continue
            todo = [k for k in cells if self._open(k)]
            if not todo:
                continue
            system = System(cells, group, self.values, self.threshold)
            if len(todo) > 1:
                self._spread(system, todo)
            for key in todo:
                if self._open(key) and self._pinned(system, key):
                    return key
        return None

    def _spread(self, system: System, todo: list[Key]) -> None:
        """Maximise and minimise the sum of the open cells: two LPs that often clear them all."""
        import numpy as np

        weights = np.zeros(len(system.cells))
        for key in todo:
            weights[system.index[key]] = 1.0
        for sign in (-1.0, 1.0):
            result = system.solve(sign * weights)
            if result.status == 0:
                self._witness(system.cells, result.x)

    def _pinned(self, system: System, key: Key) -> bool:
        """The cell's own max and min (the min only when the max did not settle it)."""
        top = system.solve(system.unit(key, -1.0))
        if top.status == 3:
            self.protected.add(key)
            return False
        if top.status == 0:
            self._witness(system.cells, top.x)
        if not self._open(key):
            return False
        bottom = system.solve(system.unit(key, 1.0))
        if bottom.status == 0:
            self._witness(system.cells, bottom.x)
        if not self._open(key):
            return False
        self.optima[key] = _Optima(self.seen, system, _solved(top), _solved(bottom))
        return True

    def exposed_with(self, hidden: set[Key], candidate: Key, target: Key) -> bool:
        self._advance(hidden)
        if self._still_pinned(hidden, candidate, target):
            return True
        trial = hidden | {candidate}
        system = self._system(trial, target)
        if system is None:
            return False
        i = system.index[target]
        low = self.low.get(target, self.values[target])
        high = self.high.get(target, self.values[target])
        points = []
        top = system.solve(system.unit(target, -1.0))
        if top.status == 3:
            return False
        if top.status == 0:
            points.append(top.x)
            high = max(high, float(top.x[i]))
        if high - low < WIDE:
            bottom = system.solve(system.unit(target, 1.0))
            if bottom.status == 0:
                points.append(bottom.x)
                low = min(low, float(bottom.x[i]))
        self.trials.append((frozenset(trial), system.cells, points))
        return high - low < WIDE

    def _still_pinned(self, hidden: set[Key], candidate: Key, target: Key) -> bool:
        """LP duality, no solving: the dual solutions of the target's max and min bound how far
        hiding the candidate can move them. True only when that bound keeps the range under 1."""
        bound = self.optima.get(target)
        if bound is None or bound.hidden != self.seen:
            bound = self.optima[target] = self._solve_optima(hidden, target)
        if bound.top is None or bound.bottom is None:
            return False
        column = bound.column(candidate)
        # Reduced cost of the candidate's new column in each problem (objective 0 for it): with
        # it at least 0, the old duals stay feasible, and the candidate (lower bound 0, shown at
        # its true value) can move the optimum by at most value × reduced cost.
        up = -float(column @ bound.top.eqlin.marginals)
        down = -float(column @ bound.bottom.eqlin.marginals)
        if up < -_DUAL_TOL or down < -_DUAL_TOL:
            return False
        # How far the candidate can go below its true value (a secondary cell: to 0).
        value = self.values[candidate]
        slack = value - (1 if 0 < value < self.threshold else 0)
        highest = -bound.top.fun + slack * max(up, 0.0)
        lowest = bound.bottom.fun - slack * max(down, 0.0)
        return highest - lowest < WIDE - _MARGIN

    def _solve_optima(self, hidden: set[Key], target: Key) -> _Optima:
        """The target's max and min LPs for this hidden set (`_pinned` has them already when it
        found the target; a target fixed by the sums alone gets them here)."""
        system = self._system(hidden, target)
        if system is None:
            return _Optima(self.seen, None, None, None)
        top = system.solve(system.unit(target, -1.0))
        bottom = system.solve(system.unit(target, 1.0))
        for result in (top, bottom):
            if result.status == 0:
                self._witness(system.cells, result.x)
        return _Optima(self.seen, system, _solved(top), _solved(bottom))

    def _system(self, hidden: set[Key], target: Key) -> System | None:
        """The LP of the target's group of linked cells (None when it is in no equation)."""
        for cells, group in components(hidden, lines(hidden, self.equations, self.values)):
            if target in cells:
                return System(cells, group, self.values, self.threshold) if group else None
        raise KeyError(target)
