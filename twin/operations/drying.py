"""Drying: a dryer evaporates the solvent of the tape cast before it (time and energy; no sheet state)."""

from __future__ import annotations

from process_models import tape_casting
from process_models.solvent_removal import solvent_mass_kg
from twin.capacity import casting_wet_thickness_m
from twin.operations.base import UnitOperation
from twin.scenario.route import Drying, TapeCasting


def casting_for_layer(scenario, layer: str, before_index: int) -> TapeCasting | None:
    """The last tape casting of ``layer`` before route step ``before_index`` (what the dryer dries)."""
    for step in reversed(scenario.route[:before_index]):
        if isinstance(step, TapeCasting) and step.layer == layer:
            return step
    return None


class DryingOperation(UnitOperation):
    kind = "drying"
    step_class = Drying
    changes_sheets = False

    def continuous_speed_m_per_s(self, scenario, index, step, station):
        casting = casting_for_layer(scenario, step.layer, index)
        if casting is None:
            raise ValueError(f"route[{index}].drying: no tape_casting of layer '{step.layer}' before it")
        wet_m = casting_wet_thickness_m(casting)
        dry_s = float(tape_casting.drying_time_s(wet_m, 1.0 - casting.slurry_solids_volume_fraction,
                                                 step.evaporation_rate_um_per_s * 1e-6))
        return station.dryer_length_m / dry_s

    def solvent_removal(self, scenario, index, step):
        # the solvent of the wet tape cast for the layer (twin.capacity casting model)
        casting = casting_for_layer(scenario, step.layer, index)
        if casting is None:
            return None
        wet_m3 = casting_wet_thickness_m(casting) * scenario.sheet_area_m2
        removed_kg = float(solvent_mass_kg(wet_m3, casting.slurry_solids_volume_fraction, casting.solvent))
        return casting.solvent, step.temperature_C, removed_kg


OPERATION = DryingOperation()
