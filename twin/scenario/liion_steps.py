"""Route steps of the liquid-electrolyte Li-ion line that SSB lines can use too (schema models; behaviour
in twin.operations): a batch slurry mixer and the electrolyte filling of a stacked cell."""

from __future__ import annotations

from typing import Literal

from twin.scenario.quantities import Fraction, Quantity
from twin.scenario.step_base import StepBase

MixedLayer = Literal["electrolyte", "cathode", "anode"]
LIQUID_ELECTROLYTE = "lipf6_carbonate"


class SlurryMixing(StepBase):
    """A batch mixer (planetary or dissolver) makes the coating slurry of one layer.

    Counted per sheet-equivalent of the layer coated after it: the slurry per sheet is the layer's solids
    per sheet / ``solids_mass_fraction``; the station's load (``batch_capacity_sheets``) is mixed in
    ceil(load slurry / ``batch_size_kg``) batches of ``mixing_time_min`` each, drawing
    ``specific_energy_kWh_per_kg`` per kg of slurry; ``material_loss_fraction`` of the slurry is lost (tank
    heels, lines, filter), so its materials are bought for 1 / (1 - loss) of what is coated.
    An anode slurry (graphite, for a Li-ion cell) is bought here in full: the twin does not follow the
    graphite layer on the sheet, its loading comes from the cell design (N/P).
    """

    kind: Literal["slurry_mixing"]
    layer: MixedLayer
    solids_mass_fraction: Quantity(0.1, 0.9, why_lo="below 10 wt% solids no electrode slurry coats",
                                   why_hi="above 90 wt% solids is a paste or a dry powder, not a slurry")
    batch_size_kg: Quantity(1, 20000, why_lo="below 1 kg is a laboratory mixer",
                            why_hi="above 20 t no battery slurry mixer holds")
    mixing_time_min: Quantity(1, 1440, why_lo="below 1 min no slurry disperses",
                              why_hi="above a day of mixing is not a production batch")
    specific_energy_kWh_per_kg: Quantity(0.001, 2.0, why_lo="below 1 Wh/kg nothing is dispersed",
                                         why_hi="above 2 kWh/kg is milling, not mixing")
    material_loss_fraction: Quantity(0, 0.5, hi_open=True, why_hi="a mixer that loses half its slurry is broken")
    # anode (graphite) slurry only: the graphite and binder bought per kg of graphite electrode solids
    anode_binder_mass_fraction: Fraction = 0.0


class ElectrolyteFilling(StepBase):
    """Liquid electrolyte dosed into a stacked cell under vacuum, wetting soak, and sealing.

    The fill volume is the open pore volume of the positive electrode (1 - its relative density), the
    separator and the negative electrode, plus ``excess_fraction``. The filled separator is the cell's
    electrolyte layer: ASR = thickness / (kappa porosity^1.5) (Bruggeman); the pore electrolyte of the
    positive electrode adds thickness / (3 kappa porosity^1.5) (uniform reaction, Newman & Tobias 1962);
    ``charge_transfer_asr_ohm_cm2`` adds both electrodes' charge transfer and SEI.
    """

    kind: Literal["electrolyte_filling"]
    separator_thickness_um: Quantity(5, 100, why_lo="below 5 um no polyolefin separator is made",
                                     why_hi="above 100 um is a nonwoven mat, not a cell separator")
    separator_porosity: Quantity(0.2, 0.9, why_lo="below 20 % porosity a separator barely conducts",
                                 why_hi="above 90 % porosity a separator does not hold")
    separator_density_kg_per_m3: Quantity(500, 2500, why_lo="below 500 kg/m3 is no separator polymer",
                                          why_hi="above 2500 kg/m3 is a ceramic, not a polyolefin")
    negative_electrode_porosity: Quantity(0.1, 0.6, why_lo="below 10 % the graphite does not wet",
                                          why_hi="above 60 % is no calendered electrode")
    excess_fraction: Quantity(0, 1, why_hi="above 100 % overfill the cell floods") = 0.1
    charge_transfer_asr_ohm_cm2: Quantity(0, 200, why_hi="above 200 ohm cm2 no Li-ion cell delivers")
    fill_time_s: Quantity(1, 3600, why_lo="a dose takes at least a second",
                          why_hi="above an hour per load is not a dosing step")
    wetting_time_h: Quantity(0, 72, why_hi="above 3 days of soak is storage") = 0.0


class VacuumDrying(StepBase):
    """Electrode rolls or cut electrodes dried under vacuum in a batch oven before cell assembly.

    Removes the residual moisture and solvent the coater's dryer leaves (time and energy only: the twin
    carries no moisture state for a Li-ion electrode). Energy = the oven's metered ``power_kW`` x
    (``hold_time_h``), on the station.
    """

    kind: Literal["vacuum_drying"]
    temperature_C: Quantity(40, 200, why_lo="below 40 C vacuum drying takes days",
                            why_hi="above 200 C the PVDF binder melts (170 C) and degrades")
    hold_time_h: Quantity(0.1, 72, why_lo="below 6 min no roll dries through",
                          why_hi="above 3 days is storage, not drying")




def liion_route_problems(scenario) -> list[str]:
    """Where the Li-ion steps may stand: a slurry before the step that coats it, an anode slurry only for a
    graphite anode, electrolyte filling only of a liquid electrolyte (and a liquid cell needs one)."""
    from twin.operations import operation_for  # the operations import the schema: import on use

    problems: list[str] = []
    liquid = scenario.cell.electrolyte.material == LIQUID_ELECTROLYTE
    fills = [index for index, step in enumerate(scenario.route) if step.kind == "electrolyte_filling"]
    for index, step in enumerate(scenario.route):
        if step.kind == "slurry_mixing" and step.layer == "anode" and scenario.cell.anode.type != "graphite":
            problems.append(f"route[{index}].slurry_mixing.layer: an anode slurry needs a graphite anode "
                            f"(cell.anode.type is '{scenario.cell.anode.type}')")
        elif step.kind == "slurry_mixing" and step.layer != "anode" and not any(
                operation_for(later).deposited_layer(later) == step.layer for later in scenario.route[index + 1:]):
            problems.append(f"route[{index}].slurry_mixing.layer: no step after '{step.name}' casts or sprays the "
                            f"{step.layer} layer its slurry is for; move it before that step")
        if step.kind == "electrolyte_filling" and not liquid:
            problems.append(f"route[{index}].electrolyte_filling: the cell's electrolyte "
                            f"'{scenario.cell.electrolyte.material}' is not a liquid; use '{LIQUID_ELECTROLYTE}'")
        elif step.kind == "electrolyte_filling" and not any(
                operation_for(earlier).deposited_layer(earlier) == "cathode" for earlier in scenario.route[:index]):
            # the fill volume is the pores of the positive electrode: it must exist before the filling
            problems.append(f"route[{index}].electrolyte_filling: no step before '{step.name}' coats the cathode "
                            "whose pores it fills; move it after the electrode coating")
        if step.kind == "formation" and liquid and fills and index < fills[0]:
            problems.append(f"route[{index}].formation: a '{LIQUID_ELECTROLYTE}' cell is formed after its "
                            f"electrolyte filling; move '{step.name}' after '{scenario.route[fills[0]].name}'")
    if liquid and not fills:
        problems.append(f"route: a '{LIQUID_ELECTROLYTE}' cell needs an electrolyte_filling step")
    if scenario.cell.anode.type == "graphite" and not liquid:
        problems.append(f"cell.anode.type: a graphite anode is a Li-ion anode; its cell needs the liquid "
                        f"electrolyte '{LIQUID_ELECTROLYTE}'")
    return problems


__all__ = ["LIQUID_ELECTROLYTE", "ElectrolyteFilling", "SlurryMixing", "VacuumDrying", "liion_route_problems"]
