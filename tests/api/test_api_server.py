"""Against a real server: ``ssb-twin serve`` on 127.0.0.1, killed with SIGKILL and restarted."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

TESTS_API_DIR = Path(__file__).resolve().parent
FINAL = ("done", "failed", "cancelled")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One ``ssb-twin serve`` process with fake services on a data folder."""

    def __init__(self, data_dir: Path, **settings: str):
        self.port = _free_port()
        env = {name: value for name, value in os.environ.items() if not name.startswith("SSB_TWIN_")}
        if "SSB_TWIN_SCENARIO_DIR" in os.environ:
            env["SSB_TWIN_SCENARIO_DIR"] = os.environ["SSB_TWIN_SCENARIO_DIR"]
        env.update(
            {
                "SSB_TWIN_DATA_DIR": str(data_dir),
                "SSB_TWIN_SERVICE_MODULE": "api_fake_services",
                "SSB_TWIN_EVALUATE_WORKERS": "1",
                "SSB_TWIN_WORKERS": "1",
                "PYTHONPATH": os.pathsep.join([str(TESTS_API_DIR), env.get("PYTHONPATH", "")]),
            }
        )
        env.update({f"SSB_TWIN_{name.upper()}": value for name, value in settings.items()})
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from twin.cli import main; main()",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"server did not start: {self.process.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def _descendants(pid: int) -> set[int]:
    """Process ids below ``pid`` (Linux /proc), e.g. the forkserver, pool workers and job processes."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(url: str, statuses, timeout_s: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        job = httpx.get(url, timeout=5).json()
        if job["status"] in statuses or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


@pytest.mark.integration
def test_real_server_serves_evaluate_and_jobs(tmp_path):
    server = Server(tmp_path)
    try:
        health = httpx.get(f"{server.url}/health", timeout=5)
        assert health.json()["database"] == "ok"
        evaluated = httpx.post(f"{server.url}/evaluate", json={"scenario": "oxide_baseline"}, timeout=30)
        assert evaluated.status_code == 200
        assert evaluated.json()["cost"]["usd_per_kwh"] == pytest.approx(100.0 / 3, rel=1e-12)
        too_big = httpx.post(
            f"{server.url}/evaluate",
            content=b" " * 3_000_000,
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        assert too_big.status_code == 413
        created = httpx.post(
            f"{server.url}/simulations", json={"scenario": "oxide_baseline", "days": 1}, timeout=5
        )
        job = _wait(f"{server.url}{created.json()['links']['self']}", FINAL)
        assert job["status"] == "done"
        assert job["result"]["throughput"] == {"good_cells_per_day": 42.0}
    finally:
        server.stop()
    # uvicorn shuts the app down, then re-raises SIGTERM so the exit status tells how it ended
    assert server.process.returncode in (0, -signal.SIGTERM)


@pytest.mark.integration
def test_killed_server_resumes_a_running_job_after_restart(tmp_path):
    server = Server(tmp_path)
    try:
        # 20 replications x 0.1 s each in the fake simulation
        created = httpx.post(
            f"{server.url}/simulations",
            json={"scenario": "oxide_baseline", "days": 5, "replications": 20},
            timeout=5,
        ).json()
        job_url = f"{server.url}/simulations/{created['id']}"
        assert _wait(job_url, ("running",))["status"] == "running"
        finished_before = httpx.post(
            f"{server.url}/simulations", json={"scenario": "oxide_baseline", "days": 0.1}, timeout=5
        ).json()
        workers = _descendants(server.process.pid)
    finally:
        server.kill()
    # the job process, the evaluation pool and the forkserver all go when the server is killed
    assert len(workers) >= 3
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in workers if _running(pid)] == []
    restarted = Server(tmp_path)
    try:
        job = _wait(f"{restarted.url}/simulations/{created['id']}", FINAL)
        assert job["status"] == "done"
        assert job["attempts"] == 2  # interrupted once by the kill, re-run from the start
        assert job["result"]["replications"] == 20
        other = _wait(f"{restarted.url}/simulations/{finished_before['id']}", FINAL)
        assert other["status"] == "done"  # it was still queued at the kill and ran after the restart
    finally:
        restarted.stop()


@pytest.mark.integration
def test_killed_server_marks_the_job_failed_when_no_retry_is_allowed(tmp_path):
    server = Server(tmp_path, max_job_attempts="1")
    try:
        created = httpx.post(
            f"{server.url}/simulations",
            json={"scenario": "oxide_baseline", "days": 5, "replications": 20},
            timeout=5,
        ).json()
        assert _wait(f"{server.url}/simulations/{created['id']}", ("running",))["status"] == "running"
    finally:
        server.kill()
    restarted = Server(tmp_path, max_job_attempts="1")
    try:
        job = httpx.get(f"{restarted.url}/simulations/{created['id']}", timeout=5).json()
        assert job["status"] == "failed"
        assert job["error"] == (
            "interrupted by a server stop during attempt 1 of 1 (SSB_TWIN_MAX_JOB_ATTEMPTS); not retried"
        )
    finally:
        restarted.stop()
