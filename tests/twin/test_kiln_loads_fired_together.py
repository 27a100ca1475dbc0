"""Kiln loads fired in one call give every sheet exactly what its own load gives it (twin.sheet_physics).

The evaluation's sample fires its loads together when they run the same recipe and every sheet reads the
recipe's Arrhenius offset table (twin.sheet_firing.loads_fire_alike); the draws stay per load, in order.
"""

import numpy as np
import pytest

import twin.sheet_physics as sheet_physics
from process_models.arrhenius_integral import TABLE_HALF_WIDTH_K
from twin.operations import operation_for
from twin.scenario import load_scenario
from twin.sheet_firing import loads_fire_alike


def _route_both_ways(scenario, monkeypatch, **kwargs):
    joined_calls = []
    original = sheet_physics._joined_loads

    def counted(step, loads):
        joined = original(step, loads)
        joined_calls.append(joined is not None)
        return joined

    monkeypatch.setattr(sheet_physics, "_joined_loads", counted)
    together = sheet_physics.run_route(scenario, 3000, np.random.default_rng(5), unit_sheets=500, **kwargs)
    monkeypatch.setattr(sheet_physics, "_joined_loads", lambda step, loads: None)
    one_by_one = sheet_physics.run_route(scenario, 3000, np.random.default_rng(5), unit_sheets=500, **kwargs)
    return together, one_by_one, joined_calls


@pytest.mark.component
@pytest.mark.parametrize("name", ["oxide_baseline", "gigafactory"])
@pytest.mark.parametrize("expected_outcomes", [False, True])
def test_loads_fired_together_equal_loads_fired_one_by_one(name, expected_outcomes, monkeypatch):
    scenario = load_scenario(f"scenarios/{name}.yaml")
    together, one_by_one, joined_calls = _route_both_ways(scenario, monkeypatch,
                                                          expected_outcomes=expected_outcomes)
    assert joined_calls.count(True) == 2   # the electrolyte and the cathode firing each took one call
    np.testing.assert_array_equal(together.alive, one_by_one.alive)
    np.testing.assert_array_equal(together.values, one_by_one.values)   # NaN where NaN, bit for bit


def _load(offset_K, hold_factor=1.0, sheets=4):
    return {"temperature_offset_K": np.full(sheets, float(offset_K)),
            "hold_time_factor": np.full(sheets, float(hold_factor))}


@pytest.mark.unit
def test_loads_with_another_hold_time_or_off_the_offset_table_fire_one_by_one():
    step = next(step for step in load_scenario("scenarios/oxide_baseline.yaml").route if step.kind == "sintering")
    assert loads_fire_alike(step, [_load(-20.0), _load(30.0)])
    # another hold-time draw is another recipe
    assert not loads_fire_alike(step, [_load(0.0), _load(0.0, hold_factor=1.1)])
    # off the table the offset grid spans the call's range: a sheet's value would depend on its load's company
    assert not loads_fire_alike(step, [_load(0.0), _load(TABLE_HALF_WIDTH_K + 1.0)])
    # the route asks the step's operation; a step kind that does not say so runs unit by unit
    assert operation_for(step).loads_fire_alike(step, [_load(-20.0), _load(30.0)])
    inspection = next(step for step in load_scenario("scenarios/oxide_baseline.yaml").route
                      if step.kind == "quality_check")
    assert not operation_for(inspection).loads_fire_alike(inspection, [_load(0.0), _load(0.0)])


@pytest.mark.component
def test_a_load_off_the_offset_table_keeps_every_load_on_its_own(monkeypatch):
    # a wide set-point scatter: some loads fall off the +-50 K table, so no step is joined
    scenario = load_scenario("scenarios/oxide_baseline.yaml", {"variation.furnace_setpoint_sd_K": 40.0})
    together, one_by_one, joined_calls = _route_both_ways(scenario, monkeypatch)
    assert joined_calls and not any(joined_calls)
    np.testing.assert_array_equal(together.values, one_by_one.values)
