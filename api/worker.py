"""Code that runs inside worker processes: one job per process, evaluations in a process pool.

A job's data crosses the process boundary as JSON text only (``send_bytes``), and the job re-validates its
scenario from the stored canonical JSON. An evaluation gets the :class:`Scenario` the server validated at the
edge (the pool pickles that object, built by our own validation: request bytes never reach ``pickle``), so
it is not validated twice, and sends back the response's JSON text, encoded once. A seed variant of a
scenario the server validated before comes as that scenario pickled once by the server and the seed
(:class:`SeedVariantInput`), unpickled only by a worker that has not kept it.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import logging
import os
import pickle
import time
from collections import OrderedDict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from api.json_values import json_safe
from api.lifeline import exit_when_server_gone
from process_models.errors import PhysicsDomainError
from twin.scenario import Scenario, ScenarioError, validate_scenario
from twin.scenario.loader import remember_scenario_hash

log = logging.getLogger("ssb_twin.api.worker")

# A progress message at most this often (plus the final 1.0): the parent writes each one to the DB.
PROGRESS_MESSAGE_INTERVAL_S = 0.2


class JobCancelled(Exception):
    """Raised from the progress callback when the parent asked the job to stop."""


class ParentGone(Exception):
    """The server process died: the worker stops instead of computing for nobody."""


def limit_memory(memory_mb: int | None) -> None:
    """Cap this process's address space, so a computation that outgrows it raises MemoryError here
    (reported as a failed evaluation/job) instead of driving the machine into the kernel's OOM killer."""
    if not memory_mb:
        return
    try:
        import resource
    except ImportError:  # not POSIX: no limit, the time limits still apply
        return
    limit = int(memory_mb) * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


# glibc mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# An evaluation allocates and frees the same few-MB arrays every call (the sample's 45 x 3000 state matrix,
# its copies at each check, the result tables). glibc serves blocks above its mmap threshold (128 kB at
# start, raised only up to the largest block freed) with fresh mmap pages that the kernel faults in and
# zeroes, and gives the heap's free top back above 128 kB: measured ~2 ms of a ~15 ms evaluation
# (docs/performance.md, /evaluate). Kept in the heap instead, a worker's memory stays at its largest
# evaluation's (tens of MB), under the worker's cap.
WORKER_MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024  # glibc's largest allowed value on 64-bit
WORKER_TRIM_THRESHOLD_BYTES = 128 * 1024 * 1024  # assumption: a worker keeps up to this much freed heap


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to reuse freed blocks up to 32 MB from its heap instead of mapping fresh pages each
    time; True if it took the settings (False off glibc, e.g. musl or macOS: nothing changes there)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, WORKER_MMAP_THRESHOLD_BYTES)
                and mallopt(_M_TRIM_THRESHOLD, WORKER_TRIM_THRESHOLD_BYTES))


# Modules an evaluation imports on first use (scipy.special: the inspection's probit and the escape variance's
# normal CDF, ~0.24 s of imports): a worker warmed up on a scenario without latent defects paid them at its
# first user's request, which then held up every request queued behind it (the first uncached requests of
# the load benchmark waited 0.6-0.8 s).
EVALUATION_LAZY_IMPORTS = ("scipy.special",)


def start_evaluation_worker(lifeline: Connection, memory_mb: int | None,
                            warm_up: tuple[Scenario, str] | None = None, service_module: str | None = None) -> None:
    """Pool ``initializer`` of the evaluation workers: exit with the server, cap memory, keep freed memory for
    the next evaluation (:func:`keep_freed_memory`), and with ``warm_up`` (a scenario and its hash) warm up
    (:func:`warm_up_evaluation`). In the initializer every worker warms up, a recycled pool's too: warm-up
    tasks submitted to the pool could all be taken by one worker, leaving the other to import the twin
    (~2 s) at a user's request."""
    exit_when_server_gone(lifeline)
    limit_memory(memory_mb)
    keep_freed_memory()
    if warm_up is not None and service_module is not None:
        warm_up_evaluation(*warm_up, service_module)


def describe_failure(exc: BaseException) -> tuple[str, str]:
    """(category, reason shown to the client). Internal errors get a fixed text; the log has the traceback."""
    if isinstance(exc, (ScenarioError, PhysicsDomainError)):
        return "input", str(exc)
    if isinstance(exc, MemoryError):
        return "resources", ("the computation needed more memory than a worker may use "
                             "(SSB_TWIN_WORKER_MEMORY_MB); reduce the scenario's size or the run length")
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith("twin"):
        return "unavailable", f"the service module '{exc.name}' is not available in this installation"
    return (
        "internal",
        f"internal error ({type(exc).__name__}) in the twin service; details are in the server log",
    )


def _send(conn: Connection, message: dict[str, Any]) -> None:
    conn.send_bytes(json.dumps(message, allow_nan=False).encode("utf-8"))


class _ProgressReporter:
    """The ``progress`` callback handed to the twin: forwards fractions and checks for cancellation."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.last_sent_s = 0.0

    def __call__(self, fraction: float) -> None:
        self.check_cancel()
        now = time.monotonic()
        value = float(fraction)
        if value != value:  # NaN from a buggy caller: ignore rather than corrupt the stored progress
            return
        if now - self.last_sent_s >= PROGRESS_MESSAGE_INTERVAL_S or value >= 1.0:
            self.last_sent_s = now
            _send(self.conn, {"type": "progress", "fraction": min(max(value, 0.0), 1.0)})

    def check_cancel(self) -> None:
        if not self.conn.poll():
            return
        try:
            command = self.conn.recv_bytes()
        except (EOFError, OSError):
            raise ParentGone() from None
        if command == b"cancel":
            raise JobCancelled()


def run_job(
    kind: str,
    scenario_json: str,
    params_json: str,
    service_module: str,
    conn: Connection,
    lifeline: Connection,
    memory_mb: int | None = None,
) -> None:
    """Process target: run one simulation/optimisation and report over ``conn`` as JSON messages."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if hasattr(os, "setpgid"):
        # own process group: a cancel or time-out stops this job and any pool the twin starts inside it
        os.setpgid(0, 0)
    exit_when_server_gone(lifeline, whole_group=True)
    limit_memory(memory_mb)
    reporter = _ProgressReporter(conn)
    try:
        scenario = validate_scenario(json.loads(scenario_json))
        services = importlib.import_module(service_module)
        params = json.loads(params_json)
        # job kind -> the service function that runs it (api.services)
        function = {"simulation": "simulate", "optimisation": "optimise", "investment": "invest",
                    "sensitivity": "sensitivity", "sweep": "sweep"}.get(kind)
        if function is None:
            raise ValueError(f"unknown job kind {kind!r}")
        result = getattr(services, function)(scenario, progress=reporter, **params)
        reporter.check_cancel()
        _send(conn, {"type": "done", "result": json_safe(result)})
    except JobCancelled:
        _send(conn, {"type": "cancelled"})
    except ParentGone:
        return
    except Exception as exc:  # noqa: BLE001 - every failure is reported to the parent, never lost
        category, reason = describe_failure(exc)
        if category in ("internal", "resources"):
            log.exception("job failed")
        try:
            _send(conn, {"type": "failed", "category": category, "reason": reason})
        except (BrokenPipeError, OSError):
            return
    finally:
        conn.close()


# Scenarios this worker evaluated, by their canonical JSON's hash without the seed (the server's
# ``seedless_key``): a client sampling seeds sends one scenario many times with only the seed changed.
_SEED_BASES: OrderedDict[str, Scenario] = OrderedDict()
SEED_BASES_KEPT = 8  # assumption: a few scenarios sampled at once (the server keeps 16 seed-less forms)


@dataclass(frozen=True)
class SeedVariantInput:
    """What the server hands a worker for a seed variant instead of the scenario: the scenario of its
    seed-less form, pickled once by the server (``api.scenario_input``: our own validated object, as the pool
    would pickle it; request bytes never reach ``pickle``), and the seed. Pickling and unpickling the whole
    scenario for every request (~33 kB, ~0.3 ms each side) was work a worker that kept the scenario threw
    away: it evaluates its kept scenario's ``model_copy`` with the seed (:func:`seed_variant`)."""

    base_pickle: bytes
    seed: int


def seed_variant(scenario: Scenario | SeedVariantInput, seedless_key: str | None) -> Scenario:
    """``scenario``, built from the parts of one evaluated before when only its seed differs.

    The pool unpickles every request's scenario into new objects, so the twin's figures kept per part object
    (a step's draw plan and tables, the line's zone pressures, the exposure windows, ...) were computed afresh
    for every seed. A scenario whose ``seedless_key`` (SHA-256 of its canonical JSON but the seed) was seen
    is that scenario's ``model_copy`` with this seed: the same fields, the same parts (no model rule reads the
    seed; the server builds its seed variants the same way, api.scenario_input). A
    :class:`SeedVariantInput` is unpickled only when this worker has not kept its scenario."""
    if isinstance(scenario, SeedVariantInput):
        if seedless_key is None:
            raise ValueError("a seed variant's input needs its seedless_key (api.scenario_input.ResolvedScenario)")
        seed = scenario.seed
        base = _SEED_BASES.get(seedless_key)
        if base is None:
            base = pickle.loads(scenario.base_pickle)
            if not isinstance(base, Scenario):
                raise TypeError(f"a seed variant's base is a {type(base).__name__}, not a Scenario")
            _keep_base(seedless_key, base)
        else:
            _SEED_BASES.move_to_end(seedless_key)
        return base if base.seed == seed else base.model_copy(update={"seed": seed})
    if seedless_key is None:
        return scenario
    base = _SEED_BASES.get(seedless_key)
    if base is None:
        _keep_base(seedless_key, scenario)
        return scenario
    _SEED_BASES.move_to_end(seedless_key)
    return base if base.seed == scenario.seed else base.model_copy(update={"seed": scenario.seed})


def _keep_base(seedless_key: str, scenario: Scenario) -> None:
    _SEED_BASES[seedless_key] = scenario
    while len(_SEED_BASES) > SEED_BASES_KEPT:
        _SEED_BASES.popitem(last=False)


def evaluate_in_worker(scenario: Scenario | SeedVariantInput, scenario_hash: str, service_module: str,
                       seedless_key: str | None = None) -> tuple[bool, str]:
    """Evaluate one validated scenario: ``(True, response JSON)``, or ``(False, failure envelope JSON)`` with
    ``category``, ``reason`` and ``problems``. ``seedless_key``, a :class:`SeedVariantInput`: see
    :func:`seed_variant`."""
    try:
        services = importlib.import_module(service_module)
        scenario = seed_variant(scenario, seedless_key)
        remember_scenario_hash(scenario, scenario_hash)  # the server hashed this same scenario: not again
        result = json_safe(services.evaluate(scenario))
        if isinstance(result, dict):
            result.setdefault("scenario_hash", scenario_hash)
        return True, json.dumps(result, separators=(",", ":"), allow_nan=False)
    except Exception as exc:  # noqa: BLE001 - the envelope carries the failure across the process boundary
        category, reason = describe_failure(exc)
        if category in ("internal", "resources"):
            log.exception("evaluation failed")
        problems = exc.problems if isinstance(exc, ScenarioError) else [reason]
        return False, json.dumps({"category": category, "reason": reason, "problems": problems})


def warm_up_evaluation(scenario: Scenario, scenario_hash: str, service_module: str) -> None:
    """Run one evaluation and import what other scenarios' evaluations import on first use
    (:data:`EVALUATION_LAZY_IMPORTS`), so a fresh worker's imports and first-call caches are paid before
    users come."""
    evaluate_in_worker(scenario, scenario_hash, service_module)
    for module in EVALUATION_LAZY_IMPORTS:
        try:
            importlib.import_module(module)
        except ImportError:  # not installed: the evaluation that needs it says so when it comes
            log.warning("evaluation worker warm-up: module %s is not available", module)


__all__ = [
    "EVALUATION_LAZY_IMPORTS",
    "JobCancelled",
    "ParentGone",
    "SeedVariantInput",
    "describe_failure",
    "evaluate_in_worker",
    "keep_freed_memory",
    "limit_memory",
    "run_job",
    "seed_variant",
    "start_evaluation_worker",
    "warm_up_evaluation",
]
