"""The process route applied to sheets: every sheet carries its own physical state.

A transfer unit (a roll, a kiln load, a lot) is a :class:`SheetBatch` of numpy arrays, one entry per
sheet. :func:`sample_conditions` draws the process variation the unit sees (batch-level furnace set
point, load-position spread, per-sheet scatter) and :func:`apply_step` calls ``process_models`` to
update each sheet's state, then scraps sheets that fail — so yield emerges from physics and variation.
No formula lives here: only the mapping from recipe fields to physics arguments.
"""

from __future__ import annotations

import functools

import numpy as np

from process_models import conductivity, densification, lamination, li_loss, tape_casting
from process_models.cell_metrics import cathode_areal_capacity_mAh_per_cm2, critical_current_density_A_per_m2
from process_models.parameters import load_material
from process_models.temperature_profile import TemperatureProfile
from twin.capacity import casting_wet_thickness_m, recipe_profile, recipe_segments, station_timing
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

_DEAD_PIECES_ROW = SHEET_STATE_FIELDS.index("dead_cell_pieces")

# Fraction of the free Li2O flux that still escapes. Mother/cover powder saturates the local Li2O
# pressure (physics-notes §2.3; roadmap 2020 §15 names cover powder the most straightforward control).
# No measured leakage factors are published: these are assumptions to calibrate on a line.
COVER_LEAKAGE_FRACTION = {
    (False, False): 1.0,   # open setter, no powder
    (False, True): 0.4,    # closed setter only (assumption)
    (True, False): 0.1,    # cover powder (assumption)
    (True, True): 0.05,    # cover powder in a closed setter (assumption)
}

# Full-contact Li/garnet interface ASR by surface state [ohm m^2]:
# Li2CO3-covered garnet ~1710 ohm cm2 and ALD-Al2O3 interlayer ~1 ohm cm2 (Han et al., Nat. Mater. 16, 2017
# [R]); cleaned surface ~2 ohm cm2 (Sharafi et al., Chem. Mater. 2017 [R]; the li_metal parameter set).
INTERFACE_ASR_FULL_CONTACT_OHM_M2 = {"none": 1710e-4, "interlayer": 1.0e-4}

LI_METAL = "li_metal"


_ALL_SHEETS = slice(None)


def _filled(values: np.ndarray, default: float) -> np.ndarray:
    """``values`` with NaN (not set by any step yet) replaced by ``default`` (a copy only if needed)."""
    missing = np.isnan(values)
    if not missing.any():
        return values
    values = values.copy()
    values[missing] = default
    return values


def _bounded(values: np.ndarray, low: float, high: float) -> np.ndarray:
    # np.clip's values without its per-call dispatch (~10 us a call, on every unit)
    return np.minimum(np.maximum(values, low), high)


def _electrolyte_material(scenario: Scenario):
    return load_material(scenario.cell.electrolyte.material)


def _layer_material_for_sintering(scenario: Scenario, layer: str):
    if layer == "electrolyte":
        return _electrolyte_material(scenario)
    # The composite cathode densifies through its electrolyte matrix: its master sintering curve is
    # taken as that of the cell's electrolyte (assumption; no composite MSC is published).
    return _electrolyte_material(scenario)


def _update_electrolyte_transport(scenario: Scenario, state: dict[str, np.ndarray], idx,
                                  phases: tuple[np.ndarray, ...] | None = None) -> None:
    """Conductivity and ASR of the electrolyte; ``phases`` = (density, cubic, tetragonal, pyrochlore)
    when the caller has just computed and stored them (saves gathering them back)."""
    material = _electrolyte_material(scenario)
    if phases is None:
        density = state["relative_density"][idx]
        cubic = _filled(state["cubic_fraction"][idx], 1.0)
        pyro = _filled(state["pyrochlore_fraction"][idx], 0.0)
        # fractions are >= 0, so 1 - cubic - pyrochlore <= 1: only the lower bound can bite
        tetragonal = np.maximum(1.0 - cubic - pyro, 0.0)
    else:
        density, cubic, tetragonal, pyro = phases
    factor = _filled(state["conductivity_factor"][idx], 1.0)
    sigma = conductivity.ionic_conductivity_S_per_m(density, cubic, tetragonal, pyro, material,
                                                    conductivity_factor=factor)
    state["ionic_conductivity_S_per_m"][idx] = sigma
    state["electrolyte_asr_ohm_m2"][idx] = conductivity.area_specific_resistance_ohm_m2(
        state["electrolyte_thickness_m"][idx], np.maximum(sigma, 1e-30))


def _update_capacity(scenario: Scenario, state: dict[str, np.ndarray], idx: np.ndarray) -> None:
    cathode = scenario.cell.cathode
    material = load_material(cathode.material)
    state["areal_capacity_mAh_per_cm2"][idx] = cathode_areal_capacity_mAh_per_cm2(
        state["cathode_thickness_m"][idx], cathode.active_volume_fraction, material["active_density_kg_per_m3"],
        material["specific_capacity_mAh_per_g"], _bounded(state["cathode_relative_density"][idx], 1e-6, 1.0))


def _repeated_profile(step: Sintering, hold_time_factor: float) -> TemperatureProfile:
    # Cached on the recipe's numbers: a plant fires the same recipe thousands of times.
    return _repeated_profile_cached(step.start_temperature_C, recipe_segments(step), step.cycles,
                                    float(hold_time_factor))


@functools.lru_cache(maxsize=512)
def _repeated_profile_cached(start_temperature_C: float, segments: tuple, cycles: int,
                             hold_time_factor: float) -> TemperatureProfile:
    profile = recipe_profile(start_temperature_C, segments)
    if hold_time_factor == 1.0 and cycles == 1:
        return profile
    time_s = np.asarray(profile.knot_time_s)
    temperature_K = np.asarray(profile.knot_temperature_K)
    # stretch only the holds (flat knots) by the factor
    dt = np.diff(time_s)
    flat = np.isclose(np.diff(temperature_K), 0.0)
    dt = np.where(flat, dt * hold_time_factor, dt)
    one_cycle_t = np.concatenate([[0.0], np.cumsum(dt)])
    times = [one_cycle_t]
    temps = [temperature_K]
    for _ in range(1, cycles):
        times.append(times[-1][-1] + one_cycle_t[1:])
        temps.append(temperature_K[1:])
    # each further firing (sub-layer) repeats the recipe from where the previous one ended
    return TemperatureProfile(tuple(np.concatenate(times)), tuple(np.concatenate(temps)))


def _apply_sintering(scenario: Scenario, step: Sintering, batch: SheetBatch, conditions, idx) -> None:
    state = batch.state
    material = _layer_material_for_sintering(scenario, step.layer)
    offset = conditions["temperature_offset_K"][idx]
    profile = _repeated_profile(step, float(conditions["hold_time_factor"][0]) if offset.size else 1.0)
    particle_m = step.particle_size_um * 1e-6 * conditions["particle_size_factor"][idx]
    pressure_Pa = step.applied_pressure_MPa * 1e6
    if step.layer != "cathode" and material.kind != "garnet":
        # Sulphide anneal (<= 600 C): no Li2O chemistry and no thermal densification modelled; the
        # sulphide densifies by pressing (roadmap 2020 §14.1).
        state["li_loss_fraction"][idx] = 0.0
        _update_electrolyte_transport(scenario, state, idx)
        return
    # ln Theta of this firing for every sheet; shared by the cathode and the electrolyte under it,
    # whose master curves are the same material's (see _layer_material_for_sintering)
    log_work = densification.log_work_of_sintering(profile, material["msc_activation_energy_J_per_mol"], offset)
    shift = densification.log_theta_shift(material, particle_m, pressure_Pa)
    if step.layer == "cathode":
        # idx may be a slice (views): compute everything from the green state before writing
        green = state["cathode_relative_density"][idx]
        density = densification.master_curve_relative_density(
            log_work + shift, green, material["msc_log_theta_half"], material["msc_log_theta_width"],
            material["msc_final_relative_density"])
        thickness = tape_casting.sintered_thickness_m(state["cathode_thickness_m"][idx], green, density)
        state["cathode_relative_density"][idx] = density
        state["cathode_thickness_m"][idx] = thickness
        _update_capacity(scenario, state, idx)
        _refire_electrolyte(scenario, state, idx, log_work)
        return
    green = state["relative_density"][idx]
    density = _electrolyte_density_after_firing(state, idx, log_work, shift, material)
    green_thickness = state["electrolyte_thickness_m"][idx]
    thickness = tape_casting.sintered_thickness_m(green_thickness, green, density)
    # Most Li leaves near the peak, when the layer is already close to its fired thickness.
    leakage = COVER_LEAKAGE_FRACTION[(step.cover_powder, step.closed_setter)]
    lost = li_loss.li_loss_per_formula_unit(profile, thickness, step.exposed_faces, leakage, material,
                                            temperature_offset_K=offset)
    nominal = material["nominal_li_pfu"]
    excess = li_loss.li_excess_pfu_from_li2co3_excess_weight_fraction(
        conditions["li_excess_li2co3_wt_fraction"][idx], nominal_li_pfu=nominal)
    balance = li_loss.li_mass_balance(nominal, excess, lost)
    cubic, tetragonal, pyro = li_loss.garnet_phase_fractions(balance["li_retained_pfu"], material)
    state["relative_density"][idx] = density
    state["electrolyte_thickness_m"][idx] = thickness
    state["li_content_pfu"][idx] = balance["li_retained_pfu"]
    state["li_loss_fraction"][idx] = balance["li_volatilised_pfu"] / balance["li_in_pfu"]
    state["cubic_fraction"][idx] = cubic
    state["pyrochlore_fraction"][idx] = pyro
    _update_electrolyte_transport(scenario, state, idx, phases=(density, cubic, tetragonal, pyro))


def _electrolyte_density_after_firing(state, idx, log_work, shift, material) -> np.ndarray:
    """Relative density of the electrolyte after one more firing, continuing on its master curve.

    Work of sintering adds along the thermal path (Su & Johnson 1996), so a layer fired again (the
    electrolyte under the cathode's sub-layer pulses, roadmap 2020 §14.3) continues from the ln Theta it
    already received; the particle-size shift of its first firing stays with it. ``log_work`` is this
    firing's ln Theta, ``shift`` the shift of sheets fired for the first time.
    """
    previous = state["electrolyte_log_theta"][idx]
    fired_before = np.isfinite(previous)
    fired_count = np.count_nonzero(fired_before)
    if fired_count == 0:  # a first firing (the electrolyte kiln)
        total = log_work + shift
        green = state["relative_density"][idx]
        state["electrolyte_green_relative_density"][idx] = green
        state["electrolyte_log_theta_shift"][idx] = shift
    elif fired_count == fired_before.size:  # every sheet fired before (the cathode firings over it)
        total = np.logaddexp(previous, log_work + state["electrolyte_log_theta_shift"][idx])
        green = state["electrolyte_green_relative_density"][idx]
    else:
        shift = np.where(fired_before, state["electrolyte_log_theta_shift"][idx], shift)
        added = log_work + shift
        total = np.where(fired_before, np.logaddexp(np.nan_to_num(previous, nan=-np.inf), added), added)
        # the master curve starts from the density the layer had when it was first fired
        green = np.where(fired_before, state["electrolyte_green_relative_density"][idx],
                         state["relative_density"][idx])
        state["electrolyte_green_relative_density"][idx] = green
        state["electrolyte_log_theta_shift"][idx] = shift
    density = densification.master_curve_relative_density(
        total, green, material["msc_log_theta_half"], material["msc_log_theta_width"],
        material["msc_final_relative_density"])
    state["electrolyte_log_theta"][idx] = total
    return density


def _refire_electrolyte(scenario: Scenario, state, idx, log_work: np.ndarray) -> None:
    """The sintered garnet electrolyte under a cathode firing densifies further (thickness shrinks).

    Its Li loss in these firings is neglected: the cathode covers one face and the setter the other.
    """
    material = _electrolyte_material(scenario)
    if material.kind != "garnet":
        return
    fired = np.isfinite(state["electrolyte_log_theta"][idx])
    fired_count = np.count_nonzero(fired)
    if fired_count == 0:
        return
    if fired_count == fired.size:
        positions = idx
    else:
        positions = np.arange(len(state["electrolyte_log_theta"]))[idx][fired]
        log_work = np.broadcast_to(log_work, fired.shape)[fired]
    before = state["relative_density"][positions]
    after = np.maximum(before, _electrolyte_density_after_firing(state, positions, log_work, 0.0, material))
    # before may be a view of the density row: the thickness needs it before the density is written
    state["electrolyte_thickness_m"][positions] *= before / after
    state["relative_density"][positions] = after
    _update_electrolyte_transport(scenario, state, positions)


def _apply_lamination(scenario: Scenario, step: LiLamination, batch: SheetBatch, conditions, idx) -> None:
    state = batch.state
    li = load_material(LI_METAL)
    full_contact = INTERFACE_ASR_FULL_CONTACT_OHM_M2.get(step.surface_treatment,
                                                         li["interface_asr_full_contact_ohm_m2"])
    if step.method == "evaporation":
        contact = np.ones(state["interface_asr_ohm_m2"][idx].size)  # vapour-deposited Li conforms to the surface
    else:
        station = scenario.line.stations[step.name]
        if station.kind == "continuous":
            dwell_s = lamination.nip_dwell_time_s(step.nip_contact_length_mm * 1e-3,
                                                  station.line_speed_m_per_min / 60.0)
        else:
            dwell_s = station.cycle_time_s
        contact = lamination.li_contact_fraction(step.pressure_MPa * 1e6 * conditions["pressure_factor"][idx],
                                                 step.temperature_C + 273.15, dwell_s, li)
    asr = lamination.li_interface_asr_ohm_m2(contact, li, full_contact_asr_ohm_m2=full_contact)
    state["interface_asr_ohm_m2"][idx] = asr * conditions["interface_asr_factor"][idx]


def _apply_quality_check(scenario: Scenario, step: QualityCheck, step_index: int, batch: SheetBatch,
                         conditions) -> None:
    state = batch.state
    checks: list[tuple[str, np.ndarray]] = []

    # NaN (not measured yet) never fails a spec: every comparison with NaN is False.
    def below(values, limit):
        return values < limit

    def above(values, limit):
        return values > limit

    if step.min_relative_density is not None:
        checks.append(("low_density", below(state["relative_density"], step.min_relative_density)))
    if step.max_li_loss_fraction is not None:
        checks.append(("li_loss", above(state["li_loss_fraction"], step.max_li_loss_fraction)))
    if step.max_electrolyte_asr_ohm_cm2 is not None:
        checks.append(("high_electrolyte_asr",
                       above(state["electrolyte_asr_ohm_m2"], step.max_electrolyte_asr_ohm_cm2 * 1e-4)))
    if step.min_ionic_conductivity_mS_per_cm is not None:
        checks.append(("low_conductivity",
                       below(state["ionic_conductivity_S_per_m"], step.min_ionic_conductivity_mS_per_cm * 0.1)))
    if step.max_interface_asr_ohm_cm2 is not None:
        checks.append(("high_interface_asr",
                       above(state["interface_asr_ohm_m2"], step.max_interface_asr_ohm_cm2 * 1e-4)))
    if step.thickness_tolerance_fraction is not None:
        target = scenario.cell.electrolyte.thickness_um * 1e-6
        deviation = np.abs(state["electrolyte_thickness_m"] - target) / target
        checks.append(("thickness_out_of_tolerance", deviation > step.thickness_tolerance_fraction))
    if not checks:
        return
    draw = conditions.get("detection_draw")
    detected = True if draw is None else draw < step.detection_probability
    failing_any = np.logical_or.reduce([failing for _, failing in checks]) & detected
    if not failing_any.any():  # the usual unit: every sheet in spec
        return
    for cause, failing in sorted(checks, key=lambda item: CAUSE_INDEX[item[0]]):
        batch.scrap(failing & detected, step_index, cause)


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
    draws = defect_draw[hit]
    if np.all(remaining == cells):
        # one row of the table, decreasing in j: count the thresholds above each draw by bisection
        ascending = survival[cells, ::-1]
        newly = cells - np.searchsorted(ascending, draws, side="right")
    else:
        newly = np.count_nonzero(draws[:, None] < survival[remaining], axis=1)
    dead[hit] += newly
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
            _update_capacity(scenario, state, idx)
    elif isinstance(step, SprayDeposition):
        thickness = step.target_thickness_um * 1e-6 * conditions["thickness_factor"][idx]
        if step.layer == "electrolyte":
            state["electrolyte_thickness_m"][idx] = thickness
            state["electrolyte_green_relative_density"][idx] = step.packing_fraction
            state["relative_density"][idx] = step.packing_fraction
            material = _electrolyte_material(scenario)
            factor = material.get("reprecipitation_conductivity_factor", 1.0) if step.reprecipitated else 1.0
            state["conductivity_factor"][idx] = factor
            _update_electrolyte_transport(scenario, state, idx)
        else:
            state["cathode_thickness_m"][idx] = thickness
            state["cathode_relative_density"][idx] = step.packing_fraction
            _update_capacity(scenario, state, idx)
    elif isinstance(step, Sintering):
        _apply_sintering(scenario, step, batch, conditions, idx)
    elif isinstance(step, Pressing):
        _apply_pressing(scenario, step, state, idx)
    elif isinstance(step, LiLamination):
        _apply_lamination(scenario, step, batch, conditions, idx)
    elif isinstance(step, Stacking):
        material = _electrolyte_material(scenario)
        if material.kind in ("garnet", "sulphide"):
            state["critical_current_density_A_per_m2"][idx] = critical_current_density_A_per_m2(
                _filled(state["interface_asr_ohm_m2"][idx], 0.0), step.stack_pressure_MPa * 1e6,
                _bounded(_filled(state["relative_density"][idx], 1.0), 1e-6, 1.0), material)
    elif isinstance(step, QualityCheck):
        _apply_quality_check(scenario, step, step_index, batch, conditions)
    elif isinstance(step, (Drying, Cutting, Packaging)):
        pass  # time and energy only (twin.capacity); defects handled above


def _apply_pressing(scenario: Scenario, step: Pressing, state: dict[str, np.ndarray], idx: np.ndarray) -> None:
    material = _electrolyte_material(scenario)
    heckel = material.get("heckel_coefficient_per_Pa")
    density_key, thickness_key = (("relative_density", "electrolyte_thickness_m") if step.layer == "electrolyte"
                                  else ("cathode_relative_density", "cathode_thickness_m"))
    before = state[density_key][idx]
    if heckel is None:
        return  # hard oxides barely consolidate by cold pressing (roadmap 2020 §14.4)
    after = np.maximum(before, densification.cold_pressed_relative_density(step.pressure_MPa * 1e6,
                                                                           np.clip(before, 1e-6, 0.999), heckel))
    # idx may be a slice (views of the state): the thickness needs `before` before it is overwritten
    thickness = state[thickness_key][idx] * before / after
    state[density_key][idx] = after
    state[thickness_key][idx] = thickness
    if step.layer == "electrolyte":
        _update_electrolyte_transport(scenario, state, idx)
    else:
        _update_capacity(scenario, state, idx)


def run_route(scenario: Scenario, n: int, rng: np.random.Generator, unit_sheets: int | None = None) -> SheetBatch:
    """Push ``n`` sheets through every step of the route.

    Only firings draw conditions shared by a transfer unit (kiln set point, hold time): they run in
    units of ``unit_sheets`` sheets (default: the station's load). Every other step shares no draws
    between sheets, so its sheets run as one unit.
    """
    batch = SheetBatch.new(n)
    for step_index, step in enumerate(scenario.route):
        if isinstance(step, Sintering):
            size = unit_sheets if unit_sheets is not None else station_timing(scenario, step.name).unit_sheets
            size = max(1, min(size, n))
        else:
            size = n
        if size >= n:
            apply_step(scenario, step_index, batch, sample_conditions(scenario, step_index, n, rng))
            continue
        parts = []
        for start in range(0, n, size):
            part = batch.subset(slice(start, min(start + size, n)))
            apply_step(scenario, step_index, part, sample_conditions(scenario, step_index, part.n, rng))
            parts.append(part)
        batch = SheetBatch.concatenate(parts)
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
