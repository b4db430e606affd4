"""The variant statistics, checked against Newcombe's published worked examples and against the
formulas written out again here in a few lines of plain math (statsmodels, whose formulas the
code under test follows, is the reference of tests/test_stats_statsmodels.py).

Newcombe RG (1998a), Two-sided confidence intervals for the single proportion: comparison of
seven methods. Stat Med 17:857–872, Table II, method 3 (Wilson score, no continuity correction).
Newcombe RG (1998b), Interval estimation for the difference between independent proportions:
comparison of eleven methods. Stat Med 17:873–890, Table II, method 10 (hybrid score, no
continuity correction). Only examples that the hand formulas below reproduce to 4 decimals are
used: 6/7 − 2/7 (given to us as 0.0381 to 0.8024) gives 0.0582 to 0.8062 by hand and is left out.
"""

from __future__ import annotations

import math

import pytest

from kansen_cli import stats

Z = 1.959963984540054  # the 97.5 % point of the standard normal


def wilson_by_hand(r: int, n: int) -> tuple[float, float]:
    """Wilson's score interval: (2r + z² ∓ z √(z² + 4r(1 − r/n))) / 2(n + z²)."""
    spread = Z * math.sqrt(Z * Z + 4 * r * (1 - r / n))
    return (2 * r + Z * Z - spread) / (2 * (n + Z * Z)), (2 * r + Z * Z + spread) / (2 * (n + Z * Z))


def newcombe_by_hand(r1: int, n1: int, r2: int, n2: int) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p1 − p2, from the two Wilson intervals."""
    p1, p2 = r1 / n1, r2 / n2
    (l1, u1), (l2, u2) = wilson_by_hand(r1, n1), wilson_by_hand(r2, n2)
    return (
        p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def score_p_by_hand(r1: int, n1: int, r2: int, n2: int) -> float:
    """Two-sided score test of p1 = p2: pooled proportion, Miettinen–Nurminen variance n/(n − 1)."""
    n = n1 + n2
    pooled = (r1 + r2) / n
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2) * n / (n - 1)
    return math.erfc(abs(r1 / n1 - r2 / n2) / math.sqrt(variance) / math.sqrt(2))


def cmh_by_hand(strata: list[tuple[int, int, int, int]]) -> tuple[float, float, float, float]:
    """Mantel–Haenszel odds ratio, its Robins–Breslow–Greenland 95 % interval, and the CMH test
    without continuity correction; strata as (spoken1, nobs1, spoken2, nobs2), incomplete ones out."""
    tables = [(k1, n1 - k1, k2, n2 - k2) for k1, n1, k2, n2 in strata if n1 > 0 and n2 > 0]
    r = [a * d / (a + b + c + d) for a, b, c, d in tables]
    s = [b * c / (a + b + c + d) for a, b, c, d in tables]
    p = [(a + d) / (a + b + c + d) for a, b, c, d in tables]
    q = [(b + c) / (a + b + c + d) for a, b, c, d in tables]
    ratio = sum(r) / sum(s)
    variance = (
        sum(pi * ri for pi, ri in zip(p, r, strict=True)) / (2 * sum(r) ** 2)
        + sum(pi * si + qi * ri for pi, qi, ri, si in zip(p, q, r, s, strict=True)) / (2 * sum(r) * sum(s))
        + sum(qi * si for qi, si in zip(q, s, strict=True)) / (2 * sum(s) ** 2)
    )
    spread = Z * math.sqrt(variance)
    excess = sum(a - (a + b) * (a + c) / (a + b + c + d) for a, b, c, d in tables)
    variance_a = sum(
        (a + b) * (c + d) * (a + c) * (b + d) / ((a + b + c + d) ** 2 * (a + b + c + d - 1))
        for a, b, c, d in tables
    )
    chi2 = excess**2 / variance_a
    return ratio, ratio * math.exp(-spread), ratio * math.exp(spread), math.erfc(math.sqrt(chi2 / 2))


WILSON_1998A = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]
NEWCOMBE_1998B = [
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (5, 56, 0, 29, -0.0381, 0.1926),
    (0, 10, 0, 20, -0.1611, 0.2775),
    (0, 10, 0, 10, -0.2775, 0.2775),
]


@pytest.mark.parametrize(("r", "n", "low", "high"), WILSON_1998A)
def test_wilson_reproduces_newcombe_1998a(r: int, n: int, low: float, high: float) -> None:
    assert tuple(round(v, 4) for v in wilson_by_hand(r, n)) == (low, high)  # the hand formula is right
    result = stats.wilson(r, n)
    assert result.rate == pytest.approx(r / n)
    assert (round(result.ci_low, 4), round(result.ci_high, 4)) == (low, high)


@pytest.mark.parametrize(("r", "n"), [(6, 10), (0, 7), (7, 7), (130, 250), (7, 12)])
def test_wilson_equals_the_formula(r: int, n: int) -> None:
    result = stats.wilson(r, n)
    assert (result.ci_low, result.ci_high) == pytest.approx(wilson_by_hand(r, n), abs=1e-12)


def test_wilson_of_nothing_is_none() -> None:
    assert stats.wilson(0, 0).rate is None and stats.wilson(0, 0).ci_low is None


@pytest.mark.parametrize(("r1", "n1", "r2", "n2", "low", "high"), NEWCOMBE_1998B)
def test_difference_reproduces_newcombe_1998b(
    r1: int, n1: int, r2: int, n2: int, low: float, high: float
) -> None:
    assert tuple(round(v, 4) for v in newcombe_by_hand(r1, n1, r2, n2)) == (low, high)
    result = stats.difference("A", r1, n1, "B", r2, n2)
    assert result.difference == pytest.approx(r1 / n1 - r2 / n2)
    assert (round(result.ci_low, 4), round(result.ci_high, 4)) == (low, high)


def test_difference_equals_the_formulas() -> None:
    result = stats.difference("A", 60, 100, "B", 45, 110)
    assert result.difference == pytest.approx(0.6 - 45 / 110)
    assert (result.ci_low, result.ci_high) == pytest.approx(newcombe_by_hand(60, 100, 45, 110), abs=1e-12)
    assert result.p_value == pytest.approx(score_p_by_hand(60, 100, 45, 110), rel=1e-9)
    assert result.ci_low < result.difference < result.ci_high


def test_score_test_without_any_difference_in_the_data_is_none() -> None:
    # Nobody responded on either side: the pooled variance is 0 and there is no test.
    assert stats.difference("A", 0, 10, "B", 0, 20).p_value is None


def test_difference_without_people_is_none() -> None:
    assert stats.difference("A", 0, 0, "B", 3, 5).p_value is None


def test_stratified_equals_the_formulas_and_skips_incomplete_strata() -> None:
    strata = [(2, 4, 3, 5), (1, 2, 2, 3), (3, 4, 2, 4), (5, 9, 0, 0)]
    result = stats.stratified("A", "B", strata)
    ratio, low, high, p_value = cmh_by_hand(strata)
    # By hand from the three complete strata: Σ ad/n = 4/9 + 1/5 + 6/8, Σ bc/n = 6/9 + 2/5 + 2/8.
    assert ratio == pytest.approx((4 / 9 + 1 / 5 + 6 / 8) / (6 / 9 + 2 / 5 + 2 / 8))
    assert result.strata == 3
    assert result.odds_ratio == pytest.approx(ratio, rel=1e-12)
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=1e-9)
    assert result.p_value == pytest.approx(p_value, rel=1e-9)
    assert stats.stratified("A", "B", [(1, 2, 0, 0)]).odds_ratio is None
