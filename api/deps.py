"""``Annotated`` dependencies: settings, store, job runner, evaluator, library, API key check.

They are ``async`` because they do no I/O: FastAPI would otherwise run each one in the thread pool.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader

from api.evaluation import Evaluator
from api.jobs import JobRunner
from api.scenario_input import LibraryCache
from api.settings import ApiSettings
from api.store import JobStore

_api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="required when SSB_TWIN_API_KEY is set"
)


async def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings


async def get_store(request: Request) -> JobStore:
    return request.app.state.store


async def get_runner(request: Request) -> JobRunner:
    return request.app.state.runner


async def get_evaluator(request: Request) -> Evaluator:
    return request.app.state.evaluator


async def get_library(request: Request) -> LibraryCache:
    return request.app.state.library


SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
StoreDep = Annotated[JobStore, Depends(get_store)]
RunnerDep = Annotated[JobRunner, Depends(get_runner)]
EvaluatorDep = Annotated[Evaluator, Depends(get_evaluator)]
LibraryDep = Annotated[LibraryCache, Depends(get_library)]


async def require_api_key(
    settings: SettingsDep, presented: Annotated[str | None, Security(_api_key_header)]
) -> None:
    """401 unless the configured key is presented (constant-time comparison); open when no key is set."""
    if settings.api_key is None:
        return
    expected = settings.api_key.get_secret_value().encode("utf-8")
    if presented is None or not secrets.compare_digest(presented.encode("utf-8"), expected):
        raise HTTPException(
            status_code=401,
            detail="missing or invalid API key (header X-API-Key)",
            headers={"WWW-Authenticate": "APIKey"},
        )


__all__ = [
    "EvaluatorDep",
    "LibraryDep",
    "RunnerDep",
    "SettingsDep",
    "StoreDep",
    "get_settings",
    "require_api_key",
]
