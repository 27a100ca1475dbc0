"""The API over the real twin services (evaluate, simulate, optimise), not fakes."""

from __future__ import annotations

import importlib
import json
import math

import pytest
from api_job_polling import wait_for_job
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.json_values import json_safe
from api.main import create_app
from api.report_format import flatten
from twin.results import RESULT_KEYS as SHARED_RESULT_KEYS
from twin.scenario.library import library_document, load_library_scenario

# the shared result keys (twin.results) plus the hash the API adds for caching
RESULT_KEYS = {*SHARED_RESULT_KEYS, "scenario_hash"}


def _service_or_skip(module_name: str, function_name: str):
    # The services exist; a failing import here is a bug to see, not a reason to skip.
    module = importlib.import_module(module_name)
    return getattr(module, function_name)


@pytest.fixture
def real_client(make_settings):
    with TestClient(create_app(make_settings(service_module="api.services"))) as test_client:
        yield test_client


@pytest.mark.integration
def test_evaluate_over_http_equals_the_direct_call(real_client):
    evaluate_scenario = _service_or_skip("twin.evaluate", "evaluate_scenario")
    response = real_client.post("/evaluate", json={"scenario": "oxide_baseline"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert RESULT_KEYS <= set(body)
    direct = json.loads(json.dumps(json_safe(evaluate_scenario(load_library_scenario("oxide_baseline")))))
    assert body == direct  # same numbers to the last bit: the API adds nothing and loses nothing


# numeric leaves of the baseline that an engineer would sweep; the factor spans 10x either way
_NUMERIC_PATHS = sorted(
    key
    for key, value in flatten(library_document("oxide_baseline"))
    if isinstance(value, (int, float))
    and not isinstance(value, bool)
    and "[" not in key.split(".")[0]
    and not key.startswith(("seed", "schema_version", "sources"))
)


@pytest.mark.integration
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(path=st.sampled_from(_NUMERIC_PATHS), factor=st.sampled_from([0.0, 0.1, 0.5, 2.0, 10.0, -1.0]))
def test_evaluate_answers_200_or_422_for_swept_parameters(make_settings, path, factor):
    _service_or_skip("twin.evaluate", "evaluate_scenario")
    value = dict(flatten(library_document("oxide_baseline")))[path]
    new_value = value * factor
    if isinstance(value, int):
        new_value = int(new_value)
    with TestClient(
        create_app(make_settings(service_module="api.services", evaluate_cache_size=0))
    ) as client:
        response = client.post(
            "/evaluate", json={"scenario": "oxide_baseline", "overrides": {path: new_value}}
        )
    assert response.status_code in (200, 422), (
        f"{path}={new_value}: {response.status_code} {response.text[:500]}"
    )
    if response.status_code == 200:
        cost = response.json()["cost"]["usd_per_kwh"]
        assert cost is None or (math.isfinite(cost) and cost > 0)


@pytest.mark.integration
def test_simulation_job_with_the_des(real_client):
    _service_or_skip("twin.des", "simulate")
    created = real_client.post(
        "/simulations", json={"scenario": "oxide_baseline", "days": 1, "replications": 1}
    )
    assert created.status_code == 202
    job = wait_for_job(real_client, f"/simulations/{created.json()['id']}", timeout_s=55)
    assert job["status"] == "done", job["error"]
    assert RESULT_KEYS <= set(job["result"])
    # the yield block under the names evaluate serves, with evaluate's identities (twin.des.statistics)
    block = job["result"]["yield"]
    assert "by_step" not in block and set(block["sheet_yield_by_step"]) == set(block["piece_yield_by_step"])
    assert math.prod(block["piece_yield_by_step"].values()) * block["escape_factor"] \
        == pytest.approx(block["overall"], rel=1e-12)
    assert math.fsum(block["scrap_by_cause"].values()) + block["escaped_share"] + block["overall"] \
        == pytest.approx(1.0, rel=1e-12)


@pytest.mark.integration
def test_optimisation_job_with_the_optimiser(real_client):
    _service_or_skip("twin.optimise", "optimise")
    small_space = {
        "optimisation.sintering_peak_temperature_C": {"min": 1100, "max": 1150, "points": 2},
        "optimisation.sintering_hold_time_min": {"min": 60, "max": 120, "points": 2},
        "optimisation.li_excess_li2co3_wt_fraction": {"min": 0.1, "max": 0.1, "points": 1},
    }
    # the twin check runs 2 DES replications: the DES starts its own process pool inside the job process
    created = real_client.post(
        "/optimisations",
        json={
            "scenario": "oxide_baseline",
            "overrides": small_space,
            "twin_check": True,
            "days": 1,
            "replications": 2,
        },
    )
    assert created.status_code == 202, created.text
    job = wait_for_job(real_client, f"/optimisations/{created.json()['id']}", timeout_s=55)
    assert job["status"] == "done", job["error"]
    assert job["result"]["scenario"] == "oxide_baseline"
    assert job["result"]["objective"] == "min_cost"


def _chart_names(page: str) -> list[str]:
    import re

    return re.findall(r"<img alt='([^']*)' src='data:image/png;base64,", page)


@pytest.mark.integration
def test_html_report_of_a_simulation_job_has_the_charts_of_ssb_twin_report(real_client, tmp_path):
    from twin.report import write_report

    created = real_client.post("/simulations", json={"scenario": "oxide_baseline", "days": 1, "seed": 5}).json()
    assert wait_for_job(real_client, f"/simulations/{created['id']}", timeout_s=120)["status"] == "done"
    page = real_client.get(f"/reports/{created['id']}.html").text
    cli_page = write_report(load_library_scenario("oxide_baseline"), tmp_path, simulate_days=1).read_text()
    assert _chart_names(page) == _chart_names(cli_page)
    assert "throughput over time" in _chart_names(page)
    assert "<table" in page and "key</th><th>value" not in page  # the report, not a key/value dump


@pytest.mark.integration
def test_sweep_job_over_http_matches_the_direct_sweep(real_client):
    from twin.scenario.library import library_document
    from twin.sweep import grid_points, run_sweep

    grid = {"route.electrolyte_sintering.cover_powder": [True, False]}
    created = real_client.post("/sweeps", json={"scenario": "oxide_baseline", "grid": grid})
    assert created.status_code == 202, created.text
    job = wait_for_job(real_client, f"/sweeps/{created.json()['id']}", timeout_s=120)
    assert job["status"] == "done" and job["progress"] == 1.0
    direct = run_sweep(library_document("oxide_baseline"), grid_points(grid), workers=1)
    assert job["result"]["rows"] == json.loads(json.dumps(direct["rows"]))
    page = real_client.get(f"/reports/{job['id']}.html").text
    assert "data:image/png;base64," in page and "Sweep of scenario oxide_baseline" in page
    bad = real_client.post("/sweeps", json={"scenario": "oxide_baseline",
                                            "grid": {"route.electrolyte_sintering.profile[1].temperature_C": [1900]}})
    assert bad.status_code == 422
    assert "1900 is above 1600" in bad.json()["detail"][0]["msg"]


@pytest.mark.integration
def test_seed_variants_through_the_worker_pool_equal_the_cli_for_each_seed(make_settings, tmp_path):
    """The second and third seeds go ahead of FastAPI (api.cached_answers) to a pool worker as their seed alone
    (api.worker.SeedVariantInput): each answer must equal ``ssb-twin evaluate ... --set seed=N --json -``."""
    import subprocess
    import sys

    from twin.scenario.library import library_path

    answers = {}
    with TestClient(create_app(make_settings(service_module="api.services", evaluate_workers=1))) as client:
        for seed in (101, 102, 103):
            response = client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": {"seed": seed}})
            assert response.status_code == 200, response.text
            assert response.headers["x-cache"] == "computed"
            answers[seed] = response.json()
    for seed, answer in answers.items():
        done = subprocess.run([sys.executable, "-m", "twin.cli", "evaluate", str(library_path("oxide_baseline")),
                               "--set", f"seed={seed}", "--json", "-"], capture_output=True, text=True, check=True,
                              cwd=tmp_path)
        assert answer == json.loads(done.stdout), seed   # every key, every number to the last bit
    assert answers[101]["yield"] != answers[102]["yield"]   # the seeds were not mixed up: each its own sample
