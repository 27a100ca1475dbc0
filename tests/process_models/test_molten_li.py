"""Molten-Li wetting of a garnet: carbonate reduction by the melt, Cassie contact angle, Young-Dupre contact
fraction and melt heat (process_models.molten_li), against the published anchors."""

import math

import numpy as np
import pytest

from process_models.atmosphere_exposure import carbonated_interface_asr_ohm_m2
from process_models.errors import PhysicsDomainError
from process_models.interlayers import INTERLAYER_MATERIALS, interlayer_coverage, interlayer_interface_asr_ohm_m2
from process_models.molten_li import (
    carbonate_left_fraction,
    melt_heat_J_per_m2,
    molten_li_contact_angle_deg,
    wetted_contact_fraction,
)

pytestmark = pytest.mark.unit


def _untreated_garnet_asr_ohm_cm2(temperature_C, contact_s=60.0):
    left = carbonate_left_fraction(1.0, temperature_C + 273.15, contact_s)
    contact = wetted_contact_fraction(molten_li_contact_angle_deg(left))
    return carbonated_interface_asr_ohm_m2(left) / contact * 1e4


def test_untreated_garnet_turns_lithiophilic_near_380_C():
    # Jin et al., Small Methods 7 (2023) 2201140: lithiophobic below, lithiophilic above ~380 C
    assert carbonate_left_fraction(1.0, 300 + 273.15, 60.0) > 0.95
    assert carbonate_left_fraction(1.0, 380 + 273.15, 60.0) == pytest.approx(0.1, rel=1e-9)
    assert carbonate_left_fraction(1.0, 420 + 273.15, 60.0) < 1e-3
    # ... Li/LLZTO ~3.6 ohm cm2 above the transition: the model gives the right order (within x3)
    assert 3.6 / 3 < _untreated_garnet_asr_ohm_cm2(420) < 3.6 * 3
    # below it the melt beads up on the carbonate: three orders of magnitude worse
    assert _untreated_garnet_asr_ohm_cm2(300) > 1000


def test_carbonate_reduction_is_monotonic_in_time_and_temperature():
    temperatures = np.linspace(460.0, 720.0, 30)
    left = carbonate_left_fraction(0.7, temperatures, 30.0)
    assert np.all(np.diff(left) < 0) and np.all(left <= 0.7)
    times = np.geomspace(1.0, 3600.0, 20)
    assert np.all(np.diff(carbonate_left_fraction(0.7, 640.0, times)) < 0)


def test_contact_angles_of_the_pure_surfaces_and_cassie_mixing():
    # Sharafi et al. 2017 [R]: ~142 deg on the air-exposed surface, ~95 deg on the cleaned one
    assert molten_li_contact_angle_deg(1.0) == pytest.approx(142.0, abs=1e-9)
    assert molten_li_contact_angle_deg(0.0) == pytest.approx(95.0, abs=1e-9)
    assert molten_li_contact_angle_deg(0.3, 1.0) == pytest.approx(30.0, abs=1e-9)
    # Cassie: cosines add by area share
    mixed = molten_li_contact_angle_deg(0.25)
    expected = 0.25 * math.cos(math.radians(142)) + 0.75 * math.cos(math.radians(95))
    assert math.cos(math.radians(mixed)) == pytest.approx(expected, rel=1e-12)


def test_young_dupre_contact_fraction():
    assert wetted_contact_fraction(0.0) == pytest.approx(1.0)
    assert wetted_contact_fraction(90.0) == pytest.approx(0.5)
    angles = np.linspace(0.0, 170.0, 50)
    assert np.all(np.diff(wetted_contact_fraction(angles)) < 0)


def test_melt_heat_by_hand():
    # 20 um Li (534 kg/m3): 3.58 kJ/kg K x 155.5 K + 432 kJ/kg + 4.37 kJ/kg K x 119.5 K, plus the sheet
    li_kg = 534.0 * 20e-6
    per_kg = 24.86 / 6.941e-3 * (453.65 - 298.15) + 3.00e3 / 6.941e-3 + 30.3 / 6.941e-3 * (573.15 - 453.65)
    assert melt_heat_J_per_m2(20e-6, 573.15, 300.0) == pytest.approx(li_kg * per_kg + 300.0 * 275.0, rel=1e-12)
    assert melt_heat_J_per_m2(20e-6, 623.15, 0.0) > melt_heat_J_per_m2(20e-6, 573.15, 0.0)


def test_out_of_range_inputs_name_the_field():
    with pytest.raises(PhysicsDomainError, match="melt_temperature_K"):
        carbonate_left_fraction(1.0, 400.0, 60.0)   # below the melting point
    with pytest.raises(PhysicsDomainError, match="carbonate_fraction"):
        molten_li_contact_angle_deg(1.5)


def test_mg_interlayer_is_thickness_independent_from_5_nm():
    # Fu et al., Angew. Chem. Int. Ed. 56 (2017) 14942: the same interfacial resistance at 5, 10 and 100 nm Mg
    asr = [interlayer_interface_asr_ohm_m2(t * 1e-9, "mg", 0.171) for t in (5, 10, 100)]
    assert max(asr) / min(asr) < 1.1
    assert interlayer_coverage(5e-9, "mg") == pytest.approx(1 - math.exp(-3), rel=1e-12)
    # the Li(Mg) contact is a clean Li/garnet contact (assumption, 2 ohm cm2) with no series term
    assert interlayer_interface_asr_ohm_m2(100e-9, "mg", 0.171) == pytest.approx(2e-4, rel=1e-6)
    assert INTERLAYER_MATERIALS["mg"]["film_density_kg_per_m3"] == 1738.0
