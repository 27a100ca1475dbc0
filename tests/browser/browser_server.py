"""A real ``ssb-twin serve`` (real twin services) on a free loopback port, for the browser tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(**settings: str) -> Iterator[str]:
    """``ssb-twin serve`` on a free loopback port, on a temporary database, with the real twin services;
    ``settings`` become SSB_TWIN_* variables."""
    data_dir = Path(tempfile.mkdtemp(prefix="ssb-twin-browser-"))
    port = _free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("SSB_TWIN_")}
    if "SSB_TWIN_SCENARIO_DIR" in os.environ:
        env["SSB_TWIN_SCENARIO_DIR"] = os.environ["SSB_TWIN_SCENARIO_DIR"]
    env.update({"SSB_TWIN_DATA_DIR": str(data_dir), "SSB_TWIN_EVALUATE_WORKERS": "1", "SSB_TWIN_WORKERS": "1"})
    env.update({f"SSB_TWIN_{name.upper()}": value for name, value in settings.items()})
    process = subprocess.Popen(
        [sys.executable, "-c", "from twin.cli import main; main()", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"server did not start: {process.stderr.read().decode()[-2000:]}")
        time.sleep(0.2)
    try:
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)
