"""What the zone air's moisture cost a sulphide electrolyte: the figures and the sentence under a result.

A sulphide (argyrodite) hydrolyses in moist air and loses conductivity (process_models.atmosphere_exposure,
booked per sheet by twin.sheet_exposure). A dew point a few degrees too wet can scrap most of the output
at the electrolyte's ASR or conductivity check while every figure the user reads names only the check;
this module reads the per-sheet state the physics left (``moisture_conductivity_retention``,
``moisture_dose_Pa_s``) and says how much conductivity the air took, where the dose came from and what to
change. No new physics: only the state, the zones' dew points and the mean waits the evaluation draws.
"""

from __future__ import annotations

import numpy as np

from twin.scenario import Scenario

CONDUCTIVITY_CAUSES = ("high_electrolyte_asr", "low_conductivity")
"""The scrap causes a lower electrolyte conductivity drives."""
RETENTION_WORTH_SAYING = 0.95
"""assumption: a mean loss under 5 % of the conductivity is within the spread of the layer itself; no note."""


def moisture_loss(scenario: Scenario, state: dict[str, np.ndarray], scrap_by_cause: dict[str, float]) -> dict | None:
    """``{mean_retention, p5_retention, sheets_exposed, mean_dose_Pa_s, conductivity_scrap_share, zones,
    longest_wait}`` for a sulphide line whose sheets lost conductivity to moisture; None otherwise.

    ``zones``: per zone of the open-face window (twin.sheet_exposure.exposure_window), its dew point [C],
    water pressure [Pa], the steps in it and their mean scheduled wait [h] (twin.sheet_exposure.
    steady_line_times_s: the calendar's nights and holidays come on top). ``longest_wait``: the step whose
    wait (its buffer and its own hold) is the longest, and that wait [h].
    """
    from twin.sheet_exposure import exposure_window, steady_line_times_s, zone_water_pressure_Pa
    from twin.sheet_layers import electrolyte_material

    retention = state.get("moisture_conductivity_retention")
    if retention is None or electrolyte_material(scenario).kind != "sulphide":
        return None
    exposed = np.isfinite(retention)
    if not exposed.any():
        return None
    kept = retention[exposed]
    start, stop = exposure_window(scenario)
    times = np.asarray(steady_line_times_s(scenario))
    zones: dict[str, dict] = {}
    longest = (None, 0.0)
    for k in range(start + 1, min(stop, len(scenario.route) - 1) + 1):
        name = scenario.route[k].name
        zone = scenario.line.stations[name].zone
        wait_h = float(times[k] - times[k - 1]) / 3600.0
        block = zones.setdefault(zone, {"zone": zone, "dew_point_C": _dew_point_C(scenario, zone),
                                        "water_pressure_Pa": zone_water_pressure_Pa(scenario, name),
                                        "steps": [], "mean_wait_h": 0.0})
        block["steps"].append(name)
        block["mean_wait_h"] += wait_h
        if wait_h > longest[1]:
            longest = (name, wait_h)
    dose = state["moisture_dose_Pa_s"][exposed]
    dose = dose[np.isfinite(dose)]
    return {
        "mean_retention": float(kept.mean()),
        "p5_retention": float(np.percentile(kept, 5)),
        "sheets_exposed": int(kept.size),
        "mean_dose_Pa_s": float(dose.mean()) if dose.size else None,
        "conductivity_scrap_share": float(sum(scrap_by_cause.get(cause, 0.0) for cause in CONDUCTIVITY_CAUSES)),
        "zones": list(zones.values()),
        "longest_wait": {"step": longest[0], "mean_wait_h": longest[1]} if longest[0] else None,
    }


def _dew_point_C(scenario: Scenario, zone: str) -> float:
    zones = scenario.line.zones
    if zone == "dry_room" and zones.dry_room is not None:
        return float(zones.dry_room.dew_point_C)
    return float(zones.inert_dew_point_C if zone == "inert" else zones.ambient_dew_point_C)


def moisture_sentence(loss: dict | None) -> str | None:
    """The sentence for :func:`moisture_loss`: only when the air took a noticeable share of the sulphide's
    conductivity and the checks scrapped sheets on ASR or conductivity."""
    if not loss or loss["mean_retention"] >= RETENTION_WORTH_SAYING or loss["conductivity_scrap_share"] <= 0.0:
        return None
    zones = "; ".join(f"{z['zone']} (dew point {z['dew_point_C']:g} C, {z['water_pressure_Pa']:.3g} Pa water) "
                      f"{z['mean_wait_h']:,.1f} h mean wait over {', '.join(z['steps'])}" for z in loss["zones"])
    longest = loss.get("longest_wait")
    longest_text = (f"; the longest: {longest['step']} (its buffer and its hold, {longest['mean_wait_h']:,.1f} h)"
                    if longest else "")
    dose = loss.get("mean_dose_Pa_s")
    dose_text = f" (mean dose {dose:,.0f} Pa s, nights and holidays included)" if dose is not None else ""
    return (f"Moisture: the sulphide electrolyte kept {loss['mean_retention'] * 100:.1f} % of its conductivity on "
            f"average ({loss['p5_retention'] * 100:.1f} % for the worst 5 %) after hydrolysis in the zone air"
            f"{dose_text}; {loss['conductivity_scrap_share'] * 100:.1f} % of the sheets started were scrapped on "
            f"electrolyte ASR or conductivity. The dose comes from the open-face waits: {zones}{longest_text}. "
            "Dry the room (line.zones.dry_room.dew_point_C lower), put those stations in the inert zone "
            "(line.stations.<step>.zone: inert), or shorten the waits (smaller buffers before them).")


__all__ = ["CONDUCTIVITY_CAUSES", "moisture_loss", "moisture_sentence"]
