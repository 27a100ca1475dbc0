"""The garnet electrolyte through a firing, fused per kiln load: master curve, Li loss, Li balance, phases,
grains and transport in one chain of in-place passes (private to the twin; :mod:`twin.sheet_firing` calls it).

Every formula is the ``process_models`` function's own private core (``densification._master_curve``,
``li_loss._li_lost_pfu``, ``_li_balance``, ``_garnet_phases``, ``grain_growth._grain_size_after_firing``,
``tape_casting._sintered_thickness``), called here on the unit's arrays with the material's numbers read
once per material instead of once per call, without the public functions' argument checks (a plant runs
inside ``trusted_inputs``; the scenario was validated at load), without the results a kiln load does not
keep (the balance's requested loss and capped flag), and under one ``np.errstate``.
``tests/twin/test_fused_electrolyte_firing.py`` bounds it against the public functions chained as before.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from process_models import grain_growth, li_loss, tape_casting
from process_models._log_sums import log_add_exp
from process_models.densification import _master_curve
from twin.model_uncertainty import model_factor
from twin.sheet_layers import update_electrolyte_transport


class GarnetNumbers(NamedTuple):
    """A garnet's parameters the firing reads on every kiln load (``MaterialParameters`` lookups cost ~0.3 us)."""
    log_theta_half: float
    log_theta_width: float
    final_relative_density: float
    log_flux_prefactor: float | None        # None for a material without the Li2O chemistry (cathode firings)
    formula_units_per_m3: float | None
    pyrochlore_onset_li_pfu: float | None
    tetragonal_onset_li_pfu: float | None
    tetragonal_complete_li_pfu: float | None
    grain_growth_log_rate_constant: float | None
    grain_growth_exponent: float | None


def garnet_numbers(material) -> GarnetNumbers:
    """The material's :class:`GarnetNumbers`, kept by identity (materials are loaded once and frozen)."""
    entry = _NUMBERS_BY_MATERIAL.get(id(material))
    if entry is not None and entry[0] is material:
        return entry[1]
    garnet = material.kind == "garnet"

    def get(key):
        return material[key] if key in material else None

    numbers = GarnetNumbers(
        material["msc_log_theta_half"], material["msc_log_theta_width"], material["msc_final_relative_density"],
        li_loss._log_flux_prefactor(material) if garnet and "li2o_vapour_pressure_prefactor_Pa" in material else None,
        li_loss._formula_units_per_m3(material) if "theoretical_density_kg_per_m3" in material else None,
        get("pyrochlore_onset_li_pfu"), get("tetragonal_onset_li_pfu"), get("tetragonal_complete_li_pfu"),
        get("grain_growth_log_rate_constant"), get("grain_growth_exponent"))
    if len(_NUMBERS_BY_MATERIAL) >= 256:
        _NUMBERS_BY_MATERIAL.clear()
    _NUMBERS_BY_MATERIAL[id(material)] = (material, numbers)
    return numbers


# id(material) -> (material, its GarnetNumbers); the stored material keeps the id from being reused
_NUMBERS_BY_MATERIAL: dict[int, tuple] = {}


def density_after_firing(state, idx, log_work, shift, material, pressed=None, fired_before=None) -> np.ndarray:
    """Relative density of the electrolyte after one more firing, continuing on its master curve.

    Work of sintering adds along the thermal path (Su & Johnson 1996), so a layer fired again (the
    electrolyte under the cathode's sub-layer pulses, roadmap 2020 §14.3) continues from the ln Theta it
    already received; the particle-size shift of its first firing stays with it. ``log_work`` is this
    firing's ln Theta, ``shift`` the shift of sheets fired for the first time, ``pressed`` this firing's
    pressure-driven work (hot press / SPS / HIP; None when pressureless), which adds to the free work.
    ``fired_before``: True when the caller knows every sheet of ``idx`` was fired before (saves the mask).
    """
    previous = state["electrolyte_log_theta"][idx]
    if fired_before is True:
        none_fired, all_fired = False, True
    else:
        fired_before = np.isfinite(previous)
        fired_count = np.count_nonzero(fired_before)
        none_fired, all_fired = fired_count == 0, fired_count == fired_before.size
    if none_fired:  # a first firing (the electrolyte kiln)
        total = log_work + shift
        green = state["relative_density"][idx]
        state["electrolyte_green_relative_density"][idx] = green
        state["electrolyte_log_theta_shift"][idx] = shift
    elif all_fired:  # every sheet fired before (the cathode firings over it)
        total = log_add_exp(previous, log_work + state["electrolyte_log_theta_shift"][idx])
        green = state["electrolyte_green_relative_density"][idx]
    else:
        shift = np.where(fired_before, state["electrolyte_log_theta_shift"][idx], shift)
        added = log_work + shift
        total = np.where(fired_before, log_add_exp(np.nan_to_num(previous, nan=-np.inf), added), added)
        # the master curve starts from the density the layer had when it was first fired
        green = np.where(fired_before, state["electrolyte_green_relative_density"][idx],
                         state["relative_density"][idx])
        state["electrolyte_green_relative_density"][idx] = green
        state["electrolyte_log_theta_shift"][idx] = shift
    if pressed is not None:
        total = log_add_exp(total, pressed)
    numbers = garnet_numbers(material)
    density = _master_curve(total, green, numbers.log_theta_half, numbers.log_theta_width,
                            numbers.final_relative_density)
    state["electrolyte_log_theta"][idx] = total
    return density


def fired_garnet_layer(scenario, state, idx, density, green, material, lost_of, li_start, li_added,
                       log_work, particle_m, conductivity_factor) -> None:
    """Write what a garnet electrolyte firing leaves on each sheet: thickness, Li, phases, grains, transport.

    ``density``: the fired relative density (:func:`density_after_firing`), ``green`` the density before;
    ``lost_of(thickness)`` the Li the flux takes from a layer of that fired thickness [pfu] (a fresh array);
    ``li_start`` the Li of the composition before the excess [pfu], ``li_added`` the excess and the aid's Li
    [pfu]; ``log_work`` this firing's ln Theta and ``particle_m`` the grains' start for a green layer.
    """
    numbers = garnet_numbers(material)
    thickness = tape_casting._sintered_thickness(state["electrolyte_thickness_m"][idx], green, density)
    lost = lost_of(thickness)
    # the balance closes on the spent loss array: volatilised = min(requested, Li in), retained = in - volatilised
    spent = lost if isinstance(lost, np.ndarray) and lost.shape == np.shape(density) else None
    li_in, volatilised, retained = li_loss._li_balance(li_start, li_added, lost, volatilised_out=spent)
    cubic, tetragonal, pyro = li_loss._garnet_phases(
        np.asarray(retained, dtype=float), numbers.pyrochlore_onset_li_pfu, numbers.tetragonal_onset_li_pfu,
        numbers.tetragonal_complete_li_pfu)
    state["relative_density"][idx] = density
    state["electrolyte_thickness_m"][idx] = thickness
    state["li_content_pfu"][idx] = retained
    # the share lost, volatilised / Li in, into the volatilised array (read by nothing else)
    state["li_loss_fraction"][idx] = np.divide(volatilised, li_in, out=spent)
    state["cubic_fraction"][idx] = cubic
    state["pyrochlore_fraction"][idx] = pyro
    _grow_grains(state, idx, log_work, particle_m, numbers)
    state["conductivity_factor"][idx] = conductivity_factor
    update_electrolyte_transport(scenario, state, idx, phases=(density, cubic, tetragonal, pyro),
                                 conductivity_factor=conductivity_factor)


def _grow_grains(state, idx, log_work, particle_m, numbers: GarnetNumbers) -> None:
    """Parabolic grain growth over this firing; a green layer starts from its powder size."""
    before = state["grain_size_m"][idx]
    missing = np.isnan(before)
    # a kiln load is usually all green (no grains yet) or all fired: no per-sheet choice then
    all_green = missing.all() and np.shape(particle_m) == before.shape
    start = particle_m if all_green else np.where(missing, particle_m, before)
    state["grain_size_m"][idx] = grain_growth._grain_size_after_firing(
        log_work, start, numbers.grain_growth_log_rate_constant, numbers.grain_growth_exponent,
        model_factor("grain_growth_rate", 1.0))
