"""The dashboard's files, the offline API docs and the scenario upload endpoint, over the ASGI app.

The browser behaviour itself is tested in tests/browser (real Chromium)."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.routes.offline_assets import UI_DIR, UI_FILES, docs_asset_dir, plotly_js_path
from twin.scenario import scenario_hash
from twin.scenario.library import library_path, load_library_scenario

ROOT = Path(__file__).resolve().parents[2]
_LOCAL_REFERENCE = re.compile(r'(?:src|href)="([^"]+)"')
_EXTERNAL = re.compile(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.I)


def _references(html: str) -> list[str]:
    return [ref for ref in _LOCAL_REFERENCE.findall(html) if not ref.startswith("#")]


@pytest.mark.component
@pytest.mark.parametrize("page", ["/ui", "/docs", "/redoc"])
def test_pages_load_only_assets_the_app_serves(client, page):
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    references = _references(response.text)
    assert references, "the page loads its scripts and styles from somewhere"
    for reference in references:
        assert reference.startswith("/"), f"{page} loads {reference} from outside the app"
        asset = client.get(reference)
        assert asset.status_code == 200, reference
        assert len(asset.content) > 0
    assert not _EXTERNAL.search(response.text), _EXTERNAL.search(response.text)


@pytest.mark.component
def test_dashboard_code_names_no_external_host():
    for path in UI_DIR.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not _EXTERNAL.search(text), f"{path.name}: {_EXTERNAL.search(text)}"


@pytest.mark.component
def test_every_dashboard_file_is_served_and_packaged(client):
    on_disk = {path.relative_to(UI_DIR).as_posix() for path in UI_DIR.rglob("*") if path.is_file()}
    assert on_disk - {"index.html"} == set(UI_FILES), "a file in api/ui is not served, or a listed one is missing"
    media = {".js": "text/javascript", ".css": "text/css"}
    for name in UI_FILES:
        response = client.get(f"/ui/static/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"].startswith(media[Path(name).suffix])
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["api"]
    for name in on_disk:
        assert any(fnmatch(f"api/ui/{name}".removeprefix("api/"), pattern) for pattern in globs), name


@pytest.mark.component
def test_plotly_and_docs_assets_come_from_their_packages(client):
    served = client.get("/ui/vendor/plotly.min.js")
    assert served.status_code == 200
    assert served.content == plotly_js_path().read_bytes()
    assert "site-packages" in str(plotly_js_path()) or "dist-packages" in str(plotly_js_path())
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        response = client.get(f"/docs-assets/{name}")
        assert response.status_code == 200
        assert response.content == (docs_asset_dir() / name).read_bytes()


@pytest.mark.component
@pytest.mark.parametrize("path", ["/ui/static/../main.py", "/ui/static/index.html", "/docs-assets/..%2Fcore.py",
                                  "/docs-assets/nothing.js"])
def test_only_listed_files_are_served(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.component
def test_pages_need_no_key_but_the_data_does(make_settings):
    with TestClient(create_app(make_settings(api_key="k" * 20))) as keyed:
        for path in ("/ui", "/ui/static/js/main.js", "/ui/vendor/plotly.min.js", "/docs", "/redoc",
                     "/docs-assets/redoc.standalone.js", "/openapi.json"):
            assert keyed.get(path).status_code == 200, path
        assert keyed.get("/scenarios").status_code == 401
        assert keyed.post("/scenarios/parse", json={"text": "name: x"}).status_code == 401


@pytest.mark.component
def test_uploaded_library_file_validates_to_the_library_scenario(client):
    text = library_path("pilot_line").read_text(encoding="utf-8")
    response = client.post("/scenarios/parse", json={"text": text, "source": "pilot_line.yaml"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "pilot_line"
    assert body["scenario_hash"] == scenario_hash(load_library_scenario("pilot_line"))
    # the answer is itself a valid scenario object for /evaluate
    again = client.post("/scenarios/parse", json={"text": __import__("json").dumps(body["scenario"])})
    assert again.json()["scenario_hash"] == body["scenario_hash"]


@pytest.mark.component
def test_uploaded_file_problems_name_the_field_and_the_range(client):
    text = library_path("oxide_baseline").read_text(encoding="utf-8")
    bad = text.replace("shifts_per_day: 3", "shifts_per_day: 9", 1)
    assert bad != text
    response = client.post("/scenarios/parse", json={"text": bad})
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["loc"] == ["body", "scenario", "line", "shifts", "shifts_per_day"]
    assert item["msg"].startswith("line.shifts.shifts_per_day: 9 is above 4")
    syntax = client.post("/scenarios/parse", json={"text": "name: [unclosed"})
    assert syntax.status_code == 422
    assert "YAML syntax error at line 1" in syntax.json()["detail"][0]["msg"]
    assert client.post("/scenarios/parse", json={"text": "- a list"}).status_code == 422
