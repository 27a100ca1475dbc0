"""Simulation and optimisation jobs: POST starts one (202 + id), GET reads status/progress/result,
DELETE cancels. Request cost is bounded by the settings before anything is queued."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import JSONResponse

from api.deps import LibraryDep, RunnerDep, SettingsDep, StoreDep
from api.jobs import JobRunner, QueueFull
from api.scenario_input import RequestInputError, ResolvedScenario, resolve_scenario
from api.schemas.requests import OptimisationCreate, SimulationCreate, SweepCreate
from api.schemas.responses import ErrorResponse, JobPublic, job_public
from api.settings import ApiSettings
from twin.run_limits import run_length_problems
from twin.scenario.optimisation_space import Grid, OptimisationSpace

router = APIRouter(tags=["jobs"])

JobKind = Literal["simulation", "optimisation", "sweep"]
_COLLECTION = {"simulation": "simulations", "optimisation": "optimisations", "sweep": "sweeps"}
_JOB_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "no job of this kind with that id"},
}


def _limit(field: str, message: str) -> RequestInputError:
    return RequestInputError([{"loc": ["body", field], "msg": message, "type": "limit"}])


def _check_simulated_days(settings: ApiSettings, days: float, replications: int, what: str) -> None:
    total = days * replications
    if total > settings.max_simulated_days:
        raise _limit(
            "days",
            f"{what}: days x replications = {days:g} x {replications} = {total:g} simulated days "
            f"is above the limit of {settings.max_simulated_days:g} (SSB_TWIN_MAX_SIMULATED_DAYS)",
        )


def _check_run_length(resolved: ResolvedScenario, days: float, replications: int,
                      warmup_days: float | None = None) -> None:
    problems = run_length_problems(resolved.scenario, days, replications, warmup_days)
    if problems:
        raise RequestInputError([{"loc": ["body", field], "msg": f"{field}: {message}", "type": "limit"}
                                 for field, message in problems])


def candidate_count(space: OptimisationSpace | None) -> int:
    """Recipe candidates the decision space spans: the product of every grid's points and list lengths."""
    if space is None:
        return 1
    count = 1
    for name in type(space).model_fields:
        if name == "inspection_methods":
            continue  # tried one after another on the designed line after the MILP: not recipe candidates
        value = getattr(space, name)
        if isinstance(value, Grid):
            count *= int(value.points)
        elif isinstance(value, list) and value:
            count *= len(value)
    return count


def _submit(
    runner: JobRunner,
    settings: ApiSettings,
    kind: JobKind,
    resolved: ResolvedScenario,
    params: dict[str, Any],
) -> JSONResponse:
    try:
        job = runner.submit(
            kind, resolved.scenario.name, resolved.scenario_hash, resolved.scenario_json, params
        )
    except QueueFull:
        raise HTTPException(
            status_code=429,
            headers={"Retry-After": str(settings.retry_after_s)},
            detail=f"{settings.max_queued_jobs} jobs are queued or running (SSB_TWIN_MAX_QUEUED_JOBS); "
            "retry later",
        ) from None
    public = job_public(job)
    return JSONResponse(
        public.model_dump(mode="json"), status_code=202, headers={"Location": public.links["self"]}
    )


@router.post(
    "/simulations",
    status_code=202,
    response_model=JobPublic,
    responses={429: {"model": ErrorResponse, "description": "job queue full; see Retry-After"}},
)
def create_simulation(
    body: SimulationCreate, settings: SettingsDep, runner: RunnerDep, library: LibraryDep
) -> JSONResponse:
    """Queue a discrete-event simulation of the plant."""
    _check_simulated_days(settings, body.days, body.replications, "simulation")
    if body.warmup_days is not None and body.warmup_days >= body.days:
        raise _limit("warmup_days", f"warmup_days {body.warmup_days:g} must be below days {body.days:g}")
    resolved = resolve_scenario(body.scenario, body.overrides, library)
    _check_run_length(resolved, body.days, body.replications, body.warmup_days)
    params = {
        "days": body.days,
        "replications": body.replications,
        "seed": body.seed,
        "warmup_days": body.warmup_days,
    }
    return _submit(runner, settings, "simulation", resolved, params)


@router.post(
    "/optimisations",
    status_code=202,
    response_model=JobPublic,
    responses={429: {"model": ErrorResponse, "description": "job queue full; see Retry-After"}},
)
def create_optimisation(
    body: OptimisationCreate, settings: SettingsDep, runner: RunnerDep, library: LibraryDep
) -> JSONResponse:
    """Queue an optimisation over the scenario's ``optimisation`` decision space."""
    from twin.optimise import OBJECTIVES  # imported on use: Pyomo is heavy for a server that never optimises

    if body.objective not in OBJECTIVES:
        raise _limit("objective", f"'{body.objective}' is not one of {', '.join(OBJECTIVES)}")
    if body.twin_check:
        _check_simulated_days(settings, body.days, body.replications, "twin check")
    resolved = resolve_scenario(body.scenario, body.overrides, library)
    if body.twin_check:
        _check_run_length(resolved, body.days, body.replications)
    candidates = candidate_count(resolved.scenario.optimisation)
    if candidates > settings.max_candidates:
        raise RequestInputError(
            [
                {
                    "loc": ["body", "scenario", "optimisation"],
                    "msg": f"optimisation: the decision space spans {candidates} candidates (product of grid "
                    f"points and choices), above the limit of {settings.max_candidates} "
                    "(SSB_TWIN_MAX_CANDIDATES)",
                    "type": "limit",
                }
            ]
        )
    params = {
        "objective": body.objective,
        "twin_check": body.twin_check,
        "replications": body.replications,
        "days": body.days,
    }
    return _submit(runner, settings, "optimisation", resolved, params)


@router.post(
    "/sweeps",
    status_code=202,
    response_model=JobPublic,
    responses={429: {"model": ErrorResponse, "description": "job queue full; see Retry-After"}},
)
def create_sweep(body: SweepCreate, settings: SettingsDep, runner: RunnerDep, library: LibraryDep) -> JSONResponse:
    """Queue a sweep: the scenario evaluated (or simulated) at every grid or Latin-hypercube point."""
    import json

    from twin.scenario import ScenarioError
    from twin.sweep import grid_points, lhs_points, validate_points

    resolved = resolve_scenario(body.scenario, body.overrides, library)
    seed = resolved.scenario.seed if body.seed is None else body.seed
    try:
        points = lhs_points(body.grid, body.lhs, seed) if body.lhs else grid_points(body.grid)
    except ValueError as exc:
        raise _limit("grid", str(exc)) from None
    if len(points) > settings.max_candidates:
        raise _limit("grid", f"the sweep has {len(points)} points, above the limit of {settings.max_candidates} "
                             "(SSB_TWIN_MAX_CANDIDATES)")
    if body.mode == "simulate":
        _check_simulated_days(settings, body.days * len(points), body.replications, "sweep (days x points)")
        _check_run_length(resolved, body.days, body.replications)
    try:
        validate_points(json.loads(resolved.scenario_json), points)
    except ScenarioError as exc:
        raise RequestInputError([{"loc": ["body", "grid"], "msg": problem, "type": "scenario"}
                                 for problem in exc.problems]) from None
    params = {"points": points, "mode": body.mode, "days": body.days, "replications": body.replications,
              "seed": body.seed, "sampling": "lhs" if body.lhs else "grid"}
    return _submit(runner, settings, "sweep", resolved, params)


def _job_or_404(store: StoreDep, job_id: uuid.UUID, kind: JobKind):
    job = store.get_job(str(job_id))
    if job is None or job.kind != kind:
        raise HTTPException(status_code=404, detail=f"no {kind} with id {job_id}")
    return job


def _read(kind: JobKind):
    def read_job(job_id: uuid.UUID, store: StoreDep) -> JobPublic:
        return job_public(_job_or_404(store, job_id, kind))

    read_job.__doc__ = f"Status (queued, running, done, failed, cancelled), progress and result of a {kind}."
    read_job.__name__ = f"read_{kind}"
    return read_job


def _cancel(kind: JobKind):
    def cancel_job(job_id: uuid.UUID, store: StoreDep, runner: RunnerDep) -> Response:
        job = _job_or_404(store, job_id, kind)
        if job.status not in ("queued", "running"):
            raise HTTPException(status_code=409, detail=f"{kind} {job_id} is already {job.status}")
        status = runner.cancel(job.id)
        updated = store.get_job(job.id)
        assert updated is not None
        # a queued job is cancelled at once (200); a running one stops at its next progress call (202)
        return JSONResponse(
            job_public(updated).model_dump(mode="json"), status_code=200 if status != "running" else 202
        )

    cancel_job.__doc__ = (
        f"Cancel a {kind}: a queued one at once (200), a running one at its next progress "
        "report (202); 409 when it has already finished."
    )
    cancel_job.__name__ = f"cancel_{kind}"
    return cancel_job


def add_job_routes(target: APIRouter, kind: JobKind, collection: str) -> None:
    """GET (status) and DELETE (cancel) of one job kind's ``/{collection}/{job_id}``."""
    path = f"/{collection}/{{job_id}}"
    target.add_api_route(path, _read(kind), methods=["GET"], response_model=JobPublic, responses=_JOB_RESPONSES)
    target.add_api_route(
        path,
        _cancel(kind),
        methods=["DELETE"],
        response_model=JobPublic,
        responses={
            **_JOB_RESPONSES,
            202: {"model": JobPublic, "description": "cancellation requested"},
            409: {"model": ErrorResponse, "description": "the job has already finished"},
        },
    )


for _kind in ("simulation", "optimisation", "sweep"):
    add_job_routes(router, _kind, _COLLECTION[_kind])
