"""POST /evaluate: the steady-state answer, synchronously, cached by the scenario's canonical hash."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import EvaluatorDep, LibraryDep
from api.evaluation import EvaluationBusy, EvaluationFailed, EvaluationTimeout, Evaluator
from api.rate_limit import client_key
from api.scenario_input import (
    SEED_VARIANTS,
    RequestInputError,
    ResolvedScenario,
    problem_details,
    request_fingerprint,
    resolve_scenario,
)
from api.schemas.requests import ScenarioRequest
from api.schemas.responses import ErrorResponse

router = APIRouter(tags=["evaluate"])

_RESULT_DESCRIPTION = (
    "the result keys (docs/architecture.md): scenario, scenario_hash, throughput, yield, quality, cost, "
    "stations, bottleneck, energy_kwh_per_kwh. Header X-Cache tells memory | database | computed."
)


@router.post(
    "/evaluate",
    responses={
        200: {"description": _RESULT_DESCRIPTION, "content": {"application/json": {}}},
        429: {"model": ErrorResponse, "description": "this client already has an uncached evaluation "
              "computing (SSB_TWIN_MAX_EVALUATIONS_PER_CLIENT) or is above its rate limit; see Retry-After"},
        503: {"model": ErrorResponse, "description": "the evaluation service is not installed, or its worker "
              "died (e.g. above SSB_TWIN_WORKER_MEMORY_MB) and was restarted; see Retry-After"},
        504: {"model": ErrorResponse, "description": "the evaluation exceeded SSB_TWIN_EVALUATE_TIMEOUT_S"},
    },
)
async def evaluate(
    body: ScenarioRequest, evaluator: EvaluatorDep, library: LibraryDep, request: Request
) -> Response:
    """Evaluate a library scenario or a full scenario object, with optional dotted-path overrides."""
    fingerprint = request_fingerprint(body.scenario, body.overrides, library)
    seen = evaluator.cached_for_request(fingerprint)
    if seen is not None:  # the fast path: a repeated request, answered without re-validating
        return Response(
            seen[0], media_type="application/json", headers={"X-Cache": "memory", "X-Scenario-Hash": seen[1]}
        )
    # a new seed of a scenario validated before is resolved here (~0.05 ms); else validation in a thread
    resolved = SEED_VARIANTS.known(body.scenario, body.overrides, library)
    if resolved is None:
        resolved = await run_in_threadpool(resolve_scenario, body.scenario, body.overrides, library)
    evaluator.remember_request(fingerprint, resolved.scenario_hash)
    return await evaluated_response(evaluator, resolved, client_key(request.scope))


async def evaluated_response(evaluator: Evaluator, resolved: ResolvedScenario, client: str) -> Response:
    """The answer for a resolved request: the response, or the HTTP error the route answers with (raised).
    Also called by api.cached_answers for a seed variant it resolved, so both give the same answers."""
    try:
        payload, source = await evaluator.evaluate(
            resolved.scenario_hash, resolved.scenario, client=client,
            seedless_key=resolved.seedless_key, seed_base_pickle=resolved.seed_base_pickle,
        )
    except EvaluationBusy:
        raise HTTPException(
            status_code=429,
            headers={"Retry-After": "1"},
            detail=f"this client already has {evaluator.settings.max_evaluations_per_client} uncached "
            "evaluation(s) computing (SSB_TWIN_MAX_EVALUATIONS_PER_CLIENT); retry when it has finished",
        ) from None
    except EvaluationFailed as exc:
        if exc.category == "input":
            raise RequestInputError(problem_details(exc.problems, ["body", "scenario"], "physics")) from None
        if exc.category in ("unavailable", "resources"):
            raise HTTPException(status_code=503, detail=exc.reason, headers={"Retry-After": "5"}) from None
        raise HTTPException(
            status_code=500, detail="the evaluation failed with an internal error; it has been logged"
        ) from None
    except EvaluationTimeout:
        raise HTTPException(
            status_code=504,
            detail="the evaluation took longer than "
            f"{evaluator.settings.evaluate_timeout_s:g} s (SSB_TWIN_EVALUATE_TIMEOUT_S)",
        ) from None
    return Response(
        payload,
        media_type="application/json",
        headers={"X-Cache": source, "X-Scenario-Hash": resolved.scenario_hash},
    )
