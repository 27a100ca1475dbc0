"""Li2O vapour confinement: gas transport against published values, limits and invariants of the escape fractions."""

import numpy as np
import pytest

from process_models.errors import PhysicsDomainError
from process_models.li_loss import li2o_volatilisation_flux_mol_per_m2_s
from process_models.li_vapour_confinement import (
    ARGON_COLLISION_DIAMETER_M,
    ARGON_MOLAR_MASS_KG_PER_MOL,
    ARGON_WELL_DEPTH_K,
    binary_gas_diffusivity_m2_per_s,
    cover_gap_escape_fraction,
    felt_escape_fraction,
    gap_saturation_time_s,
    knudsen_diffusivity_m2_per_s,
    li2o_escape_diffusivity_m2_per_s,
    neufeld_collision_integral,
    surface_evaporation_conductance,
)
from process_models.parameters import load_material

UHS_K = 1773.15


@pytest.mark.unit
@pytest.mark.parametrize(("reduced_temperature", "tabulated"), [(1.0, 1.439), (2.0, 1.075), (10.0, 0.7424)])
def test_collision_integral_matches_the_lennard_jones_table(reduced_temperature, tabulated):
    # Hirschfelder, Curtiss, Bird 1954 table of Omega(1,1)*; Neufeld 1972 claims 0.1 % (0.2 % held)
    assert float(neufeld_collision_integral(reduced_temperature)) == pytest.approx(tabulated, rel=2e-3)


@pytest.mark.unit
def test_argon_self_diffusion_at_0C_is_the_measured_value():
    # Ar self-diffusion at 273 K and 1 atm: 0.156 cm2/s (Hirschfelder, Curtiss, Bird 1954, memory [R]);
    # 5 % held for the memory-sourced value
    argon = binary_gas_diffusivity_m2_per_s(
        273.15, molar_masses_kg_per_mol=(ARGON_MOLAR_MASS_KG_PER_MOL,) * 2,
        collision_diameters_m=(ARGON_COLLISION_DIAMETER_M,) * 2, well_depths_K=(ARGON_WELL_DEPTH_K,) * 2)
    assert float(argon) * 1e4 == pytest.approx(0.156, rel=0.05)


@pytest.mark.unit
def test_gas_diffusivity_scales_with_pressure_and_knudsen_takes_over_in_vacuum():
    # kinetic theory: D_12 ~ 1/p; at 0.1 Pa the mean free path is ~10 cm, so a 1 mm gap is Knudsen-limited
    at_1atm = float(binary_gas_diffusivity_m2_per_s(UHS_K))
    assert float(binary_gas_diffusivity_m2_per_s(UHS_K, pressure_Pa=101325.0 / 10)) == pytest.approx(10 * at_1atm)
    in_vacuum = float(li2o_escape_diffusivity_m2_per_s(UHS_K, 1e-3, pressure_Pa=0.1))
    assert in_vacuum == pytest.approx(float(knudsen_diffusivity_m2_per_s(UHS_K, 1e-3)), rel=0.01)
    assert float(li2o_escape_diffusivity_m2_per_s(UHS_K, 1e-3)) == pytest.approx(at_1atm, rel=0.01)


@pytest.mark.unit
def test_a_closed_gap_saturates_within_milliseconds():
    # the premise of the confined model: p_gap -> p_eq long before any firing ends
    assert float(gap_saturation_time_s(UHS_K, 5e-3)) < 1e-3
    assert float(gap_saturation_time_s(1473.15, 20e-3)) < 1e-3


@pytest.mark.unit
def test_surface_conductance_reproduces_the_calibrated_flux_law():
    # J = g_s p_eq with the fitted vapour pressure is li_loss's Hertz-Knudsen flux (alpha = 1)
    material = load_material("llzo_ta")
    p_eq = material["li2o_vapour_pressure_prefactor_Pa"] * np.exp(
        -material["li2o_vaporisation_enthalpy_J_per_mol"] / (8.314462618 * UHS_K))
    assert float(surface_evaporation_conductance(UHS_K)) * p_eq == pytest.approx(
        float(li2o_volatilisation_flux_mol_per_m2_s(UHS_K, material)), rel=1e-9)


@pytest.mark.unit
def test_escape_fractions_are_one_when_nothing_confines_and_fall_with_confinement():
    assert float(cover_gap_escape_fraction(UHS_K, 5e-3, 1e-7)) == pytest.approx(1.0, abs=1e-5)
    assert float(felt_escape_fraction(UHS_K, 1e-9, 0.99)) > 0.99
    gaps = np.array([0.1e-3, 0.5e-3, 2e-3, 10e-3])
    under_cover = cover_gap_escape_fraction(UHS_K, gaps, 0.06)
    assert np.all(np.diff(under_cover) > 0) and np.all((under_cover > 0) & (under_cover < 1))
    felts = felt_escape_fraction(UHS_K, np.array([1e-3, 3e-3, 10e-3]), 0.93)
    assert np.all(np.diff(felts) < 0)


@pytest.mark.unit
def test_wide_sheets_under_a_cover_lose_only_an_edge_band():
    # tanh(phi)/phi -> 1/phi: the net loss comes from a band lambda = sqrt(h D / (g_s R T)) wide at the open edge
    gap, width = 1e-3, 0.06
    band = np.sqrt(gap * float(li2o_escape_diffusivity_m2_per_s(UHS_K, gap))
                   / (float(surface_evaporation_conductance(UHS_K)) * 8.314462618 * UHS_K))
    assert float(cover_gap_escape_fraction(UHS_K, gap, width)) == pytest.approx(band / width, rel=1e-6)
    # halving the open edge (W doubles) halves the escape in this limit
    assert float(cover_gap_escape_fraction(UHS_K, gap, 2 * width)) == pytest.approx(
        0.5 * float(cover_gap_escape_fraction(UHS_K, gap, width)), rel=1e-6)


@pytest.mark.unit
def test_felt_and_surface_resistances_add():
    # f = g_f / (g_s + g_f): with a very poor surface (alpha -> 0) everything that evaporates escapes
    assert float(felt_escape_fraction(UHS_K, 3e-3, 0.93, evaporation_coefficient=1e-9)) == pytest.approx(1.0, abs=1e-3)
    tight = float(felt_escape_fraction(UHS_K, 3e-3, 0.93))
    assert 1e-4 < tight < 1e-3


@pytest.mark.unit
@pytest.mark.parametrize(("call", "field"), [
    (lambda: cover_gap_escape_fraction(UHS_K, 0.0, 0.06), "gap_height_m"),
    (lambda: cover_gap_escape_fraction(UHS_K, 1e-3, -1.0), "escape_length_m"),
    (lambda: felt_escape_fraction(UHS_K, 3e-3, 1.5), "felt_porosity"),
    (lambda: felt_escape_fraction(-5.0, 3e-3, 0.9), "temperature_K"),
    (lambda: neufeld_collision_integral(0.1), "reduced_temperature"),
])
def test_bad_input_names_the_field(call, field):
    with pytest.raises(PhysicsDomainError, match=field):
        call()
