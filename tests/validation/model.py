"""The model side of the validation cases: published conditions in, model value out (public API only)."""

from __future__ import annotations

from functools import cache

import numpy as np

from process_models.atmosphere_exposure import sulphide_conductivity_retention, water_partial_pressure_Pa
from process_models.cell_metrics import composite_cathode_utilisation, critical_current_density_A_per_m2
from process_models.conductivity import ionic_conductivity_S_per_m
from process_models.densification import (
    effective_log_work_of_sintering,
    log_work_of_sintering,
    master_curve_relative_density,
)
from process_models.grain_growth import grain_boundary_conductivity_factor, grain_size_after_firing_m
from process_models.lamination import li_interface_asr_ohm_m2
from process_models.li_loss import garnet_phase_fractions, li_loss_per_formula_unit
from process_models.li_vapour_confinement import (
    ARGON_COLLISION_DIAMETER_M,
    ARGON_MOLAR_MASS_KG_PER_MOL,
    ARGON_WELL_DEPTH_K,
    binary_gas_diffusivity_m2_per_s,
    felt_escape_fraction,
)
from process_models.open_furnace_transport import gas_viscosity_Pa_s, upward_face_sherwood_number
from process_models.parameters import load_material
from process_models.powder_pressing import pressed_relative_density, pressing_cracks
from process_models.powder_routes import route_conductivity_factor, route_material, sintering_aid_effects
from process_models.temperature_profile import celsius_profile

GREEN = 0.55              # green density of pressed/cast garnet compacts (physics-notes §4.2 [R])
RAMP_K_PER_MIN = 5.0      # heating rate where a paper's abstract gives only peak and dwell (assumption)


def profile(peak_C: float, hold_h: float, rate_K_per_min: float = RAMP_K_PER_MIN):
    return celsius_profile(25.0, [("ramp", peak_C, rate_K_per_min), ("hold", hold_h)])


def _aid(material, aid: str, aid_wt: float, li_excess_pfu: float = 0.0) -> dict:
    return sintering_aid_effects(aid, aid_wt, li_excess_pfu, material)


def fired_density(name: str, route: str, peak_C: float, hold_h: float, aid: str = "none", aid_wt: float = 0.0,
                  rate_K_per_min: float = RAMP_K_PER_MIN) -> float:
    """Relative density of a pressureless firing of the route's reference powder."""
    material = route_material(load_material(name), route)
    log_theta = effective_log_work_of_sintering(profile(peak_C, hold_h, rate_K_per_min), material)
    log_theta = log_theta + _aid(material, aid, aid_wt)["log_theta_shift"]
    return float(master_curve_relative_density(log_theta, GREEN, material["msc_log_theta_half"],
                                               material["msc_log_theta_width"], material["msc_final_relative_density"]))


def fired_grain_size_um(name: str, route: str, peak_C: float, hold_h: float,
                        rate_K_per_min: float = RAMP_K_PER_MIN) -> float:
    """Grain size after the firing, growing from the route's reference powder size."""
    material = route_material(load_material(name), route)
    log_theta = log_work_of_sintering(profile(peak_C, hold_h, rate_K_per_min),
                                      material["msc_activation_energy_J_per_mol"])
    return float(grain_size_after_firing_m(log_theta, material["msc_reference_particle_size_m"], material)) * 1e6


def layer_conductivity_mS_per_cm(name: str, relative_density: float, grain_size_um: float | None = None,
                                 route: str = "flame_spray_nano", aid: str = "none", aid_wt: float = 0.0,
                                 li_excess_pfu: float = 0.0) -> float:
    """Conductivity of a phase-pure garnet layer at a density (and grain size; None = the reference grains)."""
    material = load_material(name)
    sigma = float(ionic_conductivity_S_per_m(relative_density, 1.0, 0.0, 0.0, material))
    if grain_size_um is not None:
        sigma *= float(grain_boundary_conductivity_factor(grain_size_um * 1e-6, material))
    sigma *= route_conductivity_factor(route) * _aid(material, aid, aid_wt, li_excess_pfu)["conductivity_factor"]
    return sigma * 10.0


def fired_conductivity_mS_per_cm(name: str, route: str, peak_C: float, hold_h: float, aid: str = "none",
                                 aid_wt: float = 0.0) -> float:
    """Density, grain growth and conductivity of one pressureless firing, chained."""
    density = fired_density(name, route, peak_C, hold_h, aid, aid_wt)
    grains = fired_grain_size_um(name, route, peak_C, hold_h)
    return layer_conductivity_mS_per_cm(name, density, grains, route, aid, aid_wt)


@cache
def _pressure_points():
    from process_models.calibration import pressure_sintering_fit as fit
    return (fit.hot_press_anchor(),) + tuple(fit.check_points())


def pressure_sintered_density(index: int) -> float:
    """Hot press (0), SPS (1), HIP (2) under the conditions of docs/calibration/pressure_sintering.md."""
    from process_models.calibration import pressure_sintering_fit as fit
    point = _pressure_points()[index]
    return fit.predicted_density(point, load_material("llzo_al"))


def sps_llzt_conductivity_mS_per_cm() -> float:
    """SPS LLZT (1000 C / 10 min / 50 MPa): density from the SPS check point, grains from its firing."""
    grains = fired_grain_size_um("llzo_ta", "calcined", 1000.0, 10.0 / 60.0, rate_K_per_min=100.0)
    return layer_conductivity_mS_per_cm("llzo_ta", pressure_sintered_density(1), grains, "calcined")


def uhs_density() -> float:
    """Wang et al. 2020 UHS: 1e4 K/min to 1500 C, 10 s, FSP-type nano powder."""
    return fired_density("llzo_ga", "flame_spray_nano", 1500.0, 10.0 / 3600.0, rate_K_per_min=1e4)


def tsai_li_loss_pfu() -> float:
    """Al-LLZO pellet, 1.5 mm, both faces open, 24 h at 1200 C (docs/calibration/li_loss.md)."""
    from process_models.calibration.li_loss_fit import calibration_profile
    return float(li_loss_per_formula_unit(calibration_profile(), 1.5e-3, 2, 1.0, load_material("llzo_al")))


def uhs_felt_li_loss_fraction(rate_K_per_min: float = 1e4) -> float:
    """Wang et al. 2020 UHS: 15 um Ta-LLZO (assumed), one face against a 3 mm felt (assumed), 1500 C / 10 s."""
    material = load_material("llzo_ta")
    escape = float(felt_escape_fraction(1773.15, 3e-3, 0.93))
    lost = float(li_loss_per_formula_unit(profile(1500.0, 10.0 / 3600.0, rate_K_per_min), 15e-6, 1, escape,
                                          material))
    return lost / material["nominal_li_pfu"]


def uhs_heating_rate_li_loss_ratio() -> float:
    """Zhao et al. 2024: Li loss at 1e4 K/min over that at 1e3 K/min, both to 1500 C / 10 s in the felt."""
    return uhs_felt_li_loss_fraction(1e4) / uhs_felt_li_loss_fraction(1e3)


def li2o_sublimation_enthalpy_kJ_per_mol() -> float:
    """The Li2O(s) -> Li2O(g) enthalpy the garnet flux law uses (fixed from JANAF, docs/calibration/li_loss.md)."""
    return load_material("llzo_ta")["li2o_vaporisation_enthalpy_J_per_mol"] / 1e3


def argon_self_diffusivity_cm2_per_s() -> float:
    """Chapman-Enskog with Neufeld's collision integral (the Li2O escape model's gas transport), Ar at 0 C, 1 atm."""
    return float(binary_gas_diffusivity_m2_per_s(
        273.15, molar_masses_kg_per_mol=(ARGON_MOLAR_MASS_KG_PER_MOL,) * 2,
        collision_diameters_m=(ARGON_COLLISION_DIAMETER_M,) * 2, well_depths_K=(ARGON_WELL_DEPTH_K,) * 2)) * 1e4


def argon_viscosity_uPa_s() -> float:
    """Chapman-Enskog argon viscosity at 300 K (the open-furnace boundary layer's Rayleigh number uses it)."""
    return float(gas_viscosity_Pa_s(300.0)) * 1e6


def upward_plate_sherwood_at_ra_1e3() -> float:
    """Mean Sherwood number of a hot face up at Ra = 1e3 (the range of the open-furnace sheet, Ra ~ 1e2-1e3)."""
    return float(upward_face_sherwood_number(1e3))


def yi_film_cubic_fraction() -> float:
    """25 um Ga-LLZO film, one face open, no Li excess, 1130 C / 0.3 h: cubic fraction after its Li loss."""
    material = load_material("llzo_ga")
    lost = float(li_loss_per_formula_unit(profile(1130.0, 0.3), 25e-6, 1, 1.0, material))
    cubic, _, _ = garnet_phase_fractions(material["nominal_li_pfu"] - lost, material)
    return float(cubic)


def pressed_lpscl_conductivity_mS_per_cm(pressure_MPa: float, temperature_C: float = 25.0) -> float:
    material = load_material("li6ps5cl")
    density = pressed_relative_density(pressure_MPa * 1e6, temperature_C + 273.15, 0.50, material)
    return float(ionic_conductivity_S_per_m(density, 1.0, 0.0, 0.0, material)) * 10.0


def pressed_lpscl_density(pressure_MPa: float, temperature_C: float) -> float:
    return float(pressed_relative_density(pressure_MPa * 1e6, temperature_C + 273.15, 0.50,
                                          load_material("li6ps5cl")))


def lpscl_cracks(pressure_MPa: float) -> float:
    return float(bool(pressing_cracks(pressure_MPa * 1e6, load_material("li6ps5cl"))))


def interface_asr_ohm_cm2(pressure_MPa: float) -> float:
    """Li on cleaned garnet at full contact, at a stack pressure."""
    return float(li_interface_asr_ohm_m2(1.0, load_material("li_metal"), pressure_Pa=pressure_MPa * 1e6)) * 1e4


def ccd_mA_per_cm2(pressure_MPa: float, interface_asr_ohm_cm2: float = 0.0, material: str = "llzo_ga") -> float:
    """CCD of a dense layer at a stack pressure and interface ASR, 25 C."""
    return float(critical_current_density_A_per_m2(interface_asr_ohm_cm2 * 1e-4, pressure_MPa * 1e6, 1.0,
                                                   load_material(material))) / 10.0


def plant_energy_kwh_per_kwh(scenario_file: str) -> float:
    """Electricity per kWh of good cells of a library scenario (``twin.evaluate``)."""
    from twin.evaluate import evaluate_scenario
    from twin.scenario import load_scenario
    return float(evaluate_scenario(load_scenario(scenario_file))["energy_kwh_per_kwh"])


def cathode_utilisation(material_name: str, relative_density: float) -> float:
    """Accessible share of a dry composite cathode's capacity at a made density (its material's law)."""
    material = load_material(material_name)
    return float(composite_cathode_utilisation(relative_density, material["utilisation_percolation_relative_density"],
                                               material["utilisation_full_relative_density"],
                                               material["utilisation_exponent"]))


def sulphide_retention_at_dew_point(dew_point_C: float, minutes: float, exposed_share: float = 1.0) -> float:
    """Conductivity a sulphide keeps after a wait at a dew point, every particle surface open by default."""
    dose = float(water_partial_pressure_Pa(dew_point_C + 273.15)) * minutes * 60.0
    return float(sulphide_conductivity_retention(dose, exposed_share=exposed_share))


def anode_free_first_cycle_loss() -> float:
    """Share of an anode-free cell's first charge it does not discharge (``process_models.formation``)."""
    from process_models.formation import (
        ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION,
        cyclable_capacity_after_formation_mAh_per_cm2,
    )
    return 1.0 - float(cyclable_capacity_after_formation_mAh_per_cm2(1.0, ANODE_FREE_FIRST_CYCLE_LI_LOSS_FRACTION))


def ratio(model: float, published: float) -> float:
    return model / published if published else float(np.inf)
