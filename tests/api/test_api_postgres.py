"""``SSB_TWIN_DATABASE_URL=postgresql://...`` for real: a server process on a PostgreSQL database keeps
jobs and the evaluation cache there, and after a SIGKILL the restarted server resumes the running job.

The PostgreSQL server is started by the tests (postgres_server.py); the API runs with fake services."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import create_engine, text
from test_api_server import FINAL, Server, _wait

from api.store import engine_url


def _rows(url: str, sql: str):
    engine = create_engine(engine_url(url))
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).all()
    finally:
        engine.dispose()


@pytest.mark.unit
def test_a_bare_postgresql_url_uses_the_installed_driver():
    assert engine_url("postgresql://twin:pw@db:5432/twin") == "postgresql+psycopg://twin:pw@db:5432/twin"
    assert engine_url("postgresql+psycopg://twin@db/twin") == "postgresql+psycopg://twin@db/twin"
    assert engine_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


@pytest.mark.integration
def test_server_on_postgresql_caches_runs_jobs_and_resumes_after_a_kill(tmp_path, postgres_url):
    server = Server(tmp_path, database_url=postgres_url)
    try:
        assert httpx.get(f"{server.url}/health", timeout=5).json()["database"] == "ok"
        for _ in range(2):
            evaluated = httpx.post(f"{server.url}/evaluate", json={"scenario": "oxide_baseline"}, timeout=30)
            assert evaluated.status_code == 200
        assert len(_rows(postgres_url, "SELECT scenario_hash FROM evaluations")) == 1  # the cache is in Postgres
        quick = httpx.post(f"{server.url}/simulations", json={"scenario": "oxide_baseline", "days": 1}, timeout=5)
        assert _wait(f"{server.url}{quick.json()['links']['self']}", FINAL)["status"] == "done"
        # 20 replications x 0.1 s each in the fake simulation: still running at the kill
        created = httpx.post(f"{server.url}/simulations",
                             json={"scenario": "oxide_baseline", "days": 5, "replications": 20}, timeout=5).json()
        assert _wait(f"{server.url}/simulations/{created['id']}", ("running",))["status"] == "running"
    finally:
        server.kill()
    status = _rows(postgres_url, f"SELECT status FROM jobs WHERE id = '{created['id']}'")
    assert status == [("running",)]  # what a crash leaves behind
    restarted = Server(tmp_path / "second", database_url=postgres_url)
    try:
        job = _wait(f"{restarted.url}/simulations/{created['id']}", FINAL)
        assert (job["status"], job["attempts"], job["result"]["replications"]) == ("done", 2, 20)
        earlier = httpx.get(f"{restarted.url}{quick.json()['links']['self']}", timeout=5).json()
        assert earlier["status"] == "done" and earlier["result"]["throughput"] == {"good_cells_per_day": 42.0}
    finally:
        restarted.stop()
