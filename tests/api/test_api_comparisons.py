"""POST /comparisons: library scenarios next to the Li-ion reference, over the real twin."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from twin.evaluate import evaluate_scenario
from twin.reference_comparison import REFERENCE_SCENARIO
from twin.scenario.library import load_library_scenario


@pytest.fixture
def real_client(make_settings):
    with TestClient(create_app(make_settings(service_module="api.services"))) as test_client:
        yield test_client


@pytest.mark.integration
def test_comparison_over_http_has_the_reference_first(real_client):
    response = real_client.post("/comparisons", json={"scenarios": ["oxide_baseline"]})
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert [row["scenario"] for row in rows] == [REFERENCE_SCENARIO, "oxide_baseline"]
    direct = evaluate_scenario(load_library_scenario(REFERENCE_SCENARIO))["cost"]["usd_per_kwh"]
    assert rows[0]["usd_per_kwh"] == pytest.approx(direct, rel=1e-12)
    assert response.json()["doe_pack_estimate"]["usd_per_kwh"] == 153.0


@pytest.mark.component
def test_unknown_scenario_is_422_naming_it(real_client):
    response = real_client.post("/comparisons", json={"scenarios": ["no_such_plant"]})
    assert response.status_code == 422
    assert "no_such_plant" in response.text
    second = real_client.post("/comparisons", json={"scenarios": ["oxide_baseline", "no_such_plant"]})
    assert second.status_code == 422
    # the list entry the client sent, not the /evaluate body's 'scenario' field
    assert second.json()["detail"][0]["loc"] == ["body", "scenarios", 1]
    assert second.json()["detail"][0]["msg"].startswith("scenarios[1]: 'no_such_plant' is not in the library")


@pytest.mark.integration
def test_reference_evaluates_over_http(real_client):
    response = real_client.post("/evaluate", json={"scenario": REFERENCE_SCENARIO})
    assert response.status_code == 200, response.text
    assert response.json()["yield"]["overall"] == pytest.approx(0.95, abs=1e-12)
