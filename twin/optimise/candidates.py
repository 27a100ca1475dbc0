"""Evaluate recipe candidates with the physics: per-step yields and the quality of the mean sheet.

Every candidate of a group is pushed through its span with ``twin.sheet_physics`` on the same seeded
Monte Carlo sample (common random numbers: the same furnace set-point draws, load positions, defects
and inspection draws for every candidate), so differences between candidates are the recipe's, not
sampling noise, and a tighter spec can only scrap more. Sheets are processed in transfer units of
``UNIT_SHEETS`` (each unit gets its own batch-level draws, e.g. one furnace set point per kiln load)
and the units are concatenated for one vectorised physics call per candidate and step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from twin.operations import operation_for
from twin.optimise.recipe_space import GroupPlan, with_recipes
from twin.scenario import Scenario
from twin.scenario.route import QualityCheck, RouteStep
from twin.sheet_physics import SheetBatch, apply_step, sample_conditions

# Sheets per transfer unit in the sample: 50 spans the whole kiln load-position spread (the spread is
# laid out over the unit) while giving several independent set-point draws per candidate (assumption).
UNIT_SHEETS = 50

# Quality properties at a check and how the margin to a spec is taken: (state key, scale to spec units,
# spec field, "min" or "max").
QUALITY_SPECS = (
    ("relative_density", 1.0, "min_relative_density", "min"),
    ("li_loss_fraction", 1.0, "max_li_loss_fraction", "max"),
    ("electrolyte_asr_ohm_m2", 1e4, "max_electrolyte_asr_ohm_cm2", "max"),
    ("ionic_conductivity_S_per_m", 10.0, "min_ionic_conductivity_mS_per_cm", "min"),
    ("interface_asr_ohm_m2", 1e4, "max_interface_asr_ohm_cm2", "max"),
)


@dataclass
class SampleState:
    """The Monte Carlo sample after the baseline route, with a snapshot before each step."""

    before_step: list[SheetBatch]  # batch entering step i (baseline recipes upstream)
    step_yield: np.ndarray  # baseline yield of every step
    finished: SheetBatch | None = None  # the sample after the whole baseline route


def _units(n_sheets: int) -> list[int]:
    count = max(1, math.ceil(n_sheets / UNIT_SHEETS))
    return [UNIT_SHEETS] * count


def _step_seed(scenario: Scenario, step_index: int) -> np.random.SeedSequence:
    # One child seed per route step: every candidate replays the same stream at that step.
    return np.random.SeedSequence(scenario.seed).spawn(len(scenario.route))[step_index]


def _conditions(scenario: Scenario, step_index: int, units: list[int], step: RouteStep | None) -> list[dict]:
    rng = np.random.default_rng(_step_seed(scenario, step_index))
    return [sample_conditions(scenario, step_index, n, rng, step=step) for n in units]


def _joined(units: list[int], conditions: list[dict]) -> dict[str, np.ndarray]:
    return {
        key: np.concatenate([np.broadcast_to(c[key], (n,) + np.shape(c[key])[1:])
                             for n, c in zip(units, conditions, strict=True)])
        for key in conditions[0]
    }


def _copy(batch: SheetBatch) -> SheetBatch:
    return batch.subset(np.ones(batch.n, dtype=bool))


def _advance(
    scenario: Scenario,
    step_index: int,
    batch: SheetBatch,
    units: list[int],
    unit_conditions: list[dict],
    step: RouteStep | None,
) -> SheetBatch:
    """Apply one step to all units; one vectorised call unless a batch-level draw differs between units."""
    current = scenario.route[step_index] if step is None else step
    per_unit_batch_draw = operation_for(current).is_firing and scenario.variation.hold_time_cv > 0
    if not per_unit_batch_draw:
        apply_step(scenario, step_index, batch, _joined(units, unit_conditions), step=step)
        return batch
    parts, start = [], 0
    for n, conditions in zip(units, unit_conditions, strict=False):
        part = batch.subset(slice(start, start + n))
        apply_step(scenario, step_index, part, conditions, step=step)
        parts.append(part)
        start += n
    return SheetBatch.concatenate(parts)


def baseline_sample(scenario: Scenario, n_sheets: int) -> SampleState:
    """Run the scenario's own recipes over the sample, keeping the batch entering each step."""
    units = _units(n_sheets)
    batch = SheetBatch.new(sum(units))
    snapshots, yields = [], []
    for i in range(len(scenario.route)):
        snapshots.append(_copy(batch))
        alive_in = int(batch.alive.sum())
        batch = _advance(scenario, i, batch, units, _conditions(scenario, i, units, None), None)
        yields.append(batch.alive.sum() / alive_in if alive_in else 0.0)
    return SampleState(before_step=snapshots, step_yield=np.array(yields, dtype=float), finished=batch)


def _quality_margin(
    check: QualityCheck,
    state: dict[str, np.ndarray],
    alive: np.ndarray,
    target_thickness_m: float,
    means: dict[str, float],
) -> float:
    """Smallest relative margin of the mean sheet entering ``check`` to each of its specs."""
    margins = []
    if not alive.any():
        return -math.inf
    for key, scale, spec_field, kind in QUALITY_SPECS:
        limit = getattr(check, spec_field)
        if limit is None:
            continue
        mean = (
            float(np.nanmean(state[key][alive])) * scale if np.isfinite(state[key][alive]).any() else math.nan
        )
        means[key] = mean
        if math.isnan(mean):
            continue  # the property is not measured on this route (NaN never fails a spec in sheet_physics)
        margins.append((mean - limit) / limit if kind == "min" else (limit - mean) / limit)
    if check.thickness_tolerance_fraction is not None:
        thickness = state["electrolyte_thickness_m"][alive]
        if np.isfinite(thickness).any():
            deviation = abs(float(np.nanmean(thickness)) - target_thickness_m) / target_thickness_m
            means["electrolyte_thickness_deviation"] = deviation
            margins.append(
                (check.thickness_tolerance_fraction - deviation) / check.thickness_tolerance_fraction
            )
    return min(margins) if margins else math.inf


@dataclass
class GroupEvaluation:
    step_yield: np.ndarray  # (candidates, span length)
    quality_margin: np.ndarray  # (candidates,)
    quality_means: dict[str, np.ndarray]  # property -> (candidates,)


def evaluate_group(
    scenario: Scenario,
    plan: GroupPlan,
    candidate_steps: list[dict[int, RouteStep]],
    sample: SampleState,
    n_sheets: int,
    progress: Callable[[float], None] | None = None,
) -> GroupEvaluation:
    """Yields over the span and quality margins of every candidate, on the shared sample."""
    first, last = plan.span
    units = _units(n_sheets)
    shared = {i: _conditions(scenario, i, units, None) for i in range(first, last + 1)}
    target_m = scenario.cell.electrolyte.thickness_um * 1e-6
    k_count = len(candidate_steps)
    yields = np.zeros((k_count, last - first + 1))
    margins = np.full(k_count, math.inf)
    means: dict[str, np.ndarray] = {}
    for k, steps in enumerate(candidate_steps):
        candidate_scenario = with_recipes(scenario, steps)
        batch = _copy(sample.before_step[first])
        for i in range(first, last + 1):
            step = steps.get(i)
            conditions = shared[i] if step is None else _conditions(candidate_scenario, i, units, step)
            current = candidate_scenario.route[i]
            if operation_for(current).is_quality_check:
                found: dict[str, float] = {}
                margins[k] = min(
                    margins[k], _quality_margin(current, batch.state, batch.alive, target_m, found)
                )
                for key, value in found.items():
                    means.setdefault(key, np.full(k_count, np.nan))[k] = value
            alive_in = int(batch.alive.sum())
            batch = _advance(candidate_scenario, i, batch, units, conditions, step)
            yields[k, i - first] = batch.alive.sum() / alive_in if alive_in else 0.0
        if progress is not None and (k % 64 == 0 or k == k_count - 1):
            progress((k + 1) / k_count)
    return GroupEvaluation(step_yield=yields, quality_margin=margins, quality_means=means)


__all__ = ["GroupEvaluation", "SampleState", "UNIT_SHEETS", "baseline_sample", "evaluate_group"]
