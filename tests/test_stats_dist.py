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
    assert stats_dist.t_sf(t, df) == pytest.approx(float(scipy_stats.t.sf(t, df)), rel=1e-9, abs=1e-300)


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
