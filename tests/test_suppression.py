"""--publish suppression: every small count hidden, and no hidden count recoverable from what is shown."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kansen_cli.suppression import Equation, narrow, primary, suppress

THRESHOLD = 5


def grid(cells: list[list[int]]) -> tuple[dict, list[Equation]]:
    """A table with row totals, column totals and a grand total, as keys and equations."""
    rows, cols = len(cells), len(cells[0])
    values = {(r, c): cells[r][c] for r in range(rows) for c in range(cols)}
    for r in range(rows):
        values[(r, "T")] = sum(cells[r])
    for c in range(cols):
        values[("T", c)] = sum(cells[r][c] for r in range(rows))
    values[("T", "T")] = sum(map(sum, cells))
    equations = [Equation((r, "T"), tuple((r, c) for c in range(cols))) for r in range(rows)]
    equations += [Equation(("T", c), tuple((r, c) for r in range(rows))) for c in range(cols)]
    equations.append(Equation(("T", "T"), tuple(("T", c) for c in range(cols))))
    equations.append(Equation(("T", "T"), tuple((r, "T") for r in range(rows))))
    return values, equations


def recoverable(values: dict, equations: list[Equation], hidden: set) -> set:
    """Independent check by rank: x_k is fixed iff e_k lies in the row space of the hidden system."""
    order = sorted(hidden, key=repr)
    if not order:
        return set()
    index = {k: i for i, k in enumerate(order)}
    matrix = []
    for eq in equations:
        row = np.zeros(len(order))
        for key, sign in [(eq.total, -1.0), *((p, 1.0) for p in eq.parts)]:
            if key in index:
                row[index[key]] += sign
        if row.any():
            matrix.append(row)
    if not matrix:
        return set()
    a = np.array(matrix)
    rank = np.linalg.matrix_rank(a)
    found = set()
    for key, i in index.items():
        unit = np.zeros(len(order))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.add(key)
    return found


def pinned(values: dict, equations: list[Equation], hidden: set) -> set:
    """Independent check with bounds: every key is a variable, shown ones fixed at their value,
    hidden primary ones at least 1, hidden secondary ones at least 0; a hidden non-zero key whose LP
    range is under 1 is pinned."""
    from scipy.optimize import linprog

    order = sorted(values, key=repr)
    index = {k: i for i, k in enumerate(order)}
    a = np.zeros((len(equations), len(order)))
    for r, eq in enumerate(equations):
        a[r, index[eq.total]] -= 1
        for part in eq.parts:
            a[r, index[part]] += 1
    bounds = [
        (values[k], values[k]) if k not in hidden else ((1, None) if 0 < values[k] < THRESHOLD else (0, None))
        for k in order
    ]
    found = set()
    for key in hidden:
        if values[key] == 0:
            continue
        c = np.zeros(len(order))
        c[index[key]] = 1
        low = linprog(c, A_eq=a, b_eq=np.zeros(len(equations)), bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a, b_eq=np.zeros(len(equations)), bounds=bounds, method="highs")
        assert low.status == 0
        if high.status == 3:
            continue
        if high.x[index[key]] - low.x[index[key]] < 1 - 1e-6:
            found.add(key)
    return found


tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 14), min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_random_tables_hide_small_counts_and_leak_nothing(cells: list[list[int]]) -> None:
    values, equations = grid(cells)
    hidden = suppress(values, equations, THRESHOLD)
    assert {k for k, v in values.items() if 1 <= v <= THRESHOLD - 1} <= hidden
    assert not recoverable(values, equations, hidden)
    assert not pinned(values, equations, hidden)
    for eq in equations:
        line = [eq.total, *eq.parts]
        hidden_in_line = sum(k in hidden for k in line)
        # A line with exactly one hidden cell gives that cell away by subtraction.
        assert hidden_in_line != 1


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=4), min_size=1, max_size=4))
def test_linked_tables_groups_and_their_total(groups: list[list[int]]) -> None:
    # The two tables share the total, so suppression must hold across them.
    values, equations = linked(groups)
    hidden = suppress(values, equations, THRESHOLD)
    assert primary(values, THRESHOLD) <= hidden
    assert not recoverable(values, equations, hidden)
    assert not pinned(values, equations, hidden)


def test_zero_is_not_suppressed_and_the_smallest_partner_is_chosen() -> None:
    values = {"a": 3, "b": 0, "c": 10, "d": 12, "total": 25}
    equations = [Equation("total", ("a", "b", "c", "d"))]
    hidden = suppress(values, equations, THRESHOLD)
    # 3 is primary; the total is shown, so the smallest other non-empty cell (10) goes too.
    assert hidden == {"a", "c"}


def test_a_small_total_is_suppressed_too() -> None:
    values, equations = grid([[1, 2], [0, 1]])
    hidden = suppress(values, equations, THRESHOLD)
    assert ("T", "T") in hidden
    assert not recoverable(values, equations, hidden)


def test_nothing_small_means_nothing_hidden() -> None:
    values, equations = grid([[5, 0], [7, 9]])
    assert suppress(values, equations, THRESHOLD) == set()


def linked(groups: list[list[int]]) -> tuple[dict, list[Equation]]:
    """Batches within neighbourhoods: batch counts add up to their neighbourhood, neighbourhoods
    to the total, and the batches to the total too (the report's two reach tables)."""
    values: dict = {}
    equations = []
    for g, parts in enumerate(groups):
        for i, v in enumerate(parts):
            values[("batch", g, i)] = v
        values[("wijk", g)] = sum(parts)
        equations.append(Equation(("wijk", g), tuple(("batch", g, i) for i in range(len(parts)))))
    values["total"] = sum(map(sum, groups))
    equations.append(Equation("total", tuple(("wijk", g) for g in range(len(groups)))))
    equations.append(
        Equation("total", tuple(("batch", g, i) for g, parts in enumerate(groups) for i in range(len(parts))))
    )
    return values, equations


def test_hidden_counts_cannot_be_solved_with_their_lower_bound() -> None:
    # Review finding (issue 6): only b and c were hidden; 12 = 10 + b + c with b, c >= 1 gives
    # b = c = 1, although no linear combination of the sums fixes them.
    values = {"T": 12, "a": 10, "b": 1, "c": 1}
    equations = [Equation("T", ("a", "b", "c"))]
    assert narrow(values, {"b", "c"}, equations, THRESHOLD) == {"b", "c"}
    hidden = suppress(values, equations, THRESHOLD)
    assert {"b", "c"} < hidden
    assert not pinned(values, equations, hidden)


# ---- the remembering reader against the plain one ------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(tables, st.integers(2, 8))
def test_fast_suppression_hides_what_the_plain_search_hides_in_tables(
    cells: list[list[int]], threshold: int
) -> None:
    # The plain reader solves every question from scratch; the fast one remembers witnesses and
    # uses duality bounds. Same greedy search, so the same answers must give the same hidden set.
    values, equations = grid(cells)
    assert suppress(values, equations, threshold) == suppress(values, equations, threshold, plain=True)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=4), min_size=1, max_size=4),
    tables,
)
def test_fast_suppression_hides_what_the_plain_search_hides_across_tables(
    groups: list[list[int]], cells: list[list[int]]
) -> None:
    # Linked tables plus a grid whose grand total is also the linked tables' total, as the
    # report's reach, variant and outcome tables share their totals.
    values, equations = linked(groups)
    more, more_equations = grid(cells)
    values.update({("grid", k): v for k, v in more.items()})
    for eq in more_equations:
        equations.append(Equation(("grid", eq.total), tuple(("grid", p) for p in eq.parts)))
    if values[("grid", ("T", "T"))] == values["total"]:
        equations.append(Equation("total", (("grid", ("T", "T")),)))
    assert suppress(values, equations, THRESHOLD) == suppress(values, equations, THRESHOLD, plain=True)


def test_the_fast_reader_starts_over_when_the_hidden_set_shrinks() -> None:
    # Its memory holds for a growing hidden set only; asked about a smaller one it must forget.
    from kansen_cli.suppression import PlainReader
    from kansen_cli.suppression_memo import MemoReader

    values = {"T": 12, "a": 10, "b": 1, "c": 1}
    equations = [Equation("T", ("a", "b", "c"))]
    fast, plain = MemoReader(values, equations, THRESHOLD), PlainReader(values, equations, THRESHOLD)
    for hidden in ({"a", "b", "c"}, {"b", "c"}, {"a", "b", "c", "T"}):
        assert fast.first_exposed(set(hidden)) == plain.first_exposed(set(hidden))
        assert fast.exposed_with(set(hidden), "T", "b") == plain.exposed_with(set(hidden), "T", "b")
