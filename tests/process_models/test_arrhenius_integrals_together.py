"""Several Arrhenius integrals over one profile and the same offsets in one pass: the single ones, bit for bit."""

import numpy as np
import pytest

from process_models import arrhenius_integral
from process_models.arrhenius_integral import (
    TABLE_HALF_WIDTH_K,
    log_arrhenius_time_integral,
    log_arrhenius_time_integrals,
    reads_offset_table,
)
from process_models.densification import log_work_of_sintering, work_of_sintering_arrhenius_term
from process_models.li_loss import li2o_flux_arrhenius_term, li_loss_per_formula_unit
from process_models.parameters import load_material
from process_models.temperature_profile import celsius_profile

KILN = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3), ("ramp", 25.0, 5.0)])
PULSES = celsius_profile(25.0, [("ramp", 1250.0, 100.0), ("hold", 0.01), ("ramp", 25.0, 50.0)])


@pytest.mark.unit
@pytest.mark.parametrize("profile", [KILN, PULSES])
def test_work_and_li2o_flux_together_equal_each_alone(profile):
    garnet = load_material("llzo_ga")
    offsets = np.random.default_rng(4).uniform(-TABLE_HALF_WIDTH_K, TABLE_HALF_WIDTH_K, 2500)
    work_term = work_of_sintering_arrhenius_term(garnet["msc_activation_energy_J_per_mol"])
    work, flux = log_arrhenius_time_integrals(profile, (work_term, li2o_flux_arrhenius_term(garnet)), offsets)
    np.testing.assert_array_equal(work, log_work_of_sintering(profile, garnet["msc_activation_energy_J_per_mol"],
                                                              offsets))
    np.testing.assert_array_equal(
        li_loss_per_formula_unit(profile, 15e-6, 1, 0.1, garnet, temperature_offset_K=offsets,
                                 log_arrhenius_integral=flux),
        li_loss_per_formula_unit(profile, 15e-6, 1, 0.1, garnet, temperature_offset_K=offsets))


@pytest.mark.unit
def test_off_the_table_each_integral_is_computed_alone():
    offsets = np.array([-10.0, TABLE_HALF_WIDTH_K + 20.0])
    assert not reads_offset_table(KILN, float(offsets.min()), float(offsets.max()))
    terms = ((300e3, -1.0), (431e3, -0.5))
    for (energy, exponent), together in zip(terms, log_arrhenius_time_integrals(KILN, terms, offsets), strict=True):
        np.testing.assert_array_equal(together, log_arrhenius_time_integral(KILN, energy, offsets, exponent))


@pytest.mark.unit
def test_series_of_different_degrees_summed_together_equal_each_alone():
    # a shorter series is padded with zero high-degree coefficients: its first Clenshaw steps come out exact
    rng = np.random.default_rng(9)
    x = rng.uniform(-1.0, 1.0, 1000)
    short, long = tuple(rng.normal(size=5)), tuple(rng.normal(size=9))
    stacked = np.zeros((9, 2))
    stacked[:5, 0], stacked[:, 1] = short, long
    together = arrhenius_integral._chebyshev_series(x, tuple(stacked[:, :, None]))
    np.testing.assert_array_equal(together[0], arrhenius_integral._chebyshev_series(x, short))
    np.testing.assert_array_equal(together[1], arrhenius_integral._chebyshev_series(x, long))
    # and the single series is numpy's chebval to round-off
    np.testing.assert_allclose(together[1], np.polynomial.chebyshev.chebval(x, long), rtol=0, atol=1e-12)
