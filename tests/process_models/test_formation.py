"""Formation and end-of-line screening physics (process_models.formation)."""

import numpy as np
import pytest

from process_models.formation import (
    formation_current_density_A_per_m2,
    formation_grid_energy_J,
    formation_time_s,
    li_penetrates,
    ocv_drop_V,
)


@pytest.mark.unit
def test_formation_time_is_cycles_at_both_rates_plus_the_charge_to_shipping_soc():
    # 2 cycles at C/10 charge and C/5 discharge: 2 x (10 + 5) h, then 0.5 SOC at C/10: 5 h, plus 2 h rest
    assert float(formation_time_s(2, 0.1, 0.2, 0.5, 7200.0)) == pytest.approx(37.0 * 3600.0, rel=1e-12)


@pytest.mark.unit
def test_a_resistive_cycler_draws_every_charge_and_returns_nothing():
    cell_J = 3.6e5
    burnt = formation_grid_energy_J(cell_J, 1, 0.3, 1.0, 0.0)
    assert float(burnt) == pytest.approx(1.3 * cell_J, rel=1e-12)


@pytest.mark.unit
def test_recovery_lowers_the_net_energy_and_never_below_the_energy_left_in_the_cell():
    recovery = np.linspace(0.0, 1.0, 11)
    energy = formation_grid_energy_J(100.0, 2, 0.3, 0.9, recovery)
    assert np.all(np.diff(energy) < 0)
    # even with full recovery the grid pays the shipping charge and the charger losses
    assert energy[-1] >= 0.3 * 100.0


@pytest.mark.unit
def test_current_density_of_a_c20_charge_of_3p5_mAh_per_cm2_is_0p175_mA_per_cm2():
    # 3.5 mAh/cm2 / 20 h = 0.175 mA/cm2 = 1.75 A/m2 (definition of the C-rate)
    assert float(formation_current_density_A_per_m2(3.5, 0.05)) == pytest.approx(1.75, rel=1e-12)


@pytest.mark.unit
def test_penetration_only_above_the_ccd_and_never_for_an_unrated_sheet():
    ccd = np.array([1.0, 2.0, 3.0, np.nan])
    assert li_penetrates(ccd, 2.5).tolist() == [True, True, False, False]
    assert li_penetrates(ccd, 2.0).tolist() == [True, False, False, False]


@pytest.mark.unit
def test_thin_film_leak_of_0p8_nA_is_1_percent_of_0p7_mAh_per_year():
    # thin-film notes B5: < 1 %/yr self-discharge on a 0.7 mAh cell is about 0.8 nA (0.007 mAh / 8760 h);
    # with a 1 V per unit SOC slope the OCV drop in volts equals the SOC lost
    drop = float(ocv_drop_V(0.8e-9, 365.0, 0.7e-3, 1.0))
    assert drop == pytest.approx(0.01, rel=0.01)


@pytest.mark.unit
def test_ocv_drop_grows_linearly_with_days_and_leak():
    days = np.array([1.0, 7.0, 14.0])
    drop = ocv_drop_V(1e-4, days, 10.0, 0.5)
    np.testing.assert_allclose(drop / days, drop[0], rtol=1e-12)
    assert float(ocv_drop_V(2e-4, 7.0, 10.0, 0.5)) == pytest.approx(2 * drop[1], rel=1e-12)


@pytest.mark.unit
def test_bad_rates_and_capacity_name_the_field():
    with pytest.raises(ValueError, match="charge_c_rate_per_h"):
        formation_time_s(1, 0.0, 0.1, 0.3)
    with pytest.raises(ValueError, match="capacity_Ah"):
        ocv_drop_V(1e-4, 1.0, -1.0, 0.5)
