"""Route rules of the polymer electrolyte steps (polymer_film, polymer_backfill).

A back-fill needs a fired (porous) electrolyte scaffold before it, and nothing hot may follow a polymer:
PEO-LiTFSI degrades above ~200 C (assumption: TGA onset ~200-250 C), so a firing after it burns it out.
"""

from __future__ import annotations

POLYMER_MAX_TEMPERATURE_C = 200.0
POLYMER_STEP_KINDS = ("polymer_film", "polymer_backfill")


def polymer_route_problems(scenario) -> list[str]:
    problems: list[str] = []
    fired_electrolyte = False
    polymer_step: str | None = None
    for index, step in enumerate(scenario.route):
        if step.kind == "sintering":
            if polymer_step is not None and step.peak_temperature_C > POLYMER_MAX_TEMPERATURE_C:
                problems.append(f"route[{index}].sintering.profile: peak {step.peak_temperature_C:g} C after the "
                                f"polymer of step '{polymer_step}' is above {POLYMER_MAX_TEMPERATURE_C:g} C, where "
                                "PEO-LiTFSI degrades; fire before the polymer step")
            fired_electrolyte = fired_electrolyte or step.layer == "electrolyte"
        if step.kind == "polymer_backfill" and not fired_electrolyte:
            problems.append(f"route[{index}].polymer_backfill: no sintering of the electrolyte before this step; "
                            f"the back-fill fills the pores of a fired scaffold, move '{step.name}' after it")
        if step.kind in POLYMER_STEP_KINDS and polymer_step is None:
            polymer_step = step.name
    return problems


__all__ = ["POLYMER_MAX_TEMPERATURE_C", "polymer_route_problems"]
