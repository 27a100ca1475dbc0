"""The buffer level law the evaluation draws (twin.buffer_levels): limits, the M/M/1/K mean, monotone in load."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twin.buffer_levels import level_fraction, load_tilt, mean_level_fraction, mm1k_mean_customers

UNIFORMS = (np.arange(20_000) + 0.5) / 20_000   # one per stratum: the law's quantiles, no sampling noise


@pytest.mark.unit
def test_at_load_one_the_level_is_uniform():
    assert load_tilt(1.0, 7.0) == 0.0
    assert np.array_equal(level_fraction(UNIFORMS, 0.0), UNIFORMS)
    assert mean_level_fraction(0.0) == 0.5
    # M/M/1/K at rho = 1: p_n = 1/(K+1), mean K/2 (Gross & Harris 2008 §2.5)
    assert mm1k_mean_customers(1.0, 10) == 5.0


@pytest.mark.unit
@pytest.mark.parametrize("load", [1e-6, 0.01])
def test_a_light_load_leaves_the_buffer_empty(load):
    levels = level_fraction(UNIFORMS, load_tilt(load, 50.0))
    # a buffer of 50 places at load <= 0.01 (tilt <= -230): mean -1/a, 99 % of sheets find it < 2 % full
    assert levels.mean() < 0.005
    assert np.quantile(levels, 0.99) < 0.02
    assert level_fraction(UNIFORMS, load_tilt(0.0, 50.0)).max() == 0.0     # rho = 0: never anything waiting
    assert mm1k_mean_customers(load, 50) == pytest.approx(load / (1 - load), rel=1e-9)   # M/M/1 at light load


@pytest.mark.unit
@pytest.mark.parametrize("load", [100.0, 1e6])
def test_a_heavy_load_keeps_the_buffer_full(load):
    levels = level_fraction(UNIFORMS, load_tilt(load, 50.0))
    # tilt >= 230: mean 1 - 1/a, 99 % of sheets find it > 98 % full
    assert levels.mean() > 0.995
    assert np.quantile(levels, 0.01) > 0.98
    assert level_fraction(UNIFORMS, load_tilt(math.inf, 50.0)).min() == 1.0
    assert mm1k_mean_customers(load, 50) == pytest.approx(50 - 1 / (load - 1), rel=1e-9)


@pytest.mark.unit
@pytest.mark.parametrize("tilt", [-30.0, -3.0, -0.2, 1e-5, 0.7, 4.0, 800.0])
def test_the_drawn_mean_is_the_closed_form_mean(tilt):
    # stratified uniforms are the law's quantiles: their mean is the law's mean to O(1/n^2)
    assert level_fraction(UNIFORMS, tilt).mean() == pytest.approx(mean_level_fraction(tilt), abs=1e-6)


@pytest.mark.unit
@pytest.mark.parametrize("places", [200, 2000])
@pytest.mark.parametrize("buffer_load", [0.2, 0.8, 1.0, 1.5, 6.0])
def test_the_law_is_the_mm1k_level_of_a_buffer_of_many_places(places, buffer_load):
    # a buffer of K places whose load per place is rho^(1/K): the M/M/1/K mean over K tends to m(K ln rho')
    per_place = buffer_load ** (1.0 / places)
    exact = mm1k_mean_customers(per_place, places) / places
    assert mean_level_fraction(load_tilt(per_place, places)) == pytest.approx(exact, abs=1.0 / places)


@pytest.mark.unit
def test_the_mm1k_mean_by_hand():
    # K = 2, rho = 2: p = (1, 2, 4) / 7, mean (2 + 8) / 7
    assert mm1k_mean_customers(2.0, 2) == pytest.approx(10 / 7, rel=1e-12)
    assert mm1k_mean_customers(0.5, 2) == pytest.approx(4 / 7, rel=1e-12)


@pytest.mark.unit
def test_the_level_grows_with_the_load():
    loads = [0.1, 0.5, 0.9, 1.0, 1.1, 2.0, 10.0]
    means = [mean_level_fraction(load_tilt(load, 5.0)) for load in loads]
    assert means == sorted(means) and len(set(means)) == len(means)
    # sheet by sheet too: the same uniform finds a fuller buffer at a higher load
    draws = np.array([level_fraction(UNIFORMS, load_tilt(load, 5.0)) for load in loads])
    assert np.all(np.diff(draws, axis=0) > 0)
    assert np.all((draws >= 0) & (draws <= 1)) and np.isfinite(draws).all()
