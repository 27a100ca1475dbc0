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


def _seed_variants_fresh(monkeypatch):
    """A server's seed variants from scratch (the module-level one is shared by every app of the test run)."""
    from api import cached_answers, scenario_input
    from api.scenario_input import SeedVariants

    fresh = SeedVariants()
    monkeypatch.setattr(scenario_input, "SEED_VARIANTS", fresh)
    monkeypatch.setattr(cached_answers, "SEED_VARIANTS", fresh)
    monkeypatch.setattr("api.routes.evaluate.SEED_VARIANTS", fresh)
    return fresh


def test_a_new_seed_of_a_validated_scenario_is_answered_ahead_of_fastapi_as_the_route_answers(
        make_settings, monkeypatch):
    import api.routes.evaluate as route

    first, second = ({"scenario": "oxide_baseline", "overrides": {"seed": seed, "line.shifts.shifts_per_day": 2}}
                     for seed in (31, 32))
    _seed_variants_fresh(monkeypatch)
    with TestClient(create_app(make_settings(data_dir=make_settings().data_dir / "route"))) as client:
        by_route = client.post("/evaluate", json=second)   # nothing seen before: the route validates it
    _seed_variants_fresh(monkeypatch)
    calls = {"route": 0}
    fingerprint = route.request_fingerprint

    def counted(*args):
        calls["route"] += 1
        return fingerprint(*args)

    monkeypatch.setattr(route, "request_fingerprint", counted)
    with TestClient(create_app(make_settings())) as client:
        assert client.post("/evaluate", json=first).status_code == 200
        assert calls["route"] == 1   # the first seed went through the route (and its validation)
        ahead = client.post("/evaluate", json=second)
        assert calls["route"] == 1   # the second one did not reach the route
        again = client.post("/evaluate", json=second)
    assert (by_route.status_code, ahead.status_code) == (200, 200)
    assert ahead.content == by_route.content
    for header in ("x-cache", "x-scenario-hash", "content-type", "content-length"):
        assert ahead.headers[header] == by_route.headers[header], header
    assert ahead.headers["x-cache"] == "computed" and again.headers["x-cache"] == "memory"
    assert again.content == ahead.content


def test_a_seed_variant_that_fails_gets_the_routes_error_answer(make_settings, monkeypatch):
    failing = {"scenario": "oxide_baseline", "overrides": {"description": "physics-fail here"}}
    _seed_variants_fresh(monkeypatch)
    with TestClient(create_app(make_settings())) as client:
        by_route = client.post("/evaluate", json={**failing, "overrides": {**failing["overrides"], "seed": 41}})
        ahead = client.post("/evaluate", json={**failing, "overrides": {**failing["overrides"], "seed": 42}})
        refused_seed = client.post("/evaluate", json={**failing, "overrides": {**failing["overrides"], "seed": -1}})
    assert by_route.status_code == ahead.status_code == 422
    assert ahead.json() == by_route.json() and "green_relative_density" in ahead.text
    assert ahead.headers["content-type"] == by_route.headers["content-type"]
    assert refused_seed.status_code == 422 and "seed" in refused_seed.text   # the full validation's wording


def test_a_busy_client_gets_the_routes_429_for_a_seed_variant(make_settings, monkeypatch):
    _seed_variants_fresh(monkeypatch)
    with TestClient(create_app(make_settings(max_evaluations_per_client=1))) as client:
        assert client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": {"seed": 51}}).status_code \
            == 200
        evaluator = client.app.state.evaluator
        evaluator._computing_by_client["ip:testclient"] = 1   # one evaluation of this client still computing
        busy = client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": {"seed": 52}})
        evaluator._computing_by_client.clear()
    assert busy.status_code == 429 and busy.headers["retry-after"] == "1"
    assert "SSB_TWIN_MAX_EVALUATIONS_PER_CLIENT" in busy.json()["detail"]
