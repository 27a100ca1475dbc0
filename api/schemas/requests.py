"""Request bodies. Field bounds here are hard sanity limits; the configurable cost limits
(``max_simulated_days``, ``max_candidates``) are checked by the routes against the settings.

Numbers and flags are strict: ``true`` is not 1 replication and ``0`` is not ``false`` (a JSON number is
accepted for a float field, never a boolean or a string)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from twin.run_limits import MIN_SIMULATED_DAYS

SCENARIO_FIELD_DESCRIPTION = (
    "a library scenario name (see GET /scenarios) or a full scenario object (the YAML schema as JSON)"
)
OVERRIDES_DESCRIPTION = (
    'dotted-path overrides applied before validation, e.g. {"route.sinter_electrolyte.hold_time_min": 60} '
    'or {"plant.shifts_per_day": 2}'
)


class ScenarioRequest(BaseModel):
    """A scenario reference plus overrides: the body of POST /evaluate."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"scenario": "oxide_baseline", "overrides": {"line.shifts.shifts_per_day": 2}}]
        },
    )

    scenario: str | dict[str, Any] = Field(description=SCENARIO_FIELD_DESCRIPTION)
    overrides: dict[str, Any] = Field(default_factory=dict, description=OVERRIDES_DESCRIPTION, max_length=500)


class SimulationCreate(ScenarioRequest):
    """Body of POST /simulations: a discrete-event run of the plant."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"scenario": "oxide_baseline", "days": 5, "replications": 2, "seed": 1}]
        },
    )

    days: float = Field(
        strict=True, ge=MIN_SIMULATED_DAYS, le=36_500,
        description="simulated days per replication [d]; at least one hour (1/24 d)",
    )
    replications: StrictInt = Field(1, ge=1, le=10_000, description="independent replications")
    seed: StrictInt | None = Field(None, ge=0, le=2**63 - 1, description="seed; default the scenario seed")
    warmup_days: float | None = Field(
        None, strict=True, ge=0, le=36_500, description="warm-up excluded from statistics [d]"
    )


class SweepCreate(ScenarioRequest):
    """Body of POST /sweeps: evaluate or simulate over a grid (or Latin hypercube) of overrides."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"scenario": "oxide_baseline",
                          "grid": {"route.electrolyte_sintering.profile[1].temperature_C": [1100, 1150, 1200],
                                   "route.electrolyte_sintering.cover_powder": [True, False]}}]
        },
    )

    grid: dict[str, list[Any]] = Field(
        min_length=1, max_length=20,
        description="dotted path -> values; every combination is a point (with lhs: the range min to max)",
    )
    lhs: StrictInt | None = Field(None, ge=1, le=10_000, description="Latin hypercube of this many points")
    mode: Literal["evaluate", "simulate"] = Field("evaluate", description="steady-state or discrete-event twin")
    days: float = Field(7.0, strict=True, ge=MIN_SIMULATED_DAYS, le=36_500, description="simulated days a point")
    replications: StrictInt = Field(1, ge=1, le=100, description="replications a point (simulate)")
    seed: StrictInt | None = Field(None, ge=0, le=2**63 - 1, description="seed; default the scenario seed")


class OptimisationCreate(ScenarioRequest):
    """Body of POST /optimisations: recipe and line optimisation over the scenario's decision space."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"scenario": "oxide_baseline", "objective": "min_cost", "days": 10}]},
    )

    objective: str = Field(
        "min_cost", pattern=r"^[a-z][a-z0-9_]{0,39}$", description="optimisation objective"
    )
    twin_check: StrictBool = Field(True, description="re-simulate the best candidates with the DES")
    replications: StrictInt = Field(3, ge=1, le=10_000, description="DES replications per twin check")
    days: float = Field(
        30.0, strict=True, ge=MIN_SIMULATED_DAYS, le=36_500,
        description="simulated days per twin-check replication [d]; at least one hour (1/24 d)",
    )


class ScenarioText(BaseModel):
    """Body of POST /scenarios/parse: the text of a scenario file (YAML, of which JSON is a subset)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"text": "name: my_line\nschema_version: 1\n"}]}
    )

    text: str = Field(min_length=1, max_length=1_000_000, description="the scenario file's YAML or JSON text")
    source: str | None = Field(None, max_length=200, description="file name, quoted in error messages")


__all__ = ["OptimisationCreate", "ScenarioRequest", "ScenarioText", "SimulationCreate"]
