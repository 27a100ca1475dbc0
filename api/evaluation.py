"""Synchronous steady-state evaluation with a two-level cache keyed by the scenario's canonical hash.

Level 1 is an in-memory LRU of response bytes (cached answers cost no JSON encoding); level 2 is the
``evaluations`` table, so the cache survives restarts. Misses run in a process pool (CPU-bound work off
the event loop and off the GIL); identical concurrent misses share one computation. A worker gets the
scenario as validated here (no second validation) and answers with the response's JSON text, which is
stored and sent as it is (encoded once, in the worker).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import threading
import weakref
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import process_models
import twin
from api.jobs import worker_context
from api.lifeline import ServerLifeline
from api.settings import ApiSettings
from api.store import JobStore
from api.worker import SeedVariantInput, evaluate_in_worker, start_evaluation_worker
from twin.scenario import Scenario

log = logging.getLogger("ssb_twin.api")


@functools.lru_cache(maxsize=1)
@functools.lru_cache(maxsize=1)
def model_fingerprint() -> str:
    """The key under which stored evaluations are kept: twin's version plus a digest of the model's files.

    Read once per process (the files a running server imported do not change under it; a restart reads
    them again): hashing the packages' files costs milliseconds, too much for every uncached request.

    twin.__version__ is not bumped on every change of the physics (a merge that moves numbers keeps 0.2.0),
    so keyed by the version alone a server restarted on new code served the old code's stored answers
    (x-cache: database). At most 32 characters (the evaluations table's twin_version column).
    """
    digest = hashlib.sha256()
    for package in (twin, process_models):
        root = Path(package.__file__).resolve().parent
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root.parent).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    return f"{twin.__version__[:15]}+{digest.hexdigest()[:16]}"


class EvaluationFailed(Exception):
    """The service could not evaluate a valid request. ``category`` is input | unavailable | internal."""

    def __init__(self, category: str, reason: str, problems: list[str]):
        super().__init__(reason)
        self.category = category
        self.reason = reason
        self.problems = problems


class EvaluationTimeout(Exception):
    """The evaluation took longer than ``evaluate_timeout_s``."""


class EvaluationBusy(Exception):
    """The client already has ``max_evaluations_per_client`` uncached evaluations computing."""


class _LruCache:
    def __init__(self, capacity: int):
        self.capacity = capacity
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        if self.capacity <= 0:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)


class Evaluator:
    """Answers /evaluate: memory LRU -> database -> a worker process."""

    def __init__(self, store: JobStore, settings: ApiSettings):
        self.store = store
        self.settings = settings
        self.cache = _LruCache(settings.evaluate_cache_size)
        # request fingerprint -> scenario hash, so a repeated request skips validation (bytes: the hash)
        self.fingerprints = _LruCache(settings.evaluate_cache_size * 4)
        self._pool: ProcessPoolExecutor | None = None
        self._in_flight: dict[str, asyncio.Future] = {}
        self._lifeline: ServerLifeline | None = None
        self._computing_by_client: dict[str, int] = {}
        # pools killed on purpose (a timed-out evaluation): requests that were queued on them run again
        self._recycled_pools: weakref.WeakSet = weakref.WeakSet()
        # one slot per pool worker; requests wait here in arrival order, so a request handed to the pool
        # finds a worker free and its time-out measures its own computation, not the queue ahead of it
        self._free_workers = asyncio.Semaphore(max(settings.evaluate_workers, 1))
        self._warm_up: tuple[Scenario, str] | None = None  # every (re)started worker evaluates it first

    def start(self, warm_up: tuple[Scenario, str] | None = None) -> None:
        """Start the pool; with a (scenario, hash), every worker evaluates it once in the background (warm-up,
        in each worker's initializer: :func:`api.worker.start_evaluation_worker`)."""
        if self.settings.evaluate_workers > 0:
            self._lifeline = ServerLifeline(worker_context())
            self._warm_up = warm_up
            self._pool = self._new_pool()
            # one no-op task per worker: the pool starts a process for each (none is idle yet), which warms
            # up in its initializer before users come
            for _ in range(self.settings.evaluate_workers):
                self._pool.submit(int)

    def _new_pool(self) -> ProcessPoolExecutor:
        assert self._lifeline is not None
        return ProcessPoolExecutor(
            self.settings.evaluate_workers,
            mp_context=worker_context(),
            initializer=start_evaluation_worker,
            initargs=(self._lifeline.reader, self.settings.worker_memory_mb, self._warm_up,
                      self.settings.service_module),
        )

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self._lifeline is not None:
            # workers still computing (after a 504) exit when their lifeline closes, not minutes later
            self._lifeline.close()
            self._lifeline = None

    def cached_for_request(self, fingerprint: str | None) -> tuple[bytes, str] | None:
        """(response bytes, scenario hash) for a request seen before, from memory only (safe on the loop)."""
        if fingerprint is None:
            return None
        known_hash = self.fingerprints.get(fingerprint)
        if known_hash is None:
            return None
        body = self.cache.get(known_hash.decode("ascii"))
        return (body, known_hash.decode("ascii")) if body is not None else None

    def remember_request(self, fingerprint: str | None, scenario_hash: str) -> None:
        if fingerprint is not None:
            self.fingerprints.put(fingerprint, scenario_hash.encode("ascii"))

    async def evaluate(self, scenario_hash: str, scenario: Scenario, client: str = "",
                       seedless_key: str | None = None, seed_base_pickle: bytes | None = None) -> tuple[bytes, str]:
        """Response bytes and where they came from: 'memory', 'database' or 'computed'. ``seedless_key`` and
        ``seed_base_pickle`` (:class:`api.scenario_input.ResolvedScenario`), when known, let the worker reuse a
        seed variant's parts and take only its seed (:class:`api.worker.SeedVariantInput`).

        A client may have ``max_evaluations_per_client`` new computations in flight (joining one already
        running, or a cache hit, does not count): one client cannot occupy every worker."""
        hit = self.cache.get(scenario_hash)
        if hit is not None:
            return hit, "memory"
        pending = self._in_flight.get(scenario_hash)
        if pending is not None:
            try:
                return await asyncio.shield(pending), "computed"
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if pending.cancelled() and current is not None and not current.cancelling():
                    # the request computing it went away; this one computes instead
                    return await self.evaluate(scenario_hash, scenario, client, seedless_key, seed_base_pickle)
                raise
        if self._computing_by_client.get(client, 0) >= self.settings.max_evaluations_per_client:
            raise EvaluationBusy()
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        self._in_flight[scenario_hash] = future
        self._computing_by_client[client] = self._computing_by_client.get(client, 0) + 1
        try:
            body, source = await self._load_or_compute(scenario_hash, scenario, seedless_key, seed_base_pickle)
            future.set_result(body)
            return body, source
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: nobody else may be waiting
            raise
        finally:
            del self._in_flight[scenario_hash]
            left = self._computing_by_client.get(client, 1) - 1
            if left > 0:
                self._computing_by_client[client] = left
            else:
                self._computing_by_client.pop(client, None)

    async def _load_or_compute(self, scenario_hash: str, scenario: Scenario, seedless_key: str | None = None,
                               seed_base_pickle: bytes | None = None) -> tuple[bytes, str]:
        version = model_fingerprint()
        stored = await asyncio.to_thread(self.store.get_evaluation, scenario_hash, version)
        if stored is not None:
            body = stored.encode("utf-8")
            self.cache.put(scenario_hash, body)
            return body, "database"
        ok, text = await self._run(scenario, scenario_hash, seedless_key, seed_base_pickle)
        if not ok:
            failure: dict[str, Any] = json.loads(text)
            raise EvaluationFailed(failure["category"], failure["reason"], failure.get("problems") or [])
        await asyncio.to_thread(self.store.put_evaluation, scenario_hash, version, text)
        body = text.encode("utf-8")
        self.cache.put(scenario_hash, body)
        return body, "computed"

    async def _run(self, scenario: Scenario, scenario_hash: str, seedless_key: str | None = None,
                   seed_base_pickle: bytes | None = None) -> tuple[bool, str]:
        """Evaluate in a worker. The time-out counts from when a worker is free for this request: waiting
        behind other clients' evaluations (first come, first served) is not this request's computing time."""
        module = self.settings.service_module
        if seedless_key is not None and seed_base_pickle is not None:  # a seed variant: the seed, not the scenario
            scenario = SeedVariantInput(seed_base_pickle, scenario.seed)
        if self._pool is None:
            call = asyncio.to_thread(evaluate_in_worker, scenario, scenario_hash, module, seedless_key)
            try:
                return await asyncio.wait_for(call, self.settings.evaluate_timeout_s)
            except TimeoutError:
                raise EvaluationTimeout() from None
        async with self._free_workers:
            for attempt in range(2):
                pool = self._pool
                if pool is None:  # the server is stopping
                    raise EvaluationFailed("unavailable", "the server is shutting down; retry the request", [])
                try:
                    call = asyncio.get_running_loop().run_in_executor(
                        pool, evaluate_in_worker, scenario, scenario_hash, module, seedless_key
                    )
                    return await asyncio.wait_for(call, self.settings.evaluate_timeout_s)
                except TimeoutError:
                    # the worker keeps computing for nobody: kill it, so it does not hold a slot past its time
                    self._recycle(pool, "an evaluation exceeded SSB_TWIN_EVALUATE_TIMEOUT_S")
                    raise EvaluationTimeout() from None
                except BrokenProcessPool:
                    if pool in self._recycled_pools and attempt == 0:
                        # killed for another request's time-out: run again on the new pool, with a full
                        # time-out (its lost time was not its fault) and keeping its place
                        continue
                    # a worker died (out of memory, a crash in native code): replace the pool, log, answer 503
                    self._recycle(pool, "an evaluation worker process died")
                    raise EvaluationFailed(
                        "unavailable", "the evaluation worker process died (the server log has the reason); "
                        "it has been restarted, retry the request", []
                    ) from None
        raise EvaluationTimeout()

    def _recycle(self, pool: ProcessPoolExecutor, why: str) -> None:
        """Kill ``pool``'s workers and put a fresh pool in its place (once per pool)."""
        if self._pool is not pool:
            return
        log.warning("%s; restarting the evaluation worker pool", why)
        self._recycled_pools.add(pool)
        self._pool = self._new_pool()
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            try:
                process.kill()
            except (OSError, AttributeError):
                pass
        pool.shutdown(wait=False)


__all__ = ["EvaluationBusy", "EvaluationFailed", "EvaluationTimeout", "Evaluator"]
