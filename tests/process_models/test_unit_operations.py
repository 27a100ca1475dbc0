"""Tape casting, spray deposition and Li lamination / evaporation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from process_models.errors import PhysicsDomainError
from process_models.lamination import (
    li_contact_fraction,
    li_creep_strain,
    li_evaporation_rate_m_per_s,
    li_interface_asr_ohm_m2,
    li_vapour_pressure_Pa,
    nip_dwell_time_s,
)
from process_models.parameters import load_material
from process_models.spray_deposition import layer_time_s, passes_for_thickness, thickness_per_pass_m
from process_models.tape_casting import (
    critical_cracking_thickness_m,
    doctor_blade_wet_thickness_m,
    drying_time_s,
    green_thickness_m,
    sintered_thickness_m,
)

LI = load_material("li_metal")


@pytest.mark.unit
def test_doctor_blade_worked_example():
    # physics-notes §4.1 worked example: h0 = 200 um, H = 1 cm, rho = 2000, eta = 2 Pa s, U = 1 cm/s, L = 5 mm
    # -> ~101 um; the pressure term adds ~1 %. Tolerance 0.5 um (the note rounds to 101).
    wet = float(doctor_blade_wet_thickness_m(200e-6, 0.01, 2.0, 0.01, 2000.0, 5e-3))
    assert wet == pytest.approx(101e-6, abs=0.5e-6)
    assert float(doctor_blade_wet_thickness_m(200e-6, 0.01, 2.0, 0.0, 2000.0, 5e-3)) == pytest.approx(100e-6)


@pytest.mark.unit
def test_doctor_blade_trends():
    # physics-notes §4.1 (LSM FE study): thickness falls with casting speed and rises with slurry height.
    speeds = np.linspace(0.001, 0.05, 20)
    assert np.all(np.diff(doctor_blade_wet_thickness_m(200e-6, speeds, 1.0, 0.02, 2000.0, 5e-3)) < 0)
    heads = np.linspace(0.0, 0.05, 20)
    assert np.all(np.diff(doctor_blade_wet_thickness_m(200e-6, 0.005, 1.0, heads, 2000.0, 5e-3)) > 0)


@pytest.mark.unit
@settings(max_examples=50, deadline=None)
@given(st.floats(10e-6, 1e-3), st.floats(0.1, 0.5), st.floats(0.5, 0.7), st.floats(0.0, 0.45))
def test_tape_volume_balance(wet, solids, green, densification):
    green_t = float(green_thickness_m(wet, solids, green))
    assert green_t == pytest.approx(wet * solids / green, rel=1e-12) and green_t <= wet
    final = min(1.0, green + densification)
    constrained = float(sintered_thickness_m(green_t, green, final, constrained=True))
    free = float(sintered_thickness_m(green_t, green, final, constrained=False))
    assert constrained * final == pytest.approx(green_t * green, rel=1e-12)  # solid volume per area conserved
    assert constrained <= free <= green_t


@pytest.mark.unit
def test_drying_time_and_cracking_thickness_trends():
    assert float(drying_time_s(100e-6, 0.7, 1e-7)) == pytest.approx(700.0)
    radii = np.array([0.1e-6, 0.5e-6, 2e-6])
    h_c = critical_cracking_thickness_m(radii, 60e9, 0.022)
    assert np.all(np.diff(h_c) > 0)  # larger particles crack later (Singh & Tirumkudulu 2007)
    assert critical_cracking_thickness_m(0.5e-6, 60e9, 0.072) < critical_cracking_thickness_m(0.5e-6, 60e9, 0.022)


@pytest.mark.unit
def test_green_thickness_rejects_solids_above_packing():
    with pytest.raises(PhysicsDomainError,
                       match=r"slurry_solids_volume_fraction=0.7 is outside \(0, green_relative_density\]"):
        green_thickness_m(100e-6, 0.7, 0.55)


@pytest.mark.unit
def test_roadmap_14_3_thirty_layers_make_60um():
    # 2020 SSB roadmap §14.3 / Figure 17: 30 sprayed and re-precipitated Li6PS5Cl layers -> 60 um film.
    per_pass = 60e-6 / 30
    assert int(passes_for_thickness(60e-6, per_pass)) == 30
    assert int(passes_for_thickness(60e-6 + 1e-7, per_pass)) == 31
    # roadmap §14.3 / Fig. 16: composite cathode sub-layers of ~5 um -> 3 sub-layers for 15 um
    assert int(passes_for_thickness(15e-6, 5e-6)) == 3


@pytest.mark.unit
@settings(max_examples=50, deadline=None)
@given(st.floats(1e-9, 1e-6), st.floats(0.01, 0.4), st.floats(0.3, 1.0), st.floats(0.01, 0.5), st.floats(0.005, 0.05))
def test_spray_mass_balance(feed, solids, efficiency, speed, width):
    per_pass = float(thickness_per_pass_m(feed, solids, efficiency, speed, width, 0.6))
    deposited_solid_volume_rate = per_pass * speed * width * 0.6
    assert deposited_solid_volume_rate == pytest.approx(feed * solids * efficiency, rel=1e-12)
    assert float(layer_time_s(0.01, 10, speed, width, 2.0)) == pytest.approx(10 * (0.01 / (speed * width) + 2.0))


@pytest.mark.unit
def test_nip_dwell_and_creep_law():
    assert float(nip_dwell_time_s(2e-3, 0.1)) == pytest.approx(0.02)
    # Norton law: doubling stress multiplies strain by 2^n (n = 6.56, Masias 2019 [R]).
    ratio = li_creep_strain(2e6, 1.0, 298.15, LI) / li_creep_strain(1e6, 1.0, 298.15, LI)
    assert ratio == pytest.approx(2 ** 6.56, rel=1e-9)


@pytest.mark.unit
@settings(max_examples=100, deadline=None)
@given(st.floats(0.0, 20e6), st.floats(250.0, 450.0), st.floats(0.0, 3600.0),
       st.floats(0.0, 5e6), st.floats(0.0, 3.0), st.floats(0.0, 600.0))
def test_contact_fraction_bounded_and_monotone(pressure, temperature, dwell, dp, dT, dt):
    base = float(li_contact_fraction(pressure, temperature, dwell, LI))
    assert LI["initial_contact_fraction"] <= base <= 1.0
    assert float(li_contact_fraction(pressure + dp, temperature, dwell, LI)) >= base
    assert float(li_contact_fraction(pressure, min(453.0, temperature + dT), dwell, LI)) >= base
    assert float(li_contact_fraction(pressure, temperature, dwell + dt, LI)) >= base


@pytest.mark.unit
def test_interface_asr_anchors():
    # Full contact = 2 ohm cm^2 (Sharafi 2017 [R]); constriction R ~ 1/contact area (arXiv 2501.00600).
    assert float(li_interface_asr_ohm_m2(1.0, LI)) == pytest.approx(2.0e-4)
    assert float(li_interface_asr_ohm_m2(0.1, LI)) == pytest.approx(2.0e-3)
    assert float(li_interface_asr_ohm_m2(1.0, LI, full_contact_asr_ohm_m2=1710e-4)) == pytest.approx(0.171)
    with pytest.raises(PhysicsDomainError, match=r"contact_fraction=0 is outside \(0, 1\]"):
        li_interface_asr_ohm_m2(0.0, LI)


@pytest.mark.unit
@pytest.mark.parametrize(("temperature", "pressure", "recession_um_per_s"),
                         [(797.0, 1.0, 0.76), (885.0, 10.0, 7.3), (995.0, 100.0, 68.0)])
def test_li_evaporation_matches_handbook_points(temperature, pressure, recession_um_per_s):
    # physics-notes §6.3: CRC vapour pressure points and the alpha = 1 recession table. The Clausius-Clapeyron
    # fit through four points misses each by < 5 %, so 5 % tolerance on pressure and rate.
    assert float(li_vapour_pressure_Pa(temperature)) == pytest.approx(pressure, rel=0.05)
    assert float(li_evaporation_rate_m_per_s(temperature)) * 1e6 == pytest.approx(recession_um_per_s, rel=0.05)
    assert float(li_evaporation_rate_m_per_s(temperature, geometry_factor=0.1)) == pytest.approx(
        0.1 * float(li_evaporation_rate_m_per_s(temperature)))


@pytest.mark.unit
def test_lamination_domain_errors():
    with pytest.raises(PhysicsDomainError, match=r"temperature_K=500 is outside \(0, 453.65\]"):
        li_contact_fraction(1e6, 500.0, 1.0, LI)
    with pytest.raises(PhysicsDomainError, match=r"line_speed_m_per_s=0 is outside \(0, inf\)"):
        nip_dwell_time_s(1e-3, 0.0)
    with pytest.raises(PhysicsDomainError, match=r"source_temperature_K=1500 is outside \[600, 1400\]"):
        li_evaporation_rate_m_per_s(1500.0)


@pytest.mark.unit
def test_furnace_energy_balance_by_hand():
    from process_models.furnace_energy import furnace_energy_J
    from process_models.temperature_profile import celsius_profile
    # 25 -> 1025 C at 5 K/min, 1 h hold, cool at 5 K/min: heating 1000 K x 100 kJ/K = 1e8 J; losses at 5 kW per
    # 975 K excess x 15.6e6 K s = 8.0e7 J; divided by eta = 0.9 -> 2.0e8 J (hand arithmetic, exact).
    profile = celsius_profile(25.0, [("ramp", 1025.0, 5.0), ("hold", 1.0), ("ramp", 25.0, 5.0)])
    assert float(furnace_energy_J(profile, 100e3, 5e3, 0.9)) == pytest.approx((1e8 + 5e3 * 15.6e6 / 975.0) / 0.9)
    shorter = celsius_profile(25.0, [("ramp", 1025.0, 5.0), ("hold", 0.5), ("ramp", 25.0, 5.0)])
    assert furnace_energy_J(shorter, 100e3, 5e3, 0.9) < furnace_energy_J(profile, 100e3, 5e3, 0.9)
    with pytest.raises(PhysicsDomainError, match=r"heating_efficiency=0 is outside \(0, 1\]"):
        furnace_energy_J(profile, 100e3, 5e3, 0.0)


@pytest.mark.unit
def test_composite_cathode_can_be_sintered():
    from process_models.densification import sintered_relative_density
    from process_models.temperature_profile import celsius_profile
    cathode = load_material("lco_llzto_composite")
    profile = celsius_profile(25.0, [("ramp", 1050.0, 100.0), ("hold", 0.1)])
    density = float(sintered_relative_density(profile, 0.55, cathode))
    assert 0.55 < density <= cathode["msc_final_relative_density"]
