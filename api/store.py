"""Durable job and evaluation storage (SQLAlchemy 2.0 Core; SQLite in WAL mode by default).

Results are stored as JSON text. Status moves queued -> running -> done | failed | cancelled. A restart
loses no row; finished jobs and cached evaluations are deleted only by :meth:`JobStore.purge` under the
retention settings (age and count), never a queued or running job.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError

ACTIVE_STATUSES = ("queued", "running")
FINAL_STATUSES = ("done", "failed", "cancelled")

metadata = MetaData()

jobs_table = Table(
    "jobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("status", String(12), nullable=False, index=True),
    Column("progress", Float, nullable=False, default=0.0),
    Column("scenario_name", String(64), nullable=False),
    Column("scenario_hash", String(64), nullable=False),
    Column("scenario_json", Text, nullable=False),
    Column("params_json", Text, nullable=False),
    Column("result_json", Text, nullable=True),
    Column("error", Text, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("cancel_requested", Boolean, nullable=False, default=False),
    Column("created_at", Float, nullable=False, index=True),
    Column("started_at", Float, nullable=True),
    Column("finished_at", Float, nullable=True),
)

evaluations_table = Table(
    "evaluations",
    metadata,
    Column("scenario_hash", String(64), primary_key=True),
    Column("twin_version", String(32), primary_key=True),
    Column("result_json", Text, nullable=False),
    Column("created_at", Float, nullable=False),
)

# The evaluation cache's statements, built once: building a statement and its cache key per call was most
# of a cache look-up's or store's ~0.1-0.3 ms of server CPU (once or twice per computed /evaluate)
_EVALUATION_KEY = (evaluations_table.c.scenario_hash == bindparam("scenario_hash"),
                   evaluations_table.c.twin_version == bindparam("twin_version"))
_STORED_RESULT = select(evaluations_table.c.result_json).where(*_EVALUATION_KEY)
_STORED_KEY = select(evaluations_table.c.scenario_hash).where(*_EVALUATION_KEY)
_STORE_RESULT = evaluations_table.insert()
# The job dispatcher's look-up for queued jobs, every POLL_INTERVAL_S (api.jobs) while the server runs, built
# once per limit (the free worker slots, 1..workers): building the statement each time was most of the idle
# server's CPU, which the evaluations share
_QUEUED_JOBS: dict[int, Any] = {}


@dataclass(frozen=True)
class JobRecord:
    """One job row, as read from the database."""

    id: str
    kind: str
    status: str
    progress: float
    scenario_name: str
    scenario_hash: str
    scenario_json: str
    params: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    cancel_requested: bool
    created_at: float
    started_at: float | None
    finished_at: float | None


def _record(row: Any) -> JobRecord:
    return JobRecord(
        id=row.id,
        kind=row.kind,
        status=row.status,
        progress=row.progress,
        scenario_name=row.scenario_name,
        scenario_hash=row.scenario_hash,
        scenario_json=row.scenario_json,
        params=json.loads(row.params_json),
        result=json.loads(row.result_json) if row.result_json is not None else None,
        error=row.error,
        attempts=row.attempts,
        cancel_requested=bool(row.cancel_requested),
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


def engine_url(database_url: str) -> str:
    """The URL SQLAlchemy gets: a bare ``postgresql://`` (or ``postgres://``) uses psycopg 3, the driver
    this package installs (SQLAlchemy's own default for it, psycopg2, is not a dependency)."""
    url = make_url(database_url)
    if url.drivername in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return database_url


def make_engine(database_url: str) -> Engine:
    """Engine with SQLite tuned for one writer thread plus concurrent readers (WAL, busy timeout)."""
    database_url = engine_url(database_url)
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # noqa: ANN001 - DBAPI hook signature
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable across an application crash in WAL mode (only an OS crash may lose the
            # last commits), which is the failure a restart test exercises.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True)


class JobStore:
    """Jobs and cached evaluations in one database."""

    def __init__(self, database_url: str):
        self.engine = make_engine(database_url)
        metadata.create_all(self.engine)

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - health reports any database failure as "not ok"
            return False

    def close(self) -> None:
        self.engine.dispose()

    # --- jobs -------------------------------------------------------------------------------------------
    def create_job(
        self, kind: str, scenario_name: str, scenario_hash: str, scenario_json: str, params: dict[str, Any]
    ) -> JobRecord:
        job_id = str(uuid.uuid4())
        with self.engine.begin() as connection:
            connection.execute(
                jobs_table.insert().values(
                    id=job_id,
                    kind=kind,
                    status="queued",
                    progress=0.0,
                    scenario_name=scenario_name,
                    scenario_hash=scenario_hash,
                    scenario_json=scenario_json,
                    params_json=json.dumps(params),
                    attempts=0,
                    cancel_requested=False,
                    created_at=time.time(),
                )
            )
        job = self.get_job(job_id)
        assert job is not None
        return job

    def get_job(self, job_id: str) -> JobRecord | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(jobs_table).where(jobs_table.c.id == job_id)).first()
        return _record(row) if row is not None else None

    def count_active(self) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count())
                    .select_from(jobs_table)
                    .where(jobs_table.c.status.in_(ACTIVE_STATUSES))
                ).scalar_one()
            )

    def count_by_status(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(jobs_table.c.status, func.count()).group_by(jobs_table.c.status)
            ).all()
        return {status: int(count) for status, count in rows}

    def next_queued(self, limit: int) -> list[str]:
        """Ids of the oldest queued jobs (first in, first out)."""
        statement = _QUEUED_JOBS.get(limit)
        if statement is None:
            statement = select(jobs_table.c.id).where(jobs_table.c.status == "queued").order_by(
                jobs_table.c.created_at).limit(limit)
            if len(_QUEUED_JOBS) < 64:   # assumption: a server has at most this many job workers
                _QUEUED_JOBS[limit] = statement
        with self.engine.connect() as connection:
            rows = connection.execute(statement).all()
        return [row.id for row in rows]

    def claim(self, job_id: str) -> JobRecord | None:
        """Move a queued job to running; None if another actor changed it first."""
        with self.engine.begin() as connection:
            claimed = connection.execute(
                update(jobs_table)
                .where(jobs_table.c.id == job_id, jobs_table.c.status == "queued")
                .values(
                    status="running", started_at=time.time(), attempts=jobs_table.c.attempts + 1, progress=0.0
                )
            ).rowcount
        return self.get_job(job_id) if claimed else None

    def set_progress(self, job_id: str, fraction: float) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(jobs_table)
                .where(jobs_table.c.id == job_id, jobs_table.c.status == "running")
                .values(progress=min(max(fraction, 0.0), 1.0))
            )

    def finish(
        self, job_id: str, status: str, *, result_json: str | None = None, error: str | None = None
    ) -> bool:
        """Record a final status; only an active job can finish (a final status is never overwritten)."""
        assert status in FINAL_STATUSES
        values: dict[str, Any] = {"status": status, "finished_at": time.time(), "error": error}
        if result_json is not None:
            values["result_json"] = result_json
            values["progress"] = 1.0
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(jobs_table)
                .where(jobs_table.c.id == job_id, jobs_table.c.status.in_(ACTIVE_STATUSES))
                .values(**values)
            ).rowcount
        return bool(changed)

    def request_cancel(self, job_id: str) -> str | None:
        """Cancel a queued job at once or flag a running one; returns the status afterwards (None if gone)."""
        now = time.time()
        with self.engine.begin() as connection:
            connection.execute(
                update(jobs_table)
                .where(jobs_table.c.id == job_id, jobs_table.c.status == "queued")
                .values(
                    status="cancelled",
                    finished_at=now,
                    error="cancelled by a DELETE request",
                    cancel_requested=True,
                )
            )
            connection.execute(
                update(jobs_table)
                .where(jobs_table.c.id == job_id, jobs_table.c.status == "running")
                .values(cancel_requested=True)
            )
        job = self.get_job(job_id)
        return job.status if job is not None else None

    def requeue(self, job_id: str, *, count_attempt: bool) -> None:
        """Put a running job back in the queue (graceful shutdown: the attempt does not count)."""
        values: dict[str, Any] = {"status": "queued", "progress": 0.0, "started_at": None}
        if not count_attempt:
            values["attempts"] = jobs_table.c.attempts - 1
        with self.engine.begin() as connection:
            connection.execute(
                update(jobs_table)
                .where(jobs_table.c.id == job_id, jobs_table.c.status == "running")
                .values(**values)
            )

    def recover_interrupted(self, max_attempts: int) -> dict[str, list[str]]:
        """At startup: jobs left 'running' by a crash are re-queued, or failed once they used max_attempts.

        Cancel requests that never reached a worker are honoured here. Queued jobs simply stay queued.
        """
        outcome: dict[str, list[str]] = {"requeued": [], "failed": [], "cancelled": []}
        now = time.time()
        with self.engine.begin() as connection:
            rows = connection.execute(
                select(jobs_table.c.id, jobs_table.c.attempts, jobs_table.c.cancel_requested).where(
                    jobs_table.c.status == "running"
                )
            ).all()
            for row in rows:
                if row.cancel_requested:
                    values = {
                        "status": "cancelled",
                        "finished_at": now,
                        "error": "cancelled by a DELETE request (the server stopped meanwhile)",
                    }
                    outcome["cancelled"].append(row.id)
                elif row.attempts >= max_attempts:
                    values = {
                        "status": "failed",
                        "finished_at": now,
                        "error": f"interrupted by a server stop during attempt {row.attempts} of "
                        f"{max_attempts} (SSB_TWIN_MAX_JOB_ATTEMPTS); not retried",
                    }
                    outcome["failed"].append(row.id)
                else:
                    values = {"status": "queued", "progress": 0.0, "started_at": None}
                    outcome["requeued"].append(row.id)
                connection.execute(update(jobs_table).where(jobs_table.c.id == row.id).values(**values))
        return outcome

    # --- evaluations ------------------------------------------------------------------------------------
    def get_evaluation(self, scenario_hash: str, twin_version: str) -> str | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                _STORED_RESULT, {"scenario_hash": scenario_hash, "twin_version": twin_version}
            ).first()
        return row.result_json if row is not None else None

    def put_evaluation(self, scenario_hash: str, twin_version: str, result_json: str) -> None:
        # one transaction: the look-up and the insert (a second transaction per computed evaluation was
        # ~0.1 ms of the server's CPU); the look-up keeps a stored row from raising in the database's log
        try:
            with self.engine.begin() as connection:
                key = {"scenario_hash": scenario_hash, "twin_version": twin_version}
                if connection.execute(_STORED_KEY, key).first() is not None:
                    return
                connection.execute(_STORE_RESULT, {**key, "result_json": result_json, "created_at": time.time()})
        except IntegrityError:
            pass  # another request stored the same evaluation first; both results are identical


    # --- retention ----------------------------------------------------------------------------------------
    def purge(self, max_age_s: float, max_jobs: int, max_evaluations: int, now: float | None = None) -> dict:
        """Delete finished jobs older than ``max_age_s`` and beyond the newest ``max_jobs``, and cached
        evaluations beyond the newest ``max_evaluations``. Queued and running jobs are never touched.
        Returns how many rows of each went."""
        now = time.time() if now is None else now
        final = jobs_table.c.status.in_(FINAL_STATUSES)
        finished = func.coalesce(jobs_table.c.finished_at, jobs_table.c.created_at)
        with self.engine.begin() as connection:
            old = connection.execute(delete(jobs_table).where(final, finished < now - max_age_s)).rowcount
            keep = select(jobs_table.c.id).where(final).order_by(finished.desc()).limit(max_jobs)
            extra = connection.execute(
                delete(jobs_table).where(final, jobs_table.c.id.not_in(keep.scalar_subquery()))
            ).rowcount
            newest = (select(evaluations_table.c.scenario_hash, evaluations_table.c.twin_version)
                      .order_by(evaluations_table.c.created_at.desc()).limit(max_evaluations))
            evaluations = connection.execute(
                delete(evaluations_table).where(
                    tuple_(evaluations_table.c.scenario_hash, evaluations_table.c.twin_version).not_in(newest)
                )
            ).rowcount
        return {"jobs": int(old or 0) + int(extra or 0), "evaluations": int(evaluations or 0)}

    def count_rows(self) -> dict[str, int]:
        """Rows in the jobs and evaluations tables (for retention checks and health)."""
        with self.engine.connect() as connection:
            jobs = connection.execute(select(func.count()).select_from(jobs_table)).scalar_one()
            evaluations = connection.execute(select(func.count()).select_from(evaluations_table)).scalar_one()
        return {"jobs": int(jobs), "evaluations": int(evaluations)}


__all__ = ["ACTIVE_STATUSES", "FINAL_STATUSES", "JobRecord", "JobStore", "engine_url", "make_engine"]
