"""Interlayer deposition: ALD, sputtered or evaporated nanometre layer on the garnet for Li wetting.

Its effect on the sheet is read by the Li lamination (twin.operations.li_lamination), which takes the
full-contact interface ASR from the layer's material and thickness (process_models.interlayers); this
step sets the station time (ALD cycles x cycle time, or thickness / sputter or evaporation rate) and the
precursor or
target material used.
"""

from __future__ import annotations

from process_models import interlayers
from twin.cost.materials import material_price
from twin.operations.base import UnitOperation
from twin.scenario.route import InterlayerDeposition


def deposition_time_s(step: InterlayerDeposition) -> float:
    """Time to grow the layer on a sheet [s]: ALD cycles x cycle time, or thickness / sputter (evaporation) rate."""
    thickness_m = step.thickness_nm * 1e-9
    if step.method == "ald":
        return float(interlayers.ald_cycles(thickness_m, step.growth_per_cycle_nm * 1e-9)) * step.cycle_time_s
    return step.thickness_nm / step.deposition_rate_nm_per_min * 60.0


def interlayer_before(scenario, step_index: int) -> InterlayerDeposition | None:
    """The last interlayer deposited before route step ``step_index``, if any."""
    for step in reversed(scenario.route[:step_index]):
        if isinstance(step, InterlayerDeposition):
            return step
    return None


class InterlayerDepositionOperation(UnitOperation):
    kind = "interlayer_deposition"
    step_class = InterlayerDeposition
    # the layer changes the sheet (the lamination reads it from the route); no per-sheet state of its own
    changes_sheets = True

    def batch_process(self, scenario, index, step, station):
        # a batch ALD reactor coats its whole load at once (the precursor reaches every surface)
        process_s = deposition_time_s(step)
        return process_s, station.power_kW * process_s / 3600.0

    def continuous_speed_m_per_s(self, scenario, index, step, station):
        # spatial ALD / roll-to-roll sputter: a point of the web must stay the deposition time in the zone
        return station.deposition_zone_length_m / deposition_time_s(step)

    def material_items_per_sheet(self, scenario, index, step_name, step):
        props = interlayers.INTERLAYER_MATERIALS[step.material]
        kg = float(interlayers.film_source_kg_per_m2(step.thickness_nm * 1e-9, step.material,
                                                     step.source_utilisation)) * scenario.sheet_area_m2
        return {props["precursor"]: kg * material_price(scenario, props["precursor"], step_name)}


OPERATION = InterlayerDepositionOperation()
