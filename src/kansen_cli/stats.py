"""Statistics for the letter variants: Wilson intervals, the difference between variants, and a
batch-stratified comparison; and for the survey marks: t intervals and Welch's comparison.

Every figure follows statsmodels' formulas step by step (statsmodels 0.15: `proportion_confint`
method "wilson", `confint_proportions_2indep` "newcomb", `test_proportions_2indep` "score",
`StratifiedTable`, `DescrStatsW`, `CompareMeans`), so that a council member's analyst gets the
same figures from those library calls. They are computed here with the standard library
(`stats_dist`) because importing statsmodels and scipy took 1.5 s of a small campaign's 2 s
report; `tests/test_stats.py` compares every function with statsmodels on many inputs. Zero
denominators give `None`, not NaN or a warning: an empty campaign is a normal state, not an error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kansen_cli.stats_dist import chi2_1_sf, norm_isf, norm_sf, t_ppf, t_sf

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


def _wilson_bounds(count: int, nobs: int, alpha: float) -> tuple[float, float]:
    """Wilson's score interval, in statsmodels' order of operations, clipped to [0, 1]."""
    q = count / nobs
    crit = norm_isf(alpha / 2.0)
    crit2 = crit * crit
    denom = 1 + crit2 / nobs
    center = (q + crit2 / (2 * nobs)) / denom
    dist = crit * math.sqrt(q * (1.0 - q) / nobs + crit2 / (4.0 * nobs**2))
    dist /= denom
    return min(max(center - dist, 0.0), 1.0), min(max(center + dist, 0.0), 1.0)


def wilson(count: int, nobs: int, alpha: float = ALPHA) -> Proportion:
    """The proportion count/nobs with its Wilson score interval."""
    if nobs <= 0:
        return Proportion(count, nobs, None, None, None)
    low, high = _wilson_bounds(count, nobs, alpha)
    return Proportion(count, nobs, count / nobs, low, high)


def _sq(x: float) -> float:
    """x squared as numpy squares an array (one rounding), not through pow()."""
    return x * x


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _ratio(top: float, bottom: float) -> float | None:
    """top / bottom as numpy divides: 0/0 is not a number (None), x/0 infinite (None too)."""
    return top / bottom if bottom != 0 else None


def _score_p_value(count1: int, nobs1: int, count2: int, nobs2: int) -> float | None:
    """Two-sided score test of p1 = p2 (Miettinen–Nurminen variance, as statsmodels' "score")."""
    nobs, count = nobs1 + nobs2, count1 + count2
    pooled = count / nobs
    variance = pooled * (1 - pooled) / nobs1 + pooled * (1 - pooled) / nobs2
    variance *= nobs / (nobs - 1)
    z = _ratio(count1 / nobs1 - count2 / nobs2, math.sqrt(variance))
    if z is None:
        # Degenerate tables (0 % or 100 % on both sides): statsmodels gives NaN; we report None.
        return None
    return norm_sf(abs(z)) * 2


def difference(
    first: str, count1: int, nobs1: int, second: str, count2: int, nobs2: int, alpha: float = ALPHA
) -> Difference:
    """Difference of two independent proportions (first − second), Newcombe interval, score test."""
    if nobs1 <= 0 or nobs2 <= 0:
        return Difference(first, second, None, None, None, None)
    p1, p2 = count1 / nobs1, count2 / nobs2
    diff = p1 - p2
    low1, upp1 = _wilson_bounds(count1, nobs1, alpha)
    low2, upp2 = _wilson_bounds(count2, nobs2, alpha)
    # Squared through pow(), as statsmodels squares Python floats here (`** 2`): pow() and x * x
    # differ in the last digit now and then (1 in ~10,000 intervals).
    low = diff - math.sqrt((p1 - low1) ** 2 + (upp2 - p2) ** 2)
    high = diff + math.sqrt((p2 - low2) ** 2 + (upp1 - p1) ** 2)
    p_value = _score_p_value(count1, nobs1, count2, nobs2)
    return Difference(first, second, diff, _finite(low), _finite(high), p_value)


def _np_sum(values: Sequence[float]) -> float:
    """Sum in numpy's order (pairwise, eight accumulators), so that the last digit is numpy's too."""
    n = len(values)
    if n < 8:
        total = -0.0
        for value in values:
            total += value
        return total
    if n <= 128:
        acc = list(values[:8])
        i = 8
        while i < n - n % 8:
            for j in range(8):
                acc[j] += values[i + j]
            i += 8
        total = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
        for value in values[i:]:
            total += value
        return total
    half = n // 2
    half -= half % 8
    return _np_sum(values[:half]) + _np_sum(values[half:])


def stratified(
    first: str, second: str, strata: Sequence[tuple[int, int, int, int]], alpha: float = ALPHA
) -> Stratified:
    """CMH test and pooled odds ratio of `first` vs `second` over strata.

    Each stratum is (spoken_first, nobs_first, spoken_second, nobs_second). Strata where a variant
    is missing carry no comparison and are left out; with none left the result is all None.
    The formulas are statsmodels' `StratifiedTable` (Mantel–Haenszel odds ratio, Robins–Breslow–
    Greenland interval, CMH test without continuity correction).
    """
    tables = [
        (float(k1), float(n1 - k1), float(k2), float(n2 - k2))
        for k1, n1, k2, n2 in strata
        if n1 > 0 and n2 > 0
    ]
    if not tables:
        return Stratified(first, second, 0, None, None, None, None)
    n = [a + b + c + d for a, b, c, d in tables]
    ad = [a * d for a, _, _, d in tables]
    bc = [b * c for _, b, c, _ in tables]
    apd = [a + d for a, _, _, d in tables]
    adns = _np_sum([x / y for x, y in zip(ad, n, strict=True)])
    bcns = _np_sum([x / y for x, y in zip(bc, n, strict=True)])
    ratio = _ratio(adns, bcns)
    low = high = None
    if ratio is not None and ratio > 0 and adns != 0:
        variance = _np_sum([s * x / (y * y) for s, x, y in zip(apd, ad, n, strict=True)]) / _sq(adns)
        mid = [s * x / (y * y) + (1 - s / y) * z / y for s, x, z, y in zip(apd, bc, ad, n, strict=True)]
        variance += _np_sum(mid) / (adns * bcns)
        variance += _np_sum([(1 - s / y) * x / y for s, x, y in zip(apd, bc, n, strict=True)]) / _sq(bcns)
        variance /= 2
        # numpy's exp and log, not math's: on some processors numpy has its own (AVX-512), whose last
        # digit differs from the C library's, and statsmodels' figures are numpy's. The report has
        # imported numpy with pandas already.
        import numpy as np

        log_ratio, spread = np.log(ratio), norm_isf(alpha / 2) * math.sqrt(variance)
        low, high = float(np.exp(log_ratio - spread)), float(np.exp(log_ratio + spread))
    return Stratified(first, second, len(tables), _finite(ratio), _finite(low), _finite(high), _cmh_p(tables))


def _cmh_p(tables: list[tuple[float, float, float, float]]) -> float | None:
    """The CMH test's p-value (chi-square, one degree of freedom, no continuity correction)."""
    excess = _np_sum([a - (a + b) * (a + c) / (a + b + c + d) for a, b, c, d in tables])
    denom = _np_sum(
        [
            (a + b) * (a + c) * (b + d) * (c + d) / (_sq(a + b + c + d) * (a + b + c + d - 1))
            for a, b, c, d in tables
        ]
    )
    statistic = _ratio(_sq(abs(excess)), denom)
    return None if statistic is None or not math.isfinite(statistic) else chi2_1_sf(statistic)


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


def _mean_var(values: Sequence[float]) -> tuple[float, float]:
    """Mean and variance (divided by n, as `DescrStatsW._var`)."""
    n = len(values)
    mean = math.fsum(values) / n
    return mean, math.fsum((v - mean) ** 2 for v in values) / n


def mean_t(values: Sequence[float], alpha: float = ALPHA) -> Mean:
    """Mean, t interval (n − 1 degrees of freedom) and median; the interval needs two values."""
    import statistics

    n = len(values)
    if n == 0:
        return Mean(0, None, None, None, None)
    mean, median = statistics.fmean(values), float(statistics.median(values))
    if n < 2:
        return Mean(n, mean, None, None, median)
    centre, var = _mean_var([float(v) for v in values])
    spread = t_ppf(1 - alpha / 2.0, n - 1) * math.sqrt(var) / math.sqrt(n - 1)
    return Mean(n, mean, _finite(centre - spread), _finite(centre + spread), median)


def welch(first: Sequence[float], second: Sequence[float], alpha: float = ALPHA) -> MeanDifference:
    """Difference of two means without assuming equal variances (Welch–Satterthwaite)."""
    n1, n2 = len(first), len(second)
    if n1 < 2 or n2 < 2:
        return MeanDifference(None, None, None, None, None)
    (mean1, var1), (mean2, var2) = _mean_var([float(v) for v in first]), _mean_var([float(v) for v in second])
    sem1, sem2 = var1 / (n1 - 1), var2 / (n2 - 1)
    difference = mean1 - mean2
    if sem1 + sem2 == 0:
        # Two groups without spread (every mark the same): the statistic is 0/0, reported as None.
        return MeanDifference(difference, None, None, None, None)
    df = 1.0 / ((sem1 / (sem1 + sem2)) ** 2 / (n1 - 1) + (sem2 / (sem1 + sem2)) ** 2 / (n2 - 1))
    std = math.sqrt(sem1 + sem2)
    spread = t_ppf(1 - alpha / 2.0, df) * std
    p_value = t_sf(abs(difference) / std, df) * 2
    return MeanDifference(difference, difference - spread, difference + spread, df, p_value)
