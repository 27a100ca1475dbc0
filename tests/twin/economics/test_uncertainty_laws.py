"""The laws the Monte Carlo and the Sobol design draw each uncertain input from, and the Sobol precision
warning: a multiplicative factor has median 1, the report and the CLI draw from one definition, and too small
a Sobol sample is named with the N that would resolve it."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from twin.cost.sobol import (
    RESOLVED_HALF_WIDTH,
    UncertainInput,
    default_inputs,
    draw_inputs,
    sobol_precision,
)
from twin.scenario import load_scenario

SCENARIOS = sorted(Path("scenarios").glob("*.yaml"))


@pytest.mark.unit
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_multiplicative_factor_has_median_one(path):
    """A factor on the scenario's value must not move the median: the scenario value is the best estimate.
    (Uniform on x0.5-2 put it at x1.25, and the baseline's p50 ~40 USD/kWh above its base cost.)"""
    for spec in default_inputs(load_scenario(path)):
        if not spec.absolute:
            assert spec.median == pytest.approx(1.0, abs=1e-12), (spec.label, spec.describe())


@pytest.mark.unit
def test_defect_density_is_log_uniform_and_its_draws_have_median_one():
    spec = next(s for s in default_inputs(load_scenario("scenarios/oxide_baseline.yaml"))
                if s.label == "killer-defect density")
    assert spec.law == "log_uniform" and (spec.low, spec.high) == (0.5, 2.0)
    draws = draw_inputs([spec], np.random.default_rng(5), 40_000)[:, 0]
    assert draws.min() >= 0.5 and draws.max() <= 2.0
    # sample median of 40,000 draws: standard error ~ 1/(2 f(m) sqrt(n)) = ln 4 / (2 sqrt(40000)) ~ 0.007
    assert np.median(draws) == pytest.approx(1.0, abs=0.03)
    # log-uniform: a quarter of the draws below x0.707 (= 2^-0.5), not the uniform law's 13.8 %
    assert np.mean(draws < 2 ** -0.5) == pytest.approx(0.25, abs=0.01)


@pytest.mark.unit
def test_a_log_uniform_range_must_be_positive():
    with pytest.raises(ValueError, match="log-uniform range needs 0 < low < high"):
        UncertainInput("x", ("a",), 0.0, 2.0, law="log_uniform")
    with pytest.raises(ValueError, match="law: 'normal' is not one of"):
        UncertainInput("x", ("a",), 0.5, 2.0, law="normal")


def _row(name, s1, s1c, st, stc):
    return {"input": name, "S1": s1, "S1_conf": s1c, "ST": st, "ST_conf": stc}


@pytest.mark.unit
def test_sobol_precision_warns_on_wide_intervals_negative_indices_and_s1_above_st():
    rows = [_row("defects", 0.30, 0.20, 0.10, 0.08), _row("labour", -0.09, 0.03, 0.02, 0.01)]
    precision = sobol_precision(rows, base_samples=8)
    assert precision["resolved"] is False
    assert precision["unresolved_inputs"] == ["defects"]
    assert "defects S1 0.300 > ST 0.100" in precision["signs"]
    assert "labour S1 -0.090 < 0" in precision["signs"]
    # widest half-width 0.20 -> N x (0.20 / 0.05)^2 = 128, a power of 2 already
    assert precision["suggested_base_samples"] == 128
    assert "--sobol 128" in precision["warning"]


@pytest.mark.unit
def test_sobol_precision_is_quiet_when_every_interval_is_narrow():
    rows = [_row("defects", 0.62, 0.03, 0.66, 0.04), _row("labour", 0.001, 0.004, 0.002, 0.001)]
    precision = sobol_precision(rows, base_samples=1024)
    assert precision == {"resolved": True, "unresolved_inputs": [], "signs": [], "suggested_base_samples": None,
                         "warning": None}
    assert RESOLVED_HALF_WIDTH == 0.05


@pytest.mark.component
def test_the_report_monte_carlo_draws_the_cost_inputs_from_the_sensitivity_laws():
    """One definition: the report's cost Monte Carlo is the sensitivity command's inputs and laws without the
    ones that change yields, and its draws are exactly draw_inputs of those inputs."""
    from twin.cost.sensitivity import cost_monte_carlo
    from twin.cost.sobol import scenario_at
    from twin.evaluate import evaluate_details

    scenario = load_scenario("scenarios/oxide_baseline.yaml")
    details = evaluate_details(scenario)
    result = cost_monte_carlo(scenario, details.batch, np.random.default_rng(11), samples=4)
    cost_inputs = [s for s in default_inputs(scenario) if not s.physics]
    assert result["inputs"] == [s.label for s in cost_inputs]
    assert "killer-defect density" not in result["inputs"]
    rows = draw_inputs(cost_inputs, np.random.default_rng(11), 4)
    document = scenario.model_dump(mode="json")
    expected = [evaluate_details(scenario_at(scenario, document, cost_inputs, row), batch=details.batch)
                .cost.usd_per_kwh for row in rows]
    assert result["usd_per_kwh"] == pytest.approx(expected, rel=1e-12)
    assert all(math.isfinite(v) for v in result["usd_per_kwh"])
