"""The dry-room energy line follows the room's dew point (process_models.dry_room) unless metered."""

from pathlib import Path

import pytest

from twin.cost.linear_model import dry_room_kW_per_m2
from twin.scenario import ScenarioError, load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
BASELINE = SCENARIOS / "oxide_baseline.yaml"
pytestmark = pytest.mark.component
BASELINE_SCENARIO = load_scenario(BASELINE)


@pytest.mark.parametrize("dew_point_C, kW_per_m2", [(-30, 0.1199), (-40, 0.1375), (-50, 0.1592), (-60, 0.1883)])
def test_dry_room_power_per_floor_area_rises_as_the_dew_point_falls(dew_point_C, kW_per_m2):
    scenario = load_scenario(BASELINE, overrides={"line.zones.dry_room.dew_point_C": dew_point_C})
    assert dry_room_kW_per_m2(scenario) == pytest.approx(kW_per_m2, abs=1e-4)


def test_given_regeneration_energy_is_the_minus_40C_anchor_of_the_curve():
    # 6 MJ/kg at -40 C instead of 5: its sensible part (6 - 2.454) scales with the lift, 124 -> 224 C at -60 C
    scenario = load_scenario(BASELINE, overrides={"line.zones.dry_room.dew_point_C": -60,
                                                  "line.zones.dry_room.regeneration_MJ_per_kg_water": 6.0})
    at_minus_40 = load_scenario(BASELINE, overrides={"line.zones.dry_room.regeneration_MJ_per_kg_water": 6.0})
    default_at_minus_60 = load_scenario(BASELINE, overrides={"line.zones.dry_room.dew_point_C": -60})
    assert dry_room_kW_per_m2(at_minus_40) > dry_room_kW_per_m2(BASELINE_SCENARIO)
    assert dry_room_kW_per_m2(scenario) > max(dry_room_kW_per_m2(at_minus_40), dry_room_kW_per_m2(default_at_minus_60))


def test_regeneration_below_the_latent_heat_is_refused_with_the_field():
    with pytest.raises(ScenarioError, match=r"line\.zones\.dry_room\.regeneration_MJ_per_kg_water: 1 is below 2\.4"):
        load_scenario(BASELINE, overrides={"line.zones.dry_room.regeneration_MJ_per_kg_water": 1.0})
