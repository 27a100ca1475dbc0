"""What separates the steady-state evaluation from the plant twin, in the sentences both commands print.

Both read the same physics, yields, station timings and bottleneck definition (twin.plant_metrics: the
station with the highest utilisation); they differ in what they are:

* ``evaluate``'s throughput is the line's **steady capacity**: the least station capacity after breakdowns
  (MTBF/MTTR), planned maintenance and shift setup, on the calendar's scheduled hours, times the yield.
  It leaves out the **flow losses** the plant (``simulate``) measures: stations starved or blocked by
  their neighbours where two of them are near-balanced and the buffer between them is finite (a kiln
  delivering 2,000-sheet loads against a sprayer working sheet by sheet), and the line's restart after
  each stop. Measured on the library (flow = good-output ratio / yield ratio, simulate against evaluate,
  seed 1): oxide_baseline -0.4 % over 10 days holding a holiday, +0.2 % over 29 days (3 replications);
  gigafactory -0.5 % over 29 days (3 replications). With near-balanced stations the plant may also name
  another of them its bottleneck (it is busiest while up), so evaluate names them.
* ``simulate`` measures a window of days: the stops of the shift calendar that fall in it (a plant
  holiday every ~15 days on a 7-day week) weigh as they fall, not as the year's average. A sheet that
  waits over a stop waits its length (twin.sheet_exposure): a 10-day window holding one holiday scraps
  ~1.5 times the year's share of ``high_interface_asr`` on an oxide line.
"""

from __future__ import annotations

import math

from twin.no_output import counted
from twin.plant_metrics import TARGET_TOLERANCE

# Utilisation within which another station counts as near-balanced with the bottleneck (assumption: at
# 2 points below the bottleneck, oxide_baseline's cathode_spray (99 % next to the kilns' 100 %) is the
# plant's bottleneck 83 % of the time, simulate 10 d seed 1; a station 10 points lower never is).
NEAR_BALANCED_UTILISATION = 0.02
# A target met by less than this share may be missed by the flow (assumption: twice the flow losses
# measured on the library, up to 0.5 %, module docstring).
FLOW_LOSS_MARGIN = 0.01
HOURS_PER_YEAR = 8760.0

CAPACITY_BASIS = ("steady capacity: the bottleneck's rate after breakdowns, maintenance and setup, on the "
                  "calendar's scheduled hours, x yield; before flow losses (starving, blocking, restarts), "
                  "which simulate measures")


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def near_bottlenecks(stations: dict[str, dict], bottleneck: str) -> dict[str, float]:
    """Stations other than ``bottleneck`` whose utilisation is within NEAR_BALANCED_UTILISATION of it."""
    top = (stations.get(bottleneck) or {}).get("utilization")
    if not _finite(top):
        return {}
    return {name: station["utilization"] for name, station in stations.items()
            if name != bottleneck and _finite(station.get("utilization"))
            and station["utilization"] >= top - NEAR_BALANCED_UTILISATION}


def capacity_sentence(result: dict) -> str | None:
    """evaluate: its throughput is capacity before flow losses, said when that can flip the target verdict
    or the bottleneck's name in the plant (near-balanced stations, or a target met or missed narrowly)."""
    throughput = result.get("throughput") or {}
    gwh, target = throughput.get("gwh_per_year"), throughput.get("target_gwh_per_year")
    if throughput.get("basis") != CAPACITY_BASIS or not _finite(gwh) or gwh <= 0:
        return None
    near = result.get("near_bottlenecks") or {}
    margin = gwh / target - 1.0 if _finite(target) and target > 0 else None
    narrow = margin is not None and abs(margin) < FLOW_LOSS_MARGIN
    if not near and not narrow:
        return None
    bottleneck = result.get("bottleneck")
    sentence = (f"Capacity, not flow: {gwh:.4g} GWh/yr is the line's steady capacity at its bottleneck "
                f"{bottleneck} (breakdowns, maintenance and setup included), before the flow losses "
                "(starving, blocking, restarts after stops) that ssb-twin simulate measures (up to ~0.5 % on "
                "the library lines)")
    if near:
        top = ((result.get("stations") or {}).get(bottleneck) or {}).get("utilization", 1.0)
        names = ", ".join(f"{name} ({value:.1%})" for name, value in near.items())
        sentence += (f"; near-balanced with it ({top:.1%} utilised): {names}, so the plant loses output "
                     "between them and may name one of them its bottleneck")
    if narrow:
        short = bool((throughput.get("target_shortfall") or {}).get("short"))
        side = "above" if margin >= 0 else "below"
        within = "" if short or margin >= 0 else f", within the {TARGET_TOLERANCE:.1%} tolerance"
        # two significant figures below 0.1 %: "0.0% below the target" read as on the target
        size = f"{abs(margin):.1%}" if abs(margin) >= 0.001 else f"{abs(margin) * 100:.2g}%"
        sentence += (f"; the target verdict ({'missed' if short else 'met'}) rests on {size} {side} "
                     f"the target{within}, less than {FLOW_LOSS_MARGIN:.0%}: simulate may read the other way")
    return sentence + "."


def calendar_stops_h(result: dict) -> tuple[float, float] | None:
    """simulate: (hours of calendar stops in its measured days, what the year's average gives them)."""
    measured = result.get("measured") or {}
    days, scheduled_h = measured.get("days"), measured.get("scheduled_hours")
    hours_per_year = (result.get("throughput") or {}).get("operating_hours_per_year")
    if not (_finite(days) and _finite(scheduled_h) and _finite(hours_per_year)) or days <= 0:
        return None
    return days * 24.0 - scheduled_h, days * 24.0 * (1.0 - hours_per_year / HOURS_PER_YEAR)


def calendar_sentence(result: dict, air_exposed: bool = True) -> str | None:
    """simulate: the stops in its window against the year's average, when they differ by an hour or more.

    ``air_exposed``: the route has a window in which the electrolyte's open face meets the zone air
    (``twin.sheet_exposure.exposure_window``); thin-film and liquid-electrolyte routes have none, so a
    sheet waiting over a stop takes up no air on them.
    """
    stops = calendar_stops_h(result)
    if stops is None or abs(stops[0] - stops[1]) < 1.0:
        return None
    held, average = stops
    more = "more" if held > average else "less"
    days = (result.get("measured") or {})["days"]
    waiting = "sheets waiting over a stop (air before lamination)" if air_exposed else "sheets waiting over a stop"
    return (f"Calendar window: the {counted(days, 'measured day')} held {held:,.0f} h of shift-calendar stops "
            f"where the year averages {average:,.1f} h: {waiting} and restarts weigh {more} than in the year's "
            "figure evaluate gives.")


def twin_difference_sentence(steady: dict, twin: dict) -> str | None:
    """report: how far the twin's output is from the steady state's, split into yield and flow, and why."""
    s_cells = (steady.get("throughput") or {}).get("good_cells_per_day")
    t_cells = (twin.get("throughput") or {}).get("good_cells_per_day")
    s_yield = (steady.get("yield") or {}).get("overall")
    t_yield = (twin.get("yield") or {}).get("overall")
    if not all(_finite(v) and v > 0 for v in (s_cells, t_cells, s_yield, t_yield)):
        return None
    output = t_cells / s_cells - 1.0
    yield_change = t_yield / s_yield - 1.0
    flow = (t_cells / s_cells) / (t_yield / s_yield) - 1.0
    sentence = (f"The twin's good output is {output:+.1%} against the steady state's: yield {t_yield:.4f} vs "
                f"{s_yield:.4f} ({yield_change:+.1%}), flow {flow:+.1%} (starving, blocking and restarts, "
                "which the steady capacity leaves out)")
    causes = _largest_scrap_difference(steady, twin)
    if causes:
        sentence += f"; the largest scrap difference is {causes}"
    stops = calendar_stops_h(twin)
    if stops is not None and abs(stops[0] - stops[1]) >= 1.0:
        sentence += (f"; its measured days held {stops[0]:,.0f} h of calendar stops where the year averages "
                     f"{stops[1]:,.1f} h (a sheet waiting over a stop waits its length)")
    error = ((steady.get("sampling_error") or {}).get("yield_overall") or {}).get("standard_error")
    if _finite(error):
        sentence += f"; the steady state's yield has a standard error of {error:.4f}"
    return sentence + "."


def _largest_scrap_difference(steady: dict, twin: dict) -> str | None:
    a = (steady.get("yield") or {}).get("scrap_by_cause") or {}
    b = (twin.get("yield") or {}).get("scrap_by_cause") or {}
    gaps = {cause: b[cause] - a[cause] for cause in a.keys() & b.keys() if _finite(a[cause]) and _finite(b[cause])}
    if not gaps:
        return None
    cause = max(sorted(gaps), key=lambda name: abs(gaps[name]))
    if abs(gaps[cause]) < 1e-3:
        return None
    return f"{cause} ({b[cause]:.2%} in the twin, {a[cause]:.2%} in the steady state)"


__all__ = ["CAPACITY_BASIS", "FLOW_LOSS_MARGIN", "NEAR_BALANCED_UTILISATION", "calendar_sentence",
           "calendar_stops_h", "capacity_sentence", "near_bottlenecks", "twin_difference_sentence"]
