"""GET /health, GET /scenarios, GET /scenarios/{name}."""

from __future__ import annotations

import pytest

import twin
from twin.scenario import scenario_hash
from twin.scenario.library import library_names, load_library_scenario

pytestmark = pytest.mark.component


def test_health_reports_version_and_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "version": twin.__version__,
        "database": "ok",
        "jobs": {"queued": 0, "running": 0},
    }


def test_health_is_503_when_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setattr(client.app.state.store, "ping", lambda: False)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert response.json()["status"] == "degraded"


def test_scenario_listing_matches_the_library(client):
    response = client.get("/scenarios")
    assert response.status_code == 200
    listed = {item["name"]: item for item in response.json()}
    assert sorted(listed) == library_names()
    assert listed["oxide_baseline"]["valid"] is True
    assert listed["oxide_baseline"]["description"] == load_library_scenario("oxide_baseline").description


def test_scenario_detail_carries_the_canonical_hash(client):
    response = client.get("/scenarios/oxide_baseline")
    assert response.status_code == 200
    body = response.json()
    expected = load_library_scenario("oxide_baseline")
    assert body["scenario_hash"] == scenario_hash(expected)
    assert body["scenario"]["seed"] == expected.seed


def test_unknown_scenario_is_404(client):
    response = client.get("/scenarios/not_there")
    assert response.status_code == 404
    assert response.json() == {"detail": "no scenario named 'not_there' in the library; see GET /scenarios"}


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd", "oxide_baseline.yaml", "%2Fetc%2Fpasswd"])
def test_path_like_names_never_reach_the_file_system(client, name):
    response = client.get(f"/scenarios/{name}")
    # either no route matches (an encoded slash splits the path) or the name is not in the listing
    assert response.status_code == 404
    assert response.json()["detail"] in (
        "Not Found",
        f"no scenario named '{name}' in the library; see GET /scenarios",
    )


def test_overlong_scenario_name_is_422(client):
    response = client.get("/scenarios/" + "a" * 65)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "name"]
    assert "at most 64 characters" in response.json()["detail"][0]["msg"]
