"""What a firing does to a sheet: densification on the master curve, Li loss, phases, transport.

A kiln load (or a belt furnace's stretch of sheets) shares its profile, set point and load spread; each
sheet brings its own green state, particle size and Li excess. The electrolyte keeps densifying on its
master curve when the cathode is fired over it. Formulas live in ``process_models``; this module maps
the recipe and the sheet state onto them (private to the twin; :mod:`twin.sheet_physics` dispatches).
"""

from __future__ import annotations

import math

import numpy as np

from process_models import (
    arrhenius_integral,
    densification,
    grain_growth,
    li_loss,
    powder_routes,
    pressure_sintering,
    tape_casting,
)
from process_models._log_sums import log_add_exp
from process_models.arrhenius_integral import reads_offset_table
from process_models.firing_interruption import FiringHistory
from process_models.temperature_profile import TemperatureProfile
from twin.electrolyte_firing import density_after_firing, fired_garnet_layer, garnet_numbers
from twin.firing_interruption import FIRING_INTERRUPTIONS, firing_history
from twin.firing_recipe import aid_effects as _aid_effects
from twin.firing_recipe import firing_constants as _firing_constants
from twin.firing_recipe import firing_recipe as _firing_recipe
from twin.li_vapour_escape import vapour_escape_fraction
from twin.model_uncertainty import model_factor
from twin.operations import operation_for
from twin.scenario import Scenario
from twin.scenario.route import Sintering
from twin.sheet_batch import SheetBatch
from twin.sheet_layers import (
    electrolyte_material,
    filled,
    layer_material_for_sintering,
    update_capacity,
    update_electrolyte_transport,
)

# Fraction of the free Li2O flux that still escapes. Mother/cover powder saturates the local Li2O
# pressure (physics-notes §2.3; roadmap 2020 §15 names cover powder the most straightforward control).
# No measured leakage factors are published: these are assumptions to calibrate on a line.
COVER_LEAKAGE_FRACTION = {
    (False, False): 1.0,   # open setter, no powder
    (False, True): 0.4,    # closed setter only (assumption)
    (True, False): 0.1,    # cover powder (assumption)
    (True, True): 0.05,    # cover powder in a closed setter (assumption)
}


def nominal_firing_profile(step: Sintering) -> TemperatureProfile:
    """The whole firing of a load (all sub-layer cycles) with nominal hold times."""
    return _firing_recipe(step, 1.0).path


def loads_fire_alike(step: Sintering, load_conditions: list[dict]) -> bool:
    """Whether these kiln loads of a sintering step may be fired in one call, every sheet getting what
    its own load gives it (asked through the step's operation, twin.operations.sintering).

    True when the loads fire the same recipe (equal hold-time draws, no kiln stop) and every sheet's
    Arrhenius integrals are read from the recipe's offset table
    (``process_models.arrhenius_integral.reads_offset_table``), where a sheet's result depends on its own
    temperature offset alone; every other part of :func:`apply_sintering` is per sheet. The evaluation's
    sample fires its loads this way: one chain of numpy calls per firing instead of one per load.
    """
    factors, low, high = set(), np.inf, -np.inf
    for conditions in load_conditions:
        if conditions.get(FIRING_INTERRUPTIONS):
            return False
        offset = conditions["temperature_offset_K"]
        if offset.size:
            hold = conditions["hold_time_factor"]
            factors.add(float(hold[0]))
            if len(factors) > 1 or hold.min() != hold.max():
                return False
            low, high = min(low, float(offset.min())), max(high, float(offset.max()))
    if not factors:
        return True
    return reads_offset_table(_firing_recipe(step, factors.pop()).path, low, high)


def apply_sintering(scenario: Scenario, step: Sintering, batch: SheetBatch, conditions, idx) -> None:
    state = batch.state
    material = layer_material_for_sintering(scenario, step.layer)
    offset = conditions["temperature_offset_K"][idx]
    recipe = _firing_recipe(step, float(conditions["hold_time_factor"][0]) if offset.size else 1.0)
    profile = recipe.path
    history = recipe
    interruptions = conditions.get(FIRING_INTERRUPTIONS)
    if interruptions:  # a breakdown stopped the kiln: the load saw a cool-down and what followed
        history = firing_history(scenario, step, profile, interruptions, recipe_pieces=recipe.pieces)
    particle_m = step.particle_size_um * 1e-6 * conditions["particle_size_factor"][idx]
    powder = _powder_made_in_house(state, idx, step.layer)
    if powder is not None:  # the powder step's lot sets the size (its own scatter; the recipe's is unused)
        particle_m = powder[0]
    if step.layer != "cathode" and material.kind != "garnet":
        # Sulphide anneal (<= 600 C): no Li2O chemistry and no thermal densification modelled; the
        # sulphide densifies by pressing (roadmap 2020 §14.1).
        state["li_loss_fraction"][idx] = 0.0
        update_electrolyte_transport(scenario, state, idx)
        return
    # each powder route has its own master curve (process_models.powder_routes)
    constants = _firing_constants(material, step)
    material, nominal = constants.material, constants.nominal_li_pfu
    # the cathode firings carry no Li-excess draw (their Li loss is not modelled)
    excess = None
    if nominal is not None and step.layer != "cathode":
        excess = li_loss.li_excess_pfu_from_li2co3_excess_weight_fraction(
            conditions["li_excess_li2co3_wt_fraction"][idx], nominal_li_pfu=nominal)
        if powder is not None:  # Li the calcined powder carries over (or short of) its nominal composition
            excess = excess + np.maximum(powder[1], 0.0)
    aid = _aid_effects(scenario, step, excess)
    # ln Theta of this firing for every sheet; shared by the cathode and the electrolyte under it,
    # whose master curves are the same material's (see _layer_material_for_sintering)
    energy = material["msc_activation_energy_J_per_mol"]
    flux_integrals = {}   # id(piece) -> the electrolyte's Li2O flux integral, made with its work of sintering
    if step.layer != "cathode" and nominal is not None:
        terms = constants.arrhenius_terms

        def work_of(piece):   # one pass over the sheets for both integrals (bit for bit the single ones)
            work, flux_integrals[id(piece)] = arrhenius_integral.log_arrhenius_time_integrals(piece, terms, offset)
            return work
    else:
        def work_of(piece):
            return densification.log_work_of_sintering(piece, energy, offset)
    log_work = _along_history(history, work_of, in_log=True)
    # a model-uncertainty draw moves the curve's half point (twin.model_uncertainty; 0 otherwise)
    shift = densification.log_theta_shift(material, particle_m)
    # two scalars that are 0 without an aid or a model-uncertainty draw: no pass over the sheets then
    aid_shift, curve_shift = aid["log_theta_shift"], model_factor("msc_log_theta_half_shift", 0.0)
    if np.ndim(aid_shift) or aid_shift != 0.0 or curve_shift != 0.0:
        shift = shift + aid_shift - curve_shift
    if step.layer == "cathode":
        # idx may be a slice (views): compute everything from the green state before writing
        green = state["cathode_relative_density"][idx]
        total = log_work + shift
        if step.heating_mode in pressure_sintering.PRESSURE_MODES:
            total = log_add_exp(total, _along_history(history, lambda piece: _pressure_work(
                step, material, piece, offset, particle_m, green), in_log=True))
        density = densification.master_curve_relative_density(
            total, green, material["msc_log_theta_half"], material["msc_log_theta_width"],
            material["msc_final_relative_density"])
        thickness = tape_casting.sintered_thickness_m(state["cathode_thickness_m"][idx], green, density)
        state["cathode_relative_density"][idx] = density
        state["cathode_thickness_m"][idx] = thickness
        update_capacity(scenario, state, idx)
        _refire_electrolyte(scenario, state, idx, log_work)
        return
    green = state["relative_density"][idx]
    pressed = None
    if step.heating_mode in pressure_sintering.PRESSURE_MODES:
        pressed = _along_history(history, lambda piece: _pressure_work(
            step, material, piece, offset, particle_m, green), in_log=True)
    density = density_after_firing(state, idx, log_work, shift, material, pressed)
    # Most Li leaves near the peak, when the layer is already close to its fired thickness.
    leakage = COVER_LEAKAGE_FRACTION[(step.cover_powder, step.closed_setter)]
    if leakage < 1.0:  # the leakage factors are assumptions: a model-uncertainty draw scales them
        leakage = min(1.0, leakage * model_factor("cover_leakage", 1.0))
    # a cover plate or the UHS carbon felt holds the vapour near saturation: only its escape leaves
    # (set by the recipe's peak, which no interruption exceeds)
    leakage = leakage * aid["li_loss_factor"] * vapour_escape_fraction(
        scenario, step, profile, offset, material["li2o_evaporation_coefficient"])
    flux_factor = model_factor("li2o_flux", 1.0)

    def lost_of(thickness):
        (count, piece), *rest = history.pieces
        if count == 1.0 and not rest and id(piece) in flux_integrals:
            # one uninterrupted piece whose flux integral came with the work of sintering (a fresh array):
            # li_loss_per_formula_unit's core on it, the material's numbers read once
            numbers = garnet_numbers(material)
            flux = flux_integrals.pop(id(piece))
            flux += numbers.log_flux_prefactor
            lost = li_loss._li_lost_pfu(flux, leakage, step.exposed_faces, numbers.formula_units_per_m3, thickness)
        else:
            lost = _along_history(history, lambda piece: li_loss.li_loss_per_formula_unit(
                piece, thickness, step.exposed_faces, leakage, material, temperature_offset_K=offset,
                log_arrhenius_integral=flux_integrals.pop(id(piece), None)))
        # the loss is linear in the fitted vapour-pressure prefactor
        return lost if flux_factor == 1.0 else lost * flux_factor

    li_start = nominal if powder is None else nominal + np.minimum(powder[1], 0.0)  # a Li-short powder
    added = aid["li_added_pfu"]
    # powder route and aid set the grain-boundary quality of this layer (process_models.powder_routes)
    fired_garnet_layer(scenario, state, idx, density, green, material, lost_of, li_start,
                       excess if np.ndim(added) == 0 and added == 0.0 else excess + added, log_work, particle_m,
                       constants.route_conductivity_factor * aid["conductivity_factor"])


def _along_history(history: FiringHistory, integral_of, in_log: bool = False):
    """A path integral of this firing (Li lost [pfu], or ln Theta with ``in_log``) for every sheet.

    Summed over the pieces of the load's whole history (``process_models.firing_interruption``): the
    recipe (its sub-layer cycles counted n times) plus what every kiln stop added, so an interrupted
    load is never less fired nor loses less Li than an uninterrupted one.
    """
    return history.log_integral(integral_of) if in_log else history.integral(integral_of)


def _powder_made_in_house(state, idx, layer: str):
    """(particle size [m], Li over nominal [pfu]) of the electrolyte powder a powder step made, or None.

    The calcination and milling steps of the route (twin.operations.calcination) write them per sheet;
    a route without them leaves the fields NaN and the sintering recipe's particle size applies.
    A powder short of Li (calcination loss above the precursor excess) starts the Li balance below the
    nominal composition.
    """
    if layer != "electrolyte":
        return None
    size = state["electrolyte_powder_particle_size_m"][idx]
    # a route without a powder step leaves every size NaN: the first sheet tells, without a pass over all
    if size.size == 0 or not math.isfinite(size[0]) or not np.isfinite(size).all():
        return None
    return size, state["electrolyte_powder_li_excess_pfu"][idx]


def _electrolyte_route_material(scenario: Scenario):
    """The electrolyte's material on the master curve of the powder route it was fired with."""
    # kept per scenario object (frozen): every cathode kiln load asks, and finding the route's powder
    # step walked the whole route
    entry = _ROUTE_MATERIAL_BY_SCENARIO.get(id(scenario))
    if entry is not None and entry[0] is scenario:
        return entry[1]
    material = electrolyte_material(scenario)
    route = next((operation_for(step).electrolyte_powder_route(step) for step in scenario.route
                  if operation_for(step).electrolyte_powder_route(step) is not None), "flame_spray_nano")
    material = powder_routes.route_material(material, route)
    if len(_ROUTE_MATERIAL_BY_SCENARIO) >= 256:
        _ROUTE_MATERIAL_BY_SCENARIO.clear()
    _ROUTE_MATERIAL_BY_SCENARIO[id(scenario)] = (scenario, material)
    return material


_ROUTE_MATERIAL_BY_SCENARIO: dict[int, tuple] = {}


def _pressure_work(step: Sintering, material, profile: TemperatureProfile, offset, particle_m,
                   density_before) -> np.ndarray:
    """ln of the pressure-driven work of this firing per sheet (hot press, SPS or HIP).

    HIP gas pressure acts only on sheets whose pores are already closed (a pre-sintered layer); on an
    open-pored green tape the gas fills the pores and the firing is pressureless.
    """
    factor = pressure_sintering.pressure_geometry_factor(step.heating_mode, density_before)
    pressed = pressure_sintering.log_pressure_work(profile, material, step.applied_pressure_MPa * 1e6, factor,
                                                   temperature_offset_K=offset, particle_size_m=particle_m)
    if step.heating_mode == "hip":
        pressed = np.where(pressure_sintering.gas_pressure_acts(density_before), pressed, -np.inf)
    return pressed


def _refire_electrolyte(scenario: Scenario, state, idx, log_work: np.ndarray) -> None:
    """The sintered garnet electrolyte under a cathode firing densifies further (thickness shrinks).

    Its Li loss in these firings is neglected: the cathode covers one face and the setter the other.
    """
    if electrolyte_material(scenario).kind != "garnet":
        return
    material = _electrolyte_route_material(scenario)
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
    after = density_after_firing(state, positions, log_work, 0.0, material, fired_before=True)
    np.maximum(before, after, out=after)   # a fresh array
    # before may be a view of the density row: the thickness needs it before the density is written
    state["electrolyte_thickness_m"][positions] *= before / after
    state["relative_density"][positions] = after
    grains = state["grain_size_m"][positions]
    growth_factor = model_factor("grain_growth_rate", 1.0)
    missing = np.isnan(grains)
    numbers = garnet_numbers(material)
    if not missing.any():   # a fired electrolyte has its grains: no placeholder size, no mask
        state["grain_size_m"][positions] = grain_growth._grain_size_after_firing(
            log_work, grains, numbers.grain_growth_log_rate_constant, numbers.grain_growth_exponent, growth_factor)
    else:
        state["grain_size_m"][positions] = np.where(missing, grains, grain_growth.grain_size_after_firing_m(
            log_work, np.where(missing, 1e-7, grains), material, growth_rate_factor=growth_factor))
    if positions is not idx:
        update_electrolyte_transport(scenario, state, positions)
        return
    # every sheet was fired before, and its first firing wrote its phases (twin.electrolyte_firing): read
    # them back without the NaN checks of sheets no firing has reached (the same values, fewer passes)
    cubic, pyro = state["cubic_fraction"][idx], state["pyrochlore_fraction"][idx]
    tetragonal = np.subtract(1.0, cubic)
    tetragonal -= pyro
    np.maximum(tetragonal, 0.0, out=tetragonal)
    update_electrolyte_transport(scenario, state, idx, phases=(after, cubic, tetragonal, pyro),
                                 conductivity_factor=filled(state["conductivity_factor"][idx], 1.0))
