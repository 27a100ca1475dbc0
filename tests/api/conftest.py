"""Fixtures for the API tests: an app on a temporary database with fake services (api_fake_services)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings

# worker processes (forkserver) and server subprocesses import the fakes by module name
TESTS_API_DIR = Path(__file__).resolve().parent
if str(TESTS_API_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_API_DIR))
# the fake evaluations' pid files in a folder of this test run, set before any worker process starts
os.environ.setdefault("SSB_TEST_FAKE_PID_DIR", tempfile.mkdtemp(prefix="ssb-twin-test-pids-"))


@pytest.fixture
def make_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., ApiSettings]:
    for name in list(os.environ):
        if name.startswith("SSB_TWIN_") and name != "SSB_TWIN_SCENARIO_DIR":
            monkeypatch.delenv(name)

    def make(**overrides) -> ApiSettings:
        values = {
            "data_dir": tmp_path / "data",
            "service_module": "api_fake_services",
            "evaluate_workers": 0,
            "workers": 1,
            "cancel_grace_s": 1.0,
        }
        values.update(overrides)
        return ApiSettings(**values)

    return make


@pytest.fixture
def client(make_settings) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings())) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def postgres_server():
    """One PostgreSQL server for the session (skipped outside CI when the binaries are missing)."""
    from postgres_server import PostgresServer

    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh database on the session's PostgreSQL server, as a plain postgresql:// URL."""
    return postgres_server.new_database()
