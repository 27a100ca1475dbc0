"""Issue 15 over HTTP: strict request types, run-length limits, storage retention, rate limit, OPTIONS,
OpenAPI error documentation, settings errors that never echo a secret, and worker memory caps."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.rate_limit import TokenBuckets
from api.settings import load_settings
from api.store import JobStore

pytestmark = pytest.mark.component


@pytest.mark.parametrize(("body", "field"), [
    ({"scenario": "oxide_baseline", "days": 1, "replications": True}, "replications"),
    ({"scenario": "oxide_baseline", "days": "1"}, "days"),
    ({"scenario": "oxide_baseline", "days": True}, "days"),
    ({"scenario": "oxide_baseline", "days": 5e-324}, "days"),
])
def test_simulation_numbers_are_strict_and_at_least_an_hour(client, body, field):
    response = client.post("/simulations", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


def test_twin_check_zero_is_not_false(client):
    response = client.post("/optimisations", json={"scenario": "oxide_baseline", "twin_check": 0})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "twin_check"]


def test_scenario_bool_as_number_is_422_naming_the_field(client):
    response = client.post("/evaluate", json={
        "scenario": "oxide_baseline", "overrides": {"route.electrolyte_sintering.profile[1].temperature_C": True}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "route[2].sintering.profile[1].temperature_C: true is not a number"


def test_zero_working_hours_is_422_not_500(client):
    response = client.post("/evaluate", json={
        "scenario": "oxide_baseline",
        "overrides": {"line.shifts.days_per_week": 1, "line.shifts.holidays_per_year": 53}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "scenario", "line", "shifts", "holidays_per_year"]


def test_a_huge_source_text_is_refused_before_it_is_stored(client):
    response = client.post("/simulations", json={"scenario": "oxide_baseline", "days": 1,
                                                 "overrides": {"sources.pad": "p" * 1_900_000}})
    assert response.status_code == 422
    assert "above the limit of 2000 characters" in response.json()["detail"][0]["msg"]


def test_machine_days_are_bounded(client):
    response = client.post("/simulations", json={"scenario": "oxide_baseline", "days": 1200, "replications": 3,
                                                 "overrides": {"line.stations.cutting.machines": 400}})
    assert response.status_code == 422
    assert "machine-days is above the limit" in response.json()["detail"][0]["msg"]


def test_options_lists_every_method(client):
    response = client.options("/simulations/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 204
    assert response.headers["allow"] == "DELETE, GET, HEAD, OPTIONS"
    assert client.options("/evaluate").headers["allow"] == "OPTIONS, POST"


def test_openapi_documents_400_and_429(client):
    responses = client.get("/openapi.json").json()["paths"]["/evaluate"]["post"]["responses"]
    assert {"400", "422", "429"} <= set(responses)


def test_rate_limit_answers_429_with_retry_after(make_settings):
    with TestClient(create_app(make_settings(rate_limit_per_minute=8))) as test_client:
        codes = [test_client.post("/evaluate", json={"scenario": "nope"}).status_code for _ in range(4)]
    assert codes[:2] == [422, 422]
    assert codes[-1] == 429


def test_token_bucket_refills_at_the_set_rate():
    now = [0.0]
    buckets = TokenBuckets(per_minute=60, burst=2, clock=lambda: now[0])
    assert buckets.take("a") == 0.0 and buckets.take("a") == 0.0
    assert buckets.take("a") == pytest.approx(1.0)
    assert buckets.take("b") == 0.0  # another client has its own bucket
    now[0] = 1.0
    assert buckets.take("a") == 0.0


def test_retention_deletes_old_and_surplus_finished_rows_only(tmp_path):
    store = JobStore(f"sqlite:///{tmp_path / 'r.db'}")
    ids = [store.create_job("simulation", "s", "h", "{}", {}).id for _ in range(5)]
    for job_id in ids[:4]:
        store.finish(job_id, "cancelled")
    for k in range(5):
        store.put_evaluation(f"{k:064d}", "v", "{}")
    removed = store.purge(max_age_s=3600.0, max_jobs=2, max_evaluations=3)
    assert removed == {"jobs": 2, "evaluations": 2}
    assert store.get_job(ids[4]) is not None  # the queued job is never purged
    removed = store.purge(max_age_s=0.0, max_jobs=100, max_evaluations=3, now=time.time() + 1.0)
    assert removed == {"jobs": 2, "evaluations": 0}
    assert store.count_rows() == {"jobs": 1, "evaluations": 3}
    store.close()


def test_settings_errors_name_the_variable_never_the_secret(monkeypatch):
    monkeypatch.setenv("SSB_TWIN_API_KEY", "0123456789abcd")
    with pytest.raises(ValueError) as caught:
        load_settings()
    assert str(caught.value) == "SSB_TWIN_API_KEY: must be at least 16 characters"
    monkeypatch.delenv("SSB_TWIN_API_KEY")
    monkeypatch.setenv("SSB_TWIN_DATABASE_URL", "notaurl")
    with pytest.raises(ValueError, match="SSB_TWIN_DATABASE_URL: is not a database URL"):
        load_settings()
    monkeypatch.setenv("SSB_TWIN_DATABASE_URL", "sqlite:////nonexistent_dir_ssb/x.db")
    with pytest.raises(ValueError, match="SSB_TWIN_DATABASE_URL: the SQLite file's folder /nonexistent_dir_ssb"):
        load_settings()


def test_serve_with_a_bad_database_url_exits_2_without_traceback(tmp_path):
    env = {"SSB_TWIN_DATABASE_URL": "notaurl", "PATH": "/usr/bin:/bin"}
    entry_point = str(Path(sys.executable).parent / "ssb-twin")
    done = subprocess.run([entry_point, "serve", "--port", "18999"], env=env,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2
    assert "SSB_TWIN_DATABASE_URL" in done.stderr and "Traceback" not in done.stderr


def test_a_worker_over_its_memory_limit_gets_memory_error_not_the_oom_killer():
    code = ("from api.worker import limit_memory, describe_failure\n"
            "limit_memory(512)\n"
            "try:\n    b = bytearray(1024 * 1024 * 1024)\nexcept MemoryError as e:\n"
            "    print(describe_failure(e)[0])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "resources"


def test_docs_list_every_limit_and_setting():
    from api.settings import ApiSettings
    from twin.run_limits import MAX_MACHINE_DAYS
    from twin.scenario import limits

    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    for field in ApiSettings.model_fields:
        assert f"SSB_TWIN_{field.upper()}" in text, field
    for value in (limits.MAX_ROUTE_STEPS, limits.MAX_PROFILE_SEGMENTS, limits.MAX_SEGMENT_FIRINGS,
                  limits.MAX_MACHINES_PER_LINE, limits.MAX_SOURCES, limits.MAX_SOURCE_TEXT_CHARS,
                  limits.MAX_DESCRIPTION_CHARS, f"{MAX_MACHINE_DAYS:,.0f}"):
        assert f"| {value}" in text or f" {value} " in text, value
