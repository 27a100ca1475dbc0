"""What a dry room's floor costs to build on top of the hall, at its dew point [USD per m2 of dry-room floor].

A drier room needs a hotter regeneration (process_models.dry_room.regeneration_temperature_K): a larger heater
and reactivation path on the desiccant rotor, and below about -50 C a second rotor stage (one rotor to -50 C
already needs 150-180 C reactivation, Cotes). The premium is split in two:

- the envelope (vapour barrier, sealed walls and ceiling, airlocks, welded ducts): the reference premium
  less the dehumidification plant, held at its reference value (no published figure of envelope cost
  against dew point was found: docs/calibration/dry_room_cost.md);
- the desiccant dehumidification plant, BatPaC V5's 7.3 M USD for 61,000 m2 of dry-room floor, taken as a
  -40 C room (Argonne's dry-room study for that plant: < 100 ppm, Ahmed et al. 2016), scaled by the
  regeneration energy per kg of water the room's dew point needs
  relative to -40 C with 10 C outdoor air (the plant is sized by its regeneration duty; an upper estimate
  for the heater alone, a stand-in for the extra rotor stage below -50 C).

    premium(T_d) = P_ref + P_plant (e_w(T_d, T_out) / e_w(-40 C, 10 C) - 1)

The user's own ``costs.building.dry_room_premium_usd_per_m2`` replaces the law at any dew point.
"""

from __future__ import annotations

from functools import lru_cache

from process_models.dry_room import (
    REFERENCE_OUTDOOR_DEW_POINT_K,
    REFERENCE_ROOM_DEW_POINT_K,
    regeneration_J_per_kg_water,
)
from twin.scenario import Scenario
from twin.scenario.costs import Building
from twin.scenario.line import DryRoom


def regeneration_duty_ratio(dry_room: DryRoom) -> float:
    """Regeneration energy per kg of water at the room's dew point over that at -40 C with 10 C outdoor air [-].

    Exactly 1.0 at the reference (process_models.dry_room.regeneration_J_per_kg_water returns its anchor there).
    """
    return _duty_ratio(float(dry_room.dew_point_C), float(dry_room.outdoor_dew_point_C),
                       float(dry_room.regeneration_MJ_per_kg_water))


# every station's building cost asks for it (the optimiser once per recipe pattern): ~0.3 ms of numpy
# range checks each time for the same three numbers
@lru_cache(maxsize=64)  # assumption: a few rooms at once (a dew-point sweep is a few dozen)
def _duty_ratio(dew_point_C: float, outdoor_dew_point_C: float, regeneration_MJ_per_kg_water: float) -> float:
    reference_J = regeneration_MJ_per_kg_water * 1e6
    # e_w is anchored at reference_J at -40 C room / 10 C outdoor air (REFERENCE_*_DEW_POINT_K)
    room = regeneration_J_per_kg_water(dew_point_C + 273.15, outdoor_dew_point_C + 273.15,
                                       reference_J, REFERENCE_ROOM_DEW_POINT_K, REFERENCE_OUTDOOR_DEW_POINT_K)
    return float(room) / reference_J


def premium_at_dew_point_usd_per_m2(building: Building, dry_room: DryRoom) -> float:
    """Dry-room premium per m2 of floor from the dew-point law (module docstring) [USD/m2]."""
    plant = building.dry_room_dehumidifier_usd_per_m2
    # P_ref + P_plant (ratio - 1): exactly P_ref at -40 C, so the -40 C lines keep their figure to the last bit
    return building.dry_room_reference_premium_usd_per_m2 + plant * (regeneration_duty_ratio(dry_room) - 1.0)


def dry_room_premium_usd_per_m2(scenario: Scenario) -> float:
    """The premium a dry-room station's floor pays [USD/m2]: the user's figure when given, else the dew-point law.

    A scenario without a dry room (``line.zones.dry_room`` left out) but with dry-room stations pays the
    reference premium: there is no dew point to price.
    """
    building = scenario.costs.building
    if building.dry_room_premium_usd_per_m2 is not None:
        return building.dry_room_premium_usd_per_m2
    dry_room = scenario.line.zones.dry_room
    if dry_room is None:
        return building.dry_room_reference_premium_usd_per_m2
    return premium_at_dew_point_usd_per_m2(building, dry_room)


def premium_source(scenario: Scenario) -> str:
    """One line saying where the dry-room premium came from, for reports."""
    building = scenario.costs.building
    if building.dry_room_premium_usd_per_m2 is not None:
        return f"{building.dry_room_premium_usd_per_m2:,.0f} USD/m2 given by the scenario"
    dry_room = scenario.line.zones.dry_room
    if dry_room is None:
        return f"{building.dry_room_reference_premium_usd_per_m2:,.0f} USD/m2 (reference, no dry room described)"
    return (f"{dry_room_premium_usd_per_m2(scenario):,.0f} USD/m2 at {dry_room.dew_point_C:g} C: envelope "
            f"{building.dry_room_reference_premium_usd_per_m2 - building.dry_room_dehumidifier_usd_per_m2:,.0f}"
            f" + dehumidification plant {building.dry_room_dehumidifier_usd_per_m2:,.0f} x "
            f"{regeneration_duty_ratio(dry_room):.3f} (regeneration duty against -40 C)")


__all__ = [
    "dry_room_premium_usd_per_m2",
    "premium_at_dew_point_usd_per_m2",
    "premium_source",
    "regeneration_duty_ratio",
]
