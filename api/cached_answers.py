"""POST /evaluate answered from the memory cache before FastAPI's routing and dependency solving.

A repeated request (same library file or scenario object, same overrides: the request fingerprint of
``api.scenario_input``) whose response bytes are in the evaluator's memory LRU is answered here, with the
same status, body and headers as the route's own fast path. Routing, dependency solving and the request
model cost ~0.2 ms of the ~0.3 ms a cached answer took; at 20 clients on a shared core that queue is the
cached p99. Anything else (another path, a body the request model would reject, a miss, a wrong or missing
API key) goes on to the app unchanged, so errors and limits stay where they are. Runs inside the body-size
and rate limits (the body has been read and bounded by then).

A new seed of a scenario the server validated before (``api.scenario_input.SEED_VARIANTS.known``: the
request differs from one the route validated only by an integer ``seed`` override, which its field's rule
accepts) is evaluated here too, by the route's own :func:`api.routes.evaluate.evaluated_response`; an HTTP
error it raises is answered by the app's handler for it (the same status, body and headers). FastAPI's
routing, dependency solving and request model were ~0.6 ms of the server's ~2.8 ms CPU per uncached request
(docs/performance.md, /evaluate).
"""

from __future__ import annotations

import json
import secrets

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.http_errors import pass_on_with_body
from api.rate_limit import client_key
from api.routes.evaluate import evaluated_response
from api.scenario_input import SEED_VARIANTS, RequestInputError, request_fingerprint
from api.schemas.requests import ScenarioRequest

EVALUATE_PATH = "/evaluate"
_REQUEST_KEYS = frozenset({"scenario", "overrides"})  # the request model forbids any other key
# the request model's bound on the number of overrides: a request above it is the app's 422
_MAX_OVERRIDES = next(rule.max_length for rule in ScenarioRequest.model_fields["overrides"].metadata
                      if getattr(rule, "max_length", None) is not None)


class CachedEvaluateMiddleware:
    def __init__(self, app: ASGIApp, fastapi_app):
        self.app = app
        self.fastapi_app = fastapi_app  # its state holds the settings, the library and (once started) the evaluator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != EVALUATE_PATH:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        request = self._request(scope, body)
        if request is not None:
            evaluator, library, scenario, overrides = request
            fingerprint = request_fingerprint(scenario, overrides, library)
            hit = evaluator.cached_for_request(fingerprint)
            if hit is not None:
                answer, scenario_hash = hit
                await send({"type": "http.response.start", "status": 200, "headers": [
                    (b"content-length", str(len(answer)).encode("ascii")),
                    (b"content-type", b"application/json"),
                    (b"x-cache", b"memory"),
                    (b"x-scenario-hash", scenario_hash.encode("ascii")),
                ]})
                await send({"type": "http.response.body", "body": answer})
                return
            resolved = SEED_VARIANTS.known(scenario, overrides, library) if len(overrides) <= _MAX_OVERRIDES else None
            if resolved is not None:
                evaluator.remember_request(fingerprint, resolved.scenario_hash)
                await self._seed_variant(scope, receive, send, evaluator, resolved)
                return
        await pass_on_with_body(self.app, scope, body, receive, send)

    def _request(self, scope: Scope, body: bytes) -> tuple | None:
        """(evaluator, library, scenario field, overrides) of a well-formed request with an accepted key; None
        for anything the app must answer (a bad body, a missing key, no evaluator yet)."""
        state = self.fastapi_app.state
        evaluator = getattr(state, "evaluator", None)
        if evaluator is None or not self._key_accepted(scope, state.settings):
            return None
        try:
            request = json.loads(body)
        except (ValueError, RecursionError):  # the app answers 400 with its own message
            return None
        if not isinstance(request, dict) or "scenario" not in request or not _REQUEST_KEYS.issuperset(request):
            return None
        scenario, overrides = request["scenario"], request.get("overrides", {})
        if not isinstance(scenario, (str, dict)) or not isinstance(overrides, dict):
            return None
        return evaluator, state.library, scenario, overrides

    async def _seed_variant(self, scope: Scope, receive: Receive, send: Send, evaluator, resolved) -> None:
        """Evaluate a resolved seed variant as the route does; its HTTP errors answered by the app's handlers
        (anything else goes up to the server-error middleware, as from the route)."""
        try:
            response = await evaluated_response(evaluator, resolved, client_key(scope))
        except (StarletteHTTPException, RequestInputError) as exc:
            handler = next(self.fastapi_app.exception_handlers[kind] for kind in type(exc).__mro__
                           if kind in self.fastapi_app.exception_handlers)
            response = await handler(Request(scope, receive), exc)
        await response(scope, receive, send)

    @staticmethod
    def _key_accepted(scope: Scope, settings) -> bool:
        """The API key check of ``api.deps.require_api_key`` (constant time); a failure is the app's 401."""
        if settings.api_key is None:
            return True
        presented = next((value for name, value in scope.get("headers") or [] if name == b"x-api-key"), None)
        expected = settings.api_key.get_secret_value().encode("utf-8")
        return presented is not None and secrets.compare_digest(presented, expected)


__all__ = ["CachedEvaluateMiddleware"]
