"""The library baseline as it was before inspection methods: killer defects kill at once, checks look by spec.

Tests of the spec-check and killer-defect mechanics (issue 8/11) use the oxide baseline as a vehicle; since
issue 18 the baseline's casting and lamination defects are latent and sized and its checks have methods.
These tests keep testing the mechanics they were written for on the document this gives.
"""

from __future__ import annotations

from twin.scenario import read_scenario_document

# the cycle time the baseline's inspection stations had before their methods set it
INSPECTION_CYCLE_TIME_S = 0.5


def immediate_defect_document(path: str = "scenarios/oxide_baseline.yaml") -> dict:
    """The scenario document without sized (latent) defects, inspection methods or the end-of-line test."""
    document = read_scenario_document(path)
    route = []
    for step in document["route"]:
        step.pop("defect_size", None)
        if step.get("kind") == "quality_check" and step.pop("method", None) is not None:
            if not any(key.startswith(("min_", "max_", "thickness_")) for key in step):
                del document["line"]["stations"][step["name"]]   # a check with a method and no spec
                continue
            document["line"]["stations"][step["name"]].setdefault("cycle_time_s", INSPECTION_CYCLE_TIME_S)
        route.append(step)
    document["route"] = route
    (document.get("optimisation") or {}).pop("inspection_methods", None)
    return document
