"""Sobol indices against functions with known indices, and on a scenario."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twin.cost.sobol import UncertainInput, default_inputs, monte_carlo, sobol_of, sobol_sensitivity
from twin.scenario import load_scenario


def _ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> float:
    return math.sin(x[0]) + a * math.sin(x[1]) ** 2 + b * x[2] ** 4 * math.sin(x[0])


@pytest.mark.unit
def test_ishigami_indices_match_the_analytical_values():
    # Ishigami & Homma (1990); variances from Sobol' & Levitan (1999): V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8,
    # V13 = b^2 pi^8 (1/18 - 1/50), V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
    a, b = 7.0, 0.1
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    v = a**2 / 8 + b * math.pi**4 / 5 + b**2 * math.pi**8 / 18 + 0.5
    result = sobol_of(_ishigami, ["x1", "x2", "x3"], [(-math.pi, math.pi)] * 3, base_samples=2048, seed=3)
    assert result["S1"] == pytest.approx([v1 / v, v2 / v, 0.0], abs=0.03)
    assert result["ST"] == pytest.approx([(v1 + v13) / v, v2 / v, v13 / v], abs=0.03)


@pytest.mark.unit
def test_additive_linear_function_has_variance_shares_of_its_squared_slopes():
    # f = 2 x1 + x2 on [0, 1]^2: V1 = 4/12, V2 = 1/12, no interaction
    result = sobol_of(lambda x: 2 * x[0] + x[1], ["x1", "x2"], [(0, 1), (0, 1)], base_samples=1024, seed=1)
    assert result["S1"] == pytest.approx([0.8, 0.2], abs=0.02)
    assert result["ST"] == pytest.approx([0.8, 0.2], abs=0.02)


@pytest.mark.component
def test_scenario_sobol_ranks_the_cathode_price_above_the_electricity_price():
    scenario = load_scenario("scenarios/oxide_baseline.yaml")
    inputs = [i for i in default_inputs(scenario) if i.label in ("cathode material price", "electricity price")]
    result = sobol_sensitivity(scenario, base_samples=16, inputs=inputs)
    by_name = {row["input"]: row for row in result["indices"]}
    assert result["model_runs"] == 16 * (2 + 2)
    assert by_name["cathode material price"]["ST"] > 10 * by_name["electricity price"]["ST"]
    # two price inputs, cost linear in each: first order ~ total order, shares add to ~1
    assert by_name["cathode material price"]["S1"] + by_name["electricity price"]["S1"] == pytest.approx(1.0, abs=0.1)
    assert result["physics_sheets"] is None


@pytest.mark.component
def test_monte_carlo_is_seeded_and_brackets_the_base_case():
    scenario = load_scenario("scenarios/oxide_baseline.yaml")
    inputs = [UncertainInput("labour rate", ("costs.labour.usd_per_hour",), 0.5, 1.5),
              UncertainInput("killer-defect density", ("route[0].defect_density_per_m2",), 0.5, 2.0, physics=True)]
    first = monte_carlo(scenario, samples=24, inputs=inputs, physics_sheets=300)
    again = monte_carlo(scenario, samples=24, inputs=inputs, physics_sheets=300)
    assert first["usd_per_kwh"] == again["usd_per_kwh"]
    assert first["p5"] < first["p50"] < first["p95"]
    assert "300 sheets" in first["note"]
