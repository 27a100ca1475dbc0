"""GET /scenarios and GET /scenarios/{name}: the scenario library."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.concurrency import run_in_threadpool

from api.deps import LibraryDep
from api.scenario_input import RequestInputError, problem_details
from api.schemas.requests import ScenarioText
from api.schemas.responses import ErrorResponse, ScenarioPublic, ScenarioSummary
from twin.scenario import ScenarioError, scenario_hash, validate_scenario
from twin.scenario.loader import parse_scenario_text

router = APIRouter(tags=["scenarios"])


@router.get("/scenarios", response_model=list[ScenarioSummary])
def list_scenarios(library: LibraryDep) -> list[ScenarioSummary]:
    """Every library scenario with its description; an invalid file is listed with its problems."""
    summaries = []
    for name in library.names():
        try:
            document = library.document(name)
            scenario = validate_scenario(document, source=f"{name}.yaml")
            summaries.append(ScenarioSummary(name=name, description=scenario.description, valid=True))
        except ScenarioError as exc:
            summaries.append(ScenarioSummary(name=name, description=None, valid=False, problems=exc.problems))
    return summaries


@router.get("/scenarios/{name}", response_model=ScenarioPublic, responses={404: {"model": ErrorResponse}})
def get_scenario(name: Annotated[str, Path(max_length=64)], library: LibraryDep) -> ScenarioPublic:
    """The validated scenario (all defaults filled in) and its canonical hash."""
    if name not in library.names():
        raise HTTPException(
            status_code=404, detail=f"no scenario named '{name}' in the library; see GET /scenarios"
        )
    try:
        scenario = validate_scenario(library.document(name), source=f"{name}.yaml")
    except ScenarioError:
        raise HTTPException(
            status_code=409,
            detail=f"library scenario '{name}' does not validate; see GET /scenarios for its problems",
        ) from None
    return ScenarioPublic(
        name=name,
        description=scenario.description,
        scenario_hash=scenario_hash(scenario),
        scenario=scenario.model_dump(mode="json"),
    )


def _parse(body: ScenarioText) -> ScenarioPublic:
    try:
        document = parse_scenario_text(body.text, source=body.source)
        scenario = validate_scenario(document, source=body.source)
    except ScenarioError as exc:
        raise RequestInputError(problem_details(exc.problems, ["body", "scenario"], "scenario")) from None
    return ScenarioPublic(
        name=scenario.name,
        description=scenario.description,
        scenario_hash=scenario_hash(scenario),
        scenario=scenario.model_dump(mode="json"),
    )


@router.post("/scenarios/parse", response_model=ScenarioPublic)
async def parse_scenario(body: ScenarioText) -> ScenarioPublic:
    """Validate an uploaded scenario file's text; the answer's ``scenario`` can be sent to /evaluate and the
    jobs as a scenario object. Nothing is stored. 422 lists every problem with its field path."""
    return await run_in_threadpool(_parse, body)
