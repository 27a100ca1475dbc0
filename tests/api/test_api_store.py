"""The job store: state transitions, crash recovery at startup, WAL mode, graceful-stop requeue.

Every store test runs on SQLite and on a real PostgreSQL server (tests/api/postgres_server.py)."""

from __future__ import annotations

import pytest
from api_job_polling import wait_for_job
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.main import create_app
from api.store import JobStore


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'jobs.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(database_url):
    job_store = JobStore(database_url)
    yield job_store
    job_store.close()


@pytest.fixture
def sqlite_store(tmp_path):
    job_store = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield job_store
    job_store.close()


def _job(store: JobStore) -> str:
    return store.create_job("simulation", "oxide_baseline", "0" * 64, "{}", {"days": 1}).id


@pytest.mark.unit
def test_sqlite_runs_in_wal_mode(sqlite_store):
    with sqlite_store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"


@pytest.mark.unit
def test_claim_moves_queued_to_running_once(store):
    job_id = _job(store)
    first = store.claim(job_id)
    assert first is not None and first.status == "running" and first.attempts == 1
    assert store.claim(job_id) is None


@pytest.mark.unit
def test_a_final_status_is_never_overwritten(store):
    job_id = _job(store)
    store.claim(job_id)
    assert store.finish(job_id, "done", result_json='{"x": 1}') is True
    assert store.finish(job_id, "failed", error="late") is False
    job = store.get_job(job_id)
    assert (job.status, job.result, job.error, job.progress) == ("done", {"x": 1}, None, 1.0)


@pytest.mark.unit
def test_recovery_requeues_then_fails_after_max_attempts(store):
    job_id = _job(store)
    store.claim(job_id)  # attempt 1, then the server "crashes"
    assert store.recover_interrupted(max_attempts=2) == {"requeued": [job_id], "failed": [], "cancelled": []}
    assert store.get_job(job_id).status == "queued"
    store.claim(job_id)  # attempt 2, crash again
    assert store.recover_interrupted(max_attempts=2) == {"requeued": [], "failed": [job_id], "cancelled": []}
    job = store.get_job(job_id)
    assert job.status == "failed"
    assert job.error == (
        "interrupted by a server stop during attempt 2 of 2 (SSB_TWIN_MAX_JOB_ATTEMPTS); not retried"
    )


@pytest.mark.unit
def test_recovery_honours_a_pending_cancel_and_leaves_queued_jobs(store):
    running_id, queued_id = _job(store), _job(store)
    store.claim(running_id)
    assert store.request_cancel(running_id) == "running"
    outcome = store.recover_interrupted(max_attempts=2)
    assert outcome["cancelled"] == [running_id]
    assert store.get_job(running_id).status == "cancelled"
    assert store.get_job(queued_id).status == "queued"


@pytest.mark.unit
def test_progress_is_clamped_to_the_unit_interval(store):
    job_id = _job(store)
    store.claim(job_id)
    store.set_progress(job_id, 1.7)
    assert store.get_job(job_id).progress == 1.0
    store.set_progress(job_id, -0.2)
    assert store.get_job(job_id).progress == 0.0


@pytest.mark.component
def test_graceful_stop_requeues_a_running_job_and_the_next_start_finishes_it(make_settings, database_url):
    settings = make_settings(database_url=database_url)
    with TestClient(create_app(settings)) as first:
        job_id = first.post(
            "/simulations", json={"scenario": "oxide_baseline", "days": 5, "replications": 3}
        ).json()["id"]
        wait_for_job(first, f"/simulations/{job_id}", statuses=("running",))
    with TestClient(create_app(settings)) as second:
        assert second.get(f"/simulations/{job_id}").json()["status"] in ("queued", "running")
        done = wait_for_job(second, f"/simulations/{job_id}")
    assert done["status"] == "done"
    assert done["attempts"] == 1  # the graceful stop did not count as an attempt


@pytest.mark.component
def test_a_cancel_requested_just_before_a_graceful_stop_is_not_undone(make_settings, database_url):
    # the worker only stops at a progress report
    settings = make_settings(cancel_grace_s=30.0, database_url=database_url)
    body = {"scenario": "oxide_baseline", "days": 100, "replications": 2}
    with TestClient(create_app(settings)) as first:
        job_id = first.post("/simulations", json=body).json()["id"]
        wait_for_job(first, f"/simulations/{job_id}", statuses=("running",))
        assert first.delete(f"/simulations/{job_id}").status_code == 202
    with TestClient(create_app(settings)) as second:
        job = second.get(f"/simulations/{job_id}").json()
    assert job["status"] == "cancelled"
    assert job["result"] is None
