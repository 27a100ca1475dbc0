"""Global sensitivity of $/kWh: Sobol indices (SALib) and a seeded Monte Carlo over the same inputs.

Each uncertain input is a range with a stated law (``UncertainInput.law``): a factor on one or more scenario
paths (prices, capex, process variation, defect densities) or stated absolute bounds (cost of capital). A
factor whose range is symmetric about 1 (x0.8-1.2, x0.5-1.5) is uniform, median 1; a factor over a ratio
range (x0.5-2: "within a factor of 2") is log-uniform, median 1, as uniform on it would put the median at
x1.25 and bias every percentile upwards. The Sobol design samples each input in its law's uniform
coordinate (the logarithm for a log-uniform factor), so the indices are for the same distribution the
Monte Carlo draws. Samples are applied to the
scenario *document* and re-validated, as in the tornado (twin.cost.sensitivity), so no sample is a
scenario the schema would refuse.

Cost of a sample: inputs that do not touch the physics (prices, wages, capex, cost of capital) reuse the
evaluation's sheet sample and only re-price the line (line flow + cost model, a few ms). Inputs that
change yields (``physics=True``: process variation, killer defects) re-run the route physics on a reduced
sample of ``physics_sheets`` sheets with the same seed for every sample (common random numbers, so the
indices see the input, not the draw); the reduced sample resolves a scrap rate to about
+-sqrt(p(1-p)/n) (+-0.4 % at p = 1 %, n = 600).

Sobol indices: Saltelli's scheme with Jansen's total-order estimator as SALib implements them
(Saltelli et al., Comput. Phys. Commun. 181 (2010) 259); first order S1 = share of the variance of
$/kWh explained by the input alone, total order ST = share it takes part in, interactions included.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from twin.cost.sensitivity import COST_OF_CAPITAL_RANGE, document_value, equipment_capex_paths
from twin.scenario import Scenario, ScenarioError, apply_overrides, validate_scenario

# Default sample: 2^5 base points x (D + 2) model runs, a few seconds for a report; the 95 % confidence
# half-widths SALib reports (bootstrap) are printed with the indices so a reader sees the precision.
DEFAULT_BASE_SAMPLES = 32
PHYSICS_SHEETS = 600
PRICE_RANGE = (0.8, 1.2)          # +-20 %, as the tornado's default swing (twin.cost.sensitivity, issue 5)
# assumption: process variation and defect densities known to within a factor of about 1.5-2 before a
# line has run (the scenario values are themselves assumptions, scenarios/*.yaml sources)
VARIATION_RANGE = (0.5, 1.5)
DEFECT_RANGE = (0.5, 2.0)


LAWS = ("uniform", "log_uniform")
# An index is resolved when SALib's 95 % bootstrap half-width is at most 0.05 (five points of variance share):
# enough to rank the inputs that matter (assumption: the precision a cost-driver ranking needs)
RESOLVED_HALF_WIDTH = 0.05
MAX_BASE_SAMPLES = 4096


@dataclass(frozen=True)
class UncertainInput:
    label: str
    paths: tuple[str, ...]
    low: float
    high: float
    absolute: bool = False            # True: low/high are values; False: factors on the scenario's values
    physics: bool = False             # True: changes yields, re-runs the (reduced) sheet sample
    law: str = "uniform"              # "uniform" on [low, high], or "log_uniform" (uniform in ln x)

    def __post_init__(self) -> None:
        if self.law not in LAWS:
            raise ValueError(f"law: {self.law!r} is not one of {', '.join(LAWS)}")
        if self.law == "log_uniform" and not 0 < self.low < self.high:
            raise ValueError(f"{self.label}: a log-uniform range needs 0 < low < high, got {self.low}-{self.high}")

    def describe(self) -> str:
        span = f"{self.low:g}-{self.high:g}" if self.absolute else f"x{self.low:g}-x{self.high:g}"
        return span + (" log-uniform" if self.law == "log_uniform" else "")

    @property
    def sampling_bounds(self) -> tuple[float, float]:
        """The range in the law's uniform coordinate (ln x for a log-uniform input)."""
        return (math.log(self.low), math.log(self.high)) if self.law == "log_uniform" else (self.low, self.high)

    def value_of(self, u: np.ndarray | float) -> np.ndarray | float:
        """The input's value at a point ``u`` of its uniform coordinate."""
        return np.exp(u) if self.law == "log_uniform" else u

    @property
    def median(self) -> float:
        return math.sqrt(self.low * self.high) if self.law == "log_uniform" else 0.5 * (self.low + self.high)


def default_inputs(scenario: Scenario) -> list[UncertainInput]:
    """Prices and capital, then process variation and defect densities, as far as ``scenario`` has them."""
    prices = scenario.costs.materials.usd_per_kg
    inputs: list[UncertainInput] = []
    for label, material in (("electrolyte powder price", scenario.cell.electrolyte.material),
                            ("cathode material price", scenario.cell.cathode.material)):
        if material in prices:
            inputs.append(UncertainInput(label, (f"costs.materials.usd_per_kg.{material}",), *PRICE_RANGE))
    if scenario.costs.materials.li_foil is not None:
        inputs.append(UncertainInput("Li foil price", ("costs.materials.li_foil.usd_per_kg_at_reference",),
                                     *PRICE_RANGE))
    inputs += [
        UncertainInput("electricity price", ("costs.utilities.electricity_usd_per_kWh",), *PRICE_RANGE),
        UncertainInput("labour rate", ("costs.labour.usd_per_hour",), *PRICE_RANGE),
        UncertainInput("equipment capex", equipment_capex_paths(scenario), *PRICE_RANGE),
        UncertainInput("cost of capital", ("costs.capital.cost_of_capital",), *COST_OF_CAPITAL_RANGE, absolute=True),
    ]
    variation = tuple(f"variation.{name}" for name, value in scenario.variation.model_dump().items() if value > 0)
    if variation:
        inputs.append(UncertainInput("process variation", variation, *VARIATION_RANGE, physics=True))
    defects = tuple(f"route[{i}].defect_density_per_m2" for i, step in enumerate(scenario.route)
                    if step.defect_density_per_m2 > 0)
    if defects:
        # "within a factor of 2" either way: log-uniform, median x1 (uniform would centre it on x1.25)
        inputs.append(UncertainInput("killer-defect density", defects, *DEFECT_RANGE, physics=True,
                                     law="log_uniform"))
    return inputs


def scenario_at(scenario: Scenario, document: dict, inputs: list[UncertainInput], values: np.ndarray) -> Scenario:
    overrides: dict[str, Any] = {}
    for spec, value in zip(inputs, values, strict=True):
        for path in spec.paths:
            overrides[path] = float(value) if spec.absolute else document_value(document, path) * float(value)
    return validate_scenario(apply_overrides(document, overrides))


def cost_model(scenario: Scenario, inputs: list[UncertainInput], *, physics_sheets: int = PHYSICS_SHEETS
               ) -> Callable[[np.ndarray], float]:
    """$/kWh as a function of one row of input values (inf when nothing good comes out)."""
    from twin.capacity import station_timings
    from twin.cell_output import finished_output
    from twin.cost.breakdown import annual_cost
    from twin.cost.line_flow import LineOutput, line_flow
    from twin.evaluate import sample_route, step_yields

    document = scenario.model_dump(mode="json")
    any_physics = any(spec.physics for spec in inputs)

    def sample_of(changed: Scenario, sheets: int):
        batch = sample_route(changed, np.random.default_rng(changed.seed), sheets=sheets)
        output = LineOutput.from_finished(changed, finished_output(changed, batch.values, batch.alive))
        return step_yields(changed, batch), output

    base = sample_of(scenario, physics_sheets if any_physics else 3000)

    def evaluate_row(values: np.ndarray) -> float:
        changed = scenario_at(scenario, document, inputs, values)
        yields, output = sample_of(changed, physics_sheets) if any_physics else base
        flow = line_flow(changed, yields, timings=station_timings(changed), output=output)
        return annual_cost(flow.operation).usd_per_kwh

    return evaluate_row


def sobol_of(function: Callable[[np.ndarray], float], names: list[str], bounds: list[tuple[float, float]],
             base_samples: int, seed: int, progress=None) -> dict:
    """First- and total-order Sobol indices of ``function`` over independent uniform inputs (SALib)."""
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}
    rows = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    values = np.empty(len(rows))
    for index, row in enumerate(rows):
        values[index] = function(row)
        if progress is not None and index % 16 == 0:
            progress(index / len(rows))
    undefined = int(np.count_nonzero(~np.isfinite(values)))
    if undefined:
        raise ScenarioError([f"sensitivity: {undefined} of {len(rows)} samples make no good output ($/kWh "
                             "undefined), so variance shares cannot be computed; narrow the input ranges"])
    indices = sobol_analyze.analyze(problem, values, calc_second_order=False, seed=seed, print_to_console=False)
    return {
        "names": list(names),
        "S1": [float(v) for v in indices["S1"]], "S1_conf": [float(v) for v in indices["S1_conf"]],
        "ST": [float(v) for v in indices["ST"]], "ST_conf": [float(v) for v in indices["ST_conf"]],
        "model_runs": len(rows), "base_samples": base_samples,
        "output_mean": float(values.mean()), "output_sd": float(values.std(ddof=1)),
    }


def sobol_sensitivity(scenario: Scenario, *, base_samples: int = DEFAULT_BASE_SAMPLES,
                      inputs: list[UncertainInput] | None = None, physics_sheets: int = PHYSICS_SHEETS,
                      progress=None) -> dict:
    """Sobol indices of the scenario's $/kWh over ``inputs`` (default :func:`default_inputs`), largest ST first."""
    chosen = default_inputs(scenario) if inputs is None else inputs
    model = cost_model(scenario, chosen, physics_sheets=physics_sheets)

    def function(row: np.ndarray) -> float:   # SALib samples each law's uniform coordinate
        return model(np.array([spec.value_of(u) for spec, u in zip(chosen, row, strict=True)]))

    result = sobol_of(function, [s.label for s in chosen], [s.sampling_bounds for s in chosen], base_samples,
                      seed=scenario.seed % 2**32, progress=progress)
    rows = [{"input": spec.label, "range": spec.describe(), "physics": spec.physics, "S1": s1, "S1_conf": s1c,
             "ST": st, "ST_conf": stc}
            for spec, s1, s1c, st, stc in zip(chosen, result["S1"], result["S1_conf"], result["ST"],
                                              result["ST_conf"], strict=True)]
    rows.sort(key=lambda row: row["ST"], reverse=True)
    return {"indices": rows, "model_runs": result["model_runs"], "base_samples": base_samples,
            "usd_per_kwh_mean": result["output_mean"], "usd_per_kwh_sd": result["output_sd"],
            "physics_sheets": physics_sheets if any(s.physics for s in chosen) else None,
            "note": _sample_note(chosen, physics_sheets),
            "precision": sobol_precision(rows, base_samples)}


def sobol_precision(rows: list[dict], base_samples: int) -> dict:
    """Whether the Sobol sample resolves the indices, and the base sample N that would.

    An index is resolved when its 95 % half-width is at most ``RESOLVED_HALF_WIDTH``. The signs of too small
    a sample are named: an interval wider than the index itself (sign and rank unknown), a negative index,
    S1 above ST (impossible for the true indices: the first order is part of the total). The half-widths
    shrink as 1/sqrt(N) (Saltelli 2010, Monte Carlo estimators), so the N needed is N x (widest half-width /
    resolved half-width)^2, rounded up to a power of 2."""
    unresolved, signs = [], []
    widest = 0.0
    for row in rows:
        for name in ("S1", "ST"):
            index, half = row[name], row[f"{name}_conf"]
            if not (math.isfinite(index) and math.isfinite(half)):
                continue
            if half > RESOLVED_HALF_WIDTH:
                widest = max(widest, half)
                if row["input"] not in unresolved:
                    unresolved.append(row["input"])
            if half > abs(index) and half > RESOLVED_HALF_WIDTH:
                signs.append(f"{row['input']} {name} {index:.3f} +- {half:.3f} (interval wider than the index)")
            elif index < -RESOLVED_HALF_WIDTH:
                signs.append(f"{row['input']} {name} {index:.3f} < 0")
        if row["S1"] > row["ST"] + RESOLVED_HALF_WIDTH:
            signs.append(f"{row['input']} S1 {row['S1']:.3f} > ST {row['ST']:.3f}")
    if not unresolved and not signs:
        return {"resolved": True, "unresolved_inputs": [], "signs": [], "suggested_base_samples": None,
                "warning": None}
    needed = base_samples * (widest / RESOLVED_HALF_WIDTH) ** 2 if widest > 0 else 2 * base_samples
    suggested = 2 ** math.ceil(math.log2(max(needed, 2 * base_samples)))
    advice = (f"run --sobol {suggested}" if suggested <= MAX_BASE_SAMPLES else
              f"even --sobol {MAX_BASE_SAMPLES} (the largest allowed) leaves them unresolved: about {suggested} "
              "would be needed; fewer inputs or a smoother model would")
    warning = (f"WARNING: the Sobol sample (N = {base_samples}) is too small to resolve the indices to "
               f"+-{RESOLVED_HALF_WIDTH:g} (95 %): " + "; ".join(signs[:6] or
               [f"{', '.join(unresolved)} have half-widths up to {widest:.3f}"])
               + f". Do not rank the inputs on these numbers; {advice} (half-widths shrink as 1/sqrt(N)).")
    return {"resolved": False, "unresolved_inputs": unresolved, "signs": signs,
            "suggested_base_samples": suggested, "warning": warning}


def monte_carlo(scenario: Scenario, *, samples: int = 200, inputs: list[UncertainInput] | None = None,
                physics_sheets: int = PHYSICS_SHEETS, progress=None) -> dict:
    """$/kWh distribution when every input is drawn from its law over its range (seeded from the scenario)."""
    chosen = default_inputs(scenario) if inputs is None else inputs
    function = cost_model(scenario, chosen, physics_sheets=physics_sheets)
    rng = np.random.default_rng([scenario.seed, 16])
    values = np.empty(samples)
    for index, row in enumerate(draw_inputs(chosen, rng, samples)):
        values[index] = function(row)
        if progress is not None and index % 16 == 0:
            progress(index / samples)
    finite = values[np.isfinite(values)]
    p5, p50, p95 = (float(v) for v in np.percentile(finite, [5, 50, 95])) if finite.size else (None,) * 3
    return {"samples": samples, "p5": p5, "p50": p50, "p95": p95,
            "mean": float(finite.mean()) if finite.size else None,
            "undefined_fraction": 1.0 - finite.size / samples,
            "inputs": [{"input": s.label, "range": s.describe(), "law": s.law, "physics": s.physics}
                       for s in chosen],
            "usd_per_kwh": [float(v) if math.isfinite(v) else None for v in values],
            "note": _sample_note(chosen, physics_sheets)}


def draw_inputs(inputs: list[UncertainInput], rng: np.random.Generator, samples: int) -> np.ndarray:
    """(samples x inputs) values, each input from its law: uniform in its law's coordinate, then mapped."""
    lows = np.array([s.sampling_bounds[0] for s in inputs])
    highs = np.array([s.sampling_bounds[1] for s in inputs])
    u = rng.uniform(lows, highs, size=(samples, len(inputs)))
    return np.column_stack([spec.value_of(u[:, j]) for j, spec in enumerate(inputs)]) if inputs else u


def _sample_note(inputs: list[UncertainInput], physics_sheets: int) -> str:
    if any(s.physics for s in inputs):
        return (f"inputs that change yields re-run the route physics on {physics_sheets} sheets per sample (the "
                "evaluation uses 3000), same seed for every sample; the physics' own calibration constants "
                "are not scenario fields and are not varied here")
    return "price and capital inputs only: every sample reuses the evaluation's 3000-sheet sample"


__all__ = ["DEFAULT_BASE_SAMPLES", "LAWS", "PHYSICS_SHEETS", "RESOLVED_HALF_WIDTH", "UncertainInput", "cost_model",
           "default_inputs", "draw_inputs", "monte_carlo", "sobol_of", "sobol_precision", "sobol_sensitivity"]
