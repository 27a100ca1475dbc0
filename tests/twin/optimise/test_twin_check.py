"""The twin check loop: confirm, derate the twin's bottleneck and re-solve, or give up with the reason."""

from __future__ import annotations

import pytest

import twin.optimise.optimiser as optimiser_module
from twin.optimise import optimise
from twin.scenario import load_scenario


@pytest.fixture(scope="module")
def scenario(make_small_grid):
    return make_small_grid(load_scenario("scenarios/oxide_baseline.yaml"))


def fake_twin(shortfall_rounds: int, factor: float, bottleneck: str, calls: list):
    """A stand-in twin: makes ``factor`` x the planned output for the first rounds, then all of it."""

    def simulate(designed, days, replications, seed, workers=None):
        calls.append(designed)
        target = designed.plant.target_output_GWh_per_year
        machines = designed.line.stations[bottleneck].machines
        output = target * (factor if len(calls) <= shortfall_rounds else 1.0)
        return {
            "throughput": {"gwh_per_year": output, "good_cells_per_day": 0.0},
            "bottleneck": {bottleneck: 0.8, "cutting": 0.2},
            "stations": {bottleneck: {"utilization": 0.99, "machines": machines}},
        }

    return simulate


@pytest.mark.component
def test_shortfall_derates_the_bottleneck_and_adds_capacity(monkeypatch, scenario):
    calls: list = []
    monkeypatch.setattr(optimiser_module, "twin_simulator", lambda: fake_twin(1, 0.8, "cathode_spray", calls))
    result = optimise(scenario, twin_check=True, replications=1, days=1)
    check = result["twin_check"]
    assert check["status"] == "confirmed"
    assert len(check["rounds"]) == 2
    assert check["rounds"][1]["derating"]["cathode_spray"] == pytest.approx(0.8, rel=1e-9)
    first, second = calls
    # with 80 % of its capacity believed, the re-solved line needs at least 1/0.8 as many machines there
    assert (
        second.line.stations["cathode_spray"].machines
        >= first.line.stations["cathode_spray"].machines / 0.8 - 1
    )


@pytest.mark.component
def test_twin_that_never_confirms_is_reported(monkeypatch, scenario):
    calls: list = []
    monkeypatch.setattr(optimiser_module, "twin_simulator", lambda: fake_twin(99, 0.9, "cutting", calls))
    result = optimise(scenario, twin_check=True, replications=1, days=1)
    check = result["twin_check"]
    assert check["status"] == "not confirmed"
    assert "the twin makes" in check["reason"]
    assert len(check["rounds"]) == optimiser_module.MAX_ROUNDS + 1


@pytest.mark.integration
def test_real_twin_confirms_the_baseline_design(make_small_grid):
    # 3 days, not 2: two days hold only ~4 firings of each 12 h kiln and read ~1 % low, right at the
    # confirmation tolerance, once the zone air lowers the delivered energy by ~0.2 % (twin.sheet_exposure).
    # 1000 candidate sheets, not 100: the end-of-line test rejects ~1.7 % of the pieces and each takes its
    # 10-layer cell, so 200 pieces (~3 rejects) put the MILP's good cells anywhere within ~+-10 % (it planned
    # 0.18 GWh/yr and the twin made 0.206); 2000 pieces bring it within ~3 %
    scenario = make_small_grid(load_scenario("scenarios/oxide_baseline.yaml"),
                               **{"optimisation.candidate_sample_sheets": 1000})
    result = optimise(scenario, twin_check=True, replications=1, days=3)
    check = result["twin_check"]
    # the static line model and the twin agree on the baseline within 10 % (blocking and breakdowns
    # cost little at these buffer sizes), so the first design is confirmed without derating
    assert check["status"] == "confirmed"
    first = check["rounds"][0]
    assert first["gwh_per_year"] == pytest.approx(first["optimiser_gwh_per_year"], rel=0.10)
