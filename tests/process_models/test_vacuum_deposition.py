"""Vacuum deposition of thin-film layers and the LiCoO2 anneal: published values and invariants."""

from __future__ import annotations

import numpy as np
import pytest

from process_models import electrolyte_pinholes as pinholes
from process_models import thin_film_cathode as anneal
from process_models import vacuum_deposition as vd
from process_models.conductivity import area_specific_resistance_ohm_m2, ionic_conductivity_S_per_m
from process_models.errors import PhysicsDomainError
from process_models.parameters import load_material
from process_models.temperature_profile import celsius_profile

NM_PER_MIN = 1e-9 / 60.0


def _anneal_profile(temperature_C, hold_h=2.0):
    # a fast ramp so the hold dominates, as the 2 h published anneals are fitted
    return celsius_profile(25.0, [("ramp", temperature_C, 1000.0), ("hold", hold_h)])


@pytest.mark.unit
def test_lipon_rf_sputter_rate_is_in_the_published_lab_range():
    # reactive RF sputtering of Li3PO4 in N2: lab rates ~1-3 nm/min at a few W/cm2 (research notes A1)
    for power_W_per_cm2 in (1.5, 2.5, 3.5):
        rate = vd.sputter_rate_m_per_s(power_W_per_cm2 * 1e4, "li3po4", "rf_sputter") / NM_PER_MIN
        assert 1.0 <= rate <= 3.0


@pytest.mark.unit
def test_lipon_arc_evaporation_rate_is_8_nm_per_min():
    # Coatings 13 (2023) 1765: 8 nm/min (~0.5 um/h)
    assert vd.EVAPORATION_RATES_M_PER_S["li3po4"] * 3600e6 == pytest.approx(0.48, rel=1e-9)


@pytest.mark.unit
def test_plasma_ald_lipon_grows_2_to_3_nm_per_hour():
    # Put et al., JES 166 (2019) A1239: ~125 s per cycle, 0.7-1 A per cycle -> 2-3 nm/h
    process = vd.ALD_PROCESSES["plasma_ald"]
    rate_nm_per_h = vd.ald_rate_m_per_s(process["growth_per_cycle_m"], process["cycle_time_s"]) * 3600e9
    assert 2.0 <= rate_nm_per_h <= 3.0


@pytest.mark.unit
def test_sputter_rate_is_proportional_to_power_and_refuses_a_cracking_power():
    low = vd.sputter_rate_m_per_s(1e4, "licoo2", "rf_sputter")
    assert vd.sputter_rate_m_per_s(3e4, "licoo2", "rf_sputter") == pytest.approx(3.0 * low, rel=1e-12)
    assert vd.sputter_rate_m_per_s(1e4, "licoo2", "pulsed_dc_sputter") > low
    with pytest.raises(PhysicsDomainError, match="power_density_W_per_m2=60000 is outside"):
        vd.sputter_rate_m_per_s(6e4, "licoo2", "rf_sputter")


@pytest.mark.unit
@pytest.mark.parametrize("thickness_um", [0.5, 1.5, 5.0])
@pytest.mark.parametrize("zone_m", [0.2, 1.0, 7.5])
def test_dynamic_rate_equals_static_rate_times_zone_length(thickness_um, zone_m):
    static = 8.0 * NM_PER_MIN
    speed = vd.web_speed_m_per_s(thickness_um * 1e-6, static, zone_m)
    assert vd.dynamic_rate_m2_per_s(thickness_um * 1e-6, speed) == pytest.approx(static * zone_m, rel=1e-12)


@pytest.mark.unit
def test_lipon_web_speed_example_of_the_research_notes():
    # 8 nm/min over a 1 m zone, 1.5 um of LiPON: v ~ 5 mm/min (research notes A1)
    assert vd.web_speed_m_per_s(1.5e-6, 8.0 * NM_PER_MIN, 1.0) * 60e3 == pytest.approx(5.333, rel=1e-3)


@pytest.mark.unit
def test_batch_cycle_and_target_use():
    assert vd.batch_chamber_cycle_s(1800.0, 3600.0, 900.0, 600.0) == 6900.0
    planar = vd.target_consumption_kg_per_m2(5e-6, 5060.0, 0.5, vd.TARGET_UTILISATION["planar"])
    rotary = vd.target_consumption_kg_per_m2(5e-6, 5060.0, 0.5, vd.TARGET_UTILISATION["rotary"])
    # the film is 25.3 g/m2; half lands, and a planar target is used to 30 %: 168.7 g/m2 bought
    assert planar == pytest.approx(5e-6 * 5060.0 / 0.5 / 0.3, rel=1e-12)
    assert rotary / planar == pytest.approx(0.30 / 0.80, rel=1e-12)


@pytest.mark.unit
def test_thicker_lipon_never_has_more_pinholes_or_shorts():
    thickness = np.linspace(0.05e-6, 5e-6, 200)
    density = pinholes.pinhole_density_per_m2(thickness, 300.0, 1e-6, 0.5e-6)
    p_short = pinholes.short_probability(density, 4e-4)
    assert np.all(np.diff(density) < 0) and np.all(np.diff(p_short) < 0)
    assert pinholes.pinhole_density_per_m2(1e-6, 300.0, 1e-6, 0.5e-6) == pytest.approx(300.0, rel=1e-12)


@pytest.mark.unit
def test_short_probability_is_poisson_and_the_count_binomial():
    assert pinholes.short_probability(100.0, 4e-4) == pytest.approx(1.0 - np.exp(-0.04), rel=1e-12)
    rng = np.random.default_rng(7)
    u = rng.random(400_000)
    count = pinholes.shorted_cell_count(u, np.full(u.size, 16), np.full(u.size, 0.05))
    # Binomial(16, 0.05): mean 0.8, variance 0.76 (sampling error ~0.002)
    assert count.mean() == pytest.approx(0.8, abs=0.01)
    assert count.var() == pytest.approx(0.76, abs=0.01)
    # a draw above P(K > 0) = 1 - 0.95^16 is a sheet without a short (the killer-defect convention)
    edge = 1.0 - 0.95 ** 16
    assert pinholes.shorted_cell_count(np.array([edge * 1.001, edge * 0.999]), 16, 0.05).tolist() == [0.0, 1.0]



@pytest.mark.unit
def test_the_pinhole_physics_is_still_found_under_vacuum_deposition():
    # the pinholes moved to their own module; code written against the old path gets the same functions
    for name in ("pinhole_density_per_m2", "short_probability", "shorted_cell_count"):
        assert getattr(vd, name) is getattr(pinholes, name) and name in vd.__all__

@pytest.mark.unit
def test_lipon_conductivity_and_asr_are_bates_values():
    # Bates et al. 1992/1993: 2e-6 S/cm at 25 C; 1.5 um of it is 75 ohm cm2
    lipon = load_material("lipon")
    sigma = ionic_conductivity_S_per_m(1.0, 1.0, 0.0, 0.0, lipon)
    assert sigma * 0.01 == pytest.approx(2e-6, rel=0.5)     # S/cm, the published 1-3e-6 band
    assert area_specific_resistance_ohm_m2(1.5e-6, sigma) * 1e4 == pytest.approx(75.0, rel=1e-9)


@pytest.mark.unit
def test_licoo2_theoretical_capacity_per_um_is_69():
    # Dudney & Bates: 69 uAh/cm2/um for dense LiCoO2 (0.5 Li)
    assert anneal.theoretical_capacity_uAh_per_cm2_per_um(load_material("lco_thin_film")) == pytest.approx(69.0,
                                                                                                           rel=0.01)


@pytest.mark.unit
@pytest.mark.parametrize(("temperature_C", "capacity", "grain_nm"), [(500, 41.8, 60), (600, 50.6, 95),
                                                                     (700, 61.2, 125)])
def test_anneal_reproduces_the_published_capacity_and_grain_size(temperature_C, capacity, grain_nm):
    # films of LiCoO2 on Pt/Si after 500/600/700 C (research notes A2); 2 h hold as assumed in the fit
    material = load_material("lco_thin_film")
    profile = _anneal_profile(temperature_C)
    crystallised = anneal.crystallised_fraction(profile, material)
    loss = anneal.li_loss_fraction(profile, 5e-6, material)
    assert anneal.capacity_per_um(crystallised, loss, material) == pytest.approx(capacity, abs=2.0)
    assert anneal.grain_size_m(profile, material) * 1e9 == pytest.approx(grain_nm, rel=0.06)


@pytest.mark.unit
def test_hotter_or_longer_anneals_raise_crystallinity_grain_size_and_li_loss():
    material = load_material("lco_thin_film")
    temperatures = np.arange(450.0, 901.0, 25.0)
    for hold_h in (0.5, 2.0):
        profiles = [_anneal_profile(t, hold_h) for t in temperatures]
        crystallised = np.array([anneal.crystallised_fraction(p, material) for p in profiles])
        grains = np.array([anneal.grain_size_m(p, material) for p in profiles])
        loss = np.array([anneal.li_loss_fraction(p, 5e-6, material) for p in profiles])
        assert np.all(np.diff(crystallised) > 0) and np.all(np.diff(grains) > 0) and np.all(np.diff(loss) > 0)
    short, long = _anneal_profile(650.0, 0.5), _anneal_profile(650.0, 4.0)
    assert anneal.crystallised_fraction(long, material) > anneal.crystallised_fraction(short, material)
    assert anneal.grain_size_m(long, material) > anneal.grain_size_m(short, material)


@pytest.mark.unit
def test_li_loss_is_negligible_at_the_usual_anneal_and_grows_above():
    # the garnet Li2O vapour law, reused for LiCoO2: below 1e-6 of the Li at 700 C, more at 900 C
    material = load_material("lco_thin_film")
    assert anneal.li_loss_fraction(_anneal_profile(700.0), 5e-6, material) < 1e-6
    assert anneal.li_loss_fraction(_anneal_profile(900.0), 5e-6, material) > 1e-5
    # a thinner film loses a larger share of its Li (one face, same flux)
    assert (anneal.li_loss_fraction(_anneal_profile(900.0), 1e-6, material)
            == pytest.approx(5.0 * anneal.li_loss_fraction(_anneal_profile(900.0), 5e-6, material), rel=1e-9))
