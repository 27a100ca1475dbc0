"""log_add_exp (numpy's vector exp and log1p) against numpy.logaddexp, the reference it replaced."""

import numpy as np
import pytest

from process_models._log_sums import log_add_exp

pytestmark = pytest.mark.unit


def test_equals_numpy_logaddexp_to_round_off_over_the_domain():
    # ln Theta of firings spans roughly -60..+60 (ln s/K); gaps from 0 to past where e^-gap underflows
    rng = np.random.default_rng(20261130)
    a = rng.uniform(-80.0, 80.0, 1_000_000)
    b = a + rng.choice([-1.0, 1.0], a.size) * np.concatenate(
        [rng.uniform(0.0, 1.0, a.size // 2), rng.exponential(20.0, a.size - a.size // 2)])
    reference = np.logaddexp(a, b)
    fused = log_add_exp(a, b)
    # The error of ln Theta is the relative error of Theta itself (d ln x = dx / x): bound it absolutely
    # (a relative bound on ln Theta would blow up where Theta_a + Theta_b is near 1 s/K, ln near 0).
    # Measured: 2,590 of the 1e6 sums differ, by at most 1.4e-14 in ln Theta (a last bit of max(a, b)).
    assert np.max(np.abs(fused - reference)) < 1e-12
    assert np.count_nonzero(fused != reference) < 0.01 * a.size


@pytest.mark.parametrize(("a", "b", "expected"), [
    (-np.inf, -np.inf, -np.inf),   # both works zero: the gap inf - inf is NaN, the sum stays -inf
    (np.inf, np.inf, np.inf),
    (-np.inf, 3.0, 3.0),           # a zero work adds nothing (HIP on open pores)
    (3.0, -np.inf, 3.0),
    (2.0, 2.0, 2.0 + np.log(2.0)),
])
def test_special_values_as_numpy_logaddexp(a, b, expected):
    assert log_add_exp(np.array([a]), np.array([b]))[0] == pytest.approx(expected, rel=1e-15)
    assert np.logaddexp(a, b) == pytest.approx(expected, rel=1e-15)


def test_nan_propagates():
    assert np.isnan(log_add_exp(np.array([np.nan, 1.0]), np.array([1.0, np.nan]))).all()


def test_broadcasts_a_scalar_and_returns_a_fresh_array():
    a = np.array([0.0, 1.0, 2.0])
    out = log_add_exp(a, 0.5)
    assert out is not a and out.shape == (3,)
    np.testing.assert_allclose(out, np.logaddexp(a, 0.5), rtol=1e-15)
    assert a.tolist() == [0.0, 1.0, 2.0]
