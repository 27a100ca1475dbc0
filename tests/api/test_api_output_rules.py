"""The API returns the shared output rules as they are: target_shortfall, and null plus a reason at zero output."""

from __future__ import annotations

import math

import pytest
from fastapi.testclient import TestClient

from api.main import create_app

ZERO_YIELD = {"route.electrolyte_sintering.cover_powder": False,
              "route.electrolyte_sintering.profile[1].temperature_C": 1180}


@pytest.fixture
def real_client(make_settings):
    with TestClient(create_app(make_settings(service_module="api.services"))) as test_client:
        yield test_client


@pytest.mark.integration
def test_evaluate_returns_the_target_shortfall(real_client):
    response = real_client.post("/evaluate", json={"scenario": "oxide_baseline",
                                                   "overrides": {"plant.target_output_GWh_per_year": 5.0}})
    assert response.status_code == 200, response.text
    shortfall = response.json()["throughput"]["target_shortfall"]
    assert shortfall["short"] is True
    assert 4.7 < shortfall["gwh_per_year"] < 5.0
    assert "misses the plant target of 5 GWh/yr" in shortfall["message"]


@pytest.mark.integration
def test_zero_output_gives_null_and_the_reason(real_client):
    response = real_client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": ZERO_YIELD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["cost"]["usd_per_kwh"] is None and body["energy_kwh_per_kwh"] is None
    assert "of pieces started lost to li_loss at electrolyte_inspection" \
        in body["undefined_reason"]
    assert body["cost"]["undefined_reason"] == body["undefined_reason"]


@pytest.mark.integration
def test_evaluate_serves_the_step_yields_in_good_pieces(real_client):
    response = real_client.post("/evaluate", json={"scenario": "oxide_baseline"})
    assert response.status_code == 200, response.text
    block = response.json()["yield"]
    # the headline is the product of the step yields in good pieces x the escape factor (twin.piece_yield)
    product = math.prod(block["piece_yield_by_step"].values()) * block["escape_factor"]
    assert product == pytest.approx(block["overall"], rel=1e-12)
    total = math.fsum(block["scrap_by_cause"].values()) + block["escaped_share"] + block["overall"]
    assert total == pytest.approx(1.0, rel=1e-12)
    # after cutting no sheet yield (null); the station's own flow keeps its sheet-equivalents
    assert block["sheet_yield_by_step"]["end_of_line_test"] is None
    assert block["piece_yield_by_step"]["end_of_line_test"] < response.json()["stations"]["end_of_line_test"]["quality"]
