"""Band of $/kWh, yield and output from the models' own parameter uncertainty (seeded Monte Carlo).

The price Monte Carlo (:func:`twin.cost.sensitivity.cost_monte_carlo`) varies what things cost; this
one varies what the physics assumes where a parameter rests on one published point or on an
assumption. Each draw re-runs the scenario's sheet physics with the parameters scaled
(:mod:`twin.model_uncertainty`), on the same process-variation draws (common random numbers: the
scenario's seed), so the band is the model's and not sampling noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from twin.model_uncertainty import model_factors
from twin.scenario import Scenario

# A factor "good to about x3" (docs/calibration/li_loss.md) is read as x3 at the 5 % / 95 % points of a
# lognormal: sigma_ln = ln 3 / 1.645.
_X3_SIGMA_LN = math.log(3.0) / 1.645


@dataclass(frozen=True)
class ParameterDraw:
    name: str            # a twin.model_uncertainty factor
    distribution: str    # "lognormal" (median 1, sigma of ln) or "normal" (mean 0, sd)
    spread: float
    why: str


MODEL_PARAMETERS: tuple[ParameterDraw, ...] = (
    ParameterDraw("li2o_flux", "lognormal", _X3_SIGMA_LN,
                  "Li2O vapour-pressure prefactor fitted to one point (Tsai ~2015, assumed pellet and dwell): good to "
                  "about x3 (docs/calibration/li_loss.md), read as the 90 % interval"),
    ParameterDraw("cover_leakage", "lognormal", _X3_SIGMA_LN,
                  "cover-powder / closed-setter leakage fractions are assumptions (no measured value): x3 at 90 %"),
    ParameterDraw("msc_log_theta_half_shift", "normal", 0.6,
                  "master-curve half point: the calcined-route anchors scatter +-0.017 in density about one curve, "
                  "~0.6 in ln Theta near 93 % (docs/calibration/powder_routes.md)"),
    ParameterDraw("grain_growth_rate", "lognormal", 0.33,
                  "grain-growth constant from one grain size (Yi 2017, 1.2 +- 0.2 um): G^2 ~ k, so 2 x 0.2/1.2"),
)


def _draw(parameter: ParameterDraw, rng: np.random.Generator) -> float:
    if parameter.distribution == "lognormal":
        return float(rng.lognormal(0.0, parameter.spread))
    return float(rng.normal(0.0, parameter.spread))


def _band(values: list[float]) -> dict:
    array = np.asarray(values, dtype=float)
    finite = array[np.isfinite(array)]
    if finite.size == 0:
        return {"p5": None, "p50": None, "p95": None, "mean": None}
    p5, p50, p95 = np.percentile(finite, [5, 50, 95])
    return {"p5": float(p5), "p50": float(p50), "p95": float(p95), "mean": float(finite.mean())}


def model_monte_carlo(scenario: Scenario, rng: np.random.Generator, samples: int = 30) -> dict:
    """Distribution of $/kWh, overall yield and GWh/yr over draws of the uncertain model parameters.

    Every draw evaluates the whole scenario (physics, line, cost) with the factors of
    ``MODEL_PARAMETERS`` drawn independently from their stated distributions. Draws that make no good
    cell count in ``no_output_fraction`` and are left out of the $/kWh band (it is undefined for them).
    """
    from twin.evaluate import evaluate_details

    if samples < 1:
        raise ValueError(f"samples: {samples} must be at least 1")
    costs, yields, outputs = [], [], []
    no_output = 0
    for _ in range(samples):
        factors = {parameter.name: _draw(parameter, rng) for parameter in MODEL_PARAMETERS}
        with model_factors(factors):
            evaluation = evaluate_details(scenario)
        result = evaluation.result
        yields.append(result["yield"]["overall"])
        outputs.append(result["throughput"]["gwh_per_year"])
        if result.get("undefined_reason"):
            no_output += 1
            continue
        costs.append(result["cost"]["usd_per_kwh"])
    return {
        "samples": int(samples),
        "parameters": [{"name": p.name, "distribution": p.distribution, "spread": p.spread, "why": p.why}
                       for p in MODEL_PARAMETERS],
        "usd_per_kwh": _band(costs),
        "overall_yield": _band(yields),
        "gwh_per_year": _band(outputs),
        "no_output_fraction": no_output / samples,
    }


__all__ = ["MODEL_PARAMETERS", "ParameterDraw", "model_monte_carlo"]
