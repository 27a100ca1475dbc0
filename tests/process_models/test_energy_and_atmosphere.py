"""Moist air, solvent removal and the exposure physics against published values (source and tolerance)."""

import numpy as np
import pytest

from process_models.atmosphere_exposure import (
    CARBONATE_DOSE_SCALE_PA_S,
    carbonate_fraction,
    carbonated_interface_asr_ohm_m2,
    sulphide_conductivity_retention,
    water_partial_pressure_Pa,
)
from process_models.dry_room import dry_room_power_W_per_m2, humidity_ratio_kg_per_kg, saturation_vapour_pressure_Pa
from process_models.solvent_removal import (
    AIR_HEAT_CAPACITY_J_PER_KG_K,
    SOLVENTS,
    exhaust_air_kg_per_kg_solvent,
    solvent_removal_energy_J_per_kg,
)

pytestmark = pytest.mark.unit
DRY_ROOM_DEFAULTS = dict(outdoor_dew_point_K=283.15, make_up_air_m3_per_h_per_m2=8.0,
                         regeneration_J_per_kg_water=5.0e6, recirculation_m3_per_h_per_m2=80.0, fan_J_per_m3=1500.0)


def test_frost_point_pressure_matches_murphy_and_koop():
    # Murphy & Koop, Q. J. R. Meteorol. Soc. 131 (2005) 1539: ice at -40 C 12.84 Pa, at -60 C 1.08 Pa
    assert saturation_vapour_pressure_Pa(233.15) == pytest.approx(12.84, rel=0.01)
    assert saturation_vapour_pressure_Pa(213.15) == pytest.approx(1.08, rel=0.02)


def test_water_vapour_pressure_at_20C_matches_steam_tables():
    # IAPWS-95 / CRC Handbook: 2339 Pa at 20 C, 7385 Pa at 40 C
    assert saturation_vapour_pressure_Pa(293.15) == pytest.approx(2339.0, rel=0.005)
    assert saturation_vapour_pressure_Pa(313.15) == pytest.approx(7385.0, rel=0.005)


def test_minus_40C_dew_point_is_126_ppm_water():
    # GM R&D, Front. Energy Res. 10 (2022) 882508: "-40 C dewpoint dry rooms with around 126 ppm water"
    assert water_partial_pressure_Pa(233.15) / 101325.0 * 1e6 == pytest.approx(126.0, rel=0.02)


def test_ethanol_latent_heat_is_the_nist_value():
    # NIST Chemistry WebBook: Delta_vap H(298 K) of ethanol 42.3 kJ/mol
    ethanol = SOLVENTS["ethanol"]
    assert ethanol["latent_heat_J_per_kg"] * ethanol["molar_mass_kg_per_mol"] == pytest.approx(42.3e3, rel=0.01)


@pytest.mark.parametrize("solvent", ["ethanol", "toluene", "xylene", "nmp"])
def test_exhaust_holds_the_vapour_at_a_quarter_of_its_lel(solvent):
    # NFPA 86 §11.6: solvent ovens ventilated to <= 25 % LEL; back out the vapour mole fraction
    props = SOLVENTS[solvent]
    air_mol = exhaust_air_kg_per_kg_solvent(solvent) / 0.028965
    solvent_mol = 1.0 / props["molar_mass_kg_per_mol"]
    assert solvent_mol / (solvent_mol + air_mol) == pytest.approx(0.25 * props["lel_volume_fraction"], rel=1e-9)


def test_solvent_energy_is_latent_heat_when_nothing_is_heated():
    # at the hall temperature only the latent heat is drawn (over the heater efficiency)
    assert solvent_removal_energy_J_per_kg("ethanol", 293.15, heater_efficiency=1.0) == pytest.approx(0.918e6)


def test_exhaust_air_heating_exceeds_latent_heat_for_ethanol_at_60C():
    air = exhaust_air_kg_per_kg_solvent("ethanol") * AIR_HEAT_CAPACITY_J_PER_KG_K * 40.0
    assert air > SOLVENTS["ethanol"]["latent_heat_J_per_kg"]  # why a flat heater power misses the point


def test_dry_room_power_grows_with_make_up_air_and_outdoor_humidity():
    base = dry_room_power_W_per_m2(233.15, **DRY_ROOM_DEFAULTS)
    more_air = dry_room_power_W_per_m2(233.15, **{**DRY_ROOM_DEFAULTS, "make_up_air_m3_per_h_per_m2": 16.0})
    humid = dry_room_power_W_per_m2(233.15, **{**DRY_ROOM_DEFAULTS, "outdoor_dew_point_K": 293.15})
    assert more_air > base and humid > base
    # the water term alone: 1.204 kg/m3 x 8 m3/h x (x_out - x_room) x 5 MJ/kg / 3600
    water = 1.204 * 8.0 * (humidity_ratio_kg_per_kg(283.15) - humidity_ratio_kg_per_kg(233.15)) * 5e6 / 3600
    assert base == pytest.approx(water + 88.0 * 1500.0 / 3600.0, rel=1e-12)


def test_dry_room_power_rises_as_the_dew_point_falls():
    powers = dry_room_power_W_per_m2(np.array([233.15, 223.15, 213.15]), **DRY_ROOM_DEFAULTS)
    assert np.all(np.diff(powers) > 0)


def test_sulphide_conductivity_after_30_min_at_minus_40C_matches_gm_2022():
    # GM R&D, Front. Energy Res. 10 (2022) 882508: slurry-coated sulphide, 30 min at -40 C dew point: -14 %
    dose = water_partial_pressure_Pa(233.15) * 1800.0
    assert sulphide_conductivity_retention(dose) == pytest.approx(0.86, abs=0.005)


def test_sulphide_degrades_faster_in_wetter_air():
    doses = water_partial_pressure_Pa(np.array([213.15, 223.15, 233.15])) * 3600.0
    assert np.all(np.diff(sulphide_conductivity_retention(doses)) < 0)


def test_carbonated_interface_asr_spans_sharafi_to_han():
    # clean 2 ohm cm2 (Sharafi et al., Chem. Mater. 2017); air-exposed 1710 ohm cm2 (Han et al., Nat. Mater. 2017)
    assert carbonated_interface_asr_ohm_m2(0.0) * 1e4 == pytest.approx(2.0)
    assert carbonated_interface_asr_ohm_m2(1.0) * 1e4 == pytest.approx(1710.0)


def test_carbonate_fraction_saturates():
    assert carbonate_fraction(CARBONATE_DOSE_SCALE_PA_S) == pytest.approx(1.0 - np.exp(-1.0))
    assert carbonate_fraction(1e12) == pytest.approx(1.0)
    assert carbonate_fraction(0.0) == 0.0
