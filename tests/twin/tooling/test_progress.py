"""Progress moves in the engineer's steps: simulated days, sweep points; the report ends at 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.des import simulate
from twin.progress import staged
from twin.scenario import load_scenario, read_scenario_document
from twin.sweep import grid_points, run_sweep

BASELINE = Path(__file__).resolve().parents[3] / "scenarios" / "oxide_baseline.yaml"


@pytest.mark.unit
def test_staged_maps_a_sub_task_onto_its_share():
    seen = []
    part = staged(seen.append, 0.2, 0.6)
    for fraction in (0.0, 0.5, 1.0, 1.7, -1.0):
        part(fraction)
    assert seen == pytest.approx([0.2, 0.4, 0.6, 0.6, 0.2])
    staged(None, 0.0, 1.0)(0.5)  # no callback: nothing happens, nothing fails


@pytest.mark.integration
def test_simulation_progress_moves_a_simulated_day_at_a_time():
    seen: list[float] = []
    simulate(load_scenario(BASELINE), days=3, warmup_days=1, workers=1, with_physics=False, progress=seen.append)
    assert seen == pytest.approx([0.25, 0.5, 0.75, 1.0])


@pytest.mark.integration
def test_sweep_progress_moves_a_point_at_a_time():
    seen: list[float] = []
    points = grid_points({"route.electrolyte_sintering.cover_powder": [True, False, True]})
    run_sweep(read_scenario_document(BASELINE), points, workers=1, progress=seen.append)
    assert seen == pytest.approx([1 / 3, 2 / 3, 1.0])


@pytest.mark.integration
def test_report_progress_rises_to_one_through_the_twin_days(tmp_path):
    from twin.report import write_report
    from twin.report.writer import simulated_days, steady_share

    scenario = load_scenario(BASELINE)
    seen: list[float] = []
    write_report(scenario, tmp_path, simulate_days=1, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    share = steady_share(simulated_days(scenario, 1))
    twin_steps = [f for f in seen if share < f < 1.0]
    assert len(twin_steps) >= simulated_days(scenario, 1) - 1  # one step per simulated day
