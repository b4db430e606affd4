"""The variant statistics, checked against statsmodels called independently on the same counts."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats import proportion as smp
from statsmodels.stats.contingency_tables import StratifiedTable

from kansen_cli import stats


@pytest.mark.parametrize(("k", "n"), [(6, 10), (0, 7), (7, 7), (130, 250)])
def test_wilson_matches_statsmodels(k: int, n: int) -> None:
    result = stats.wilson(k, n)
    low, high = smp.proportion_confint(k, n, alpha=0.05, method="wilson")
    assert result.rate == pytest.approx(k / n)
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high))


def test_wilson_of_nothing_is_none() -> None:
    assert stats.wilson(0, 0).rate is None and stats.wilson(0, 0).ci_low is None


def test_difference_matches_statsmodels() -> None:
    result = stats.difference("A", 60, 100, "B", 45, 110)
    low, high = smp.confint_proportions_2indep(60, 100, 45, 110, method="newcomb", compare="diff")
    test = smp.test_proportions_2indep(60, 100, 45, 110, method="score", compare="diff")
    assert result.difference == pytest.approx(0.6 - 45 / 110)
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high))
    assert result.p_value == pytest.approx(test.pvalue)
    assert result.ci_low < result.difference < result.ci_high


def test_difference_without_people_is_none() -> None:
    assert stats.difference("A", 0, 0, "B", 3, 5).p_value is None


def test_stratified_matches_statsmodels_and_skips_incomplete_strata() -> None:
    strata = [(2, 4, 3, 5), (1, 2, 2, 3), (3, 4, 2, 4), (5, 9, 0, 0)]
    result = stats.stratified("A", "B", strata)
    table = StratifiedTable(
        [np.array([[2, 2], [3, 2]]), np.array([[1, 1], [2, 1]]), np.array([[3, 1], [2, 2]])]
    )
    assert result.strata == 3
    assert result.odds_ratio == pytest.approx(table.oddsratio_pooled)
    assert result.p_value == pytest.approx(table.test_null_odds(correction=False).pvalue)
    assert (result.ci_low, result.ci_high) == pytest.approx(table.oddsratio_pooled_confint())
    assert stats.stratified("A", "B", [(1, 2, 0, 0)]).odds_ratio is None
