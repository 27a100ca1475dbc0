"""The scenario schema: one pydantic model tree, validated once at the edge (style.md rule 5)."""

from twin.scenario.errors import ScenarioError
from twin.scenario.loader import (
    apply_overrides,
    canonical_json,
    load_scenario,
    parse_scenario_text,
    read_scenario_document,
    scenario_hash,
    validate_scenario,
)
from twin.scenario.model import Scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "apply_overrides",
    "canonical_json",
    "load_scenario",
    "parse_scenario_text",
    "read_scenario_document",
    "scenario_hash",
    "validate_scenario",
]
