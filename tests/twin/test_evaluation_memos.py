"""Figures kept per scenario object during an evaluation: the station timings (asked for by the
evaluation, the exposure clock and the energy figures) and the scenario hash an evaluation worker is
handed by the server. Each must equal the figure computed afresh, and a changed scenario (a new object:
the models are frozen) must never get another scenario's figures."""

from __future__ import annotations

import pickle

import pytest

from twin import capacity
from twin.capacity import station_timing, station_timings
from twin.scenario import scenario_hash
from twin.scenario.library import load_library_scenario
from twin.scenario.loader import canonical_json, hash_of_canonical_json, remember_scenario_hash

pytestmark = pytest.mark.unit


def test_station_timings_are_computed_once_per_scenario_and_equal_a_fresh_computation():
    scenario = load_library_scenario("oxide_baseline")
    first = station_timings(scenario)
    again = station_timings(scenario)
    assert all(again[name] is first[name] for name in first)  # kept, not recomputed
    for index, step in enumerate(scenario.route):
        fresh = capacity._station_timing(scenario, index, step.name, None, None)
        assert fresh == first[step.name]  # dataclass equality: every field exactly equal
        # the scenario's own step object passed explicitly is the same recipe: the kept timing
        assert station_timing(scenario, step.name, step=step) is first[step.name]


def test_a_changed_scenario_gets_its_own_timings():
    scenario = load_library_scenario("oxide_baseline")
    name = scenario.route[0].name
    before = station_timing(scenario, name)
    station = scenario.line.stations[name]
    stations = {**scenario.line.stations, name: station.model_copy(update={"machines": station.machines + 3})}
    changed = scenario.model_copy(update={"line": scenario.line.model_copy(update={"stations": stations})})
    assert station_timing(changed, name).machines == before.machines + 3
    assert station_timing(scenario, name).machines == before.machines
    # another machine count or another recipe is never taken from the kept timings
    assert station_timing(scenario, name, machines=before.machines + 1).machines == before.machines + 1
    other_step = scenario.route[0].model_copy()
    assert station_timing(scenario, name, step=other_step) is not before
    assert station_timing(scenario, name, step=other_step) == before


def test_a_remembered_hash_is_used_only_for_that_scenario_object():
    scenario = load_library_scenario("oxide_baseline")
    digest = hash_of_canonical_json(canonical_json(scenario))
    copy = pickle.loads(pickle.dumps(scenario))  # what a pool worker is handed
    remember_scenario_hash(copy, "0" * 64)
    assert scenario_hash(copy) == "0" * 64  # taken as given, not recomputed
    assert scenario_hash(scenario) == digest  # another object, even an equal one, is hashed afresh
    remember_scenario_hash(copy, digest)
    assert scenario_hash(copy) == digest


def test_imaging_figures_are_kept_per_sheet_format_and_follow_a_changed_format():
    from twin.inspection_methods import _METHODS, method_figures
    from twin.optimise.recipe_space import with_recipes

    scenario = load_library_scenario("gigafactory")
    index, step = next((i, s) for i, s in enumerate(scenario.route)
                       if getattr(s, "method", None) is not None and getattr(s.method, "method", "") == "optical")
    first = method_figures(scenario, step.method)
    assert first == _METHODS["optical"](scenario, step.method)  # the same figures as computed afresh
    # a recipe copy shares the format: the kept figures
    assert method_figures(with_recipes(scenario, {index: step}), step.method) is first
    # a wider sheet is another format object: its own figures (more lanes, longer per sheet)
    fmt = scenario.cell.format
    wider = scenario.model_copy(update={"cell": scenario.cell.model_copy(
        update={"format": fmt.model_copy(update={"sheet_width_mm": fmt.sheet_width_mm * 3})})})
    figures = method_figures(wider, step.method)
    assert figures == _METHODS["optical"](wider, step.method)
    assert figures["time_s"] > first["time_s"]
