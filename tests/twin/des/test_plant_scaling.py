"""A plant with every station's machine count multiplied by k makes k times the output (issue 14).

The discrete stations' lots do not shrink with the machine count (twin.des.plant.station_spec), so a
5x plant moves its sheets in the same lots as the 1x plant: this checks that its machines are not
starved by the larger lots, i.e. that the flow still reaches the scaled line's capacity. On a
deterministic line (no breakdowns, no maintenance) with a clear bottleneck, the measured rate of each
plant is its bottleneck rate (capacity of the slowest station), and the 5x plant's is five times the 1x
plant's. The start-up transient is removed by the warm-up; what is left is the granularity of whole kiln
loads in the measured window (a load of ~13 h either side of the 8-day window's ends moves the measured rate
by ~1-2 %, more with the line sized for the baseline's target: +1.7 % measured at 1x), so each rate is
checked against its bottleneck rate to 2.5 %, the 5x/1x ratio to 1 % (both windows see the same load
timing), and the lots' not starving the machines directly: the bottleneck kilns are never starved.
"""

import copy
from pathlib import Path

import pytest

from twin.capacity import station_timings
from twin.des import simulate
from twin.scenario import apply_overrides, read_scenario_document, validate_scenario

BASELINE = Path(__file__).resolve().parents[3] / "scenarios" / "oxide_baseline.yaml"
FACTOR = 5


def _deterministic_baseline(factor: int):
    document = copy.deepcopy(read_scenario_document(BASELINE))
    overrides = {}
    for name, station in document["line"]["stations"].items():
        overrides[f"line.stations.{name}.mtbf_h"] = 1e6      # the schema's upper bound: no breakdown in a run
        overrides[f"line.stations.{name}.planned_maintenance_h_per_week"] = 0
        overrides[f"line.stations.{name}.machines"] = station["machines"] * factor
    # 18 instead of 22 electrolyte kilns (x factor) make them the clear bottleneck, as in test_plant
    overrides["line.stations.electrolyte_sintering.machines"] = 18 * factor
    return validate_scenario(apply_overrides(document, overrides))


def _sheets_per_scheduled_hour(scenario) -> tuple[float, float]:
    result = simulate(scenario, days=12, warmup_days=4, workers=1, with_physics=False)
    # per day is per calendar day (twin.plant_metrics): back to per scheduled hour through the year
    rate = (result["throughput"]["good_cells_per_year"] / result["throughput"]["operating_hours_per_year"]
            * scenario.sheets_per_cell)
    return rate, result["stations"]["electrolyte_sintering"]["starved_fraction"]


@pytest.mark.component
def test_five_times_the_machines_make_five_times_the_output():
    single, scaled = _deterministic_baseline(1), _deterministic_baseline(FACTOR)
    (single_rate, single_starved), (scaled_rate, scaled_starved) = (_sheets_per_scheduled_hour(single),
                                                                     _sheets_per_scheduled_hour(scaled))
    bottleneck_rate = min(t.capacity_sheets_per_hour for t in station_timings(single).values())
    scaled_bottleneck_rate = min(t.capacity_sheets_per_hour for t in station_timings(scaled).values())
    assert scaled_bottleneck_rate == pytest.approx(FACTOR * bottleneck_rate, rel=1e-12)
    assert single_starved < 0.005 and scaled_starved < 0.005
    assert single_rate == pytest.approx(bottleneck_rate, rel=0.025)
    assert scaled_rate == pytest.approx(scaled_bottleneck_rate, rel=0.025)
    assert scaled_rate / single_rate == pytest.approx(FACTOR, rel=0.01)
