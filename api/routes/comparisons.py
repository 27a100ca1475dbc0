"""POST /comparisons: library scenarios next to the Li-ion reference plant (BatPaC V5), in one table.

Each scenario is evaluated exactly as POST /evaluate does (same cache, limits and errors); the rows are
twin.reference_comparison's.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from api.deps import EvaluatorDep, LibraryDep
from api.evaluation import EvaluationBusy, EvaluationFailed, EvaluationTimeout
from api.json_values import json_safe
from api.rate_limit import client_key
from api.scenario_input import RequestInputError, problem_details, resolve_scenario
from twin.reference_comparison import REFERENCE_SCENARIO, comparison

router = APIRouter(tags=["evaluate"])
MAX_COMPARED = 32


class ComparisonRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"scenarios": ["oxide_baseline"]}]})

    scenarios: list[str] = Field(default_factory=list, max_length=MAX_COMPARED,
                                 description="library scenario names; empty: the whole library. The Li-ion "
                                             f"reference ({REFERENCE_SCENARIO}) is always added.")


@router.post("/comparisons")
async def compare(body: ComparisonRequest, evaluator: EvaluatorDep, library: LibraryDep, request: Request) -> dict:
    """$/kWh, capex, yield and cell figures of library scenarios against the Li-ion reference plant, with DOE's
    BatPaC-based pack estimate as the reference's sanity band (the ``rows`` of ``ssb-twin compare``)."""
    known = library.names()
    for index, name in enumerate(body.scenarios):
        if name not in known:  # before any evaluation, and naming the list entry the client sent
            raise RequestInputError([{"loc": ["body", "scenarios", index], "type": "unknown_scenario",
                                      "msg": f"scenarios[{index}]: '{name[:64]}' is not in the library; available: "
                                             f"{', '.join(known) or 'none'}"}])
    names = list(dict.fromkeys([REFERENCE_SCENARIO, *(body.scenarios or known)]))
    results = {}
    for name in names:
        resolved = await run_in_threadpool(resolve_scenario, name, {}, library)
        try:
            payload, _ = await evaluator.evaluate(resolved.scenario_hash, resolved.scenario,
                                                  client=client_key(request.scope))
        except EvaluationBusy:
            raise HTTPException(status_code=429, headers={"Retry-After": "1"},
                                detail="this client already has an uncached evaluation computing; retry") from None
        except EvaluationFailed as exc:
            if exc.category == "input":
                raise RequestInputError(problem_details(exc.problems, ["body", "scenarios"], "physics")) from None
            if exc.category in ("unavailable", "resources"):
                raise HTTPException(status_code=503, detail=exc.reason, headers={"Retry-After": "5"}) from None
            raise HTTPException(status_code=500, detail="an evaluation failed with an internal error") from None
        except EvaluationTimeout:
            raise HTTPException(status_code=504, detail=f"evaluating '{name}' took too long") from None
        results[name] = json.loads(payload)
    return json_safe(comparison(results))
