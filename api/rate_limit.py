"""Per-client limits: who a client is, and a token bucket on the requests that cost work or storage.

A client is its IP address. Not its X-API-Key header: the service has one key, shared by every user when it
is set, and without it the header is whatever the caller writes (a new one per request would slip past
every per-client limit). POST and DELETE requests draw from the client's bucket (``rate_limit_per_minute``,
burst a quarter of it); reads (GET, HEAD, OPTIONS) and /health do not. Over the limit: 429 with Retry-After.
"""

from __future__ import annotations

import math
import threading
import time

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LIMITED_METHODS = frozenset({"POST", "DELETE", "PUT", "PATCH"})
MAX_TRACKED_CLIENTS = 10_000  # buckets kept; the idlest are dropped first (a full bucket loses nothing)


def client_key(scope: Scope) -> str:
    """The client's identity for fairness and rate limits: its IP address (see the module docstring)."""
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


class TokenBuckets:
    """Thread-safe token buckets keyed by client: ``per_minute`` refill, ``burst`` capacity."""

    def __init__(self, per_minute: int, burst: int | None = None, clock=time.monotonic):
        self.rate_per_s = per_minute / 60.0
        self.burst = float(burst if burst is not None else max(1, per_minute // 4))
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may go ahead (a token is spent), else the seconds until a token is free."""
        now = self._clock()
        with self._lock:
            tokens, stamp = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - stamp) * self.rate_per_s)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                self._forget_idle()
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate_per_s

    def _forget_idle(self) -> None:
        if len(self._buckets) > MAX_TRACKED_CLIENTS:
            oldest = sorted(self._buckets, key=lambda name: self._buckets[name][1])
            for name in oldest[: len(self._buckets) - MAX_TRACKED_CLIENTS]:
                del self._buckets[name]


class RateLimitMiddleware:
    """429 + Retry-After for a client above its POST/DELETE rate."""

    def __init__(self, app: ASGIApp, per_minute: int):
        self.app = app
        self.buckets = TokenBuckets(per_minute)
        self.per_minute = per_minute

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") in LIMITED_METHODS:
            wait_s = self.buckets.take(client_key(scope))
            if wait_s > 0:
                response = JSONResponse(
                    {"detail": f"more than {self.per_minute} POST/DELETE requests per minute from this client "
                               "(SSB_TWIN_RATE_LIMIT_PER_MINUTE); retry later"},
                    status_code=429, headers={"Retry-After": str(max(1, math.ceil(wait_s)))},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


__all__ = ["RateLimitMiddleware", "TokenBuckets", "client_key"]
