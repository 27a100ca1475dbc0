"""What an inline inspection sees and does: spec checks on the per-sheet state, misses and false rejects.

A check compares each sheet's current state with its spec limits. An out-of-spec sheet is detected
with the check's detection probability and scrapped for the first failing cause; a missed one stays
bad (its cause and the check are written into its state) and travels on until a later check finds it
out of spec or it leaves the plant as an escape. An in-spec sheet is rejected with the check's false-
reject probability. One uniform per sheet decides both (they apply to disjoint sheets).
"""

from __future__ import annotations

import numpy as np

from twin.scenario import Scenario
from twin.scenario.route import QualityCheck
from twin.sheet_batch import CAUSE_INDEX, SheetBatch

# spec field -> (state field, scrap cause, "min"/"max", factor from the spec's unit to the state's SI unit)
SPEC_CHECKS = {
    "min_relative_density": ("relative_density", "low_density", "min", 1.0),
    "max_li_loss_fraction": ("li_loss_fraction", "li_loss", "max", 1.0),
    "max_electrolyte_asr_ohm_cm2": ("electrolyte_asr_ohm_m2", "high_electrolyte_asr", "max", 1e-4),
    "min_ionic_conductivity_mS_per_cm": ("ionic_conductivity_S_per_m", "low_conductivity", "min", 0.1),
    "max_interface_asr_ohm_cm2": ("interface_asr_ohm_m2", "high_interface_asr", "max", 1e-4),
    "min_cathode_relative_density": ("cathode_relative_density", "low_cathode_density", "min", 1.0),
    "min_areal_capacity_mAh_per_cm2": ("areal_capacity_mAh_per_cm2", "low_areal_capacity", "min", 1.0),
    "min_critical_current_density_mA_per_cm2": ("critical_current_density_A_per_m2", "low_ccd", "min", 10.0),
}
THICKNESS_SPEC = "thickness_tolerance_fraction"


def inspection_detection_probability(scenario: Scenario, step: QualityCheck) -> float:
    """Probability that the check finds an out-of-spec sheet.

    ``detection_versus_time`` ties it to the station's cycle time t per sheet:
    p = 1 - (1 - p_ref)^(t / t_ref), each reference-length look missing independently (assumption,
    the simplest law in which a slower inspection finds more; fit it to the station's POD data).
    """
    model = step.detection_versus_time
    if model is None:
        return step.detection_probability
    cycle_time_s = scenario.line.stations[step.name].cycle_time_s
    looks = cycle_time_s / model.reference_cycle_time_s
    return float(-np.expm1(looks * np.log1p(-model.reference_detection_probability)))


def spec_failures(scenario: Scenario, step: QualityCheck, state: dict[str, np.ndarray]) -> list[tuple[str, np.ndarray]]:
    """(cause, failing mask) for each spec of ``step`` on the sheets' current ``state``.

    NaN (a property no step has set yet) never fails a spec: every comparison with NaN is False.
    """
    checks: list[tuple[str, np.ndarray]] = []
    for spec, (field, cause, sense, factor) in SPEC_CHECKS.items():
        limit = getattr(step, spec)
        if limit is None:
            continue
        values = state[field]
        checks.append((cause, values < limit * factor if sense == "min" else values > limit * factor))
    if step.thickness_tolerance_fraction is not None:
        target = scenario.cell.electrolyte.thickness_um * 1e-6
        deviation = np.abs(state["electrolyte_thickness_m"] - target) / target
        checks.append(("thickness_out_of_tolerance", deviation > step.thickness_tolerance_fraction))
    checks.sort(key=lambda item: CAUSE_INDEX[item[0]])
    return checks


def apply_inspection(scenario: Scenario, step: QualityCheck, step_index: int, batch: SheetBatch,
                     inspection_draw: np.ndarray | None) -> None:
    """Scrap the detected out-of-spec and the falsely rejected sheets of ``batch``; mark the missed ones.

    ``inspection_draw``: one uniform per sheet (None when detection is certain and nothing is falsely
    rejected). A missed sheet keeps the first cause and check that missed it (``out_of_spec_cause``,
    ``out_of_spec_step``); a later miss does not overwrite them.
    """
    checks = spec_failures(scenario, step, batch.state)
    if not checks:
        return
    failing_any = np.logical_or.reduce([failing for _, failing in checks]) & batch.alive
    if inspection_draw is None:
        if failing_any.any():
            for cause, failing in checks:
                batch.scrap(failing, step_index, cause)
        return
    detected = inspection_draw < inspection_detection_probability(scenario, step)
    missed = failing_any & ~detected
    if missed.any():
        state = batch.state
        first_miss = missed & np.isnan(state["out_of_spec_cause"])
        if first_miss.any():
            first_cause = np.full(batch.n, -1.0)
            for cause, failing in reversed(checks):  # the first failing cause in SCRAP_CAUSES order wins
                first_cause[failing] = CAUSE_INDEX[cause]
            state["out_of_spec_cause"][first_miss] = first_cause[first_miss]
            state["out_of_spec_step"][first_miss] = step_index
    if failing_any.any():
        for cause, failing in checks:
            batch.scrap(failing & detected, step_index, cause)
    if step.false_reject_probability > 0.0:
        in_spec = batch.alive & ~failing_any
        batch.scrap(in_spec & (inspection_draw < step.false_reject_probability), step_index, "false_reject")


__all__ = ["SPEC_CHECKS", "THICKNESS_SPEC", "apply_inspection", "inspection_detection_probability", "spec_failures"]
