"""The FastAPI application factory ``create_app(settings)``; uvicorn runs ``api.main:create_app``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

import twin
from api.cached_answers import CachedEvaluateMiddleware
from api.deps import require_api_key
from api.evaluation import Evaluator
from api.http_errors import BodyLimitMiddleware, OptionsAllowMiddleware, install_error_handlers
from api.jobs import JobRunner
from api.rate_limit import RateLimitMiddleware
from api.routes import comparisons, economics, evaluate, health, jobs, offline_assets, reports, scenarios
from api.scenario_input import LibraryCache, RequestInputError, resolve_scenario
from api.schemas.responses import ErrorResponse
from api.settings import ApiSettings
from api.store import JobStore
from twin.scenario import Scenario

log = logging.getLogger("ssb_twin.api")

_ERROR_RESPONSES = {
    400: {"model": ErrorResponse, "description": "request body is not valid JSON or is nested too deeply"},
    401: {"model": ErrorResponse, "description": "API key missing or wrong"},
    413: {"model": ErrorResponse, "description": "request body too large"},
    422: {"model": ErrorResponse, "description": "invalid input: field path, value and allowed range"},
    429: {"model": ErrorResponse, "description": "above the client's rate limit (SSB_TWIN_RATE_LIMIT_PER_MINUTE); "
          "see Retry-After"},
}


def _first_library_scenario(library: LibraryCache) -> tuple[Scenario, str] | None:
    """The first valid library scenario and its hash (for the evaluation pool warm-up), if any."""
    for name in library.names():
        try:
            resolved = resolve_scenario(name, {}, library)
            return resolved.scenario, resolved.scenario_hash
        except RequestInputError:
            continue
    return None


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """Build the app. Settings are read from the environment here (not at import) unless passed."""
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = JobStore(settings.resolved_database_url())
        runner = JobRunner(store, settings)
        evaluator = Evaluator(store, settings)
        app.state.store, app.state.runner, app.state.evaluator = store, runner, evaluator
        recovered = runner.start()
        evaluator.start(warm_up=_first_library_scenario(app.state.library))
        log.info(
            "ssb-twin API %s ready; recovered jobs: %s",
            twin.__version__,
            {action: len(ids) for action, ids in recovered.items()},
        )
        try:
            yield
        finally:
            evaluator.stop()
            runner.stop()
            store.close()

    app = FastAPI(
        title="ssb-twin",
        version=twin.__version__,
        description="Digital twin of solid-state battery cell manufacturing: evaluate scenarios, run plant "
        "simulations and optimisations as jobs, fetch reports.",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc are served with local assets by api.routes.offline_assets
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.library = LibraryCache()
    install_error_handlers(app)
    # innermost: a repeated /evaluate is answered from memory once the limits below have let it in
    app.add_middleware(CachedEvaluateMiddleware, fastapi_app=app)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    # added last, so it runs first: a client over its rate is turned away before its body is read
    app.add_middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute)
    app.add_middleware(OptionsAllowMiddleware)
    app.include_router(health.router)
    app.include_router(offline_assets.router)
    protected = {"dependencies": [Depends(require_api_key)], "responses": _ERROR_RESPONSES}
    for module in (scenarios, evaluate, jobs, economics, reports, comparisons):
        app.include_router(module.router, **protected)
    return app


__all__ = ["create_app"]
