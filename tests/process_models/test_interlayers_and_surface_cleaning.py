"""Interlayer ASR and deposition, and carbonate removal: published anchors, exact numbers, invariants."""

import math

import numpy as np
import pytest

from process_models.atmosphere_exposure import (
    CARBONATED_GARNET_INTERFACE_ASR_OHM_M2,
    CLEAN_GARNET_INTERFACE_ASR_OHM_M2,
    carbonate_fraction,
    carbonated_interface_asr_ohm_m2,
)
from process_models.errors import PhysicsDomainError
from process_models.interlayers import (
    ald_cycles,
    film_source_kg_per_m2,
    interlayer_coverage,
    interlayer_interface_asr_ohm_m2,
)
from process_models.surface_cleaning import (
    carbonate_after_heat_treatment,
    carbonate_removal_rate_per_s,
    equivalent_moisture_dose_Pa_s,
)

pytestmark = pytest.mark.unit
OHM_CM2 = 1e-4


def test_ald_al2o3_on_a_carbonated_garnet_gives_han_2017():
    # Han et al., Nat. Mater. 16 (2017) 572: 1710 -> ~1 ohm cm2 with ultrathin ALD Al2O3 (5 nm here)
    asr = interlayer_interface_asr_ohm_m2(5e-9, "al2o3", CARBONATED_GARNET_INTERFACE_ASR_OHM_M2)
    assert asr / OHM_CM2 == pytest.approx(1.0, rel=0.02)


def test_ald_zno_gives_wang_2017():
    # Wang et al., Nano Lett. 17 (2017) 565: ~20 ohm cm2 with ALD ZnO (20 nm here)
    asr = interlayer_interface_asr_ohm_m2(20e-9, "zno", CARBONATED_GARNET_INTERFACE_ASR_OHM_M2)
    assert asr / OHM_CM2 == pytest.approx(20.0, rel=0.05)


def test_sputtered_au_lowers_the_asr_by_wakasugis_ratio():
    # Wakasugi et al., J. Electrochem. Soc. 164 (2017) A1022: 1200 -> 150 ohm with 50 nm Au
    bare = CARBONATED_GARNET_INTERFACE_ASR_OHM_M2
    assert interlayer_interface_asr_ohm_m2(50e-9, "au", bare) / bare == pytest.approx(150 / 1200, rel=0.10)


def test_no_layer_leaves_the_bare_surface():
    for material in ("al2o3", "zno", "au"):
        assert interlayer_interface_asr_ohm_m2(0.0, material, 0.1) == pytest.approx(0.1, rel=1e-12)


def test_coverage_grows_to_one_and_an_insulating_layer_has_an_optimum_thickness():
    t = np.geomspace(0.05e-9, 1e-6, 200)
    coverage = interlayer_coverage(t, "al2o3")
    assert np.all(np.diff(coverage) >= 0) and coverage[0] > 0 and coverage[-1] == pytest.approx(1.0)
    asr = interlayer_interface_asr_ohm_m2(t, "al2o3", CARBONATED_GARNET_INTERFACE_ASR_OHM_M2)
    best = int(np.argmin(asr))
    assert 0 < best < t.size - 1  # too thin: bare patches; too thick: the layer's own resistance
    assert asr[-1] > asr[best] * 10
    # a metal interlayer (Li-Au alloy) adds no series resistance: the ASR only falls with thickness
    assert np.all(np.diff(interlayer_interface_asr_ohm_m2(t, "au", CARBONATED_GARNET_INTERFACE_ASR_OHM_M2)) <= 0)


def test_ald_cycles_and_source_use_exact():
    assert int(ald_cycles(5e-9, 0.11e-9)) == 46      # 45.45 -> 46
    assert int(ald_cycles(5e-9, 0.1e-9)) == 50       # an exact multiple does not round up
    # 5 nm x 3000 kg/m3 x (2 x 72.09 / 101.96) TMA per film / 20 % utilisation
    assert film_source_kg_per_m2(5e-9, "al2o3", 0.2) == pytest.approx(5e-9 * 3000 * 2 * 72.09 / 101.96 / 0.2,
                                                                      rel=1e-12)


def test_bad_inputs_name_the_field():
    with pytest.raises(PhysicsDomainError, match="interlayer material: 'ge'"):
        interlayer_interface_asr_ohm_m2(5e-9, "ge", 0.1)
    with pytest.raises(PhysicsDomainError, match="thickness_m"):
        interlayer_coverage(-1e-9, "al2o3")
    with pytest.raises(PhysicsDomainError, match="source_utilisation"):
        film_source_kg_per_m2(5e-9, "al2o3", 1.5)


def test_heat_treatment_at_500C_brings_an_air_exposed_surface_to_sharafis_clean_asr():
    # Sharafi et al., Chem. Mater. 29 (2017) 7961: ~500 C in Ar -> ~2 ohm cm2 (3 h: the assumed anchor)
    left = carbonate_after_heat_treatment(1.0, 773.15, 3 * 3600.0)
    assert carbonated_interface_asr_ohm_m2(left) == pytest.approx(CLEAN_GARNET_INTERFACE_ASR_OHM_M2, rel=0.10)


def test_removal_is_monotonic_in_temperature_and_time_and_negligible_well_below_500C():
    temperatures = np.linspace(473.15, 973.15, 11)
    assert np.all(np.diff(carbonate_removal_rate_per_s(temperatures)) > 0)
    holds = np.linspace(0, 7200, 9)
    left = carbonate_after_heat_treatment(0.5, 773.15, holds)
    assert left[0] == 0.5 and np.all(np.diff(left) < 0)
    assert carbonate_after_heat_treatment(1.0, 573.15, 3600.0) > 0.99   # 300 C for 1 h: almost nothing


def test_equivalent_dose_inverts_the_carbonate_growth():
    doses = np.array([0.0, 1e5, 3e7, 2e8])
    assert equivalent_moisture_dose_Pa_s(carbonate_fraction(doses)) == pytest.approx(doses, rel=1e-9)
    assert math.isfinite(float(equivalent_moisture_dose_Pa_s(1.0)))  # a saturated layer: finite dose
