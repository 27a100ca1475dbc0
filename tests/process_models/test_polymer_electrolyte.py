"""PEO-LiTFSI conductivity (VTF), Bruggeman composites and the solvent of a cast film."""

import numpy as np
import pytest

from process_models.errors import PhysicsDomainError
from process_models.parameters import load_material
from process_models.polymer_electrolyte import (
    bruggeman_conductivity_S_per_m,
    solvent_per_film_kg_per_m2,
    vtf_conductivity_S_per_m,
)

PEO = load_material("peo_litfsi")
MS_PER_CM = 0.1  # S/m
pytestmark = pytest.mark.unit


def test_peo_litfsi_conducts_1e_4_S_per_cm_at_60_C():
    # 2020 SSB roadmap §14.2.1 / peo_litfsi.yaml: ~1e-4 S/cm at 60 C, the usual operating temperature
    assert vtf_conductivity_S_per_m(333.15, PEO) == pytest.approx(0.1 * MS_PER_CM, rel=1e-9)


def test_room_temperature_conductivity_is_in_the_published_range():
    # peo_litfsi.yaml: ~1e-6 - 1e-5 S/cm at room temperature (semicrystalline)
    sigma_S_per_cm = float(vtf_conductivity_S_per_m(298.15, PEO)) / 100.0
    assert 1e-6 <= sigma_S_per_cm <= 1e-5


def test_vtf_rises_with_temperature_and_drops_at_crystallisation():
    temperatures = np.linspace(200.0, 400.0, 401)
    sigma = vtf_conductivity_S_per_m(temperatures, PEO)
    melting = PEO["melting_temperature_K"]
    above, below = temperatures >= melting, temperatures < melting
    assert np.all(np.diff(sigma[above]) > 0) and np.all(np.diff(sigma[below]) > 0)
    # the step at the melting point is the crystalline blocking factor (1 - chi)^n
    just_below = float(vtf_conductivity_S_per_m(melting - 1e-9, PEO))
    at = float(vtf_conductivity_S_per_m(melting, PEO))
    expected = (1.0 - PEO["crystalline_fraction_below_melting"]) ** PEO["porosity_exponent"]
    assert just_below / at == pytest.approx(expected, rel=1e-6)


def test_vtf_is_refused_at_or_below_the_ideal_glass_temperature():
    with pytest.raises(PhysicsDomainError, match="temperature_K"):
        vtf_conductivity_S_per_m(PEO["vtf_ideal_glass_temperature_K"], PEO)


def test_bruggeman_limits_and_symmetry():
    assert float(bruggeman_conductivity_S_per_m(2.0, 5.0, 1.0)) == pytest.approx(2.0)
    assert float(bruggeman_conductivity_S_per_m(2.0, 5.0, 0.0)) == pytest.approx(5.0)
    assert float(bruggeman_conductivity_S_per_m(2.0, 2.0, 0.3)) == pytest.approx(2.0)
    phi = np.linspace(0.0, 1.0, 11)
    np.testing.assert_allclose(bruggeman_conductivity_S_per_m(1e-3, 0.7, phi),
                               bruggeman_conductivity_S_per_m(0.7, 1e-3, 1.0 - phi), rtol=1e-12)


def test_bruggeman_insulator_percolates_at_one_third():
    # with an insulating second phase: sigma = sigma_a (3 phi - 1) / 2 above phi = 1/3, zero below
    phi = np.array([0.2, 1.0 / 3.0, 0.5, 0.8])
    np.testing.assert_allclose(bruggeman_conductivity_S_per_m(1.0, 0.0, phi), [0.0, 0.0, 0.25, 0.7], atol=1e-15)


def test_bruggeman_lies_between_the_series_and_parallel_bounds():
    phi = np.linspace(0.01, 0.99, 50)
    a, b = 1e-2, 1e-5  # garnet-like and polymer-like [S/m]
    sigma = bruggeman_conductivity_S_per_m(a, b, phi)
    assert np.all(sigma <= phi * a + (1 - phi) * b) and np.all(sigma >= 1.0 / (phi / a + (1 - phi) / b))


def test_solvent_of_a_cast_film_is_the_mass_balance():
    # 50 um x 1200 kg/m3 = 0.06 kg/m2 of film at 10 wt% solids carries 0.54 kg/m2 of solvent
    assert float(solvent_per_film_kg_per_m2(50e-6, 1200.0, 0.1)) == pytest.approx(0.54, rel=1e-12)
    assert float(solvent_per_film_kg_per_m2(50e-6, 1200.0, 1.0)) == 0.0


def test_lagp_filler_follows_arrhenius_from_room_temperature():
    from process_models.constants import GAS_CONSTANT_J_PER_MOL_K
    from process_models.polymer_electrolyte import arrhenius_conductivity_S_per_m

    lagp = load_material("lagp")
    # lagp.yaml: 0.4 mS/cm at 25 C, Ea 36 kJ/mol -> x exp(36000/R (1/298.15 - 1/333.15)) = x 4.56 at 60 C
    assert float(arrhenius_conductivity_S_per_m(298.15, lagp)) == pytest.approx(0.4 * MS_PER_CM, rel=1e-12)
    ratio = float(arrhenius_conductivity_S_per_m(333.15, lagp)) / (0.4 * MS_PER_CM)
    assert ratio == pytest.approx(np.exp(36000.0 / GAS_CONSTANT_J_PER_MOL_K * (1 / 298.15 - 1 / 333.15)), rel=1e-12)
    assert ratio == pytest.approx(4.56, rel=0.01)
