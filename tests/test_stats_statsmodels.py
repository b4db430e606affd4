"""`kansen_cli.stats` against statsmodels, the second implementation, on many inputs.

The report computes its statistics with the standard library (importing statsmodels and scipy
took most of a small campaign's report). A council member's analyst who calls statsmodels must
get the same figures: equal to the last digit where the formula is plain arithmetic (Wilson,
Newcombe, the Mantel–Haenszel odds ratio and its interval), and to 1e-12 relative where a
distribution function is evaluated (p-values; scipy's erf/erfc and the incomplete gamma
function are not the C library's), 1e-9 for Student's t.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kansen_cli import stats

statsmodels_proportion = pytest.importorskip("statsmodels.stats.proportion")
contingency = pytest.importorskip("statsmodels.stats.contingency_tables")
weightstats = pytest.importorskip("statsmodels.stats.weightstats")

counts = st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


def close(ours: float | None, theirs: float, rel: float) -> bool:
    """Ours is None exactly where statsmodels' figure is not finite, else within `rel`."""
    if not math.isfinite(theirs):
        return ours is None
    return ours is not None and math.isclose(ours, theirs, rel_tol=rel, abs_tol=1e-300)


@settings(max_examples=400, deadline=None)
@given(counts)
def test_wilson_equals_statsmodels_to_the_last_digit(kn: tuple[int, int]) -> None:
    k, n = kn
    low, high = statsmodels_proportion.proportion_confint(k, n, alpha=0.05, method="wilson")
    result = stats.wilson(k, n)
    assert (result.ci_low, result.ci_high) == (float(low), float(high))


@settings(max_examples=400, deadline=None)
@given(counts, counts)
def test_difference_equals_statsmodels(first: tuple[int, int], second: tuple[int, int]) -> None:
    (k1, n1), (k2, n2) = first, second
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = statsmodels_proportion.confint_proportions_2indep(
            k1, n1, k2, n2, method="newcomb", compare="diff", alpha=0.05
        )
        test = statsmodels_proportion.test_proportions_2indep(k1, n1, k2, n2, method="score", compare="diff")
    result = stats.difference("A", k1, n1, "B", k2, n2)
    assert (result.ci_low, result.ci_high) == (float(low), float(high))
    assert close(result.p_value, float(test.pvalue), 1e-12)


strata_lists = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60),
        st.integers(min_value=0, max_value=60),
        st.integers(min_value=0, max_value=60),
        st.integers(min_value=0, max_value=60),
    ).map(lambda t: (min(t[0], t[1]), t[1], min(t[2], t[3]), t[3])),
    min_size=1,
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(strata_lists)
def test_stratified_equals_statsmodels(strata: list[tuple[int, int, int, int]]) -> None:
    tables = [np.array([[k1, n1 - k1], [k2, n2 - k2]], dtype=float) for k1, n1, k2, n2 in strata if n1 and n2]
    result = stats.stratified("A", "B", strata)
    assert result.strata == len(tables)
    if not tables:
        assert result.odds_ratio is None and result.p_value is None
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        table = contingency.StratifiedTable(tables)
        p_value = float(table.test_null_odds(correction=False).pvalue)
        low, high = table.oddsratio_pooled_confint(alpha=0.05)
        ratio = float(table.oddsratio_pooled)
    assert result.odds_ratio == (ratio if math.isfinite(ratio) else None)
    # The same formulas summed in another order: a last-bit difference in the interval, and a
    # few more digits lost in the p-value's chi-square tail (hypothesis found 4 strata with p
    # 7.5959101665e-05 agreeing to 1.5e-11 only).
    assert close(result.ci_low, float(low), 1e-12)
    assert close(result.ci_high, float(high), 1e-12)
    assert close(result.p_value, p_value, 1e-9) or (p_value < 1e-15 and result.p_value is not None)


marks = st.lists(st.integers(min_value=1, max_value=10).map(float), min_size=0, max_size=400)


@settings(max_examples=300, deadline=None)
@given(marks)
def test_mean_t_equals_statsmodels(values: list[float]) -> None:
    result = stats.mean_t(values)
    if len(values) < 2:
        assert result.ci_low is None and result.nobs == len(values)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = weightstats.DescrStatsW(values).tconfint_mean(alpha=0.05)
    assert close(result.ci_low, float(low), 1e-9)
    assert close(result.ci_high, float(high), 1e-9)


@settings(max_examples=300, deadline=None)
@given(marks, marks)
def test_welch_equals_statsmodels(first: list[float], second: list[float]) -> None:
    result = stats.welch(first, second)
    if len(first) < 2 or len(second) < 2:
        assert result == stats.MeanDifference(None, None, None, None, None)
        return
    compare = weightstats.CompareMeans(weightstats.DescrStatsW(first), weightstats.DescrStatsW(second))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = compare.tconfint_diff(alpha=0.05, usevar="unequal")
        _, p_value, df = compare.ttest_ind(usevar="unequal")
    assert result.difference == pytest.approx(compare.d1.mean - compare.d2.mean, abs=1e-12)
    assert close(result.ci_low, float(low), 1e-9) or abs(result.ci_low - low) < 1e-12  # type: ignore[operator]
    assert close(result.ci_high, float(high), 1e-9) or abs(result.ci_high - high) < 1e-12  # type: ignore[operator]
    assert close(result.df, float(df), 1e-12)
    assert close(result.p_value, float(p_value), 1e-9)


def test_the_report_does_not_import_statsmodels_or_scipy() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from kansen_cli import stats; "
        "stats.wilson(3, 7); stats.difference('A', 3, 7, 'B', 2, 9); "
        "stats.stratified('A', 'B', [(1, 3, 2, 4), (2, 5, 1, 3)]); "
        "stats.mean_t([7.0, 8.0, 6.0]); stats.welch([7.0, 8.0], [5.0, 9.0]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('statsmodels', 'scipy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
