"""A kiln breakdown mid-firing: the load's history, the plant's policy, the extra time and energy.

The plant model (``twin.des``) reports each breakdown that stops a batch firing as a record
(time into the load's history, repair time). :func:`firing_history` folds the records into the
thermal history the load really saw (``process_models.firing_interruption``): the firing physics
(``twin.sheet_firing``) integrates the work of sintering and the Li2O loss over its pieces, the plant
takes the kiln's time and energy from its path. The station's ``on_interrupted_firing``
says what the plant does with such a load: ``resume`` (re-heat and finish the profile), ``refire`` (run
the whole profile again from the cooled state) or ``scrap`` (unload it; cause "interrupted_firing").
"""

from __future__ import annotations

from typing import NamedTuple

from process_models.firing_interruption import (
    FiringHistory,
    furnace_cooling_time_constant_s,
    interrupted_firing_history,
)
from process_models.furnace_energy import furnace_energy_J
from process_models.temperature_profile import TemperatureProfile
from twin.scenario import Scenario
from twin.scenario.machine_sizes import installed_station
from twin.scenario.route import Sintering

# Key of the per-unit conditions that carries the unit's interruption records (the plant sets it).
FIRING_INTERRUPTIONS = "firing_interruptions"
# Cooling time constant of a kiln without a furnace block (rapid/belt kilns with little lining).
# Assumption: 2 h, a light lab or rapid kiln that cools from 1000 C to ~400 C in about 2 h.
DEFAULT_COOLING_TIME_CONSTANT_S = 2 * 3600.0
AMBIENT_K = 298.15


class Interruption(NamedTuple):
    time_into_history_s: float   # time into the load's history (nominal profile + earlier stops) [s]
    downtime_s: float            # heaters off while the kiln is repaired [s]


def interruption_policy(scenario: Scenario, step: Sintering) -> str:
    return scenario.line.stations[step.name].on_interrupted_firing


def cooling_time_constant_s(scenario: Scenario, step: Sintering) -> float:
    furnace = scenario.line.stations[step.name].furnace
    if furnace is None:
        return DEFAULT_COOLING_TIME_CONSTANT_S
    return furnace_cooling_time_constant_s(furnace.thermal_mass_kJ_per_K * 1e3, furnace.heat_loss_kW_at_1000C * 1e3,
                                           AMBIENT_K)


def firing_history(scenario: Scenario, step: Sintering, recipe: TemperatureProfile,
                   interruptions, recipe_pieces=None) -> FiringHistory:
    """The thermal history of a load whose firing of ``recipe`` the ``interruptions`` stopped.

    Every record is composed onto the recipe as programmed (a refire runs the recipe again, never the
    history so far); a stop after the (scatter-shortened) recipe ended leaves the load as it was.
    ``recipe_pieces``: how the whole recipe is counted (its sub-layer cycles), as for an uninterrupted load.
    """
    return interrupted_firing_history(recipe, [(record.time_into_history_s, record.downtime_s)
                                               for record in interruptions],
                                      cooling_time_constant_s(scenario, step), interruption_policy(scenario, step),
                                      AMBIENT_K, recipe_pieces=recipe_pieces)


class KilnInterruptions:
    """The plant's side of one batch kiln: turns a breakdown into a record and the work left to do."""

    def __init__(self, scenario: Scenario, step: Sintering, nominal_profile: TemperatureProfile,
                 unit_overhead_s: float):
        self.scenario = scenario
        self.step = step
        self.profile = nominal_profile
        self.policy = interruption_policy(scenario, step)
        # load/unload time is split evenly before and after the firing (assumption)
        self.load_s = unit_overhead_s / 2.0
        station = installed_station(scenario, step.name)   # a bigger kiln: its furnace and power scaled
        self.furnace = station.furnace
        self.power_kW = station.power_kW

    def interrupted(self, worked_s: float, downtime_s: float, records: list[Interruption]):
        """A breakdown after ``worked_s`` of busy time on the unit, repaired in ``downtime_s``.

        Returns (record, busy seconds left on the unit), or None if the stop was not mid-firing.
        """
        history = firing_history(self.scenario, self.step, self.profile, records).path
        t = worked_s - self.load_s + sum(record.downtime_s for record in records)
        if not 0.0 < t < history.duration_s:
            return None  # loading or unloading: the firing is not touched
        record = Interruption(t, downtime_s)
        if self.policy == "scrap":
            return record, self.load_s  # unload the spoiled load
        after = firing_history(self.scenario, self.step, self.profile, [*records, record]).path
        return record, after.duration_s - (t + downtime_s) + self.load_s

    def extra_energy_kWh(self, records: list[Interruption]) -> float:
        """Energy the interrupted firing drew beyond the nominal one (heaters off during repairs)."""
        history = firing_history(self.scenario, self.step, self.profile, records).path
        if self.furnace is None:
            busy_s = history.duration_s - sum(record.downtime_s for record in records)
            return self.power_kW * (busy_s - self.profile.duration_s) / 3600.0
        furnace = self.furnace

        def energy_J(profile, thermal_mass_J_per_K):
            return float(furnace_energy_J(profile, thermal_mass_J_per_K, furnace.heat_loss_kW_at_1000C * 1e3,
                                          furnace.heating_efficiency, AMBIENT_K))

        capacity = furnace.thermal_mass_kJ_per_K * 1e3
        total = energy_J(history, capacity) - energy_J(self.profile, capacity)
        # the walls lose heat during a repair too, but from stored heat, not from the heaters
        times = history.knot_time_s
        for record in records:
            start, end = record.time_into_history_s, record.time_into_history_s + record.downtime_s
            knots = [i for i, time in enumerate(times) if start - 1e-9 <= time <= end + 1e-9]
            if len(knots) >= 2 and record.downtime_s > 0:
                cooling = TemperatureProfile(tuple(times[i] - times[knots[0]] for i in knots),
                                             tuple(history.knot_temperature_K[i] for i in knots))
                total -= energy_J(cooling, 0.0)
        return total / 3.6e6


__all__ = ["FIRING_INTERRUPTIONS", "Interruption", "KilnInterruptions", "cooling_time_constant_s",
           "firing_history", "interruption_policy"]
