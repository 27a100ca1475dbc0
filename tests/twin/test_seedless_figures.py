"""Figures kept per scenario without its seed (twin.seedless): a seed variant (a ``model_copy`` with another
seed, as the API builds them) shares them; any other change of the scenario, even to an equal copy of a part,
gets its own; and the kept figures equal the ones computed afresh."""

from __future__ import annotations

import numpy as np
import pytest

from twin import capacity, sample_estimator
from twin.capacity import station_timings
from twin.escape_variance import mean_missed_share, missed_on_size_grid
from twin.scenario.library import load_library_scenario
from twin.seedless import SeedlessCache, seedless_parts

pytestmark = pytest.mark.unit


def test_a_seed_variant_shares_its_scenarios_entry_and_nothing_else_does():
    cache: SeedlessCache[str] = SeedlessCache(4)
    scenario = load_library_scenario("oxide_baseline")
    cache.put(scenario, "figures")
    assert cache.get(scenario.model_copy(update={"seed": scenario.seed + 1})) == "figures"
    assert cache.get(scenario.model_copy(update={"name": "other"})) is None
    assert cache.get(scenario.model_copy(update={"line": scenario.line.model_copy()})) is None  # equal, not same
    assert cache.get(load_library_scenario("oxide_baseline")) is None  # an equal scenario of new objects
    # the type and every field but the seed, the same objects in a seed variant
    parts = seedless_parts(scenario)
    assert len(parts) == len(type(scenario).model_fields) and parts[0] is type(scenario)
    variant_parts = seedless_parts(scenario.model_copy(update={"seed": scenario.seed + 1}))
    assert all(a is b for a, b in zip(parts, variant_parts, strict=True))


def test_a_full_cache_starts_again_rather_than_growing():
    cache: SeedlessCache[int] = SeedlessCache(2)
    scenarios = [load_library_scenario("oxide_baseline").model_copy(update={"name": f"s{k}"}) for k in range(3)]
    for k, scenario in enumerate(scenarios):
        cache.put(scenario, k)
    assert cache.get(scenarios[2]) == 2 and cache.get(scenarios[0]) is None


def test_seed_variants_share_the_station_timings_which_equal_a_fresh_computation():
    scenario = load_library_scenario("oxide_baseline")
    variant = scenario.model_copy(update={"seed": scenario.seed + 5})
    timings, variant_timings = station_timings(scenario), station_timings(variant)
    assert all(variant_timings[name] is timings[name] for name in timings)
    for index, step in enumerate(variant.route):
        assert variant_timings[step.name] == capacity._station_timing(variant, index, step.name, None, None)


def test_seed_variants_share_the_mean_missed_tables_which_equal_a_fresh_computation():
    scenario = load_library_scenario("oxide_baseline")
    estimator = sample_estimator.SampleEstimator(scenario, [], 1, lambda step: [])
    variant = scenario.model_copy(update={"seed": scenario.seed + 5})
    other = sample_estimator.SampleEstimator(variant, [], 1, lambda step: [])
    makers = [i for i, step in enumerate(scenario.route) if getattr(step, "defect_size", None) is not None]
    checks = [i for i, step in enumerate(scenario.route) if getattr(step, "method", None) is not None]
    pairs = [(maker, check) for maker in makers for check in checks if check > maker]
    assert pairs  # oxide_baseline has latent-defect makers with checks after them
    for maker, check in pairs:
        table = estimator._mean_missed_table(maker, check)
        assert other._mean_missed_table(maker, check) is table   # the seed variant's estimator: the kept one
        fresh = np.append(1.0, mean_missed_share(missed_on_size_grid(scenario, maker, check),
                                                 scenario.cell.format.cells_per_sheet))
        np.testing.assert_array_equal(table, fresh)
        assert not table.flags.writeable


def test_seed_variants_share_the_batpac_processes_which_equal_a_fresh_scaling():
    from twin.cost import batpac_scaling

    scenario = load_library_scenario("liion_batpac_reference")
    processes = batpac_scaling.scaled_processes(scenario)
    assert processes   # the library's BatPaC scenario scales its processes
    variant = scenario.model_copy(update={"seed": scenario.seed + 5})
    assert batpac_scaling.scaled_processes(variant) is processes
    assert batpac_scaling._scale(variant) == processes
    other = scenario.model_copy(update={"plant": scenario.plant.model_copy()})   # an equal copy: its own entry
    assert batpac_scaling.scaled_processes(other) is not processes
    assert batpac_scaling.scaled_processes(other) == processes
