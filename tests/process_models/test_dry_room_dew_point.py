"""Dry-room energy against the dew point: the rotor's regeneration temperature and energy per kg of water."""

import numpy as np
import pytest

from process_models.dry_room import (
    REFERENCE_REGENERATION_J_PER_KG_WATER,
    dry_room_power_W_per_m2,
    regeneration_J_per_kg_water,
    regeneration_temperature_K,
    water_boiling_temperature_K,
)
from process_models.errors import PhysicsDomainError

pytestmark = pytest.mark.unit
DEW_POINTS_K = np.array([-30.0, -40.0, -50.0, -60.0]) + 273.15
OUTDOOR_K = 283.15


def test_boiling_temperature_matches_the_steam_table():
    # IAPWS-IF97: 100 C at 101.325 kPa, 92 C at 75.8 kPa, ~227 C at 2.62 MPa (Clausius-Clapeyron: 3-4 K low there)
    assert water_boiling_temperature_K(101325.0) == pytest.approx(373.15, abs=1e-9)
    assert water_boiling_temperature_K(75.8e3) - 273.15 == pytest.approx(92.0, abs=0.5)
    assert water_boiling_temperature_K(2.62e6) - 273.15 == pytest.approx(227.0, abs=5.0)


def test_one_rotor_to_minus_50C_needs_the_published_reactivation_temperature():
    # Cotes, 'The advantages of a 3-rotor dehumidifier': a -50 C dew point from one rotor needs 150-180 C
    # reactivation (fresh air after the cooling coil at ~6 C dew point there; 10 C outdoor air here, and 6 C)
    for outdoor_C in (6.0, 10.0):
        temperature_C = regeneration_temperature_K(223.15, outdoor_C + 273.15) - 273.15
        assert 150.0 <= temperature_C <= 180.0


def test_reference_dew_point_keeps_the_reference_energy_exactly():
    assert regeneration_J_per_kg_water(233.15, OUTDOOR_K) == REFERENCE_REGENERATION_J_PER_KG_WATER


def test_drier_room_needs_hotter_regeneration_and_more_energy():
    temperatures = regeneration_temperature_K(DEW_POINTS_K, OUTDOOR_K)
    energies = regeneration_J_per_kg_water(DEW_POINTS_K, OUTDOOR_K)
    powers = dry_room_power_W_per_m2(DEW_POINTS_K, OUTDOOR_K, 8.0, energies, 80.0, 1500.0)
    assert np.all(np.diff(temperatures) > 0) and np.all(np.diff(energies) > 0) and np.all(np.diff(powers) > 0)
    # the step per 10 K of dew point grows below -40 C: the energy rises faster the drier the room
    assert np.all(np.diff(np.diff(energies)) > 0)
    # -30 / -40 / -50 / -60 C with 10 C outdoor air: 120 / 138 / 159 / 188 W per m2 of floor
    assert powers == pytest.approx([119.9, 137.5, 159.2, 188.3], abs=0.2)


def test_regeneration_never_costs_less_than_the_latent_heat():
    # a room as wet as the outdoor air needs no lift: the latent heat of the water is all that is left
    assert regeneration_J_per_kg_water(263.15, 263.15) == pytest.approx(2.454e6, rel=1e-9)


def test_bad_vapour_pressure_names_the_field():
    with pytest.raises(PhysicsDomainError, match="pressure_Pa"):
        water_boiling_temperature_K(10.0)
