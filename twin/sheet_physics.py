"""The process route applied to sheets: every sheet carries its own physical state.

A transfer unit (a roll, a kiln load, a lot) is a :class:`SheetBatch` of numpy arrays, one entry per
sheet. :func:`sample_conditions` draws the process variation the unit sees (batch-level furnace set
point, load-position spread, per-sheet scatter) and :func:`apply_step` calls ``process_models`` to
update each sheet's state, then scraps sheets that fail — so yield emerges from physics and variation.
No formula lives here: only the mapping from recipe fields to physics arguments. Firings are in
:mod:`twin.sheet_firing`, the layer properties several steps update in :mod:`twin.sheet_layers`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from process_models import lamination, powder_pressing, tape_casting
from process_models.cell_metrics import critical_current_density_A_per_m2
from process_models.grain_growth import ccd_grain_size_factor
from process_models.parameters import load_material
from twin.capacity import casting_wet_thickness_m, station_timing
from twin.firing_interruption import FIRING_INTERRUPTIONS, interruption_policy
from twin.inspection import apply_inspection
from twin.scenario import Scenario
from twin.scenario.route import (
    Cutting,
    Drying,
    LiLamination,
    Packaging,
    Pressing,
    QualityCheck,
    RouteStep,
    Sintering,
    SprayDeposition,
    Stacking,
    TapeCasting,
)
from twin.sheet_batch import CAUSE_INDEX, SCRAP_CAUSES, SHEET_STATE_FIELDS, SheetBatch
from twin.sheet_conditions import (
    StationConditions,
    defect_piece_loss_survival,
    sample_conditions,
    step_changes_sheets,
)
from twin.sheet_firing import COVER_LEAKAGE_FRACTION, apply_sintering
from twin.sheet_layers import bounded, electrolyte_material, filled, update_capacity, update_electrolyte_transport

_DEAD_PIECES_ROW = SHEET_STATE_FIELDS.index("dead_cell_pieces")

# Full-contact Li/garnet interface ASR by surface state [ohm m^2]:
# Li2CO3-covered garnet ~1710 ohm cm2 and ALD-Al2O3 interlayer ~1 ohm cm2 (Han et al., Nat. Mater. 16, 2017
# [R]); cleaned surface ~2 ohm cm2 (Sharafi et al., Chem. Mater. 2017 [R]; the li_metal parameter set).
INTERFACE_ASR_FULL_CONTACT_OHM_M2 = {"none": 1710e-4, "interlayer": 1.0e-4}

LI_METAL = "li_metal"


_ALL_SHEETS = slice(None)


def _apply_lamination(scenario: Scenario, step: LiLamination, batch: SheetBatch, conditions, idx) -> None:
    state = batch.state
    li = load_material(LI_METAL)
    full_contact = INTERFACE_ASR_FULL_CONTACT_OHM_M2.get(step.surface_treatment,
                                                         li["interface_asr_full_contact_ohm_m2"])
    pressure_Pa = None
    if step.method == "evaporation":
        contact = np.ones(state["interface_asr_ohm_m2"][idx].size)  # vapour-deposited Li conforms to the surface
    else:
        station = scenario.line.stations[step.name]
        if station.kind == "continuous":
            dwell_s = lamination.nip_dwell_time_s(step.nip_contact_length_mm * 1e-3,
                                                  station.line_speed_m_per_min / 60.0)
        else:
            dwell_s = station.cycle_time_s
        pressure_Pa = step.pressure_MPa * 1e6 * conditions["pressure_factor"][idx]
        contact = lamination.li_contact_fraction(pressure_Pa, step.temperature_C + 273.15, dwell_s, li)
    asr = lamination.li_interface_asr_ohm_m2(contact, li, full_contact_asr_ohm_m2=full_contact,
                                             pressure_Pa=pressure_Pa)
    state["interface_asr_ohm_m2"][idx] = asr * conditions["interface_asr_factor"][idx]


def _lose_cell_pieces(scenario: Scenario, step: RouteStep, batch: SheetBatch, defect_draw: np.ndarray,
                      step_index: int) -> None:
    """Count the cell pieces newly lost to killer defects; scrap a sheet when all its pieces are lost.

    A sheet with r good pieces loses k ~ Binomial(r, p) of them, drawn by inversion from its one
    uniform (``defect_piece_loss_survival``).
    """
    survival = defect_piece_loss_survival(scenario, step)
    cells = survival.shape[0] - 1
    # P(K > 0) is largest for a sheet with all its pieces: a draw above it hits no sheet, so only the
    # few draws below it (~D A of them) are looked at piece by piece
    hit = np.flatnonzero(defect_draw < survival[cells, 0])
    if hit.size == 0:
        return
    hit = hit[batch.alive[hit]]
    dead = batch.values[_DEAD_PIECES_ROW]
    remaining = cells - dead[hit].astype(np.intp)
    dead[hit] += (defect_draw[hit, None] < survival[remaining]).sum(axis=1)
    lost_all = hit[dead[hit] >= cells]
    if lost_all.size:
        batch.scrap_sheets(lost_all, step_index, "defect")


def good_cell_pieces(batch: SheetBatch, cells_per_sheet: int) -> float:
    """Good cell pieces on the alive sheets of ``batch`` (pieces lost to defects taken off)."""
    lost = batch.state["dead_cell_pieces"][batch.alive]
    return float(np.count_nonzero(batch.alive) * cells_per_sheet - lost.sum())


# Fields a state-free step sets (see state_free_fields)
_ELECTROLYTE_GREEN_FIELDS = ("electrolyte_thickness_m", "electrolyte_green_relative_density", "relative_density")
_CATHODE_GREEN_FIELDS = ("cathode_thickness_m", "cathode_relative_density", "areal_capacity_mAh_per_cm2")
# Key of the conditions that carry a state-free step's result computed ahead (precompute_state_free)
PRECOMPUTED_STATE = "precomputed_state"


def state_free_fields(step: RouteStep) -> tuple[str, ...]:
    """The state fields a step sets from its own draws and recipe alone, or () if it reads earlier state.

    Such a step gives a sheet the same result whenever and in whichever unit it runs, so the plant can
    compute it for a whole block of sheets ahead (:func:`precompute_state_free`) and copy each unit's
    share in: one vectorised call per ~3e4 sheets instead of one per roll. Tape casting and cathode
    spraying set a fresh layer; lamination sets the Li/electrolyte interface from its own pressure and
    surface draws. An electrolyte spray also sets transport from the phases a firing may have left.
    """
    if isinstance(step, TapeCasting):
        return _ELECTROLYTE_GREEN_FIELDS if step.layer == "electrolyte" else _CATHODE_GREEN_FIELDS
    if isinstance(step, SprayDeposition) and step.layer == "cathode":
        return _CATHODE_GREEN_FIELDS
    if isinstance(step, LiLamination):
        return ("interface_asr_ohm_m2",)
    return ()


@functools.lru_cache(maxsize=256)
def _state_free_rows(step: RouteStep) -> np.ndarray:
    rows = np.array([SHEET_STATE_FIELDS.index(field) for field in state_free_fields(step)], dtype=np.intp)
    rows.flags.writeable = False
    return rows


def precompute_state_free(scenario: Scenario, step_index: int, conditions: dict[str, np.ndarray],
                          scratch: SheetBatch | None = None) -> np.ndarray:
    """What a state-free step sets on sheets with these per-sheet ``conditions``, ahead of the units.

    Returns a (fields x sheets) array in the order of :func:`state_free_fields`; passed to
    :func:`apply_step` as ``conditions[PRECOMPUTED_STATE]`` (sliced with the unit's other conditions)
    it is copied in instead of computed, after the unit's killer defects. Computed by this module's own
    :func:`apply_step` on fresh sheets, so there is one implementation of each step. ``scratch``, fresh
    sheets of the same count from an earlier call, saves allocating them again (the step writes only
    its own fields and reads none, so what an earlier call left there does not matter).
    """
    step = scenario.route[step_index]
    if not state_free_fields(step):
        raise ValueError(f"route step {step.name!r} reads earlier state: it cannot be computed ahead")
    sheets = max(np.shape(values)[-1] for values in conditions.values())
    fresh = scratch if scratch is not None and scratch.n == sheets else SheetBatch.new(sheets)
    apply_step(scenario, step_index, fresh, {name: values for name, values in conditions.items()
                                             if name not in ("defect_draw", "detection_draw")}, step=step)
    return fresh.values[_state_free_rows(step)]


def apply_step(scenario: Scenario, step_index: int, batch: SheetBatch, conditions: dict[str, np.ndarray],
               step: RouteStep | None = None) -> None:
    """Advance the alive sheets of ``batch`` through one route step, in place."""
    step = scenario.route[step_index] if step is None else step
    defect_draw = conditions.get("defect_draw")
    if defect_draw is not None:
        _lose_cell_pieces(scenario, step, batch, defect_draw, step_index)
    alive = batch.alive
    # Usually every sheet of a unit is alive (the plant removes scrap at each station): then the
    # state rows are worked on as views instead of gathered and scattered through an index array.
    idx = _ALL_SHEETS if np.count_nonzero(alive) == alive.size else np.flatnonzero(alive)
    precomputed = conditions.get(PRECOMPUTED_STATE)
    if precomputed is not None:
        rows = _state_free_rows(step)
        if idx is _ALL_SHEETS:
            batch.values[rows] = precomputed
        else:
            batch.values[np.ix_(rows, idx)] = precomputed[:, idx]
        return
    state = batch.state
    if isinstance(step, TapeCasting):
        green_density = conditions["green_relative_density"][idx]
        thickness = tape_casting.green_thickness_m(casting_wet_thickness_m(step) * conditions["thickness_factor"][idx],
                                                   step.slurry_solids_volume_fraction, green_density)
        if step.layer == "electrolyte":
            state["electrolyte_thickness_m"][idx] = thickness
            state["electrolyte_green_relative_density"][idx] = green_density
            state["relative_density"][idx] = green_density
        else:
            state["cathode_thickness_m"][idx] = thickness
            state["cathode_relative_density"][idx] = green_density
            update_capacity(scenario, state, idx)
    elif isinstance(step, SprayDeposition):
        thickness = step.target_thickness_um * 1e-6 * conditions["thickness_factor"][idx]
        if step.layer == "electrolyte":
            state["electrolyte_thickness_m"][idx] = thickness
            state["electrolyte_green_relative_density"][idx] = step.packing_fraction
            state["relative_density"][idx] = step.packing_fraction
            material = electrolyte_material(scenario)
            factor = material.get("reprecipitation_conductivity_factor", 1.0) if step.reprecipitated else 1.0
            state["conductivity_factor"][idx] = factor
            update_electrolyte_transport(scenario, state, idx)
        else:
            state["cathode_thickness_m"][idx] = thickness
            state["cathode_relative_density"][idx] = step.packing_fraction
            update_capacity(scenario, state, idx)
    elif isinstance(step, Sintering):
        if conditions.get(FIRING_INTERRUPTIONS) and interruption_policy(scenario, step) == "scrap":
            batch.scrap(batch.alive.copy(), step_index, "interrupted_firing")
            return
        apply_sintering(scenario, step, batch, conditions, idx)
    elif isinstance(step, Pressing):
        _apply_pressing(scenario, step, state, idx)
        material = electrolyte_material(scenario)
        if "pressing_fracture_pressure_Pa" in material and powder_pressing.pressing_cracks(step.pressure_MPa * 1e6,
                                                                                           material):
            batch.scrap(batch.alive.copy(), step_index, "cracked")  # over-pressed: the layer fractures
    elif isinstance(step, LiLamination):
        _apply_lamination(scenario, step, batch, conditions, idx)
    elif isinstance(step, Stacking):
        material = electrolyte_material(scenario)
        if material.kind in ("garnet", "sulphide"):
            state["critical_current_density_A_per_m2"][idx] = critical_current_density_A_per_m2(
                filled(state["interface_asr_ohm_m2"][idx], 0.0), step.stack_pressure_MPa * 1e6,
                bounded(filled(state["relative_density"][idx], 1.0), 1e-6, 1.0), material,
                temperature_K=step.cycling_temperature_C + 273.15)
            grains = state["grain_size_m"][idx]
            if material.kind == "garnet" and not np.isnan(grains).all():  # intergranular filaments
                state["critical_current_density_A_per_m2"][idx] *= np.where(
                    np.isnan(grains), 1.0, ccd_grain_size_factor(np.nan_to_num(grains, nan=1.0), material))
    elif isinstance(step, QualityCheck):
        apply_inspection(scenario, step, step_index, batch, conditions.get("detection_draw"))
    elif isinstance(step, (Drying, Cutting, Packaging)):
        pass  # time and energy only (twin.capacity); defects handled above


def _apply_pressing(scenario: Scenario, step: Pressing, state: dict[str, np.ndarray], idx: np.ndarray) -> None:
    material = electrolyte_material(scenario)
    heckel = material.get("heckel_coefficient_per_Pa")
    density_key, thickness_key = (("relative_density", "electrolyte_thickness_m") if step.layer == "electrolyte"
                                  else ("cathode_relative_density", "cathode_thickness_m"))
    before = state[density_key][idx]
    if heckel is None:
        return  # hard oxides barely consolidate by cold pressing (roadmap 2020 §14.4)
    # warm pressing softens the particles (temperature-dependent Heckel slope)
    after = np.maximum(before, powder_pressing.pressed_relative_density(
        step.pressure_MPa * 1e6, step.temperature_C + 273.15, np.clip(before, 1e-6, 0.999), material))
    # idx may be a slice (views of the state): the thickness needs `before` before it is overwritten
    thickness = state[thickness_key][idx] * before / after
    state[density_key][idx] = after
    state[thickness_key][idx] = thickness
    if step.layer == "electrolyte":
        update_electrolyte_transport(scenario, state, idx)
    else:
        update_capacity(scenario, state, idx)


def run_route(scenario: Scenario, n: int, rng: np.random.Generator, unit_sheets: int | None = None,
              checkpoints: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
              after_step: Callable[[int, SheetBatch], None] | None = None) -> SheetBatch:
    """Push ``n`` sheets through every step of the route.

    Only firings draw conditions shared by a transfer unit (kiln set point, hold time): they run in
    units of ``unit_sheets`` sheets (default: the station's load). Every other step shares no draws
    between sheets, so its sheets run as one unit. ``checkpoints``, if given, receives for every
    quality check ``name -> (alive entering it, state matrix as it measured them)``: the distribution
    each spec judged, before later steps change the state. ``after_step(step_index, batch)``, if given,
    sees the whole sample after each step (the report's yield funnel counts good cell pieces there).
    """
    batch = SheetBatch.new(n)
    # One stream per step, split from one draw of ``rng``: a what-if that adds or removes draws at one
    # step (an inspection's miss draw, a new variation) leaves every other step's draws unchanged, so
    # two evaluations differ by the physics of the change, not by re-shuffled sampling noise.
    step_streams = np.random.SeedSequence(int(rng.integers(0, 2**63))).spawn(len(scenario.route))
    for step_index, step in enumerate(scenario.route):
        step_rng = np.random.default_rng(step_streams[step_index])
        if checkpoints is not None and isinstance(step, QualityCheck):
            checkpoints[step.name] = (batch.alive.copy(), batch.values.copy())
        if isinstance(step, Sintering):
            size = unit_sheets if unit_sheets is not None else station_timing(scenario, step.name).unit_sheets
            size = max(1, min(size, n))
        else:
            size = n
        if size >= n:
            apply_step(scenario, step_index, batch, sample_conditions(scenario, step_index, n, step_rng))
        else:
            parts = []
            for start in range(0, n, size):
                part = batch.subset(slice(start, min(start + size, n)))
                apply_step(scenario, step_index, part, sample_conditions(scenario, step_index, part.n, step_rng))
                parts.append(part)
            batch = SheetBatch.concatenate(parts)
        if after_step is not None:
            after_step(step_index, batch)
    return batch


__all__ = [
    "CAUSE_INDEX",
    "COVER_LEAKAGE_FRACTION",
    "INTERFACE_ASR_FULL_CONTACT_OHM_M2",
    "SCRAP_CAUSES",
    "SHEET_STATE_FIELDS",
    "PRECOMPUTED_STATE",
    "SheetBatch",
    "StationConditions",
    "apply_step",
    "good_cell_pieces",
    "precompute_state_free",
    "run_route",
    "sample_conditions",
    "state_free_fields",
    "step_changes_sheets",
]
