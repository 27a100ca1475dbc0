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


def moisture_loss(scenario: Scenario, state: dict[str, np.ndarray], scrap_by_cause: dict[str, float],
                  checks: dict | None = None) -> dict | None:
    """``{mean_retention, p5_retention, sheets_exposed, mean_dose_Pa_s, conductivity_scrap_share, zones,
    longest_wait, at_check}`` for a sulphide line whose sheets lost conductivity to moisture; None otherwise.

    ``zones``: per zone of the open-face window (twin.sheet_exposure.exposure_window), its dew point [C],
    water pressure [Pa], the steps in it and their mean scheduled wait [h] (twin.sheet_exposure.
    steady_line_times_s: the calendar's nights and holidays come on top). ``longest_wait``: the step whose
    wait (its buffer and its own hold) is the longest, and that wait [h]. ``at_check``: the first check in
    ``checks`` (the result's ``quality_at_check``) that found the electrolyte's ASR or conductivity out of
    spec: ``{check, key, p50, mean, limit, out_of_spec_fraction, specs}`` (None if none); its shares are the
    ones the sentence gives (the check's own: sheets it measured). ``conductivity_scrap_share``: the pieces
    started lost to those causes at any check (``yield.scrap_by_cause``'s unit), which decides whether to speak.
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
        "at_check": _failing_check(checks or {}),
    }


def _failing_check(checks: dict) -> dict | None:
    """The first check that found the electrolyte's ASR or conductivity out of spec: the first such spec's
    figures at top level, every such spec of the check under ``specs`` (each with its own
    ``out_of_spec_fraction``: the share of the sheets the check measured, as its spec line gives it)."""
    for check, block in checks.items():
        specs = []
        for key in ("electrolyte_asr_ohm_cm2", "ionic_conductivity_S_per_cm"):
            figures = block.get(key)
            if figures and figures.get("out_of_spec_fraction") and figures.get("p50") is not None:
                specs.append({"key": key, "p50": figures["p50"], "mean": figures["mean"], "limit": figures["limit"],
                              "out_of_spec_fraction": figures["out_of_spec_fraction"]})
        if specs:
            return {"check": check, **specs[0], "specs": specs}
    return None


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
            f"{dose_text}; {_check_text(loss.get('at_check'))}. "
            f"The dose comes from the open-face waits: {zones}{longest_text}. "
            "Dry the room (line.zones.dry_room.dew_point_C lower), put those stations in the inert zone "
            "(line.stations.<step>.zone: inert), or shorten the waits (smaller buffers before them).")


def _check_text(at_check: dict | None) -> str:
    """What the check found, in its own figures: the share of the sheets it measured out of spec on each of the
    electrolyte's ASR and conductivity (its quality_at_check lines), with the median (the mean of a wet line's
    ASR is a tail of a few near-insulating sheets). Without a check's figures: that sheets were scrapped."""
    if not at_check:
        return "the checks scrapped sheets on electrolyte ASR or conductivity"
    found = []
    for spec in at_check.get("specs") or [at_check]:
        if spec["key"] == "electrolyte_asr_ohm_cm2":
            figure = (f"electrolyte ASR (median {spec['p50']:,.3g} ohm cm2 against a limit of "
                      f"{spec['limit']:g})")
        else:
            figure = (f"conductivity (median {spec['p50'] * 1e3:,.3g} mS/cm against a limit of "
                      f"{spec['limit'] * 1e3:g})")
        found.append(f"{spec['out_of_spec_fraction'] * 100:.1f} % on {figure}")
    return (f"of the sheets {at_check['check']} measured, " + " and ".join(found).replace(" % on ", " % were out of "
                                                                                        "spec on ", 1)
            + ", and it scraps each one it finds (a sheet may fail both)")


__all__ = ["CONDUCTIVITY_CAUSES", "moisture_loss", "moisture_sentence"]
