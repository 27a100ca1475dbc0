"""Polling a job until it reaches a status (shared by the API tests)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

FINAL = ("done", "failed", "cancelled")


def wait_for_job(client: TestClient, path: str, statuses=FINAL, timeout_s: float = 20.0) -> dict:
    """Poll ``path`` until the job reaches one of ``statuses``."""
    deadline = time.monotonic() + timeout_s
    while True:
        job = client.get(path).json()
        if job["status"] in statuses:
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job still {job['status']} after {timeout_s} s: {job}")
        time.sleep(0.05)
