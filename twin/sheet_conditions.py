"""Process variation a transfer unit sees at a step: the random draws behind emergent yield.

Batch-level draws (kiln set point, hold time) are shared by the unit; the load spread is systematic by
position in the load; per-sheet scatter is independent; killer defects are Poisson per sheet. Every
draw comes from the generator the caller passes (seeded per station and replication).
"""

from __future__ import annotations

import functools

import numpy as np

from twin.scenario import Scenario
from twin.scenario.route import (
    Cutting,
    Drying,
    LiLamination,
    Packaging,
    QualityCheck,
    RouteStep,
    Sintering,
    SprayDeposition,
    TapeCasting,
)


class _DrawPlan:
    """What one step draws per unit, worked out once per (step, variation) instead of per unit.

    A gigafactory year is ~1e5 units; the isinstance chain, attribute lookups and one generator call
    per quantity cost more than the draws themselves. All per-sheet normal draws of a unit come from
    one ``standard_normal((k, n))`` block (row r is quantity r), batch-level normals from one
    ``standard_normal(m)`` call: the same distributions as separate ``normal`` calls, fewer calls.
    """

    __slots__ = ("kind", "kill_probability", "cells_per_sheet", "piece_hit_probability", "sheet_normals",
                 "batch_normals", "detection", "sintering")

    def __init__(self, scenario: Scenario, step: RouteStep):
        variation = scenario.variation
        self.kill_probability = float(-np.expm1(-step.defect_density_per_m2 * scenario.sheet_area_m2))
        # Defects land uniformly on the sheet: each of its c cell pieces is hit with the Poisson
        # probability of its own area, independently (a Poisson field split into disjoint areas).
        self.cells_per_sheet = scenario.cell.format.cells_per_sheet
        self.piece_hit_probability = float(-np.expm1(-step.defect_density_per_m2 * scenario.sheet_area_m2
                                                      / self.cells_per_sheet))
        self.detection = False
        self.sintering = (0.0,)
        # (name, mean, sd, low clip, high clip); sd 0 means the constant mean
        sheet: list[tuple] = []
        batch: list[tuple] = []
        if isinstance(step, TapeCasting):
            self.kind = "tape_casting"
            sheet.append(("thickness_factor", 1.0, max(variation.tape_thickness_cv, 0.0), 0.05, None))
            sheet.append(("green_relative_density", step.green_relative_density, variation.green_density_sd,
                          0.3, 0.75))
        elif isinstance(step, SprayDeposition):
            self.kind = "spray"
            sheet.append(("thickness_factor", 1.0, max(variation.spray_thickness_cv, 0.0), 0.05, None))
        elif isinstance(step, Sintering):
            self.kind = "sintering"
            self.sintering = (variation.furnace_load_spread_K,)
            batch.append(("setpoint_K", 0.0, variation.furnace_setpoint_sd_K, None, None))
            batch.append(("hold_time_factor", 1.0, max(variation.hold_time_cv, 0.0), 0.05, None))
            sheet.append(("sheet_offset_K", 0.0, variation.furnace_sheet_sd_K, None, None))
            sheet.append(("particle_size_factor", 1.0, max(variation.particle_size_cv, 0.0), 0.05, None))
            sheet.append(("li_excess_li2co3_wt_fraction", step.li_excess_li2co3_wt_fraction,
                          variation.li_excess_sd_wt_fraction, 0.0, 0.5))
        elif isinstance(step, LiLamination):
            self.kind = "lamination"
            sheet.append(("pressure_factor", 1.0, max(variation.lamination_pressure_cv, 0.0), 0.05, None))
            sheet.append(("log_interface_asr_factor", 0.0, variation.interface_asr_cv, None, None))
        else:
            self.kind = "other"
            self.detection = isinstance(step, QualityCheck) and step.detection_probability < 1.0
        self.sheet_normals = tuple(sheet)
        self.batch_normals = tuple(batch)


_PLAN_CACHE: dict[int, tuple] = {}
_PLAN_CACHE_SIZE = 256


def _draw_plan(scenario: Scenario, step: RouteStep) -> _DrawPlan:
    # Keyed by identity (scenario models are frozen); the stored references make a reused id harmless.
    cached = _PLAN_CACHE.get(id(step))
    if cached is not None and cached[0] is step and cached[1] is scenario.variation \
            and cached[2] == scenario.sheet_area_m2:
        return cached[3]
    plan = _DrawPlan(scenario, step)
    if len(_PLAN_CACHE) >= _PLAN_CACHE_SIZE:
        _PLAN_CACHE.clear()
    _PLAN_CACHE[id(step)] = (step, scenario.variation, scenario.sheet_area_m2, plan)
    return plan


@functools.lru_cache(maxsize=64)
def _load_position(n: int) -> np.ndarray:
    """Position of each sheet in a load of ``n``, -0.5 (first) .. +0.5 (last); read-only, shared."""
    position = np.linspace(-0.5, 0.5, n) if n > 1 else np.zeros(n)
    position.flags.writeable = False
    return position


def _normals(rng: np.random.Generator, specs: tuple, shape: tuple) -> dict[str, np.ndarray]:
    """Draw every quantity of ``specs`` (name, mean, sd, low, high) from one standard-normal block."""
    drawn = [spec for spec in specs if spec[2] > 0]
    block = rng.standard_normal((len(drawn),) + shape) if drawn else None
    values: dict[str, np.ndarray] = {}
    row = 0
    for name, mean, sd, low, high in specs:
        if sd > 0:
            # a 0-d view for batch-level draws (indexing would give a numpy scalar, not writable in place)
            value = block[row:row + 1].reshape(shape)
            row += 1
            value *= sd
            value += mean
            # maximum/minimum in place: what np.clip does, without its Python-level dispatch
            if low is not None:
                np.maximum(value, low, out=value)
            if high is not None:
                np.minimum(value, high, out=value)
        else:
            value = np.full(shape, mean, dtype=float)
            if low is not None or high is not None:
                value = np.clip(value, low, high)
        values[name] = value
    return values


def step_changes_sheets(scenario: Scenario, step_index: int) -> bool:
    """False for a step that neither draws nor changes any sheet (drying, cutting, packaging without
    killer defects): the plant can skip its physics call, the random streams stay the same."""
    step = scenario.route[step_index]
    plan = _draw_plan(scenario, step)
    return plan.kill_probability > 0 or not isinstance(step, (Drying, Cutting, Packaging))


def sample_conditions(scenario: Scenario, step_index: int, n: int, rng: np.random.Generator,
                      step: RouteStep | None = None) -> dict[str, np.ndarray]:
    """Draw the process conditions one transfer unit of ``n`` sheets sees at a step.

    Batch-level draws (furnace set point, hold time) are shared by the unit; the load spread is
    systematic by position in the load (first to last sheet spans -spread/2..+spread/2, e.g. bottom to
    top of a kiln stack); per-sheet scatter is independent. A sheet survives a step's killer defects
    with the Poisson probability exp(-D A); a sheet of c cells loses each cell piece with probability
    1 - exp(-D A / c) and is scrapped only when every piece is lost.
    """
    step = scenario.route[step_index] if step is None else step
    plan = _draw_plan(scenario, step)
    # One uniform draw per sheet decides the killer defects (cheaper than drawing the defect count,
    # same distribution of survivors).
    kill_probability = plan.kill_probability
    if kill_probability > 0 and plan.cells_per_sheet > 1:
        # a multi-cell sheet loses only the pieces a defect lands on (decided in apply_step)
        conditions: dict[str, np.ndarray] = {
            "killed_by_defect": np.zeros(n, dtype=bool),
            "defect_piece_hits": rng.random((n, plan.cells_per_sheet)) < plan.piece_hit_probability,
        }
    else:
        conditions = {
            "killed_by_defect": rng.random(n) < kill_probability if kill_probability > 0
            else np.zeros(n, dtype=bool),
        }
    kind = plan.kind
    if kind == "other":
        if plan.detection:
            conditions["detection_draw"] = rng.random(n)
        return conditions
    batch = _normals(rng, plan.batch_normals, ()) if plan.batch_normals else {}
    sheet = _normals(rng, plan.sheet_normals, (n,))
    if kind == "sintering":
        offset = sheet.pop("sheet_offset_K")
        offset += float(batch["setpoint_K"])
        offset += _load_position(n) * plan.sintering[0]
        conditions["temperature_offset_K"] = offset
        conditions["hold_time_factor"] = np.full(n, float(batch["hold_time_factor"]))
    elif kind == "lamination":
        log_factor = sheet.pop("log_interface_asr_factor")
        sheet["interface_asr_factor"] = np.exp(log_factor, out=log_factor)
    conditions.update(sheet)
    return conditions


def expected_cell_piece_yield(scenario: Scenario) -> float:
    """Expected share of good cell pieces on a sheet that defects did not scrap whole.

    A piece survives every step's killer defects with Q = exp(-sum_s D_s A / c); a sheet is scrapped
    only when all c pieces are lost, so among kept sheets the good share is Q / (1 - (1 - Q)^c).
    Equals 1 for one cell per sheet (whole-sheet scrap).
    """
    cells = scenario.cell.format.cells_per_sheet
    if cells == 1:
        return 1.0
    total_density_per_m2 = sum(step.defect_density_per_m2 for step in scenario.route)
    piece_survival = float(np.exp(-total_density_per_m2 * scenario.sheet_area_m2 / cells))
    kept = 1.0 - (1.0 - piece_survival) ** cells
    return piece_survival / kept if kept > 0 else 0.0


__all__ = ["expected_cell_piece_yield", "sample_conditions", "step_changes_sheets"]
