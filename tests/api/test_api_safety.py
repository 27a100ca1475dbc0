"""Hostile or broken requests: body size, malformed JSON, nesting, API key, unexpected errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.http_errors import INTERNAL_ERROR_DETAIL
from api.main import create_app

pytestmark = pytest.mark.component


def test_oversized_body_by_content_length_is_413(make_settings):
    with TestClient(create_app(make_settings(max_body_bytes=2048))) as client:
        response = client.post(
            "/evaluate", content=b"{" + b" " * 4000 + b"}", headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413
    assert response.json() == {
        "detail": "request body is larger than the limit of 2048 bytes (SSB_TWIN_MAX_BODY_BYTES)"
    }


def test_oversized_streamed_body_without_length_is_413(make_settings):
    def chunks():
        for _ in range(10):
            yield b" " * 1000

    with TestClient(create_app(make_settings(max_body_bytes=2048))) as client:
        response = client.post("/evaluate", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_malformed_json_is_400(client):
    response = client.post(
        "/evaluate", content=b'{"scenario": "oxide_baseline",', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("request body is not valid JSON")


def test_deeply_nested_json_is_rejected_without_a_500(client):
    body = b'{"scenario": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post("/evaluate", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422)


def test_api_key_is_required_when_configured(make_settings):
    with TestClient(create_app(make_settings(api_key="a-long-enough-test-key"))) as client:
        missing = client.get("/scenarios")
        wrong = client.get("/scenarios", headers={"X-API-Key": "guess"})
        right = client.get("/scenarios", headers={"X-API-Key": "a-long-enough-test-key"})
        health = client.get("/health")
        evaluate = client.post("/evaluate", json={"scenario": "oxide_baseline"})
    assert (missing.status_code, wrong.status_code, right.status_code, health.status_code) == (
        401,
        401,
        200,
        200,
    )
    assert missing.json() == {"detail": "missing or invalid API key (header X-API-Key)"}
    assert evaluate.status_code == 401


def test_unexpected_error_is_500_with_a_fixed_detail_and_no_trace(make_settings, monkeypatch, caplog):
    app = create_app(make_settings())

    def broken(*_args, **_kwargs):
        raise KeyError("internal path /srv/secret")

    with TestClient(app, raise_server_exceptions=False) as client:
        monkeypatch.setattr(client.app.state.store, "get_job", broken)
        response = client.get("/simulations/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 500
    reference = response.json()["detail"].rsplit(" ", 1)[-1]
    assert response.json() == {"detail": INTERNAL_ERROR_DETAIL.format(reference=reference)}
    assert "secret" not in response.text and "Traceback" not in response.text
    assert any(reference in record.getMessage() for record in caplog.records)


def test_non_json_content_type_is_a_client_error(client):
    response = client.post(
        "/evaluate",
        content=b"scenario=oxide_baseline",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert 400 <= response.status_code < 500
