"""Co-sintering: the laminated cathode and electrolyte green tapes fired together (roadmap 2020 §15, fig. 19).

Both layers densify in the one firing on their master curves (twin.sheet_firing, the same physics as two
separate sintering steps, but one profile); the electrolyte loses Li2O from its one open face (the cathode
covers the other). Their free linear shrinkages differ; that mismatch bends a laminate fired without a
cover plate (camber, scrapped above the flatness spec) and stresses the interface of one held flat under a
cover plate (delaminated above ``max_shrinkage_mismatch``) (process_models.co_sintering).

Not a unit-shared firing (``is_firing`` stays False): the kiln's set-point error and hold-time scatter of a
load are not drawn, only each sheet's furnace offset; the plant does not model a breakdown mid-firing here.
"""

from __future__ import annotations

import numpy as np

from process_models import co_sintering, porous_scaffold
from twin.operations import sintering
from twin.operations.base import UnitOperation
from twin.scenario.route import CoSintering, Sintering
from twin.sheet_firing import apply_sintering

_LAYER_STEPS: dict[int, tuple] = {}


def layer_steps(step: CoSintering) -> tuple[Sintering, Sintering]:
    """(cathode, electrolyte) sintering recipes of the co-firing: same profile, each layer's powder."""
    cached = _LAYER_STEPS.get(id(step))
    if cached is not None and cached[0] is step:
        return cached[1]
    common = dict(name=step.name, kind="sintering", heating_mode="conventional",
                  start_temperature_C=step.start_temperature_C,
                  profile=[segment.model_dump() for segment in step.profile], atmosphere=step.atmosphere,
                  exposed_faces=1, powder_route=step.powder_route)
    cathode = Sintering(layer="cathode", cover_powder=False, li_excess_li2co3_wt_fraction=0.0,
                        particle_size_um=step.cathode_particle_size_um, **common)
    electrolyte = Sintering(layer="electrolyte", cover_powder=step.cover_powder,
                            li_excess_li2co3_wt_fraction=step.li_excess_li2co3_wt_fraction,
                            particle_size_um=step.electrolyte_particle_size_um, **common)
    _LAYER_STEPS[id(step)] = (step, (cathode, electrolyte))  # keeps the step alive with its entry
    return cathode, electrolyte


def _fire_scaffold(layer, state, idx, green_density, fired_density) -> None:
    """The porous layer's struts sinter like the dense electrolyte (same powder, same firing: assumption); the
    burnt-out pore former leaves the porosity, its pores shrink with the matrix."""
    shrinkage = co_sintering.free_linear_shrinkage(green_density, fired_density)
    state["scaffold_porosity"][idx] = porous_scaffold.scaffold_porosity(layer.pore_former_volume_fraction,
                                                                        fired_density)
    state["scaffold_pore_size_m"][idx] = porous_scaffold.scaffold_pore_size_m(layer.pore_former_size_um * 1e-6,
                                                                              np.clip(shrinkage, 0.0, 0.99))
    state["scaffold_thickness_m"][idx] = layer.thickness_um * 1e-6


# PMMA density ~1.19 g/cm3 (polymer handbook value); the usual fugitive pore former for garnet tapes
PMMA_DENSITY_KG_PER_M3 = 1190.0


def _scaffold_items(scenario, layer, step_name) -> dict[str, float]:
    """The porous tape's garnet powder and pore former per sheet [USD]: the fired struts counted dense (an upper
    bound within their few % residual porosity), the pore former f/(1 - f) of the ceramic volume."""
    from twin.cost.materials import layer_solid_density_kg_per_m3, material_price

    ceramic_m3 = layer.thickness_um * 1e-6 * (1.0 - layer.pore_former_volume_fraction) * scenario.sheet_area_m2
    pore_former_m3 = ceramic_m3 * layer.pore_former_volume_fraction / (1.0 - layer.pore_former_volume_fraction)
    garnet = scenario.cell.electrolyte.material
    return {f"{garnet}_scaffold": ceramic_m3 * layer_solid_density_kg_per_m3(scenario, "electrolyte")
            * material_price(scenario, garnet, step_name),
            "pmma_pore_former": pore_former_m3 * PMMA_DENSITY_KG_PER_M3
            * material_price(scenario, "pmma_pore_former", step_name)}


class CoSinteringOperation(UnitOperation):
    kind = "co_sintering"
    step_class = CoSintering

    def variation_draws(self, scenario, step):
        variation = scenario.variation
        size_cv = max(variation.particle_size_cv, 0.0)
        return [("temperature_offset_K", 0.0, variation.furnace_sheet_sd_K, None, None),
                ("electrolyte_particle_size_factor", 1.0, size_cv, 0.05, None),
                ("cathode_particle_size_factor", 1.0, size_cv, 0.05, None),
                ("li_excess_li2co3_wt_fraction", step.li_excess_li2co3_wt_fraction,
                 variation.li_excess_sd_wt_fraction, 0.0, 0.5)], []

    def electrolyte_powder_route(self, step):
        return step.powder_route

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        cathode_step, electrolyte_step = layer_steps(step)
        offset = conditions["temperature_offset_K"]
        hold = np.ones_like(offset)
        green_cathode = np.array(state["cathode_relative_density"][idx])
        green_electrolyte = np.array(state["relative_density"][idx])
        # the cathode first: its firing re-fires only an electrolyte already fired, and this one is still green
        apply_sintering(scenario, cathode_step, batch,
                        {"temperature_offset_K": offset, "hold_time_factor": hold,
                         "particle_size_factor": conditions["cathode_particle_size_factor"]}, idx)
        apply_sintering(scenario, electrolyte_step, batch,
                        {"temperature_offset_K": offset, "hold_time_factor": hold,
                         "particle_size_factor": conditions["electrolyte_particle_size_factor"],
                         "li_excess_li2co3_wt_fraction": conditions["li_excess_li2co3_wt_fraction"]}, idx)
        fired_cathode = state["cathode_relative_density"][idx]
        fired_electrolyte = state["relative_density"][idx]
        mismatch = (co_sintering.free_linear_shrinkage(green_cathode, fired_cathode)
                    - co_sintering.free_linear_shrinkage(green_electrolyte, fired_electrolyte))
        # viscous analogy: Skorohod-Olevsky shear viscosity ~ rho^2 at a shared eta0 (same garnet matrix)
        curvature = co_sintering.bilayer_curvature_per_m(
            mismatch, state["cathode_thickness_m"][idx], state["electrolyte_thickness_m"][idx],
            (fired_cathode / fired_electrolyte) ** 2)
        camber = co_sintering.edge_deflection_m(curvature, scenario.cell.format.sheet_length_mm * 1e-3)
        if step.cover_plate:  # held flat: the mismatch loads the interface instead
            camber = np.zeros_like(camber)
        if step.porous_layer is not None:
            _fire_scaffold(step.porous_layer, state, idx, green_electrolyte, fired_electrolyte)
        state["laminate_shrinkage_mismatch"][idx] = mismatch
        state["laminate_camber_m"][idx] = camber
        positions = np.arange(batch.n)[idx]
        if step.cover_plate:
            batch.scrap_sheets(positions[np.abs(mismatch) > step.max_shrinkage_mismatch], step_index, "delamination")
        else:
            batch.scrap_sheets(positions[camber > step.max_camber_mm * 1e-3], step_index, "camber")
        return True

    def garnet_surface_effects(self, scenario, step, state, idx):
        sintering.OPERATION.garnet_surface_effects(scenario, layer_steps(step)[1], state, idx)

    def batch_process(self, scenario, index, step, station):
        return sintering.OPERATION.batch_process(scenario, index, layer_steps(step)[1], station)

    def material_items_per_sheet(self, scenario, index, step_name, step):
        # Li2CO3 excess on the electrolyte powder, cover powder per firing (as a sintering of the electrolyte)
        items = sintering.OPERATION.material_items_per_sheet(scenario, index, step_name, layer_steps(step)[1])
        if step.porous_layer is not None:
            items.update(_scaffold_items(scenario, step.porous_layer, step_name))
        return items


OPERATION = CoSinteringOperation()
