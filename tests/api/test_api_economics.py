"""The /investments and /sensitivities jobs over the real twin services."""

from __future__ import annotations

import pytest
from api_job_polling import wait_for_job
from fastapi.testclient import TestClient

from api.main import create_app


@pytest.fixture
def real_client(make_settings):
    with TestClient(create_app(make_settings(service_module="api.services"))) as client:
        yield client


@pytest.mark.integration
def test_investment_and_sensitivity_jobs_over_http(real_client):
    started = real_client.post("/investments", json={"scenario": "oxide_baseline", "location": "china"})
    assert started.status_code == 202, started.text
    job = wait_for_job(real_client, started.json()["links"]["self"], timeout_s=120)
    assert job["status"] == "done", job
    assert job["result"]["investment"]["discount_rate"] == 0.06
    started = real_client.post("/sensitivities", json={"scenario": "oxide_baseline", "sobol": 4, "monte_carlo": 8,
                                                       "physics_sheets": 200})
    assert started.status_code == 202, started.text
    job = wait_for_job(real_client, started.json()["links"]["self"], timeout_s=120)
    assert job["status"] == "done", job
    assert job["result"]["sobol"]["base_samples"] == 4


@pytest.mark.integration
def test_economics_routes_refuse_bad_input_with_422(real_client):
    response = real_client.post("/investments", json={"scenario": "oxide_baseline", "location": "mars"})
    assert response.status_code == 422
    assert "'mars' is not a location preset" in response.text
    response = real_client.post("/investments", json={"scenario": "pilot_line"})
    assert response.status_code == 422
    assert "investment: missing" in response.text
    response = real_client.post("/sensitivities", json={"scenario": "oxide_baseline", "sobol": 6})
    assert response.status_code == 422
