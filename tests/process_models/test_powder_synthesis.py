"""Garnet powder synthesis physics: JMAK conversion, Rittinger milling, precursor stoichiometry, charge heat."""

from __future__ import annotations

import numpy as np
import pytest

from process_models import powder_synthesis as ps
from process_models.errors import PhysicsDomainError
from process_models.temperature_profile import celsius_profile

pytestmark = pytest.mark.unit


def _hold(temperature_C: float, hours: float):
    return celsius_profile(temperature_C, [("hold", hours)])


def test_conversion_passes_through_its_two_anchors():
    # the anchors the JMAK constants were fitted to (module constants): 20 % at 700 C / 6 h, 90 % at 900 C / 6 h
    assert ps.garnet_conversion_fraction(_hold(700.0, 6.0)) == pytest.approx(0.20, abs=1e-3)
    assert ps.garnet_conversion_fraction(_hold(900.0, 6.0)) == pytest.approx(0.90, abs=1e-3)


def test_conversion_grows_with_time_and_temperature_and_stays_below_one():
    times = [ps.garnet_conversion_fraction(_hold(850.0, h)) for h in (1.0, 3.0, 12.0)]
    assert times[0] < times[1] < times[2] < 1.0
    hotter = ps.garnet_conversion_fraction(_hold(850.0, 3.0), temperature_offset_K=np.array([-20.0, 0.0, 20.0]))
    assert np.all(np.diff(hotter) > 0)


def test_rittinger_milling_anchor_and_invariants():
    assert ps.milled_particle_size_m(5e-6, 0.72e6) == pytest.approx(0.5e-6, rel=1e-9)
    assert ps.milled_particle_size_m(2e-6, 0.0) == pytest.approx(2e-6, rel=1e-12)
    sizes = ps.milled_particle_size_m(2e-6, np.array([1e5, 1e6, 1e7]))
    assert np.all(np.diff(sizes) < 0)
    # Rittinger: the energy is linear in the new specific surface 1/x - 1/x0
    x = ps.milled_particle_size_m(2e-6, 3e5)
    assert ps.RITTINGER_CONSTANT_J_M_PER_KG * (1 / x - 1 / 2e-6) == pytest.approx(3e5, rel=1e-12)


def test_precursors_close_the_mass_balance():
    # physics-notes §0: 258.6 g Li2CO3 per mol Li7La3Zr2O12 (M = 839.8 g/mol)
    r = ps.precursor_kg_per_kg_garnet(7.0, 0.8398, 0.0)
    assert float(r["li2co3_kg"]) * 0.8398 * 1e3 == pytest.approx(258.6, abs=0.1)
    # stoichiometric: Li2O from the carbonate + the other oxides weigh exactly one kg of garnet
    li2o = float(r["li2co3_kg"]) * ps.LI2O_MOLAR_MASS_KG_PER_MOL / ps.LI2CO3_MOLAR_MASS_KG_PER_MOL
    assert li2o + float(r["oxides_kg"]) == pytest.approx(1.0, rel=1e-12)
    excess = ps.precursor_kg_per_kg_garnet(6.4, 0.88941, 0.10)
    plain = ps.precursor_kg_per_kg_garnet(6.4, 0.88941, 0.0)
    assert float(excess["li2co3_kg"]) == pytest.approx(1.1 * float(plain["li2co3_kg"]), rel=1e-12)


def test_charge_heat_is_sensible_heat_plus_carbonate_decomposition():
    # NIST-JANAF: Li2CO3 -> Li2O + CO2 takes 224.6 kJ/mol
    q = ps.charge_heat_J_per_kg(298.15, ps.LI2CO3_MOLAR_MASS_KG_PER_MOL, 700.0)
    assert q == pytest.approx(224.59e3, rel=1e-6)
    assert ps.charge_heat_J_per_kg(1173.15, 0.0, 700.0) == pytest.approx(700.0 * 875.0, rel=1e-12)


@pytest.mark.parametrize(("call", "field"), [
    (lambda: ps.milled_particle_size_m(-1e-6, 1e5), "particle_size_before_m"),
    (lambda: ps.milled_particle_size_m(1e-6, -1.0), "mill_specific_energy_J_per_kg"),
    (lambda: ps.precursor_kg_per_kg_garnet(7.0, 0.84, 0.9), "li2co3_excess_wt_fraction"),
])
def test_bad_input_names_the_field(call, field):
    with pytest.raises(PhysicsDomainError, match=field):
        call()
