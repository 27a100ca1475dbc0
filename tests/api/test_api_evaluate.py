"""POST /evaluate: result keys, the canonical-hash cache, and 422 details naming the field."""

from __future__ import annotations

import api_fake_services
import pytest
from fastapi.testclient import TestClient

import twin
from api.main import create_app
from twin.results import RESULT_KEYS as SHARED_RESULT_KEYS
from twin.scenario import scenario_hash
from twin.scenario.library import library_document, load_library_scenario

pytestmark = pytest.mark.component

# the shared result keys (twin.results) plus the hash the API adds for caching
RESULT_KEYS = {*SHARED_RESULT_KEYS, "scenario_hash"}


def test_evaluate_returns_the_result_keys(client):
    response = client.post("/evaluate", json={"scenario": "oxide_baseline"})
    assert response.status_code == 200
    body = response.json()
    assert RESULT_KEYS <= set(body)
    assert body["scenario_hash"] == scenario_hash(load_library_scenario("oxide_baseline"))
    # the fake prices 100 USD/kWh divided by the shifts per day (3 in the baseline)
    assert body["cost"]["usd_per_kwh"] == pytest.approx(100.0 / 3, rel=1e-12)
    assert body["quality"]["relative_density"]["mean"] is None  # NaN has no JSON form: sent as null


def test_identical_requests_are_answered_from_the_cache(client):
    api_fake_services.EVALUATE_CALLS["count"] = 0
    first = client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": {"seed": 7}})
    second = client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": {"seed": 7}})
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("computed", "memory")
    assert first.content == second.content
    assert api_fake_services.EVALUATE_CALLS["count"] == 1


def test_cache_key_is_the_canonical_scenario_not_the_request_form(client):
    api_fake_services.EVALUATE_CALLS["count"] = 0
    by_name = client.post(
        "/evaluate", json={"scenario": "oxide_baseline", "overrides": {"line.shifts.shifts_per_day": 2}}
    )
    document = library_document("oxide_baseline")
    document["line"]["shifts"]["shifts_per_day"] = 2
    by_object = client.post("/evaluate", json={"scenario": document})
    assert by_name.status_code == by_object.status_code == 200
    assert by_object.headers["x-cache"] == "memory"
    assert by_object.headers["x-scenario-hash"] == by_name.headers["x-scenario-hash"]
    assert by_name.json()["cost"]["usd_per_kwh"] == pytest.approx(50.0, rel=1e-12)  # 100 / 2 shifts
    assert api_fake_services.EVALUATE_CALLS["count"] == 1


def test_cache_survives_a_restart_through_the_database(make_settings):
    settings = make_settings()
    with TestClient(create_app(settings)) as first_client:
        assert (
            first_client.post("/evaluate", json={"scenario": "oxide_baseline"}).headers["x-cache"]
            == "computed"
        )
    with TestClient(create_app(settings)) as second_client:
        response = second_client.post("/evaluate", json={"scenario": "oxide_baseline"})
    assert response.status_code == 200
    assert response.headers["x-cache"] == "database"


def test_a_restart_on_changed_model_code_does_not_serve_the_old_codes_stored_answer(make_settings, monkeypatch):
    # twin.__version__ stays 0.2.0 across merges that move numbers: the stored answer is keyed by a digest
    # of the model's files too, so new code computes afresh instead of answering from the database
    import api.evaluation

    settings = make_settings()
    with TestClient(create_app(settings)) as first_client:
        assert first_client.post("/evaluate", json={"scenario": "oxide_baseline"}).headers["x-cache"] == "computed"
    monkeypatch.setattr(api.evaluation, "model_fingerprint", lambda: f"{twin.__version__}+changedcode")
    with TestClient(create_app(settings)) as second_client:
        response = second_client.post("/evaluate", json={"scenario": "oxide_baseline"})
    assert response.status_code == 200
    assert response.headers["x-cache"] == "computed"


def test_model_fingerprint_is_the_version_and_a_digest_that_fits_the_stored_key():
    from api.evaluation import model_fingerprint

    fingerprint = model_fingerprint()
    version, digest = fingerprint.split("+")
    assert version == twin.__version__ and len(digest) == 16 and int(digest, 16) >= 0
    assert len(fingerprint) <= 32 and model_fingerprint() == fingerprint


def test_out_of_range_override_is_422_with_path_and_range(client):
    response = client.post(
        "/evaluate", json={"scenario": "oxide_baseline", "overrides": {"line.shifts.shifts_per_day": 9}}
    )
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["body", "scenario", "line", "shifts", "shifts_per_day"]
    assert detail["msg"] == (
        "line.shifts.shifts_per_day: 9 is above 4 (above 4 shifts per day); allowed [1, 4]"
    )


def test_override_of_a_missing_step_is_422_on_overrides(client):
    response = client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": {"route.nope.x": 1}})
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["body", "overrides"]
    assert detail["msg"].startswith("override path 'route.nope.x': no step named 'nope'")


def test_unknown_library_name_is_422_listing_the_library(client):
    response = client.post("/evaluate", json={"scenario": "../../etc/passwd"})
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["body", "scenario"]
    assert "is not in the library; available: " in detail["msg"] and "oxide_baseline" in detail["msg"]


def test_invalid_scenario_object_lists_every_problem(client):
    document = library_document("oxide_baseline")
    document["seed"] = -1
    document["nonsense_key"] = 1
    response = client.post("/evaluate", json={"scenario": document})
    assert response.status_code == 422
    locs = [item["loc"] for item in response.json()["detail"]]
    assert ["body", "scenario", "seed"] in locs
    assert ["body", "scenario", "nonsense_key"] in locs


def test_physics_domain_error_is_422(make_settings):
    with TestClient(create_app(make_settings())) as test_client:
        response = test_client.post(
            "/evaluate",
            json={"scenario": "oxide_baseline", "overrides": {"description": "physics-fail here"}},
        )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "green_relative_density=1.2 is outside (0, 1]"


def test_internal_failure_is_500_with_a_fixed_detail(client):
    response = client.post(
        "/evaluate", json={"scenario": "oxide_baseline", "overrides": {"description": "crash"}}
    )
    assert response.status_code == 500
    assert response.json() == {"detail": "the evaluation failed with an internal error; it has been logged"}
    assert "passwd" not in response.text and "Traceback" not in response.text


def test_evaluation_in_a_worker_process_gives_the_same_answer(make_settings):
    settings = make_settings(evaluate_workers=1)
    with TestClient(create_app(settings)) as test_client:
        response = test_client.post("/evaluate", json={"scenario": "oxide_baseline"})
        crashed = test_client.post(
            "/evaluate", json={"scenario": "oxide_baseline", "overrides": {"description": "crash"}}
        )
    assert response.status_code == 200
    assert response.json()["cost"]["usd_per_kwh"] == pytest.approx(100.0 / 3, rel=1e-12)
    assert crashed.status_code == 500


def test_unknown_body_field_is_422(client):
    response = client.post("/evaluate", json={"scenario": "oxide_baseline", "overide": {}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "overide"]
    assert response.json()["detail"][0]["type"] == "extra_forbidden"


def test_a_dead_evaluation_worker_is_replaced(make_settings):
    with TestClient(create_app(make_settings(evaluate_workers=1))) as test_client:
        died = test_client.post(
            "/evaluate", json={"scenario": "oxide_baseline", "overrides": {"description": "die"}}
        )
        after = test_client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": {"seed": 11}})
    # a dead worker is the service's trouble, not the caller's: 503 with Retry-After (issue 15), logged
    assert died.status_code == 503
    assert "worker process died" in died.json()["detail"]
    assert died.headers["Retry-After"] == "5"
    assert after.status_code == 200


def test_identical_concurrent_requests_share_one_computation(make_settings):
    import asyncio

    import httpx

    api_fake_services.EVALUATE_CALLS["count"] = 0
    app = create_app(make_settings())

    async def burst() -> list[httpx.Response]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                body = {"scenario": "oxide_baseline", "overrides": {"seed": 99}}
                return await asyncio.gather(*(client.post("/evaluate", json=body) for _ in range(8)))

    responses = asyncio.run(burst())
    assert [response.status_code for response in responses] == [200] * 8
    assert len({response.content for response in responses}) == 1
    assert api_fake_services.EVALUATE_CALLS["count"] == 1


def test_a_machine_size_outside_its_range_is_422_naming_the_field(client):
    response = client.post("/evaluate", json={"scenario": "oxide_baseline", "overrides": {
        "line.stations.electrolyte_casting.sizes.options": [1.3, 4.0]}})
    assert response.status_code == 422
    messages = [detail["msg"] for detail in response.json()["detail"]]
    assert ("line.stations.electrolyte_casting.sizes.options[1]: 4 is above 3 (above 3 m no coater exists); "
            "allowed [0.05, 3] (web_width_m)") in messages
