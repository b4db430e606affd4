"""The distributions of `kansen_cli.stats_dist` against scipy's, on many inputs."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kansen_cli import stats_dist

scipy_stats = pytest.importorskip("scipy.stats")

dfs = st.one_of(
    st.integers(min_value=1, max_value=2000).map(float), st.floats(min_value=1.0, max_value=5000.0)
)


def test_the_95_percent_point_is_scipys() -> None:
    assert stats_dist.norm_isf(0.025) == float(scipy_stats.norm.isf(0.025))


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=1e-12, max_value=0.5))
def test_norm_isf(q: float) -> None:
    assert stats_dist.norm_isf(q) == pytest.approx(float(scipy_stats.norm.isf(q)), rel=1e-13)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0.0, max_value=35.0))
def test_norm_sf_and_chi2(z: float) -> None:
    assert stats_dist.norm_sf(z) == pytest.approx(float(scipy_stats.norm.sf(z)), rel=1e-12, abs=1e-300)
    theirs = 1 - float(scipy_stats.chi2.cdf(z * z, 1))
    assert stats_dist.chi2_1_sf(z * z) == pytest.approx(theirs, rel=1e-12, abs=1e-15)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-60.0, max_value=60.0), dfs)
def test_t_sf(t: float, df: float) -> None:
    theirs = float(scipy_stats.t.sf(t, df))
    if abs(t) < 1e-6:
        # There scipy's t.sf loses digits (2e-9 with 1 df: 0.5, where 0.5 − atan(t)/π is
        # 0.49999999936…); the tangent at 0 is exact to O(t³), far below the tolerance.
        theirs = 0.5 - t * float(scipy_stats.t.pdf(0.0, df))
    assert stats_dist.t_sf(t, df) == pytest.approx(theirs, rel=1e-9, abs=1e-300)


def test_t_sf_near_zero_is_the_cauchy_formula_with_one_df() -> None:
    # Student's t with 1 df is the Cauchy distribution: sf(t) = 1/2 − atan(t)/π exactly.
    for t in (2e-9, -3e-9, 1e-8, 0.5, 3.0):
        assert stats_dist.t_sf(t, 1.0) == pytest.approx(0.5 - math.atan(t) / math.pi, rel=1e-12)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([0.51, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995]), dfs)
def test_t_ppf(p: float, df: float) -> None:
    assert stats_dist.t_ppf(p, df) == pytest.approx(float(scipy_stats.t.ppf(p, df)), rel=1e-9)


def test_t_ppf_published_points() -> None:
    # Student's t table, two-sided 95 %: 12.706 (1 df), 4.303 (2), 2.228 (10), 1.984 (100).
    for df, point in [(1, 12.706), (2, 4.303), (10, 2.228), (100, 1.984)]:
        assert round(stats_dist.t_ppf(0.975, df), 3) == point
    assert stats_dist.t_ppf(0.975, 1) == pytest.approx(math.tan(math.pi * 0.475), rel=1e-12)


def test_t_ppf_takes_upper_points_only() -> None:
    with pytest.raises(ValueError):
        stats_dist.t_ppf(0.4, 3)
