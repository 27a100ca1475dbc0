"""Hybrid solid-liquid cell physics (process_models.hybrid_catholyte)."""

import numpy as np
import pytest

from process_models.hybrid_catholyte import (
    catholyte_fill_volume_m3_per_m2,
    pore_electrolyte_asr_ohm_m2,
    slei_asr_ohm_m2,
    washburn_wetting_time_s,
    wetted_fraction,
)


@pytest.mark.unit
def test_fill_volume_is_the_pore_volume_plus_the_excess():
    # 150 um at 45 % porosity holds 67.5 um of liquid per m2; 10 % excess: 74.25 um
    assert float(catholyte_fill_volume_m3_per_m2(0.45, 150e-6, 0.1)) == pytest.approx(74.25e-6, rel=1e-12)
    assert float(catholyte_fill_volume_m3_per_m2(0.0, 150e-6)) == 0.0


@pytest.mark.unit
def test_washburn_time_grows_with_the_square_of_distance_and_with_viscosity():
    base = washburn_wetting_time_s(0.01, 3e-3, 0.035, 0.5e-6)
    assert float(washburn_wetting_time_s(0.02, 3e-3, 0.035, 0.5e-6)) == pytest.approx(4 * base, rel=1e-12)
    assert float(washburn_wetting_time_s(0.01, 6e-3, 0.035, 0.5e-6)) == pytest.approx(2 * base, rel=1e-12)
    # a 60 deg contact angle halves the capillary drive (cos 60 = 0.5)
    assert float(washburn_wetting_time_s(0.01, 3e-3, 0.035, 0.5e-6, 60.0)) == pytest.approx(2 * base, rel=1e-9)


@pytest.mark.unit
def test_washburn_water_in_a_1_um_capillary():
    # water (mu 1.0 mPa s, gamma 72 mN/m, r 1 um, theta 0): L^2 = gamma r t / (2 mu) = 0.036 m2/s x t... 1 cm in
    # t = 2 x 1e-3 x 1e-4 / (0.072 x 1e-6) = 2.78 s (Washburn 1921)
    assert float(washburn_wetting_time_s(0.01, 1.0e-3, 0.072, 1e-6)) == pytest.approx(2.778, rel=1e-3)


@pytest.mark.unit
def test_non_wetting_liquid_is_refused_by_name():
    with pytest.raises(ValueError, match="contact_angle_deg"):
        washburn_wetting_time_s(0.01, 1e-3, 0.03, 1e-6, 95.0)


@pytest.mark.unit
def test_wetted_fraction_follows_the_square_root_of_time_and_stops_at_one():
    assert wetted_fraction(np.array([900.0, 3600.0, 7200.0]), 3600.0).tolist() == [0.5, 1.0, 1.0]


@pytest.mark.unit
def test_slei_grows_parabolically_and_starts_at_its_initial_value():
    r0 = 100e-4   # 100 ohm cm2, the low end of roadmap s9's 100-1000 ohm cm2
    assert float(slei_asr_ohm_m2(r0, 0.0, 3600.0)) == r0
    ages = np.array([0.0, 1.0, 3.0, 8.0]) * 3600.0
    np.testing.assert_allclose(slei_asr_ohm_m2(r0, ages, 3600.0), r0 * np.array([1.0, np.sqrt(2), 2.0, 3.0]),
                               rtol=1e-12)


@pytest.mark.unit
def test_pore_liquid_resistance_bruggeman_and_one_third_rule():
    # 150 um, 45 % pores, 1 S/m (10 mS/cm, 1 M LiPF6 in carbonates): 150e-6 / (3 x 0.45^1.5) = 1.656 ohm cm2
    asr = float(pore_electrolyte_asr_ohm_m2(150e-6, 0.45, 1.0))
    assert asr * 1e4 == pytest.approx(1.656, rel=1e-3)
    # fewer pores: more resistance
    assert float(pore_electrolyte_asr_ohm_m2(150e-6, 0.25, 1.0)) > asr
