"""What a kiln load of a sintering step reads from its recipe alone: the thermal history, the layer's
route material and Arrhenius terms, the sintering aid's effects (private to the twin).

A plant fires the same recipe thousands of times: each of these is computed once per step object (the
scenario models are frozen) and kept, keyed by identity with the object stored beside it so that an id
is never reused while its entry lives. :mod:`twin.sheet_firing` applies them to the sheets.
"""

from __future__ import annotations

import functools
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from process_models import densification, li_loss, powder_routes
from process_models.firing_interruption import FiringHistory, uninterrupted_history
from process_models.temperature_profile import TemperatureProfile
from twin.capacity import recipe_profile, recipe_segments
from twin.scenario import Scenario
from twin.scenario.route import Sintering
from twin.sheet_layers import electrolyte_material


def firing_recipe(step: Sintering, hold_time_factor: float) -> FiringHistory:
    # Cached on the recipe's numbers: a plant fires the same recipe thousands of times. The step's
    # segment key is kept by the step's identity (building it read every segment of the profile per load).
    key = id(step)
    entry = _SEGMENTS_BY_STEP.get(key)
    if entry is None or entry[0] is not step:
        if len(_SEGMENTS_BY_STEP) >= 1024:
            _SEGMENTS_BY_STEP.clear()
        entry = _SEGMENTS_BY_STEP[key] = (step, recipe_segments(step))
    return _firing_recipe_cached(step.start_temperature_C, entry[1], step.cycles, float(hold_time_factor))


# id(step) -> (step, its recipe_segments); the stored step keeps the id from being reused while it lives
_SEGMENTS_BY_STEP: dict[int, tuple] = {}


@functools.lru_cache(maxsize=512)
def _firing_recipe_cached(start_temperature_C: float, segments: tuple, cycles: int,
                          hold_time_factor: float) -> FiringHistory:
    """The thermal history of a whole, uninterrupted firing: all sub-layer cycles, holds scaled."""
    profile = recipe_profile(start_temperature_C, segments)
    if hold_time_factor == 1.0 and cycles == 1:
        return uninterrupted_history(profile)
    time_s = np.asarray(profile.knot_time_s)
    temperature_K = np.asarray(profile.knot_temperature_K)
    # stretch only the holds (flat knots) by the factor
    dt = np.diff(time_s)
    flat = np.isclose(np.diff(temperature_K), 0.0)
    dt = np.where(flat, dt * hold_time_factor, dt)
    one_cycle_t = np.concatenate([[0.0], np.cumsum(dt)])
    one_cycle = TemperatureProfile(tuple(one_cycle_t), tuple(temperature_K))
    if cycles == 1:
        return uninterrupted_history(one_cycle)
    times = [one_cycle_t]
    temps = [temperature_K]
    for _ in range(1, cycles):
        times.append(times[-1][-1] + one_cycle_t[1:])
        temps.append(temperature_K[1:])
    # each further firing (sub-layer) repeats the recipe from where the previous one ended
    path = TemperatureProfile(tuple(np.concatenate(times)), tuple(np.concatenate(temps)))
    # a cycle that ends where it started is the same piece every time: its work and Li loss count n times
    # (one integral instead of n); otherwise the later cycles start elsewhere and the path is integrated
    same_cycles = temperature_K[0] == temperature_K[-1]
    return FiringHistory(path, ((float(cycles), one_cycle),) if same_cycles else ((1.0, path),))


class FiringConstants(NamedTuple):
    """What a kiln load of a step reads from its recipe and material alone (the same for every load)."""
    material: object                      # the layer's material on the step's powder route's master curve
    nominal_li_pfu: float | None
    arrhenius_terms: tuple | None         # (work of sintering, Li2O flux) terms of a garnet electrolyte firing
    route_conductivity_factor: float


def firing_constants(layer_material, step: Sintering) -> FiringConstants:
    """The step's :class:`FiringConstants`, kept per (step, layer material) object: every kiln load asked."""
    key = id(step)
    entry = _CONSTANTS_BY_STEP.get(key)
    if entry is not None and entry[0] is step and entry[1] is layer_material:
        return entry[2]
    material = powder_routes.route_material(layer_material, step.powder_route)
    nominal = material.get("nominal_li_pfu")
    terms = None
    if step.layer != "cathode" and nominal is not None:
        terms = (densification.work_of_sintering_arrhenius_term(material["msc_activation_energy_J_per_mol"]),
                 li_loss.li2o_flux_arrhenius_term(material))
    constants = FiringConstants(material, nominal, terms, powder_routes.route_conductivity_factor(step.powder_route))
    if len(_CONSTANTS_BY_STEP) >= 1024:
        _CONSTANTS_BY_STEP.clear()
    _CONSTANTS_BY_STEP[key] = (step, layer_material, constants)
    return constants


# id(step) -> (step, layer material, its FiringConstants); the stored step keeps the id from being reused
_CONSTANTS_BY_STEP: dict[int, tuple] = {}


def aid_effects(scenario: Scenario, step: Sintering, excess) -> dict:
    """``powder_routes.sintering_aid_effects`` of the step's aid: per sheet for the Li2O-Al2O3 liquid (its
    amount is each sheet's Li excess), else four scenario constants, kept per step object (every kiln
    load asked again)."""
    material = electrolyte_material(scenario)
    if step.sintering_aid == "li2o_al2o3_liquid":
        return powder_routes.sintering_aid_effects(step.sintering_aid, step.sintering_aid_wt_fraction,
                                                   0.0 if excess is None else excess, material)
    key = id(step)
    entry = _AID_BY_STEP.get(key)
    if entry is None or entry[0] is not step or entry[1] is not material:
        if len(_AID_BY_STEP) >= 1024:
            _AID_BY_STEP.clear()
        effects = powder_routes.sintering_aid_effects(step.sintering_aid, step.sintering_aid_wt_fraction, 0.0,
                                                      material)
        entry = _AID_BY_STEP[key] = (step, material, MappingProxyType(effects))
    return entry[2]


# id(step) -> (step, electrolyte material, its aid's effects); the stored step keeps the id from being reused
_AID_BY_STEP: dict[int, tuple] = {}
