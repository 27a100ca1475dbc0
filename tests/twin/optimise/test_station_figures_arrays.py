"""Station figures over arrays of recipes give each recipe the numbers of its own scalar timing.

``twin.capacity.station_timing_over_recipes`` times many recipes of one station at once and the
optimiser prices every (recipe set, machine size) with it. The reference is the scalar path the
evaluation uses: ``station_timing`` of each candidate's scenario, ``step_variable_cost_per_sheet`` and
``run_kWh_above_idle_per_sheet`` with that timing. Both run each recipe's unit through the same function,
so the numbers must be equal exactly (same operations in the same order), at every size.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from twin.capacity import machine_hours_per_sheet, station_timing, station_timing_over_recipes
from twin.cost import step_variable_cost_per_sheet
from twin.cost.linear_model import run_kWh_above_idle_per_sheet
from twin.optimise.coefficients import UpstreamRecipes, _candidate_station_figures
from twin.optimise.recipe_space import candidate_recipes, plan_groups, recipe_axes, with_recipes
from twin.scenario import load_scenario
from twin.scenario.machine_sizes import size_choices, with_sizes

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.component


@pytest.fixture(scope="module")
def gigafactory():
    scenario = load_scenario(ROOT / "scenarios" / "gigafactory.yaml")
    plan = plan_groups(scenario, recipe_axes(scenario))[0]
    steps, _ = candidate_recipes(scenario, plan)
    # every 97th candidate: all blade gaps, many firing recipes, both cover-powder settings
    return scenario, plan, steps[::97]


def scalar_figures(scenario, name, recipes):
    """One scalar timing and cost per distinct recipe set: the path before the arrays."""
    rows = []
    for upstream, own in zip(recipes.upstream, recipes.own_step, strict=True):
        candidate = with_recipes(scenario, upstream)
        timing = station_timing(candidate, name, step=own, machines=1)
        effective = timing.sheets_per_hour_per_machine * timing.availability * timing.setup_factor
        rows.append((
            1.0 / effective if effective > 0 else np.inf,
            float(sum(step_variable_cost_per_sheet(candidate, name, step=own, timing=timing).values())),
            run_kWh_above_idle_per_sheet(candidate, name, own, timing),
        ))
    return np.array(rows)[recipes.of_candidate]


def test_array_timing_equals_scalar_timing_per_recipe(gigafactory):
    scenario, plan, steps = gigafactory
    i = next(k for k, s in enumerate(scenario.route) if s.name == "electrolyte_sintering")
    recipes = UpstreamRecipes.at(steps, i)
    scenarios = [with_recipes(scenario, upstream) for upstream in recipes.upstream]
    timing = station_timing_over_recipes(scenarios, "electrolyte_sintering", recipes.own_step)
    assert len(set(timing.unit_process_time_s)) > 10  # the recipes do differ
    for k, (candidate, own) in enumerate(zip(scenarios, recipes.own_step, strict=True)):
        one = station_timing(candidate, "electrolyte_sintering", step=own, machines=1)
        assert timing.unit_process_time_s[k] == one.unit_process_time_s
        assert timing.unit_energy_kWh[k] == one.unit_energy_kWh
        assert np.broadcast_to(timing.run_power_kW, len(scenarios))[k] == one.run_power_kW
        assert (timing.unit_sheets, timing.unit_overhead_s, timing.availability, timing.setup_s) == (
            one.unit_sheets, one.unit_overhead_s, one.availability, one.setup_s)
        assert machine_hours_per_sheet(timing)[k] == machine_hours_per_sheet(one)


@pytest.mark.parametrize("name", ["electrolyte_casting", "electrolyte_sintering", "electrolyte_inspection"])
def test_candidate_figures_equal_the_scalar_path_at_every_size(gigafactory, name):
    scenario, plan, steps = gigafactory
    i = next(k for k, s in enumerate(scenario.route) if s.name == name)
    recipes = UpstreamRecipes.at(steps, i)
    for size in size_choices(scenario.line.stations[name]):
        sized = with_sizes(scenario, {name: size})
        arrays = _candidate_station_figures(sized, recipes, name)
        assert arrays.shape == (len(steps), 3)
        np.testing.assert_array_equal(arrays, scalar_figures(sized, name, recipes))


def test_recipes_on_different_lines_are_refused(gigafactory):
    scenario, _, _ = gigafactory
    other = with_sizes(scenario, {"electrolyte_sintering": 8000})
    with pytest.raises(ValueError, match="another line"):
        station_timing_over_recipes([scenario, other], "electrolyte_sintering", [None, None])
    with pytest.raises(ValueError, match="one scenario per recipe"):
        station_timing_over_recipes([scenario], "electrolyte_sintering", [None, None])


def test_a_machine_that_makes_nothing_takes_infinite_hours():
    from dataclasses import replace

    scenario = load_scenario(ROOT / "scenarios" / "oxide_baseline.yaml")
    timing = station_timing(scenario, "electrolyte_sintering")
    stopped = replace(timing, availability=0.0)
    assert machine_hours_per_sheet(stopped) == np.inf
    both = replace(timing, unit_process_time_s=np.array([timing.unit_process_time_s] * 2),
                   availability=np.array([0.0, timing.availability]))
    hours = machine_hours_per_sheet(both)
    assert hours[0] == np.inf and hours[1] == machine_hours_per_sheet(timing)
