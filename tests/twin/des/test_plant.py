"""The plant model on the baseline scenario: capacity, sheet balance, determinism, physics response."""

import copy
from pathlib import Path

import pytest

from twin.capacity import station_timings
from twin.des import simulate
from twin.scenario import apply_overrides, read_scenario_document, validate_scenario

BASELINE = Path(__file__).resolve().parents[3] / "scenarios" / "oxide_baseline.yaml"


def _baseline_document() -> dict:
    return read_scenario_document(BASELINE)


def _scenario(overrides: dict | None = None):
    document = _baseline_document()
    return validate_scenario(apply_overrides(document, overrides) if overrides else document)


def _no_failures(document: dict) -> dict:
    document = copy.deepcopy(document)
    for station in document["line"]["stations"].values():
        station["mtbf_h"] = 1e6            # the schema's upper bound: no breakdown in a run
        station["planned_maintenance_h_per_week"] = 0
    return document


@pytest.mark.component
def test_deterministic_line_reaches_the_analytical_bottleneck_rate():
    # 18 instead of 22 kilns make the electrolyte kilns the clear bottleneck (~2720 sheets/h, >= 20 %
    # below every other station), so the detection has one right answer.
    document = apply_overrides(_no_failures(_baseline_document()), {"line.stations.electrolyte_sintering.machines": 18})
    scenario = validate_scenario(document)
    timings = station_timings(scenario)
    bottleneck_rate = min(t.capacity_sheets_per_hour for t in timings.values())
    result = simulate(scenario, days=40, warmup_days=4, workers=1, with_physics=False)
    # per day is per calendar day (twin.plant_metrics): back to per scheduled hour through the year
    measured = (result["throughput"]["good_cells_per_year"] / result["throughput"]["operating_hours_per_year"]
                * scenario.sheets_per_cell)
    # the plant reads ~1 % above the analytical rate on this line: +0.99 % before the capacity grading charged at
    # the cells' rated C/20 (60 testers, each cell held 31.5 h), +1.01 % since (warm-up 4 or 6 days alike); the
    # tolerance is 1.5 %, the excess itself is unexplained (noted for the plant's owners)
    assert measured == pytest.approx(bottleneck_rate, rel=0.015)
    slowest = min(timings, key=lambda name: timings[name].capacity_sheets_per_hour)
    assert result["bottleneck"] == slowest


@pytest.fixture(scope="module")
def baseline_run():
    return simulate(_scenario(), days=2, warmup_days=1, workers=1, seed=11)


@pytest.mark.integration
def test_sheets_started_equal_good_plus_scrapped_plus_wip_exactly(baseline_run):
    balance = baseline_run["sheet_balance"][0]
    assert balance["scrapped"] > 0 and balance["good"] > 0
    assert balance["started"] == balance["good"] + balance["scrapped"] + balance["wip_at_end"]
    for name, buffer in baseline_run["buffers"].items():
        assert 0 <= buffer["level_at_end_sheets"] <= buffer["capacity_sheets"], name
        assert buffer["max_level_sheets"] <= buffer["capacity_sheets"], name
    for station in baseline_run["stations"].values():
        for key in ("utilization", "availability", "oee", "blocked_fraction", "starved_fraction"):
            assert 0.0 <= station[key] <= 1.0 + 1e-9, key
    assert 0.0 < baseline_run["yield"]["overall"] <= 1.0


@pytest.mark.integration
def test_same_seed_is_bit_identical_and_another_seed_differs(baseline_run):
    again = simulate(_scenario(), days=2, warmup_days=1, workers=1, seed=11)
    other = simulate(_scenario(), days=2, warmup_days=1, workers=1, seed=12)
    strip = ("des",)
    assert {k: v for k, v in again.items() if k not in strip} == \
        {k: v for k, v in baseline_run.items() if k not in strip}
    assert other["throughput"] != baseline_run["throughput"]
    assert other["quality"] != baseline_run["quality"]


@pytest.mark.integration
def test_cooler_hold_lowers_density_and_raises_density_scrap(baseline_run):
    # 1130 C -> 1050 C hold (route[2].profile[1]); physics-notes §2: garnet densification is
    # thermally activated, so the master sintering curve must give lower density.
    # The good sheets' mean cannot show it: the density spec scraps every sheet below it, so the survivors sit
    # above the limit either way (this run used to finish no good sheet, which passed a comparison of means
    # vacuously; with the baseline's resized line some finish, at 0.974 both hot and cool). The scrap shows it.
    cooler = simulate(_scenario({"route.electrolyte_sintering.profile[1].temperature_C": 1050}),
                      days=2, warmup_days=1, workers=1, seed=11)
    limit = next(step.min_relative_density for step in _scenario().route if step.name == "electrolyte_inspection")
    assert cooler["quality"]["relative_density"]["p5"] is None or cooler["quality"]["relative_density"]["p5"] >= limit
    assert baseline_run["yield"]["scrap_by_cause"]["low_density"] < 0.01
    assert cooler["yield"]["scrap_by_cause"]["low_density"] > 0.5


@pytest.mark.integration
def test_removing_cover_powder_raises_li_loss(baseline_run):
    bare = simulate(_scenario({"route.electrolyte_sintering.cover_powder": False}),
                    days=2, warmup_days=1, workers=1, seed=11)
    assert bare["quality"]["li_loss_fraction"]["mean"] > baseline_run["quality"]["li_loss_fraction"]["mean"]
