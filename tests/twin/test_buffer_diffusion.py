"""The diffusion tilt of the buffer level law (twin.buffer_levels): the reflected Brownian motion's stationary law,
its agreement with the M/M/1/K where both hold, and the variance rates it is fed (breakdowns, QNA departures)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twin.buffer_levels import (
    breakdown_unit_scv,
    departure_scv,
    diffusion_tilt,
    level_fraction,
    load_tilt,
    mean_level_fraction,
)


@pytest.mark.unit
def test_the_tilt_limits():
    # balanced: uniform; no variability: a deterministic buffer, full or empty
    assert diffusion_tilt(0.0, 3.0, 100.0) == 0.0
    assert diffusion_tilt(0.0, 0.0, 100.0) == 0.0
    assert diffusion_tilt(0.1, 0.0, 100.0) == math.inf
    assert diffusion_tilt(-0.1, 0.0, 100.0) == -math.inf
    # a = 2 mu K / sigma^2 by hand
    assert diffusion_tilt(-0.15, 4.5, 4000.0) == pytest.approx(-2 * 0.15 * 4000 / 4.5, rel=1e-15)
    with pytest.raises(ValueError, match="variance_per_s -1"):
        diffusion_tilt(0.1, -1.0, 10.0)


@pytest.mark.unit
@pytest.mark.parametrize("load", [0.99, 1.01])
def test_with_poisson_sheets_in_and_out_it_is_the_mm1k_tilt_near_balance(load):
    # single sheets at exponential intervals: the counts' variance rates are their rates, sigma^2 = lambda + mu;
    # 2 (lambda - mu) K / (lambda + mu) = K ln(rho) + O((rho - 1)^3)
    served_per_s, places = 0.5, 2000.0
    arriving_per_s = load * served_per_s
    tilt = diffusion_tilt(arriving_per_s - served_per_s, arriving_per_s + served_per_s, places)
    assert tilt == pytest.approx(load_tilt(load, places), rel=1e-4)


@pytest.mark.unit
def test_the_law_is_the_stationary_level_of_a_reflected_brownian_buffer():
    # 2,000 seeded random walks with drift mu and variance sigma^2 per second, reflected at 0 and K, started
    # from the law itself: they stay in it, mean K m(2 mu K / sigma^2) (Harrison 1985, ch. 5 §6)
    rng = np.random.default_rng(20261130)
    drift, variance, places, dt = -0.5, 1.0, 1.0, 1e-4
    tilt = diffusion_tilt(drift, variance, places)
    assert tilt == pytest.approx(-1.0)
    level = places * level_fraction(rng.random(2000), tilt)
    means = []
    for step in range(4000):
        level += drift * dt + math.sqrt(variance * dt) * rng.standard_normal(level.size)
        np.abs(level, out=level)                                # reflected at empty
        np.minimum(level, 2 * places - level, out=level)        # and at full
        if step % 100 == 99:
            means.append(level.mean())
    # the walk's reflection error is O(sqrt(dt)) ~ 0.01; the ensemble's own spread 0.29 / sqrt(2000) ~ 0.007
    assert np.mean(means) == pytest.approx(places * mean_level_fraction(tilt), abs=0.02)
    assert mean_level_fraction(tilt) == pytest.approx(1 / (1 - math.e) + 1, rel=1e-12)   # 0.418


@pytest.mark.unit
def test_breakdown_scv_by_hand():
    # Hopp & Spearman 2008 §8.4.2: c_e^2 = c_0^2 + (1 + c_r^2) A (1 - A) m_r / t_0; A = 100 / 110
    availability = 100.0 / 110.0
    assert breakdown_unit_scv(5.0, availability, 10.0) == pytest.approx(2 * availability * (1 - availability) * 2.0)
    assert breakdown_unit_scv(5.0, 1.0, 0.0) == 0.0        # never fails, fixed times: no variability
    assert breakdown_unit_scv(5.0, availability, 10.0, repair_scv=0.0, natural_scv=0.25) == pytest.approx(
        0.25 + availability * (1 - availability) * 2.0)
    with pytest.raises(ValueError, match="availability 0"):
        breakdown_unit_scv(5.0, 0.0, 10.0)


@pytest.mark.unit
def test_breakdowns_give_the_variance_rate_of_a_simulated_machine():
    # a machine making 1 sheet/s while up, up ~ Exp(100 s), down ~ Exp(10 s) (exponential, as the plant
    # draws them): the variance of its output over long windows grows at r u c_e^2 / t_e = 2 r^2 A^2 (1 - A) m_r
    rng = np.random.default_rng(7)
    mtbf, mttr, rate, unit = 100.0, 10.0, 1.0, 5.0
    cycles = 400_000
    up, down = rng.exponential(mtbf, cycles), rng.exponential(mttr, cycles)
    ends = np.cumsum(np.column_stack((up, down)).ravel())                 # the end of each up and down spell
    made = np.cumsum(np.column_stack((up * rate, np.zeros(cycles))).ravel())
    window = 20_000.0
    edges = np.arange(0.0, ends[-1] - window, window)
    count = np.interp(edges, np.concatenate(([0.0], ends)), np.concatenate(([0.0], made)))
    per_window = np.diff(count)
    availability = mtbf / (mtbf + mttr)
    expected = rate * availability * unit * breakdown_unit_scv(unit / rate, availability, mttr)
    assert expected == pytest.approx(2 * rate ** 2 * availability ** 2 * (1 - availability) * mttr, rel=1e-12)
    # ~2,000 windows: the variance's own error ~3 %; the window's finite length ~1 % (110 s cycles)
    assert per_window.var() / window == pytest.approx(expected, rel=0.12)
    assert per_window.mean() / window == pytest.approx(rate * availability, rel=0.01)


@pytest.mark.unit
def test_departures_of_a_station():
    # an idle station passes on what arrives; a saturated single machine sends its own variability
    assert departure_scv(2.5, 0.1, 0.0, 1) == pytest.approx(2.5)
    assert departure_scv(2.5, 0.1, 1.0, 1) == pytest.approx(0.1)
    # M/M/m: Poisson in, exponential service: Poisson out at any load (Burke 1956)
    for load in (0.2, 0.7, 0.95):
        for machines in (1, 4, 32):
            assert departure_scv(1.0, 1.0, load, machines) == pytest.approx(1.0, rel=1e-12)
    # many fixed-time machines in parallel blur towards Poisson (superposed streams): Whitt's QNA, 1983
    assert departure_scv(0.0, 0.0, 1.0, 4) == pytest.approx(0.5)
    assert departure_scv(0.0, 0.0, 1.5, 4) == departure_scv(0.0, 0.0, 1.0, 4)   # rho clipped to 1
