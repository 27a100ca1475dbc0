"""Techno-economics jobs: POST /investments (the plant's life: cash flows, NPV, IRR) and POST /sensitivities
(Sobol indices and Monte Carlo of $/kWh); GET reads, DELETE cancels, as for simulations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import ConfigDict, Field, StrictInt

from api.deps import LibraryDep, RunnerDep, SettingsDep
from api.routes.jobs import _limit, _submit, add_job_routes
from api.scenario_input import resolve_scenario
from api.schemas.requests import ScenarioRequest
from api.schemas.responses import ErrorResponse, JobPublic

router = APIRouter(tags=["economics"])

# Request bounds: a Sobol run costs base x (inputs + 2) re-priced lines, ~15 ms each when the physics is re-run.
MAX_SOBOL_BASE = 1024
MAX_MONTE_CARLO = 20_000


class InvestmentCreate(ScenarioRequest):
    """Body of POST /investments: the scenario must have an ``investment`` block (or set it by overrides)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"scenario": "oxide_baseline"}]})
    location: str | None = Field(
        None,
        description="location preset: writes its labour, electricity, building and "
        "cost-of-capital values over the scenario's",
    )
    simulate_days: float | None = Field(
        None, strict=True, ge=0.25, le=365, description="run each distinct period in the twin for N days, not evaluate"
    )


class SensitivityCreate(ScenarioRequest):
    """Body of POST /sensitivities."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"scenario": "oxide_baseline", "sobol": 32}]}
    )
    location: str | None = Field(None, description="location preset applied first")
    sobol: StrictInt = Field(32, ge=0, le=MAX_SOBOL_BASE, description="Sobol base sample (power of 2; 0 skips)")
    monte_carlo: StrictInt = Field(200, ge=0, le=MAX_MONTE_CARLO, description="Monte Carlo samples (0 skips)")
    physics_sheets: StrictInt = Field(
        600, ge=100, le=100_000, description="sheets re-run per sample for inputs that change yields"
    )


def _resolve(body, library):
    overrides = dict(body.overrides)
    if body.location is not None:
        from twin.scenario.location import LOCATIONS, PRESET_FIELDS, unknown_location_message

        if body.location not in LOCATIONS:
            raise _limit("location", unknown_location_message(body.location))
        overrides["costs.location"] = body.location
        for key, path in PRESET_FIELDS.items():
            overrides[".".join(path)] = LOCATIONS[body.location].values[key]
    return resolve_scenario(body.scenario, overrides, library)


_QUEUE_FULL = {429: {"model": ErrorResponse, "description": "job queue full; see Retry-After"}}


@router.post("/investments", status_code=202, response_model=JobPublic, responses=_QUEUE_FULL)
def create_investment(
    body: InvestmentCreate, settings: SettingsDep, runner: RunnerDep, library: LibraryDep
) -> JSONResponse:
    """Queue the investment case: construction, ramp-up with learning through the twin, cash flows, NPV, IRR."""
    resolved = _resolve(body, library)
    if resolved.scenario.investment is None:
        raise _limit(
            "scenario",
            "investment: missing; the scenario needs an investment block (cell price, "
            'construction and ramp years), e.g. overrides {"investment": {...}}',
        )
    params: dict[str, Any] = {"simulate_days": body.simulate_days}
    return _submit(runner, settings, "investment", resolved, params)


@router.post("/sensitivities", status_code=202, response_model=JobPublic, responses=_QUEUE_FULL)
def create_sensitivity(
    body: SensitivityCreate, settings: SettingsDep, runner: RunnerDep, library: LibraryDep
) -> JSONResponse:
    """Queue Sobol indices (first and total order) and a Monte Carlo of $/kWh."""
    if body.sobol and (body.sobol < 4 or body.sobol & (body.sobol - 1)):
        raise _limit("sobol", f"sobol: {body.sobol} is not a power of 2 >= 4 (or 0 to skip)")
    resolved = _resolve(body, library)
    params = {"sobol": body.sobol, "monte_carlo": body.monte_carlo, "physics_sheets": body.physics_sheets}
    return _submit(runner, settings, "sensitivity", resolved, params)


for _kind, _collection in (("investment", "investments"), ("sensitivity", "sensitivities")):
    add_job_routes(router, _kind, _collection)
