"""Per-sheet fast paths (in place, plain instead of masked division) give the one-line forms' values bit for bit.

Each physics function below has a path for per-sheet arrays that works in place or skips a mask; the
plant's and the evaluation's results are pinned to the one-line forms (golden results at rel 1e-12), so
each path is compared here with that form written out, on arrays with the edge values a unit can carry
(NaN, zero, clipped ends), and on empty units.
"""

import numpy as np
import pytest

from process_models import trusted_inputs
from process_models.atmosphere_exposure import (
    CARBONATE_DOSE_SCALE_PA_S,
    CARBONATED_GARNET_INTERFACE_ASR_OHM_M2,
    CLEAN_GARNET_INTERFACE_ASR_OHM_M2,
    carbonate_fraction,
    carbonated_interface_asr_ohm_m2,
)
from process_models.conductivity import area_specific_resistance_ohm_m2, ionic_conductivity_S_per_m
from process_models.constants import GAS_CONSTANT_J_PER_MOL_K
from process_models.errors import PhysicsDomainError
from process_models.grain_growth import grain_boundary_conductivity_factor
from process_models.lamination import li_contact_fraction, li_creep_strain
from process_models.li_loss import garnet_phase_fractions
from process_models.parameters import load_material
from process_models.tape_casting import green_thickness_m

pytestmark = pytest.mark.unit

RNG = np.random.default_rng(20261130)
SHEETS = 4096


def test_contact_fraction_of_per_sheet_pressures_is_the_one_line_form():
    li = load_material("li_metal")
    pressure = RNG.uniform(0.0, 3e6, SHEETS)
    pressure[:3] = (0.0, li["hardness_to_yield_ratio"] * li["yield_strength_Pa"], 5e7)  # none, at H, above H
    temperature_K, dwell_s = 333.15, 0.02
    thermal = np.exp(-li["creep_activation_energy_J_per_mol"] / (GAS_CONSTANT_J_PER_MOL_K * temperature_K))
    strain = li["creep_prefactor_per_s"] * (pressure / li["creep_reference_stress_Pa"]) ** li[
        "creep_stress_exponent"] * thermal * dwell_s
    hardness = li["hardness_to_yield_ratio"] * li["yield_strength_Pa"]
    plastic = li["initial_contact_fraction"] + (1.0 - li["initial_contact_fraction"]) * np.minimum(
        1.0, pressure / hardness)
    contact = 1.0 - (1.0 - plastic) * np.exp(-strain / li["asperity_closure_strain"])
    assert np.array_equal(li_creep_strain(pressure, dwell_s, temperature_K, li), strain)
    assert np.array_equal(li_contact_fraction(pressure, temperature_K, dwell_s, li), contact)


def test_carbonate_share_and_its_interface_asr_are_the_one_line_forms():
    dose = np.concatenate([[0.0, 1e-3, 1e12], RNG.exponential(CARBONATE_DOSE_SCALE_PA_S, SHEETS)])
    share = -np.expm1(-dose / CARBONATE_DOSE_SCALE_PA_S)
    assert np.array_equal(carbonate_fraction(dose), share)
    with trusted_inputs():   # a share above 1 is clipped as np.clip does
        shares = np.concatenate([share, [1.5]])
        expected = CLEAN_GARNET_INTERFACE_ASR_OHM_M2 + np.clip(shares, 0.0, 1.0) * (
            CARBONATED_GARNET_INTERFACE_ASR_OHM_M2 - CLEAN_GARNET_INTERFACE_ASR_OHM_M2)
        assert np.array_equal(carbonated_interface_asr_ohm_m2(shares), expected)


def test_conductivity_and_asr_divide_plainly_only_where_nothing_is_masked():
    garnet = load_material("llzo_ga")
    density = RNG.uniform(0.62, 0.99, SHEETS)
    pyrochlore = RNG.uniform(0.0, 0.3, SHEETS)
    tetragonal = RNG.uniform(0.0, 0.2, SHEETS)
    cubic = 1.0 - pyrochlore - tetragonal
    sigma = ionic_conductivity_S_per_m(density, cubic, tetragonal, pyrochlore, garnet)
    conducting = cubic + tetragonal
    solid = (cubic * garnet["dense_conductivity_S_per_m"]
             + tetragonal * garnet.get("tetragonal_conductivity_S_per_m", 0.0)) / conducting
    porosity = np.clip((density - garnet["percolation_relative_density"])
                       / (1.0 - garnet["percolation_relative_density"]), 0.0, 1.0)
    expected = solid * ((1.0 - pyrochlore) * np.sqrt(1.0 - pyrochlore)) * (porosity * np.sqrt(porosity))
    assert garnet["porosity_exponent"] == 1.5
    assert np.array_equal(sigma, expected)
    # one sheet without a conducting phase: 0 there (masked path), the others as before
    cubic[5], tetragonal[5], pyrochlore[5] = 0.0, 0.0, 1.0
    masked = ionic_conductivity_S_per_m(density, cubic, tetragonal, pyrochlore, garnet)
    assert masked[5] == 0.0 and np.array_equal(np.delete(masked, 5), np.delete(expected, 5))
    thickness = RNG.uniform(10e-6, 40e-6, SHEETS)
    assert np.array_equal(area_specific_resistance_ohm_m2(thickness, sigma), thickness / sigma)
    asr = area_specific_resistance_ohm_m2(thickness, masked)
    assert asr[5] == np.inf and np.array_equal(np.delete(asr, 5), np.delete(thickness, 5) / np.delete(masked, 5))


def test_empty_units_give_empty_arrays():
    garnet, li = load_material("llzo_ga"), load_material("li_metal")
    none = np.zeros(0)
    with trusted_inputs():
        assert ionic_conductivity_S_per_m(none, none, none, none, garnet).shape == (0,)
        assert area_specific_resistance_ohm_m2(none, none).shape == (0,)
        assert li_contact_fraction(none, 300.0, 0.02, li).shape == (0,)
        assert carbonate_fraction(none).shape == (0,)
        assert green_thickness_m(none, 0.3, none).shape == (0,)


def test_phases_grain_factor_and_green_thickness_are_the_one_line_forms():
    garnet = load_material("llzo_ga")
    li = np.concatenate([[0.0, garnet["pyrochlore_onset_li_pfu"], 7.5], RNG.uniform(5.0, 7.2, SHEETS)])
    cubic, tetragonal, pyrochlore = garnet_phase_fractions(li, garnet)
    onset, complete = garnet["tetragonal_onset_li_pfu"], garnet["tetragonal_complete_li_pfu"]
    expected_tetragonal = (np.clip((li - onset) / (complete - onset), 0.0, 1.0) if np.isfinite(onset)
                           else np.zeros_like(li))
    expected_pyrochlore = np.clip((garnet["pyrochlore_onset_li_pfu"] - li) / garnet["pyrochlore_onset_li_pfu"],
                                  0.0, 1.0)
    assert np.array_equal(tetragonal, expected_tetragonal)
    assert np.array_equal(pyrochlore, expected_pyrochlore)
    assert np.array_equal(cubic, 1.0 - expected_pyrochlore - expected_tetragonal)

    grains = RNG.uniform(0.1e-6, 20e-6, SHEETS)
    total = 1.0 / garnet["dense_conductivity_S_per_m"]
    specific = garnet["grain_boundary_specific_resistance_ohm_m2"]
    bulk = total - specific / garnet["conductivity_reference_grain_size_m"]
    assert np.array_equal(grain_boundary_conductivity_factor(grains, garnet), total / (bulk + specific / grains))

    wet = RNG.uniform(80e-6, 120e-6, SHEETS)
    green = RNG.uniform(0.45, 0.6, SHEETS)
    assert np.array_equal(green_thickness_m(wet, 0.3, green), wet * 0.3 / green)


def test_solids_above_a_sheets_green_density_is_refused_naming_the_field():
    with pytest.raises(PhysicsDomainError, match="slurry_solids_volume_fraction=0.6"):
        green_thickness_m(np.full(3, 1e-4), 0.6, np.array([0.7, 0.55, 0.65]))
    with trusted_inputs(), pytest.raises(PhysicsDomainError, match="slurry_solids_volume_fraction=0.6"):
        green_thickness_m(np.full(3, 1e-4), 0.6, np.array([0.7, np.nan, 0.55]))   # NaN skipped, 0.55 found
