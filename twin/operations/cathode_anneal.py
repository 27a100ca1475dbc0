"""Cathode anneal: the sputtered LiCoO2 film crystallised in a furnace (box furnace of substrates, or a
belt / web furnace).

Per sheet, over the recipe's temperature profile shifted by the sheet's furnace offset: the crystallised
fraction sets the capacity per um, Li2O vapour takes Li from the film's free face, the grains grow
(process_models.thin_film_cathode); the areal capacity is the film thickness x capacity per um.
"""

from __future__ import annotations

from process_models import thin_film_cathode
from process_models.furnace_energy import furnace_energy_J
from process_models.parameters import load_material
from twin.capacity import recipe_profile, recipe_segments
from twin.operations.base import UnitOperation
from twin.scenario.thinfilm_steps import CathodeAnneal


def anneal_profile(step: CathodeAnneal):
    """The recipe's temperature profile in SI units (cached per recipe by twin.capacity)."""
    return recipe_profile(step.start_temperature_C, recipe_segments(step))


class CathodeAnnealOperation(UnitOperation):
    kind = "cathode_anneal"
    step_class = CathodeAnneal

    def variation_draws(self, scenario, step):
        # per-sheet furnace non-uniformity (position in the load, belt edge to centre)
        return [("temperature_offset_K", 0.0, scenario.variation.furnace_sheet_sd_K, -100.0, 100.0)], []

    def apply(self, scenario, step, step_index, batch, conditions, idx):
        state = batch.state
        material = load_material(scenario.cell.cathode.material)
        profile = anneal_profile(step)
        offset = conditions["temperature_offset_K"][idx]
        thickness = state["cathode_thickness_m"][idx]
        crystallised = thin_film_cathode.crystallised_fraction(profile, material, offset)
        li_loss = thin_film_cathode.li_loss_fraction(profile, thickness, material, offset)
        per_um = thin_film_cathode.capacity_per_um(crystallised, li_loss, material)
        state["areal_capacity_mAh_per_cm2"][idx] = thin_film_cathode.areal_capacity_mAh_per_cm2(thickness, per_um)
        state["cathode_grain_size_m"][idx] = thin_film_cathode.grain_size_m(profile, material, offset)
        state["cathode_li_loss_fraction"][idx] = li_loss
        return True

    def batch_process(self, scenario, index, step, station):
        profile = anneal_profile(step)
        process_s = profile.duration_s
        if station.furnace is not None:
            joules = furnace_energy_J(profile, station.furnace.thermal_mass_kJ_per_K * 1e3,
                                      station.furnace.heat_loss_kW_at_1000C * 1e3, station.furnace.heating_efficiency)
            return process_s, joules / 3.6e6
        return process_s, station.power_kW * process_s / 3600.0

    def continuous_speed_m_per_s(self, scenario, index, step, station):
        # the web or belt carries a point through the heated zone in one pass of the profile
        return station.heated_length_m / anneal_profile(step).duration_s


OPERATION = CathodeAnnealOperation()
