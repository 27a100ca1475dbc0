"""End-to-end per-sheet chain across the process models (shape, determinism, physical ranges)."""

import numpy as np
import pytest

from process_models.conductivity import area_specific_resistance_ohm_m2, ionic_conductivity_S_per_m
from process_models.densification import sintered_relative_density
from process_models.li_loss import garnet_phase_fractions, li_loss_per_formula_unit, li_mass_balance
from process_models.parameters import load_material
from process_models.tape_casting import green_thickness_m, sintered_thickness_m
from process_models.temperature_profile import celsius_profile


def chain(rng, sheets):
    garnet = load_material("llzo_ga")
    profile = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3)])
    offsets = rng.normal(0.0, 10.0, sheets)
    green_density = rng.normal(0.55, 0.01, sheets)
    green = green_thickness_m(rng.normal(90e-6, 2e-6, sheets), 0.3, green_density)
    density = sintered_relative_density(profile, green_density, garnet, temperature_offset_K=offsets)
    thickness = sintered_thickness_m(green, green_density, density)
    lost = li_loss_per_formula_unit(profile, thickness, 2.0, 1.0, garnet, temperature_offset_K=offsets)
    balance = li_mass_balance(garnet["nominal_li_pfu"], 0.0, lost)
    phases = garnet_phase_fractions(balance["li_retained_pfu"], garnet)
    sigma = ionic_conductivity_S_per_m(density, *phases, garnet)
    return density, lost, area_specific_resistance_ohm_m2(thickness, sigma)


@pytest.mark.integration
def test_chain_is_deterministic_and_physical():
    density, lost, asr = chain(np.random.default_rng(3), 20_000)
    density2, lost2, asr2 = chain(np.random.default_rng(3), 20_000)
    np.testing.assert_array_equal(asr, asr2)
    assert density.shape == lost.shape == asr.shape == (20_000,)
    assert np.all((density >= 0.5) & (density <= 0.99))
    # Hotter sheets densify more but also lose more Li: the two must be positively correlated.
    assert np.corrcoef(density, lost)[0, 1] > 0.5
    # Uncovered 30 um films at the Yi recipe: ASR of order the Yi value (~2 ohm cm^2 = 2e-4 ohm m^2).
    assert 0.5e-4 < np.median(asr) < 5e-4


@pytest.mark.integration
def test_uncovered_film_losing_too_much_li_loses_conductivity():
    garnet = load_material("llzo_ga")
    profile = celsius_profile(25.0, [("ramp", 1200.0, 2.0), ("hold", 10.0)])
    lost = li_loss_per_formula_unit(profile, np.array([25e-6, 25e-6]), 2.0, np.array([1.0, 0.0]), garnet)
    balance = li_mass_balance(garnet["nominal_li_pfu"], 0.7, lost)
    assert bool(balance["li_loss_capped"][0]) and not bool(balance["li_loss_capped"][1])
    phases = garnet_phase_fractions(balance["li_retained_pfu"], garnet)
    sigma = ionic_conductivity_S_per_m(0.98, *phases, garnet)
    assert sigma[0] == 0.0 and sigma[1] > 0.1
