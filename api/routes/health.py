"""GET /health: liveness, version and whether the database answers (no API key: for probes)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

import twin
from api.deps import StoreDep
from api.schemas.responses import HealthPublic, JobCounts

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic, responses={503: {"model": HealthPublic}})
def health(store: StoreDep) -> JSONResponse:
    """200 when the database answers, 503 (status degraded) when it does not."""
    database_ok = store.ping()
    counts = None
    if database_ok:
        by_status = store.count_by_status()
        counts = JobCounts(queued=by_status.get("queued", 0), running=by_status.get("running", 0))
    body = HealthPublic(
        status="ok" if database_ok else "degraded",
        version=twin.__version__,
        database="ok" if database_ok else "unavailable",
        jobs=counts,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if database_ok else 503)
