"""Powder routes, sintering aids and grain growth: fitted values, published anchors and invariants."""

import numpy as np
import pytest

from process_models import powder_routes
from process_models.calibration import powder_route_fit
from process_models.densification import sintered_relative_density
from process_models.errors import PhysicsDomainError
from process_models.grain_growth import (
    ccd_grain_size_factor,
    grain_boundary_conductivity_factor,
    grain_size_after_firing_m,
)
from process_models.parameters import load_material
from process_models.temperature_profile import celsius_profile

pytestmark = pytest.mark.unit


def test_stored_values_equal_the_fit():
    fitted = powder_route_fit.fit()
    routes, aids = powder_routes.POWDER_ROUTES, powder_routes.SINTERING_AIDS
    assert routes["calcined"].log_theta_half == fitted["calcined_log_theta_half"]
    assert routes["reactive_precursor"].log_theta_half == fitted["reactive_log_theta_half"]
    assert routes["reactive_precursor"].conductivity_factor == fitted["reactive_conductivity_factor"]
    assert aids["li3bo3"].log_theta_shift == fitted["li3bo3_log_theta_shift"]
    assert aids["li3bo3"].conductivity_factor == fitted["li3bo3_conductivity_factor"]
    assert aids["li6zr2o7"].log_theta_shift == fitted["li6zr2o7_log_theta_shift"]
    assert aids["li2o_al2o3_liquid"].conductivity_factor == fitted["li2o_al2o3_conductivity_factor"]
    for name in ("llzo_ga", "llzo_ta", "llzo_al", "llzo_nb"):
        assert load_material(name)["grain_growth_log_rate_constant"] == fitted["grain_growth_log_rate_constant"]
    assert load_material("llzo_nb")["dense_conductivity_S_per_m"] == pytest.approx(
        fitted["llzo_nb_dense_conductivity_mS_per_cm"] * 0.1)


def test_yi_2017_grain_size_reproduced():
    # Yi et al. 2017: 0.1 um FSP powder -> 1.2 +- 0.2 um grains at 1130 C / 0.3 h (the fit anchor)
    profile = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 0.3)])
    from process_models.densification import log_work_of_sintering
    grain = grain_size_after_firing_m(log_work_of_sintering(profile, 500e3), 100e-9, load_material("llzo_ga"))
    assert grain == pytest.approx(1.2e-6, rel=1e-3)


def test_grains_only_grow_and_grow_more_when_hotter():
    material = load_material("llzo_ta")
    grains = grain_size_after_firing_m(np.array([-60.0, -45.0, -40.0]), 1e-6, material)
    assert np.all(grains >= 1e-6) and np.all(np.diff(grains) > 0)


def test_coarser_grains_conduct_better_but_tolerate_less_current():
    material = load_material("llzo_ga")
    sizes = np.array([0.5e-6, 1.2e-6, 5e-6])
    sigma = grain_boundary_conductivity_factor(sizes, material)
    assert sigma[1] == pytest.approx(1.0) and sigma[0] < 1.0 < sigma[2]
    ccd = ccd_grain_size_factor(sizes, material)
    assert ccd[0] > 1.0 and ccd[1] == pytest.approx(1.0) and ccd[2] == pytest.approx((1.2 / 5) ** 0.5)


def test_calcined_powder_needs_more_heat_than_flame_spray_powder():
    ta = load_material("llzo_ta")
    profile = celsius_profile(25.0, [("ramp", 1130.0, 5.0), ("hold", 1.0)])
    nano = sintered_relative_density(profile, 0.55, powder_routes.route_material(ta, "flame_spray_nano"))
    calcined = sintered_relative_density(profile, 0.55, powder_routes.route_material(ta, "calcined"))
    assert calcined < nano - 0.05


def test_li3bo3_lets_calcined_powder_densify_200_C_cooler():
    ta = powder_routes.route_material(load_material("llzo_ta"), "calcined")
    aided = powder_routes.sintering_aid_effects("li3bo3", 0.02, 0.0, ta)["log_theta_shift"]
    cool = celsius_profile(25.0, [("ramp", 1000.0, 5.0), ("hold", 6.0)])
    hot = celsius_profile(25.0, [("ramp", 1200.0, 5.0), ("hold", 6.0)])
    from process_models.densification import effective_log_work_of_sintering, master_curve_relative_density
    with_aid = master_curve_relative_density(effective_log_work_of_sintering(cool, ta) + aided, 0.55,
                                             ta["msc_log_theta_half"], ta["msc_log_theta_width"], 0.99)
    assert with_aid == pytest.approx(float(sintered_relative_density(hot, 0.55, ta)), abs=1e-4)


def test_li6zr2o7_adds_two_li_per_formula_unit_of_aid():
    # 2 wt% Li6Zr2O7 in LLZTO (889.41 g/mol): 2 x (0.02/336.06) / (0.98/889.41) = 0.108 Li pfu
    ta = load_material("llzo_ta")
    effects = powder_routes.sintering_aid_effects("li6zr2o7", 0.02, 0.0, ta)
    assert effects["li_added_pfu"] == pytest.approx(2 * (0.02 / 336.06) / (0.98 / 889.41), rel=1e-4)


def test_li2o_al2o3_liquid_halves_li_loss_at_30_mol_percent_excess():
    ta = load_material("llzo_ta")
    assert powder_routes.sintering_aid_effects("li2o_al2o3_liquid", 0.0, 1.95, ta)["li_loss_factor"] == 0.5
    assert powder_routes.sintering_aid_effects("li2o_al2o3_liquid", 0.0, 0.975, ta)["li_loss_factor"] == 0.75


def test_unknown_route_and_sulphide_are_refused():
    with pytest.raises(PhysicsDomainError, match="powder_route='sol_gel' is unknown"):
        powder_routes.route_material(load_material("llzo_ta"), "sol_gel")
    with pytest.raises(PhysicsDomainError, match="no master sintering curve"):
        powder_routes.route_material(load_material("li6ps5cl"), "calcined")
