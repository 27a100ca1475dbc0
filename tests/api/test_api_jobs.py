"""Simulation and optimisation jobs: lifecycle, failure reasons, cancellation, limits, the queue bound."""

from __future__ import annotations

import time
import uuid

import pytest
from api_job_polling import wait_for_job
from fastapi.testclient import TestClient

from api.main import create_app

pytestmark = pytest.mark.component


def test_simulation_runs_to_done_with_its_result(client):
    response = client.post(
        "/simulations", json={"scenario": "oxide_baseline", "days": 2, "replications": 3, "seed": 5}
    )
    assert response.status_code == 202
    job = response.json()
    # a free worker may pick the job up before the response is written: queued or already running
    assert job["status"] in ("queued", "running") and job["kind"] == "simulation"
    assert response.headers["location"] == f"/simulations/{job['id']}"
    done = wait_for_job(client, f"/simulations/{job['id']}")
    assert done["status"] == "done"
    assert done["progress"] == 1.0
    assert done["attempts"] == 1
    # the fake reports 42 cells/day per simulated day and echoes its arguments
    assert done["result"] == {
        "scenario": "oxide_baseline",
        "days": 2.0,
        "replications": 3,
        "seed": 5,
        "throughput": {"good_cells_per_day": 84.0},
    }


def test_optimisation_runs_to_done(client):
    response = client.post(
        "/optimisations", json={"scenario": "oxide_baseline", "days": 1, "replications": 1}
    )
    assert response.status_code == 202
    done = wait_for_job(client, f"/optimisations/{response.json()['id']}")
    assert done["status"] == "done"
    assert done["result"]["best"] == {"cost": {"usd_per_kwh": 90.0}}
    assert done["params"] == {"objective": "min_cost", "twin_check": True, "replications": 1, "days": 1.0}


def test_a_job_id_of_the_other_kind_is_404(client):
    job_id = client.post("/simulations", json={"scenario": "oxide_baseline", "days": 0.1}).json()["id"]
    response = client.get(f"/optimisations/{job_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": f"no optimisation with id {job_id}"}


def test_unknown_job_is_404_and_malformed_id_is_422(client):
    unknown = uuid.uuid4()
    assert client.get(f"/simulations/{unknown}").json() == {"detail": f"no simulation with id {unknown}"}
    assert client.delete(f"/simulations/{unknown}").status_code == 404
    response = client.get("/simulations/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "job_id"]


def test_input_failure_inside_the_service_is_the_failure_reason(client):
    response = client.post(
        "/optimisations",
        json={"scenario": "oxide_baseline", "overrides": {"description": "infeasible budget"}},
    )
    failed = wait_for_job(client, f"/optimisations/{response.json()['id']}")
    assert failed["status"] == "failed"
    assert failed["error"] == "no candidate meets the capex budget"


def test_unknown_objective_is_422_listing_the_optimiser_objectives(client):
    from twin.optimise import OBJECTIVES as objectives
    response = client.post("/optimisations", json={"scenario": "oxide_baseline", "objective": "cheapest"})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "objective"],
            "type": "limit",
            "msg": f"'cheapest' is not one of {', '.join(objectives)}",
        }
    ]


def test_internal_failure_gives_a_fixed_reason_without_internals(client):
    response = client.post(
        "/simulations", json={"scenario": "oxide_baseline", "days": 1, "overrides": {"description": "crash"}}
    )
    failed = wait_for_job(client, f"/simulations/{response.json()['id']}")
    assert failed["status"] == "failed"
    assert (
        failed["error"] == "internal error (RuntimeError) in the twin service; details are in the server log"
    )


def test_cancel_a_running_job(client):
    job_id = client.post(
        "/simulations", json={"scenario": "oxide_baseline", "days": 10, "replications": 50}
    ).json()["id"]
    wait_for_job(client, f"/simulations/{job_id}", statuses=("running",))
    response = client.delete(f"/simulations/{job_id}")
    assert response.status_code == 202
    assert response.json()["cancel_requested"] is True
    cancelled = wait_for_job(client, f"/simulations/{job_id}")
    assert cancelled["status"] == "cancelled"
    assert cancelled["result"] is None
    again = client.delete(f"/simulations/{job_id}")
    assert again.status_code == 409
    assert again.json() == {"detail": f"simulation {job_id} is already cancelled"}


def test_cancel_a_queued_job_at_once(client):
    # one worker: the first (long) job holds it, the second stays queued
    first = client.post(
        "/simulations", json={"scenario": "oxide_baseline", "days": 10, "replications": 50}
    ).json()
    wait_for_job(client, f"/simulations/{first['id']}", statuses=("running",))
    second = client.post("/simulations", json={"scenario": "oxide_baseline", "days": 1}).json()
    response = client.delete(f"/simulations/{second['id']}")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["error"] == "cancelled by a DELETE request"
    client.delete(f"/simulations/{first['id']}")


def test_simulated_days_limit_is_422_naming_the_setting(make_settings):
    with TestClient(create_app(make_settings(max_simulated_days=100))) as test_client:
        response = test_client.post(
            "/simulations", json={"scenario": "oxide_baseline", "days": 30, "replications": 4}
        )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "days"],
            "type": "limit",
            "msg": "simulation: days x replications = 30 x 4 = 120 simulated days is above the limit of 100 "
            "(SSB_TWIN_MAX_SIMULATED_DAYS)",
        }
    ]


def test_candidate_limit_is_422_naming_the_setting(make_settings):
    # oxide_baseline spans 16 x 16 x 5 x 2 = 2560 candidates (peak T, hold time, Li excess, cover powder)
    with TestClient(create_app(make_settings(max_candidates=2559))) as test_client:
        refused = test_client.post("/optimisations", json={"scenario": "oxide_baseline"})
        accepted = test_client.post(
            "/optimisations",
            json={"scenario": "oxide_baseline", "overrides": {"optimisation.cover_powder": [True]}},
        )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "scenario", "optimisation"]
    assert "spans 2560 candidates" in refused.json()["detail"][0]["msg"]
    assert "SSB_TWIN_MAX_CANDIDATES" in refused.json()["detail"][0]["msg"]
    assert accepted.status_code == 202  # 1280 candidates


def test_warmup_must_be_shorter_than_the_run(client):
    response = client.post("/simulations", json={"scenario": "oxide_baseline", "days": 5, "warmup_days": 5})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "warmup_days"]


def test_negative_days_is_422_with_the_bound(client):
    response = client.post("/simulations", json={"scenario": "oxide_baseline", "days": -3})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "days"]
    # the lower bound is one hour of simulated time (issue 15), no longer just "> 0", printed readably
    assert response.json()["detail"][0]["msg"] == (
        "Input should be greater than or equal to 0.0416667 (got -3)"
    )


def test_full_queue_is_429_with_retry_after(make_settings):
    with TestClient(create_app(make_settings(max_queued_jobs=2, retry_after_s=17))) as test_client:
        body = {"scenario": "oxide_baseline", "days": 10, "replications": 50}
        ids = [test_client.post("/simulations", json=body).json()["id"] for _ in range(2)]
        refused = test_client.post("/simulations", json=body)
        for job_id in ids:
            test_client.delete(f"/simulations/{job_id}")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "17"
    assert refused.json() == {
        "detail": "2 jobs are queued or running (SSB_TWIN_MAX_QUEUED_JOBS); retry later"
    }


def test_a_job_exceeding_the_time_limit_fails_with_the_reason(make_settings):
    with TestClient(create_app(make_settings(job_timeout_s=0.3))) as test_client:
        job_id = test_client.post("/simulations", json={"scenario": "oxide_baseline", "days": 100}).json()[
            "id"
        ]
        failed = wait_for_job(test_client, f"/simulations/{job_id}")
    assert failed["status"] == "failed"
    assert failed["error"] == "exceeded the job time limit of 0.3 s (SSB_TWIN_JOB_TIMEOUT_S)"


def test_cancelling_a_job_also_stops_the_processes_it_started(make_settings):
    from pathlib import Path

    import api_fake_services

    seed = 900_000 + uuid.uuid4().int % 100_000
    pid_file = Path(api_fake_services.child_pid_file(seed))
    with TestClient(create_app(make_settings(cancel_grace_s=0.0))) as test_client:
        job_id = test_client.post(
            "/simulations",
            json={
                "scenario": "oxide_baseline",
                "days": 100,
                "seed": seed,
                "overrides": {"description": "spawn-child", "seed": seed},
            },
        ).json()["id"]
        wait_for_job(test_client, f"/simulations/{job_id}", statuses=("running",))
        deadline = time.monotonic() + 10
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        child_pid = int(pid_file.read_text())
        test_client.delete(f"/simulations/{job_id}")
        assert wait_for_job(test_client, f"/simulations/{job_id}")["status"] == "cancelled"
    pid_file.unlink()
    deadline = time.monotonic() + 5
    while _alive(child_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child_pid)


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead but not yet reaped by its (also dead) parent's reaper
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ")[1][0] != "Z"
