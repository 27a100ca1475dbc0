"""Bounded job runner: at most ``workers`` simulations/optimisations run, each in its own process.

The queue is the ``jobs`` table, so queued work survives a restart. One dispatcher thread starts queued
jobs while a slot is free, reads JSON messages from the workers (progress, result, failure), writes them to
the database and enforces cancellation and the time limit. A process per job keeps CPU-bound work off the
event loop and lets a cancel or a crash (even a segfault in a solver) end one job without touching the
server. Processes come from a ``forkserver`` so they do not inherit the server's threads and sockets.

Restart policy (documented in docs/api.md): at startup, jobs still marked ``running`` were interrupted by
a crash and are re-queued until they have been started ``max_job_attempts`` times, then failed with the
reason; on a graceful stop running jobs are re-queued without counting the attempt.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from api.json_values import dumps
from api.lifeline import ServerLifeline
from api.settings import ApiSettings
from api.store import JobRecord, JobStore
from api.worker import run_job

log = logging.getLogger("ssb_twin.api.jobs")

POLL_INTERVAL_S = 0.1
PROGRESS_WRITE_INTERVAL_S = 0.5  # progress reaches the DB at most this often per job


# Retention (job_retention_days, max_stored_jobs, max_stored_evaluations) is applied this often [s].
PURGE_INTERVAL_S = 60.0

class QueueFull(Exception):
    """Too many queued + running jobs; the client should retry later (HTTP 429)."""


@dataclass
class _RunningJob:
    job_id: str
    process: Any
    conn: Connection
    started_monotonic: float
    last_progress_write: float = 0.0
    pending_progress: float | None = None
    cancel_sent_at: float | None = None
    final_message: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


def stop_process_tree(process: Any, hard: bool = False) -> None:
    """Signal a job process and everything it started (it leads its own process group)."""
    sent = signal.SIGKILL if hard else signal.SIGTERM
    try:
        if hasattr(os, "killpg") and process.pid is not None and os.getpgid(process.pid) == process.pid:
            os.killpg(process.pid, sent)
            return
    except (ProcessLookupError, PermissionError):
        pass
    if process.is_alive():
        process.kill() if hard else process.terminate()


def worker_context() -> Any:
    """The multiprocessing context for workers: forkserver where available (Linux, macOS), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class JobRunner:
    """Owns the worker processes for long jobs; the routes only submit, read and cancel."""

    def __init__(self, store: JobStore, settings: ApiSettings):
        self.store = store
        self.settings = settings
        self._running: dict[str, _RunningJob] = {}
        self._lock = threading.Lock()  # serialises queue-length check + insert
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._context = worker_context()
        self._lifeline = ServerLifeline(self._context)
        self._last_purge = -PURGE_INTERVAL_S

    # --- lifecycle --------------------------------------------------------------------------------------
    def start(self) -> dict[str, list[str]]:
        """Recover jobs interrupted by a crash, then start the dispatcher thread."""
        outcome = self.store.recover_interrupted(self.settings.max_job_attempts)
        for action, ids in outcome.items():
            for job_id in ids:
                log.warning("job %s interrupted by the previous server stop: %s", job_id, action)
        self._thread = threading.Thread(target=self._dispatch_loop, name="ssb-twin-jobs", daemon=True)
        self._thread.start()
        return outcome

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop the dispatcher; running jobs go back to the queue (re-run at the next start)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        for running in list(self._running.values()):
            if running.process.is_alive():
                stop_process_tree(running.process)
                running.process.join(2.0)
                if running.process.is_alive():
                    stop_process_tree(running.process, hard=True)
            self._drain(running)
            job = self.store.get_job(running.job_id)
            if running.final_message is not None or (job is not None and job.cancel_requested):
                self._record_final(running)
            else:
                self.store.requeue(running.job_id, count_attempt=False)
            running.conn.close()
        self._running.clear()
        self._lifeline.close()

    # --- API used by the routes -------------------------------------------------------------------------
    def submit(
        self, kind: str, scenario_name: str, scenario_hash: str, scenario_json: str, params: dict[str, Any]
    ) -> JobRecord:
        with self._lock:
            if self.store.count_active() >= self.settings.max_queued_jobs:
                raise QueueFull()
            job = self.store.create_job(kind, scenario_name, scenario_hash, scenario_json, params)
        self._wake.set()
        return job

    def cancel(self, job_id: str) -> str | None:
        status = self.store.request_cancel(job_id)
        self._wake.set()
        return status

    @property
    def running_count(self) -> int:
        return len(self._running)

    # --- dispatcher -------------------------------------------------------------------------------------
    def _dispatch_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self._read_messages()
                self._reap_finished()
                self._enforce_cancel_and_timeout()
                self._start_queued()
                self._purge_when_due()
            except Exception:  # noqa: BLE001 - the loop must survive a transient DB error
                log.exception("job dispatcher error; retrying")
                time.sleep(1.0)
            if not self._running:
                self._wake.wait(POLL_INTERVAL_S)
            self._wake.clear()

    def _purge_when_due(self) -> None:
        """Apply the retention settings at most every PURGE_INTERVAL_S (and once at start)."""
        now = time.monotonic()
        if now - self._last_purge < PURGE_INTERVAL_S:
            return
        self._last_purge = now
        removed = self.store.purge(self.settings.job_retention_days * 86400.0, self.settings.max_stored_jobs,
                                   self.settings.max_stored_evaluations)
        if removed["jobs"] or removed["evaluations"]:
            log.info("retention: deleted %d finished jobs and %d cached evaluations",
                     removed["jobs"], removed["evaluations"])

    def _start_queued(self) -> None:
        free = self.settings.workers - len(self._running)
        if free <= 0 or self._stopping.is_set():
            return
        for job_id in self.store.next_queued(free):
            job = self.store.claim(job_id)
            if job is None:
                continue
            params_json = json.dumps(job.params)
            parent_conn, child_conn = self._context.Pipe(duplex=True)
            process = self._context.Process(
                target=run_job,
                name=f"ssb-twin-job-{job.id[:8]}",
                daemon=False,
                args=(
                    job.kind,
                    job.scenario_json,
                    params_json,
                    self.settings.service_module,
                    child_conn,
                    self._lifeline.reader,
                    self.settings.worker_memory_mb,
                ),
            )
            try:
                process.start()
            except Exception as exc:  # noqa: BLE001 - e.g. out of processes: fail this job, keep serving
                log.exception("could not start a worker for job %s", job.id)
                self.store.finish(
                    job.id, "failed", error=f"could not start a worker process ({type(exc).__name__})"
                )
                parent_conn.close()
                child_conn.close()
                continue
            # not a daemon: the DES may start its own process pool inside a job (daemons cannot have
            # children); stop() and the process group make sure no job outlives the server's shutdown
            child_conn.close()  # the child owns its end; EOF then tells either side the other is gone
            self._running[job.id] = _RunningJob(job.id, process, parent_conn, time.monotonic())
            log.info("job %s (%s) started in pid %s, attempt %d", job.id, job.kind, process.pid, job.attempts)

    def _read_messages(self) -> None:
        if not self._running:
            return
        connections = [running.conn for running in self._running.values()]
        sentinels = [running.process.sentinel for running in self._running.values()]
        wait(connections + sentinels, timeout=POLL_INTERVAL_S)
        now = time.monotonic()
        for running in self._running.values():
            self._drain(running)
            if running.pending_progress is not None and (
                now - running.last_progress_write >= PROGRESS_WRITE_INTERVAL_S
                or running.pending_progress >= 1.0
            ):
                self.store.set_progress(running.job_id, running.pending_progress)
                running.last_progress_write = now
                running.pending_progress = None

    def _drain(self, running: _RunningJob) -> None:
        try:
            while running.conn.poll():
                message = json.loads(running.conn.recv_bytes())
                if message.get("type") == "progress":
                    running.pending_progress = float(message["fraction"])
                else:
                    running.final_message = message
        except (EOFError, OSError):
            pass  # the worker exited; the sentinel handles it

    def _reap_finished(self) -> None:
        for job_id, running in list(self._running.items()):
            if running.final_message is None and running.process.is_alive():
                continue
            running.process.join(5.0)
            if running.process.is_alive():  # sent its result but hangs in teardown
                stop_process_tree(running.process, hard=True)
                running.process.join(1.0)
            self._drain(running)
            self._record_final(running)
            running.conn.close()
            del self._running[job_id]

    def _record_final(self, running: _RunningJob) -> None:
        message = running.final_message
        job_id = running.job_id
        if message is not None and message.get("type") == "done":
            self.store.finish(job_id, "done", result_json=dumps(message.get("result")))
            log.info("job %s done", job_id)
            return
        if message is not None and message.get("type") == "cancelled":
            self.store.finish(job_id, "cancelled", error="cancelled by a DELETE request")
            return
        if message is not None and message.get("type") == "failed":
            self.store.finish(job_id, "failed", error=str(message.get("reason")))
            return
        job = self.store.get_job(job_id)
        if job is not None and job.cancel_requested:
            self.store.finish(job_id, "cancelled", error="cancelled by a DELETE request (worker stopped)")
            return
        reason = "; ".join(running.notes) or f"the worker process exited with code {running.process.exitcode}"
        self.store.finish(job_id, "failed", error=reason)
        log.error("job %s failed: %s", job_id, reason)

    def _enforce_cancel_and_timeout(self) -> None:
        if not self._running:
            return
        now = time.monotonic()
        cancel_requested = self._cancel_requested_ids()
        for running in self._running.values():
            if running.final_message is not None or not running.process.is_alive():
                continue
            if running.job_id in cancel_requested and running.cancel_sent_at is None:
                running.cancel_sent_at = now
                try:
                    running.conn.send_bytes(b"cancel")
                except OSError:
                    pass
            if (
                running.cancel_sent_at is not None
                and now - running.cancel_sent_at > self.settings.cancel_grace_s
            ):
                # the service did not reach a progress call in time: stop the process itself
                stop_process_tree(running.process)
            if now - running.started_monotonic > self.settings.job_timeout_s and not running.notes:
                running.notes.append(
                    f"exceeded the job time limit of {self.settings.job_timeout_s:g} s "
                    "(SSB_TWIN_JOB_TIMEOUT_S)"
                )
                stop_process_tree(running.process)

    def _cancel_requested_ids(self) -> set[str]:
        ids = set()
        for job_id in self._running:
            job = self.store.get_job(job_id)
            if job is not None and job.cancel_requested:
                ids.add(job_id)
        return ids


__all__ = ["JobRunner", "QueueFull", "worker_context"]
