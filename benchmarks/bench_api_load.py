"""Load test of POST /evaluate on a local server: requests/s and p50/p99 latency, cached and uncached.

Starts ``ssb-twin serve`` on 127.0.0.1 (a free port, a temporary data folder), then runs 20 concurrent
clients twice: every request for the same scenario (answered from the cache after the first), and every
request for a different scenario (a distinct seed, so each one is computed). Loopback only and bounded by
request counts. Targets (issue 14): p99 < 20 ms cached, < 200 ms uncached, zero errors.

    python benchmarks/bench_api_load.py [--clients 20] [--cached-requests 2000] [--uncached-requests 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import httpx
import numpy as np


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process so far (Linux /proc; 0 where it is not readable)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_s(server_pid: int) -> tuple[float, float]:
    """(server process, its descendants: the forkserver and the evaluation workers) CPU seconds so far, from
    /proc (a process that exited in between is not counted: the pool's workers live as long as the server)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    family, grew = {server_pid}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in family} - family
        family |= found
        grew = bool(found)
    return _cpu_s(server_pid), sum(_cpu_s(pid) for pid in family - {server_pid})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    data_dir: str, evaluate_workers: int, service_module: str | None
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("SSB_TWIN_")}
    env.update({"SSB_TWIN_DATA_DIR": data_dir, "SSB_TWIN_EVALUATE_WORKERS": str(evaluate_workers),
                # the 20 clients all come from 127.0.0.1, which the service counts as one client: its
                # per-client rate limit and fair-queueing cap would answer 429/503 instead of computing
                "SSB_TWIN_RATE_LIMIT_PER_MINUTE": "100000000", "SSB_TWIN_MAX_EVALUATIONS_PER_CLIENT": "1000"})
    if service_module:
        env["SSB_TWIN_SERVICE_MODULE"] = service_module
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from twin.cli import main; main()",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not start within 60 s")


class KeepAliveConnection:
    """A minimal HTTP/1.1 keep-alive client (asyncio streams): the load generator shares the CPUs with the
    server, so it must cost far less per request than a general-purpose client library."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post_json(self, path: str, payload: bytes) -> tuple[int, dict[str, str]]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n"
        ).encode("ascii") + payload
        self.writer.write(request)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def run_phase(
    url: str, bodies: list[dict], clients: int
) -> tuple[list[float], int, float, dict[str, int]]:
    """Send every body once from ``clients`` concurrent connections; latencies [s], errors, wall time [s]."""
    host, port = url.removeprefix("http://").split(":")
    payloads = [json.dumps(body).encode("utf-8") for body in bodies]
    next_index = 0
    latencies: list[float] = []
    errors = 0
    cache_sources: dict[str, int] = {}

    async def client_loop() -> None:
        nonlocal errors, next_index
        connection = KeepAliveConnection(host, int(port))
        while next_index < len(payloads):
            payload = payloads[next_index]
            next_index += 1
            started = time.perf_counter()
            try:
                status, headers = await connection.post_json("/evaluate", payload)
                ok = status == 200
                source = headers.get("x-cache", "?")
                cache_sources[source] = cache_sources.get(source, 0) + 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                ok = False
                await connection.close()
            latencies.append(time.perf_counter() - started)
            errors += 0 if ok else 1
        await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - started, cache_sources


def measured_phase(url: str, bodies: list[dict], clients: int, server_pid: int) -> tuple:
    """:func:`run_phase` and the CPU it cost per request [ms]: (server, evaluation workers, load generator)."""
    server_before, workers_before = server_cpu_s(server_pid)
    generator_before = time.process_time()
    latencies, errors, wall_s, sources = asyncio.run(run_phase(url, bodies, clients))
    generator_s = time.process_time() - generator_before
    server_after, workers_after = server_cpu_s(server_pid)
    per_request = 1000.0 / max(len(bodies), 1)
    cpu_ms = ((server_after - server_before) * per_request, (workers_after - workers_before) * per_request,
              generator_s * per_request)
    return latencies, errors, wall_s, sources, cpu_ms


def report(
    name: str,
    latencies: list[float],
    errors: int,
    wall_s: float,
    sources: dict[str, int],
    cpu_ms: tuple[float, float, float],
    target_p99_ms: float,
) -> bool:
    values_ms = np.asarray(latencies) * 1000.0
    p50, p99 = np.percentile(values_ms, [50, 99])
    met = p99 < target_p99_ms and errors == 0
    print(
        f"{name:9s} {len(latencies):6d} requests  {len(latencies) / wall_s:8.1f} req/s  p50 {p50:8.1f} ms  "
        f"p99 {p99:8.1f} ms  max {values_ms.max():8.1f} ms  errors {errors}  cache {sources}  "
        f"target p99 < {target_p99_ms:g} ms: {'met' if met else 'NOT met'}"
    )
    server, workers, generator = cpu_ms
    print(f"{'':9s} CPU per request: server {server:.2f} ms, evaluation workers {workers:.2f} ms, "
          f"load generator {generator:.2f} ms (1-min load average {os.getloadavg()[0]:.1f})")
    return errors == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--cached-requests", type=int, default=2000)
    parser.add_argument("--uncached-requests", type=int, default=100)
    parser.add_argument("--evaluate-workers", type=int, default=2)
    parser.add_argument("--scenario", default="oxide_baseline")
    parser.add_argument(
        "--service-module", default=None, help="e.g. a fake module to measure API overhead only"
    )
    args = parser.parse_args()
    if args.clients < 1 or args.cached_requests > 100_000 or args.uncached_requests > 10_000:
        raise SystemExit("bounded benchmark: clients >= 1, cached <= 100000, uncached <= 10000")

    with tempfile.TemporaryDirectory(prefix="ssb-twin-bench-") as data_dir:
        process, url = start_server(data_dir, args.evaluate_workers, args.service_module)
        try:
            warm = httpx.post(f"{url}/evaluate", json={"scenario": args.scenario}, timeout=120)
            if warm.status_code != 200:
                raise SystemExit(f"warm-up evaluate failed: {warm.status_code} {warm.text[:300]}")
            print(
                f"server {url}, {args.clients} concurrent clients, {args.evaluate_workers} evaluate workers, "
                f"{os.cpu_count()} CPUs shared with the load generator"
            )
            cached_body = {"scenario": args.scenario}
            cached = measured_phase(url, [cached_body] * args.cached_requests, args.clients, process.pid)
            uncached_bodies = [
                {"scenario": args.scenario, "overrides": {"seed": 1_000_000 + index}}
                for index in range(args.uncached_requests)
            ]
            uncached = measured_phase(url, uncached_bodies, args.clients, process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
    ok = report("cached", *cached, target_p99_ms=20.0)
    ok = report("uncached", *uncached, target_p99_ms=200.0) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
