"""Response bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.store import JobRecord

JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="where the problem is: body, field path inside the scenario")
    msg: str = Field(description="the value, the rule it breaks and the allowed range")
    type: str


class ErrorResponse(BaseModel):
    detail: str | list[ErrorItem]


class JobCounts(BaseModel):
    queued: int
    running: int


class HealthPublic(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    database: Literal["ok", "unavailable"]
    jobs: JobCounts | None


class ScenarioSummary(BaseModel):
    name: str
    description: str | None
    valid: bool
    problems: list[str] = Field(default_factory=list)


class ScenarioPublic(BaseModel):
    name: str
    description: str
    scenario_hash: str
    scenario: dict[str, Any]


class JobPublic(BaseModel):
    id: str
    kind: Literal["simulation", "optimisation", "sweep", "investment", "sensitivity"]
    status: JobStatus
    progress: float = Field(ge=0, le=1)
    scenario: str
    scenario_hash: str
    params: dict[str, Any]
    attempts: int = Field(description="times a worker started this job (a crash restart re-runs it)")
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None = Field(description="why the job failed or was cancelled")
    result: dict[str, Any] | None = Field(description="the result keys when status is done")
    links: dict[str, str]


# job kind -> the path its routes live under
JOB_COLLECTIONS = {"simulation": "simulations", "optimisation": "optimisations", "sweep": "sweeps",
                   "investment": "investments", "sensitivity": "sensitivities"}


def _time(stamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(stamp, UTC) if stamp is not None else None


def job_public(job: JobRecord) -> JobPublic:
    collection = JOB_COLLECTIONS[job.kind]
    return JobPublic(
        id=job.id,
        kind=job.kind,
        status=job.status,
        progress=job.progress,
        scenario=job.scenario_name,
        scenario_hash=job.scenario_hash,
        params=job.params,
        attempts=job.attempts,
        cancel_requested=job.cancel_requested,
        created_at=_time(job.created_at),
        started_at=_time(job.started_at),
        finished_at=_time(job.finished_at),
        error=job.error,
        result=job.result,
        links={"self": f"/{collection}/{job.id}", "report": f"/reports/{job.id}"},
    )


__all__ = [
    "ErrorItem",
    "ErrorResponse",
    "HealthPublic",
    "JobPublic",
    "ScenarioPublic",
    "ScenarioSummary",
    "job_public",
]
