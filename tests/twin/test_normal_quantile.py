"""twin.normal_quantile (AS 241, Wichura 1988) against scipy.special.ndtri and Python's statistics module."""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from scipy.special import ndtri

from twin.normal_quantile import standard_normal_quantile

pytestmark = pytest.mark.unit


def _probabilities() -> np.ndarray:
    rng = np.random.default_rng(20261130)
    # the body, both tails down to the 1e-12 clip the latent defect sizes use, and the branch edges
    edges = [1e-12, 1.0 - 1e-12, 0.5, 0.075, 0.925, 0.5 - 0.425, 0.5 + 0.425, float(np.exp(-25.0))]
    return np.concatenate([rng.random(20_000), 10.0 ** -rng.uniform(0.0, 12.0, 5_000),
                           1.0 - 10.0 ** -rng.uniform(0.0, 12.0, 5_000), edges])


def test_it_agrees_with_scipy_ndtri_to_floating_point_noise():
    p = _probabilities()
    ours, scipys = standard_normal_quantile(p), ndtri(p)
    assert np.allclose(ours, scipys, rtol=2e-15, atol=1e-14)


def test_it_is_the_same_algorithm_as_pythons_normal_dist():
    p = _probabilities()[::10]
    expected = np.array([statistics.NormalDist().inv_cdf(float(x)) for x in p])  # AS 241 in CPython
    assert np.array_equal(standard_normal_quantile(p), expected)


def test_known_quantiles_and_symmetry():
    # Phi^-1(0.975) = 1.959963984540054 (standard tables, 16 digits)
    assert standard_normal_quantile(np.array([0.975]))[0] == pytest.approx(1.959963984540054, rel=1e-15)
    assert standard_normal_quantile(np.array([0.5]))[0] == 0.0
    p = np.arange(1, 2**20) / 2**20  # dyadic: 1 - p is exact, so Phi^-1(1 - p) = -Phi^-1(p) exactly
    assert np.array_equal(standard_normal_quantile(1.0 - p), -standard_normal_quantile(p))


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5, float("nan")])
def test_a_probability_outside_the_open_unit_interval_is_refused(bad):
    with pytest.raises(ValueError, match="0 < p < 1"):
        standard_normal_quantile(np.array([0.3, bad]))
