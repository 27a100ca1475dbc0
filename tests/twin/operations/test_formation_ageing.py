"""Formation and ageing steps in a scenario: cyclers, net energy, CCD-driven shorts and the OCV screen."""

from __future__ import annotations

import pytest

from process_models.formation import formation_grid_energy_J, formation_time_s
from twin.capacity import station_timing
from twin.cell_output import design_cell_energy_Wh
from twin.evaluate import evaluate_scenario
from twin.scenario import apply_overrides, load_scenario, read_scenario_document, validate_scenario

PATH = "scenarios/oxide_baseline_formation.yaml"


def _scenario(**overrides):
    return validate_scenario(apply_overrides(read_scenario_document(PATH), overrides))


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(PATH)


@pytest.mark.component
def test_cycler_load_time_and_energy_come_from_the_formation_recipe(scenario):
    step = next(s for s in scenario.route if s.name == "formation")
    timing = station_timing(scenario, "formation")
    assert timing.unit_sheets == 1024 * 1 * 5            # channels x cells per channel x sheets per cell
    t = float(formation_time_s(1, 0.05, 0.1, 0.3, 3600.0))
    assert timing.unit_process_time_s == pytest.approx(37.0 * 3600.0, rel=1e-12)
    per_cell_J = float(formation_grid_energy_J(design_cell_energy_Wh(scenario) * 3600.0, step.cycles,
                                               step.shipping_soc, step.charger_efficiency, step.recovery_fraction))
    assert timing.unit_energy_kWh == pytest.approx(1024 * per_cell_J / 3.6e6 + 1.2 * t / 3600.0, rel=1e-12)


@pytest.mark.component
def test_ageing_occupies_a_rack_for_the_ageing_days(scenario):
    timing = station_timing(scenario, "ageing")
    assert timing.unit_process_time_s == pytest.approx(14 * 86400.0, rel=1e-12)
    assert timing.unit_sheets == 50000


@pytest.mark.integration
def test_formation_and_ageing_cost_shows_per_kwh_on_top_of_the_baseline(scenario):
    # the same line without its formation and ageing (the library's oxide_baseline is no longer that line: it
    # has an end-of-line test whose rejects take their cells, and this scenario has none)
    document = read_scenario_document(PATH)
    dropped = ("formation", "ageing")
    document["route"] = [step for step in document["route"] if step["name"] not in dropped]
    document["line"]["stations"] = {name: station for name, station in document["line"]["stations"].items()
                                    if name not in dropped}
    document["sources"] = {path: text for path, text in document["sources"].items()
                           if not any(f".{name}" in path for name in dropped)}
    base = evaluate_scenario(validate_scenario(document))
    formed = evaluate_scenario(scenario)
    by_step = formed["cost"]["by_step"]
    assert by_step["formation"] > 0 and by_step["ageing"] > 0
    assert formed["cost"]["usd_per_kwh"] > base["cost"]["usd_per_kwh"]
    # at C/20 (0.175 mA/cm2) no sheet's CCD (~0.21 mA/cm2, p5) is exceeded: the screen rejects nothing
    assert formed["stations"]["ageing"]["quality"] == 1.0   # after cutting: the station's flow, no sheet yield


@pytest.mark.integration
def test_a_regenerative_cycler_costs_less_energy_than_a_resistive_one():
    regenerative = evaluate_scenario(_scenario())
    resistive = evaluate_scenario(_scenario(**{"route.formation.recovery_fraction": 0.0}))
    assert (resistive["energy"]["by_station_kwh_per_kwh"]["formation"]
            > regenerative["energy"]["by_station_kwh_per_kwh"]["formation"])


@pytest.mark.integration
def test_charging_above_the_sheets_ccd_makes_the_screen_reject_and_ship_shorts():
    gentle = evaluate_scenario(_scenario())
    hard = evaluate_scenario(_scenario(**{"route.formation.charge_c_rate_per_h": 0.06}))   # 0.21 mA/cm2
    assert hard["stations"]["ageing"]["quality"] < gentle["stations"]["ageing"]["quality"]
    assert hard["yield"]["scrap_by_cause"]["self_discharge"] > 0
    assert hard["yield"]["escape_rate"] > gentle["yield"]["escape_rate"]


@pytest.mark.integration
def test_a_longer_ageing_catches_more_shorts_and_ships_fewer():
    rate = {"route.formation.charge_c_rate_per_h": 0.06}
    short = evaluate_scenario(_scenario(**rate, **{"route.ageing.ageing_days": 3}))
    long = evaluate_scenario(_scenario(**rate, **{"route.ageing.ageing_days": 21}))
    assert long["yield"]["scrap_by_cause"]["self_discharge"] > short["yield"]["scrap_by_cause"]["self_discharge"]
    assert long["yield"]["escape_rate"] < short["yield"]["escape_rate"]


@pytest.mark.component
def test_a_cycler_load_that_disagrees_with_its_channels_names_the_field():
    with pytest.raises(Exception, match="line.stations.formation.batch_capacity_sheets"):
        _scenario(**{"line.stations.formation.batch_capacity_sheets": 1000})


@pytest.mark.component
def test_formation_needs_a_batch_station():
    with pytest.raises(Exception, match="line.stations.formation.kind"):
        _scenario(**{"line.stations.formation.kind": "discrete",
                     "line.stations.formation.cycle_time_s": 10})
