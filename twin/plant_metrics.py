"""The plant figures every command reports, defined once: per day, availability, utilisation, OEE, bottleneck.

``evaluate`` (steady state, from nominal timings), ``simulate`` (measured in the discrete-event twin),
``optimise`` (which reports ``evaluate`` of the scenario it writes) and the HTTP API all compute these
figures through this module, so a figure of the same name means the same thing everywhere.

Time bases, for one station of ``machines`` identical machines:

* **scheduled time**: shift time of the calendar (``line.shifts``) x machines; in the twin a kiln firing
  that runs past the shift end adds its overrun (a kiln is not stopped mid-profile).
* **available time**: scheduled time minus breakdown repairs, planned maintenance and the setup at
  each shift start.
* **busy time**: time a machine works a unit, including the roll change or load/unload of that unit.
* **ideal time per sheet**: the unit's processing time at nominal speed over the sheets of a full unit
  (no roll change, load/unload, setup, breakdown, waiting, or partial kiln loads).

Definitions:

* ``availability`` = available time / scheduled time. Steady state: MTBF/(MTBF+MTTR) x
  (1 - maintenance h per week / 168) x (1 - setup / shift length).
* ``utilization`` = busy time / available time (1 = never starved, blocked or idle while up).
* ``performance`` = ideal time per sheet x sheets entering / available time: speed losses (roll change,
  load/unload, partial loads) and idle time (starved, blocked).
* ``quality`` = sheets leaving the station good / sheets entering it.
* ``oee`` = availability x performance x quality = good sheets out x ideal time per sheet / scheduled time.
* ``bottleneck`` = the station with the highest utilisation. In the steady state the line runs at the
  rate of the station with the least capacity relative to the sheets it must process (its utilisation
  is 1, every other station's is lower); in the twin it is the station busiest while it is up. Both
  read the same definition, so a long failure-free run of the twin names the steady state's bottleneck.
* **per day** = per calendar day = per year / 365, where per year = output per scheduled hour x the
  scheduled hours of a year (``line.shifts.hours_per_year``). A plant on 5 days a week still reports
  a seventh of its weekly output per day.
"""

from __future__ import annotations

import math

DAYS_PER_YEAR = 365.0
# Relative shortfall below which output counts as meeting the target: evaluate's yields come from a
# 3000-sheet sample (a 1 % scrap rate is known to +-0.2 %), so smaller gaps are sampling noise.
TARGET_TOLERANCE = 0.005


def per_calendar_day(per_year: float) -> float:
    """A yearly figure per calendar day (the one meaning of "per day" in every result)."""
    return per_year / DAYS_PER_YEAR


def station_figures(*, scheduled_s: float, available_s: float, busy_s: float, sheets_in: float,
                    sheets_good_out: float, ideal_time_per_sheet_s: float) -> dict[str, float]:
    """availability, utilization, performance, quality and oee of one station from its time totals.

    All times are machine-seconds over the same period (machines x time); ``sheets_in`` and
    ``sheets_good_out`` over that period. Both the steady state and the twin call this.
    """
    availability = available_s / scheduled_s if scheduled_s > 0 else 0.0
    utilization = busy_s / available_s if available_s > 0 else 0.0
    performance = ideal_time_per_sheet_s * sheets_in / available_s if available_s > 0 else 0.0
    quality = sheets_good_out / sheets_in if sheets_in > 0 else 1.0
    return {
        "availability": availability,
        "utilization": utilization,
        "performance": performance,
        "quality": quality,
        "oee": availability * performance * quality,
    }


def steady_station_figures(timing, machines: int, sheets_in_per_hour: float, step_yield: float) -> dict[str, float]:
    """The station figures of the steady state, per scheduled hour (``timing``: twin.capacity.StationTiming)."""
    scheduled_s = machines * 3600.0
    available_s = scheduled_s * timing.availability * timing.setup_factor
    busy_s = sheets_in_per_hour * (timing.unit_process_time_s + timing.unit_overhead_s) / timing.unit_sheets
    return station_figures(scheduled_s=scheduled_s, available_s=available_s, busy_s=busy_s,
                           sheets_in=sheets_in_per_hour, sheets_good_out=sheets_in_per_hour * step_yield,
                           ideal_time_per_sheet_s=timing.unit_process_time_s / timing.unit_sheets)


def bottleneck(utilization: dict[str, float]) -> str:
    """The station with the highest utilisation (the first in route order on a tie)."""
    finite = {name: (value if value is not None and math.isfinite(value) else math.inf)
              for name, value in utilization.items()}
    return max(finite, key=lambda name: finite[name])


def target_shortfall(gwh_per_year: float | None, target_gwh_per_year: float | None) -> dict:
    """Whether output misses the plant target, by how much, and the sentence every command prints.

    ``short`` is True when output is more than TARGET_TOLERANCE below target; ``gwh_per_year`` is the
    missing output (0 when the target is met) and ``fraction`` that as a share of the target.
    """
    if not target_gwh_per_year or target_gwh_per_year <= 0:
        return {"short": False, "gwh_per_year": 0.0, "fraction": 0.0, "target_gwh_per_year": target_gwh_per_year,
                "message": "no plant target set (plant.target_output_GWh_per_year)"}
    made = gwh_per_year if gwh_per_year is not None and math.isfinite(gwh_per_year) else 0.0
    missing = max(0.0, target_gwh_per_year - made)
    fraction = missing / target_gwh_per_year
    short = fraction > TARGET_TOLERANCE
    if short:
        message = (f"output {made:.4g} GWh/yr misses the plant target of {target_gwh_per_year:.4g} GWh/yr "
                   f"by {missing:.3g} GWh/yr ({fraction:.1%})")
    elif missing > 0.0:
        # below target but inside the tolerance: say so, or "0.1799 meets 0.18" reads as a contradiction
        message = (f"output {made:.4g} GWh/yr meets the plant target of {target_gwh_per_year:.4g} GWh/yr within "
                   f"its {TARGET_TOLERANCE:.1%} tolerance ({fraction:.2%} below it)")
    else:
        message = f"output {made:.4g} GWh/yr meets the plant target of {target_gwh_per_year:.4g} GWh/yr"
    return {"short": short, "gwh_per_year": missing if short else 0.0, "fraction": fraction if short else 0.0,
            "target_gwh_per_year": target_gwh_per_year, "message": message}


__all__ = ["DAYS_PER_YEAR", "TARGET_TOLERANCE", "bottleneck", "per_calendar_day", "station_figures",
           "steady_station_figures", "target_shortfall"]
