"""Statistics for the letter variants: Wilson intervals, the difference between variants, and a
batch-stratified comparison.

Every figure comes from statsmodels, never from a hand-made formula, so that a council member's
analyst can reproduce it with the same library calls. Zero denominators give `None`, not NaN or a
warning: an empty campaign is a normal state, not an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ALPHA = 0.05
# Newcombe's interval for a difference is built from the two Wilson intervals, so the difference
# and the per-variant intervals tell the same story; the score test belongs to the same family.
DIFF_CI_METHOD = "newcomb"
DIFF_TEST_METHOD = "score"


@dataclass(frozen=True)
class Proportion:
    """k out of n with its 95 % Wilson interval (all None when n is 0)."""

    count: int
    nobs: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class Difference:
    """rate(first) − rate(second) with interval and two-sided p-value (None when not computable)."""

    first: str
    second: str
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


@dataclass(frozen=True)
class Stratified:
    """Cochran–Mantel–Haenszel comparison of two variants over batches (strata)."""

    first: str
    second: str
    strata: int
    odds_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


def wilson(count: int, nobs: int, alpha: float = ALPHA) -> Proportion:
    """The proportion count/nobs with its Wilson score interval."""
    if nobs <= 0:
        return Proportion(count, nobs, None, None, None)
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(count, nobs, alpha=alpha, method="wilson")
    return Proportion(count, nobs, count / nobs, float(low), float(high))


def _finite(value: float) -> float | None:
    import math

    value = float(value)
    return value if math.isfinite(value) else None


def difference(
    first: str, count1: int, nobs1: int, second: str, count2: int, nobs2: int, alpha: float = ALPHA
) -> Difference:
    """Difference of two independent proportions (first − second), Newcombe interval, score test."""
    if nobs1 <= 0 or nobs2 <= 0:
        return Difference(first, second, None, None, None, None)
    import warnings

    from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

    diff = count1 / nobs1 - count2 / nobs2
    with warnings.catch_warnings():
        # Degenerate tables (0 % or 100 % on both sides) make statsmodels warn; we report None.
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = confint_proportions_2indep(
            count1, nobs1, count2, nobs2, method=DIFF_CI_METHOD, compare="diff", alpha=alpha
        )
        test = test_proportions_2indep(count1, nobs1, count2, nobs2, method=DIFF_TEST_METHOD, compare="diff")
    return Difference(first, second, diff, _finite(low), _finite(high), _finite(test.pvalue))


def stratified(
    first: str, second: str, strata: Sequence[tuple[int, int, int, int]], alpha: float = ALPHA
) -> Stratified:
    """CMH test and pooled odds ratio of `first` vs `second` over strata.

    Each stratum is (spoken_first, nobs_first, spoken_second, nobs_second). Strata where a variant
    is missing carry no comparison and are left out; with none left the result is all None.
    """
    import numpy as np

    tables = [
        np.array([[k1, n1 - k1], [k2, n2 - k2]], dtype=float)
        for k1, n1, k2, n2 in strata
        if n1 > 0 and n2 > 0
    ]
    if not tables:
        return Stratified(first, second, 0, None, None, None, None)
    import warnings

    from statsmodels.stats.contingency_tables import StratifiedTable

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        table = StratifiedTable(tables)
        test = table.test_null_odds(correction=False)
        low, high = table.oddsratio_pooled_confint(alpha=alpha)
        ratio = table.oddsratio_pooled
    return Stratified(
        first, second, len(tables), _finite(ratio), _finite(low), _finite(high), _finite(test.pvalue)
    )


@dataclass(frozen=True)
class Mean:
    """The mean of n marks with its 95 % t interval, and the median (None where not computable)."""

    nobs: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    median: float | None


@dataclass(frozen=True)
class MeanDifference:
    """mean(first) − mean(second) with Welch's interval, its degrees of freedom and p-value."""

    difference: float | None
    ci_low: float | None
    ci_high: float | None
    df: float | None
    p_value: float | None


def mean_t(values: Sequence[float], alpha: float = ALPHA) -> Mean:
    """Mean, t interval (n − 1 degrees of freedom) and median; the interval needs two values."""
    import statistics

    n = len(values)
    if n == 0:
        return Mean(0, None, None, None, None)
    mean, median = statistics.fmean(values), float(statistics.median(values))
    if n < 2:
        return Mean(n, mean, None, None, median)
    from statsmodels.stats.weightstats import DescrStatsW

    low, high = DescrStatsW(list(map(float, values))).tconfint_mean(alpha=alpha)
    return Mean(n, mean, _finite(low), _finite(high), median)


def welch(first: Sequence[float], second: Sequence[float], alpha: float = ALPHA) -> MeanDifference:
    """Difference of two means without assuming equal variances (Welch–Satterthwaite)."""
    if len(first) < 2 or len(second) < 2:
        return MeanDifference(None, None, None, None, None)
    import warnings

    from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

    compare = CompareMeans(DescrStatsW(list(map(float, first))), DescrStatsW(list(map(float, second))))
    with warnings.catch_warnings():
        # Two groups without spread (every mark the same) make the statistic 0/0: reported as None.
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = compare.tconfint_diff(alpha=alpha, usevar="unequal")
        _, p_value, df = compare.ttest_ind(usevar="unequal")
    difference = compare.d1.mean - compare.d2.mean
    return MeanDifference(_finite(difference), _finite(low), _finite(high), _finite(df), _finite(p_value))
