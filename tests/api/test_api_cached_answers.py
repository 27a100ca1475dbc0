"""A repeated POST /evaluate answered from memory ahead of FastAPI (api.cached_answers): the same answer
as the route's, and no way around the request model, the API key or the limits."""

from __future__ import annotations

import api_fake_services
import pytest
from fastapi.testclient import TestClient

from api.main import create_app

pytestmark = pytest.mark.component

REQUEST = {"scenario": "oxide_baseline", "overrides": {"seed": 11}}


def test_a_repeated_request_gets_the_computed_answer_byte_for_byte(client):
    api_fake_services.EVALUATE_CALLS["count"] = 0
    first = client.post("/evaluate", json=REQUEST)
    again = client.post("/evaluate", json=REQUEST)
    assert (first.status_code, again.status_code) == (200, 200)
    assert (first.headers["x-cache"], again.headers["x-cache"]) == ("computed", "memory")
    assert again.content == first.content
    assert again.headers["x-scenario-hash"] == first.headers["x-scenario-hash"]
    assert again.headers["content-type"] == first.headers["content-type"] == "application/json"
    assert int(again.headers["content-length"]) == len(first.content)
    assert api_fake_services.EVALUATE_CALLS["count"] == 1


def test_a_body_the_request_model_rejects_is_rejected_even_when_its_scenario_is_cached(client):
    assert client.post("/evaluate", json=REQUEST).status_code == 200
    extra_key = client.post("/evaluate", json={**REQUEST, "days": 3})
    overrides_not_a_mapping = client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": [1]})
    assert (extra_key.status_code, overrides_not_a_mapping.status_code) == (422, 422)
    assert "x-cache" not in extra_key.headers


def test_the_api_key_is_checked_before_a_cached_answer(make_settings):
    key = "a-long-enough-test-key"
    with TestClient(create_app(make_settings(api_key=key))) as client:
        computed = client.post("/evaluate", json=REQUEST, headers={"X-API-Key": key})
        cached = client.post("/evaluate", json=REQUEST, headers={"X-API-Key": key})
        wrong = client.post("/evaluate", json=REQUEST, headers={"X-API-Key": "guess"})
        missing = client.post("/evaluate", json=REQUEST)
    assert (computed.status_code, cached.status_code, wrong.status_code, missing.status_code) == (200, 200, 401, 401)
    assert cached.headers["x-cache"] == "memory"


def test_the_rate_limit_applies_to_cached_answers(make_settings):
    with TestClient(create_app(make_settings(rate_limit_per_minute=4))) as client:  # burst of 1 request
        statuses = [client.post("/evaluate", json=REQUEST).status_code for _ in range(3)]
    assert statuses[0] == 200
    assert 429 in statuses[1:]


def test_a_worker_evaluates_the_validated_scenario_it_is_given_and_encodes_the_answer_once(monkeypatch):
    import json

    from api.worker import evaluate_in_worker
    from twin.scenario import Scenario, scenario_hash
    from twin.scenario.library import load_library_scenario

    scenario = load_library_scenario("oxide_baseline")

    def no_second_validation(*_args, **_kwargs):
        raise AssertionError("the worker validated the scenario again")

    monkeypatch.setattr(Scenario, "model_validate", no_second_validation)
    monkeypatch.setattr(Scenario, "model_validate_json", no_second_validation)
    ok, text = evaluate_in_worker(scenario, scenario_hash(scenario), "api_fake_services")
    assert ok
    answer = json.loads(text)
    assert answer["scenario_hash"] == scenario_hash(scenario)  # added where the service leaves it out
    assert answer["cost"]["usd_per_kwh"] == pytest.approx(100.0 / 3, rel=1e-12)
    failing = scenario.model_copy(update={"description": "physics-fail here"})
    ok, text = evaluate_in_worker(failing, "unused", "api_fake_services")
    assert not ok
    assert json.loads(text)["category"] == "input"
