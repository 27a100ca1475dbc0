"""Mechanochemical Li6PS5Cl (process_models.argyrodite_synthesis): the recipe anchors, stoichiometry, and the
invariants of conversion, milled size, anneal and conductivity factor."""

import numpy as np
import pytest

from process_models.argyrodite_synthesis import (
    PRECURSOR_KG_PER_KG,
    anneal_crystallised_fraction,
    argyrodite_conversion_fraction,
    milled_argyrodite_particle_size_m,
    milled_powder_conductivity_factor,
)
from process_models.errors import PhysicsDomainError

pytestmark = pytest.mark.unit
YU_2016_ENERGY_J_PER_KG = 8 * 3600 * 500.0   # 8 h at 550 rpm, at the assumed 500 W/kg of a lab planetary mill


def test_stoichiometry_5_li2s_p2s5_2_licl():
    # 5 Li2S + P2S5 + 2 LiCl -> 2 Li6PS5Cl: the precursors add up to the product's mass (IUPAC weights, +-0.1 %)
    assert sum(PRECURSOR_KG_PER_KG.values()) == pytest.approx(1.0, abs=1e-3)
    assert PRECURSOR_KG_PER_KG["li2s"] == pytest.approx(229.75 / 536.74, rel=1e-9)


def test_yu_2016_recipe_converts_and_mills_to_its_anchor():
    assert argyrodite_conversion_fraction(YU_2016_ENERGY_J_PER_KG) == pytest.approx(0.95, abs=1e-9)
    assert milled_argyrodite_particle_size_m(20e-6, YU_2016_ENERGY_J_PER_KG) == pytest.approx(1.5e-6, rel=1e-9)


def test_equal_specific_energy_gives_equal_powder():
    # Kwade 1999: an attritor at half the specific power for twice the time makes the same product
    lab = (argyrodite_conversion_fraction(8 * 3600 * 500.0), milled_argyrodite_particle_size_m(20e-6, 8 * 3600 * 500.0))
    plant = (argyrodite_conversion_fraction(16 * 3600 * 250.0),
             milled_argyrodite_particle_size_m(20e-6, 16 * 3600 * 250.0))
    assert lab == pytest.approx(plant, rel=1e-12)


def test_more_energy_converts_more_and_mills_finer():
    energy = np.geomspace(1e4, 1e8, 40)
    assert np.all(np.diff(argyrodite_conversion_fraction(energy)) > 0)
    assert np.all(np.diff(milled_argyrodite_particle_size_m(20e-6, energy)) < 0)
    assert argyrodite_conversion_fraction(0.0) == 0.0


def test_anneal_anchor_and_monotonic():
    # Lee et al. 2021: 4 h at 500 C crystallises the wet-milled powder (read as 99 %)
    assert anneal_crystallised_fraction(773.15, 4 * 3600.0) == pytest.approx(0.99, abs=1e-9)
    assert anneal_crystallised_fraction(823.15, 3600.0) > anneal_crystallised_fraction(723.15, 3600.0)
    assert anneal_crystallised_fraction(773.15, 0.0) == 0.0


def test_conductivity_factor_bounds():
    assert milled_powder_conductivity_factor(1.0, 1.0) == pytest.approx(1.0)
    assert milled_powder_conductivity_factor(1.0, 0.0) == pytest.approx(0.5)
    assert milled_powder_conductivity_factor(0.0, 1.0) == 0.0
    assert milled_powder_conductivity_factor(0.9, 1.0) == pytest.approx(0.9 ** 1.5)


def test_bad_inputs_name_the_field():
    with pytest.raises(PhysicsDomainError, match="specific_energy_J_per_kg"):
        argyrodite_conversion_fraction(-1.0)
    with pytest.raises(PhysicsDomainError, match="conversion_fraction"):
        milled_powder_conductivity_factor(1.2, 0.0)
