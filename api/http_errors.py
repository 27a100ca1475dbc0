"""Map every failure to a JSON error with a fixed ``detail``: no stack trace ever reaches a client."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.scenario_input import RequestInputError

log = logging.getLogger("ssb_twin.api")

INTERNAL_ERROR_DETAIL = "internal error; it has been logged with reference {reference}"


def _short_input(value: Any) -> str | None:
    if isinstance(value, (int, float, bool)) or (isinstance(value, str) and len(value) <= 60):
        return repr(value)
    return None


# the form a request's mapping fields take, for the 422 when a client sends something else
MAPPING_FORMS = {
    "overrides": '{"dotted.path": value}, e.g. {"costs.labour.usd_per_hour": 35}',
    "grid": '{"dotted.path": [values]}, e.g. {"costs.labour.usd_per_hour": [30, 40]}',
}


def _quoted_json(value: Any) -> str:
    """A client's JSON value for an error message, cut to 60 characters."""
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _mapping_message(error: dict[str, Any]) -> str:
    """A mapping field given a list, number or text: the field, what came, and the form it takes."""
    # "body" and a union member's tag ("dict[str,any]") are not the client's words
    loc = [str(part) for part in error.get("loc", ()) if part != "body" and "[" not in str(part)]
    field = ".".join(loc) or "body"
    form = MAPPING_FORMS.get(loc[-1] if loc else "", "a JSON object")
    return f"{field}: {_quoted_json(error.get('input'))} is not a mapping; expected {form}"


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic errors as {loc, msg, type}; the input is quoted only when short, never echoed whole."""
    details = []
    for error in errors:
        message = str(error.get("msg", "invalid value"))
        for bound in (error.get("ctx") or {}).values():
            # a bound such as one hour in days reads 0.0416667, not 0.041666666666666664
            if isinstance(bound, float) and repr(bound) in message:
                message = message.replace(repr(bound), f"{bound:.6g}")
        quoted = _short_input(error.get("input"))
        if error.get("type") == "dict_type":
            message = _mapping_message(error)
        elif quoted is not None and error.get("type") not in ("missing", "extra_forbidden"):
            message = f"{message} (got {quoted})"
        details.append(
            {
                "loc": [part for part in error.get("loc", ())],
                "msg": message,
                "type": str(error.get("type", "value_error")),
            }
        )
    return details


async def _request_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    for error in errors:
        if error.get("type") == "json_invalid":
            position = (error.get("ctx") or {}).get("error", "syntax error")
            return JSONResponse({"detail": f"request body is not valid JSON ({position})"}, status_code=400)
    return JSONResponse({"detail": validation_details(errors)}, status_code=422)


async def _request_input(_: Request, exc: RequestInputError) -> JSONResponse:
    return JSONResponse({"detail": exc.details}, status_code=422)


async def _too_deep(_: Request, exc: RecursionError) -> JSONResponse:
    log.warning("request rejected: nesting too deep")
    return JSONResponse({"detail": "request body is nested too deeply"}, status_code=400)


async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse(
        {"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None)
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    reference = uuid.uuid4().hex[:12]
    log.error(
        "unhandled error %s on %s %s",
        reference,
        request.method,
        request.url.path,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return JSONResponse({"detail": INTERNAL_ERROR_DETAIL.format(reference=reference)}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(RequestInputError, _request_input)
    app.add_exception_handler(RecursionError, _too_deep)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


async def pass_on_with_body(app: ASGIApp, scope: Scope, body: bytes, receive: Receive, send: Send) -> None:
    """Call ``app`` with a request body already read by a middleware: its first receive gets ``body``."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    await app(scope, replay, send)


class BodyLimitMiddleware:
    """413 for bodies above ``max_body_bytes``: checked on Content-Length and on the bytes actually streamed.

    The body is read here (it is bounded) and replayed to the app, so a client that lies in
    Content-Length or sends chunked data cannot push more than the limit into the server.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                declared_bytes = int(declared)
            except ValueError:
                await self._reply(send, 400, "Content-Length is not a number")
                return
            if declared_bytes > self.max_body_bytes:
                await self._reply(send, 413, self._too_large())
                return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_body_bytes:
                await self._reply(send, 413, self._too_large())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        await pass_on_with_body(self.app, scope, body, receive, send)

    def _too_large(self) -> str:
        return (
            f"request body is larger than the limit of {self.max_body_bytes} bytes (SSB_TWIN_MAX_BODY_BYTES)"
        )

    @staticmethod
    async def _reply(send: Send, status: int, detail: str) -> None:
        response = JSONResponse({"detail": detail}, status_code=status, headers={"Connection": "close"})
        await send({"type": "http.response.start", "status": status, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body})


class OptionsAllowMiddleware:
    """OPTIONS on any known path answers 204 with the full ``Allow`` header (every method of the path,
    plus HEAD where GET is served and OPTIONS itself); unknown paths fall through to 404."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "OPTIONS" or "app" not in scope:
            await self.app(scope, receive, send)
            return
        from starlette.routing import Match

        routes = list(getattr(scope["app"], "routes", []))
        # ask the router itself which methods match fully: no reliance on how routers are nested
        methods = {
            method for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
            if any(route.matches({**scope, "method": method})[0] == Match.FULL for route in routes)
        }
        if not methods:
            await self.app(scope, receive, send)
            return
        if "GET" in methods:
            methods.add("HEAD")
        methods.add("OPTIONS")
        allow = ", ".join(sorted(methods))
        await send({"type": "http.response.start", "status": 204, "headers": [(b"allow", allow.encode())]})
        await send({"type": "http.response.body", "body": b""})


__all__ = ["BodyLimitMiddleware", "OptionsAllowMiddleware", "INTERNAL_ERROR_DETAIL", "install_error_handlers",
           "validation_details"]
