"""Scenario rules for the Li/electrolyte interface steps: interlayer deposition and surface cleaning.

Both prepare a fired garnet surface for the Li anode, so they belong between the electrolyte's last
firing (which would burn an interlayer off and re-clean the surface anyway) and the Li lamination.
"""

from __future__ import annotations

from twin.scenario.cell import OXIDE_ELECTROLYTES

INTERFACE_KINDS = ("interlayer_deposition", "surface_cleaning")


def interface_step_problems(scenario) -> list[str]:
    """Problems of the interface steps of a scenario, each naming the field and what to change."""
    problems: list[str] = []
    route = scenario.route
    lamination = next((i for i, s in enumerate(route) if s.kind == "li_lamination"), None)
    # any firing above the carbonate decomposition burns an interlayer off and cleans the surface again
    last_firing = max((i for i, s in enumerate(route) if s.kind == "sintering"),
                      default=-1)
    for index, step in enumerate(route):
        if step.kind not in INTERFACE_KINDS:
            continue
        where = f"route[{index}].{step.kind}"
        if scenario.cell.electrolyte.material not in OXIDE_ELECTROLYTES:
            problems.append(f"{where}: models a garnet surface; cell.electrolyte.material "
                            f"'{scenario.cell.electrolyte.material}' is not one ({', '.join(OXIDE_ELECTROLYTES)})")
        if lamination is None or index > lamination:
            problems.append(f"{where}: must come before an li_lamination step (it prepares the surface the Li "
                            f"covers); move '{step.name}' before the lamination")
        if index < last_firing:
            problems.append(f"{where}: comes before the firing '{route[last_firing].name}', which "
                            f"would undo it; move '{step.name}' after it")
        station = scenario.line.stations.get(step.name)
        if station is None:
            continue
        if step.kind == "interlayer_deposition" and station.kind == "continuous" \
                and station.deposition_zone_length_m is None:
            problems.append(f"line.stations.{step.name}.deposition_zone_length_m: required for a continuous "
                            "interlayer coater (speed = zone length x rate / thickness)")
        if step.kind == "surface_cleaning":
            needed = "batch" if step.method == "heat_treatment" else "discrete"
            if station.kind != needed:
                problems.append(f"line.stations.{step.name}.kind: '{station.kind}'; a {step.method} runs on a "
                                f"{needed} station")
    if lamination is not None and route[lamination].surface_treatment == "interlayer" and any(
            s.kind == "interlayer_deposition" for s in route[:lamination]):
        problems.append(f"route[{lamination}].li_lamination.surface_treatment: 'interlayer' sets a fixed "
                        "interface ASR, but the route deposits its interlayer; use 'cleaned' (carbonate from "
                        "the exposure) or 'none' (air-exposed surface) under it")
    return problems


__all__ = ["INTERFACE_KINDS", "interface_step_problems"]
