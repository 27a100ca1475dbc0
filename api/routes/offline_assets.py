"""The dashboard (/ui) and the API docs (/docs, /redoc), served entirely by this app: no CDN.

Third-party browser code comes from the Python packages that ship it, read in place at run time:
Plotly's ``plotly.min.js`` from the ``plotly`` package, Swagger UI and ReDoc from ``fastapi-offline``.
The dashboard's own HTML/JS/CSS live in ``api/ui`` (package data). None of these routes needs the API key:
they hold no data; the dashboard sends the key (typed in by the user) with its API calls.
"""

from __future__ import annotations

import mimetypes
from functools import cache
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

UI_DIR = Path(__file__).resolve().parents[1] / "ui"
DOCS_ASSETS = {  # URL name -> file inside fastapi_offline/static
    "swagger-ui-bundle.js": "swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui.css",
    "redoc.standalone.js": "redoc.standalone.js",
    "favicon.png": "favicon.png",
}
# the dashboard's own files: an explicit list, so no request path is ever joined onto a folder
UI_FILES = {
    "dashboard.css": "dashboard.css",
    **{f"js/{name}": f"js/{name}" for name in
       ("api.js", "fields.js", "charts.js", "jobs.js", "compare.js", "main.js")},
}
_CACHE = {"Cache-Control": "public, max-age=3600"}
# The pages may only load from this app: the browser itself then refuses any CDN, font host or tracking
# image a bundled library would reach for (ReDoc's footer logo points at its vendor's CDN, for one).
# Inline scripts: FastAPI's Swagger UI page starts the bundle inline; unsafe-eval: Plotly compiles some
# trace code at run time; blob: workers: ReDoc's search index.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'self'"
)
_PAGE = {"Content-Security-Policy": CONTENT_SECURITY_POLICY}


def _page(response: HTMLResponse) -> HTMLResponse:
    response.headers.update(_PAGE)
    return response

router = APIRouter(include_in_schema=False)


@cache
def plotly_js_path() -> Path:
    """plotly.min.js as shipped inside the installed ``plotly`` package."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


@cache
def docs_asset_dir() -> Path:
    """The Swagger UI / ReDoc assets shipped inside the installed ``fastapi_offline`` package."""
    return Path(str(resources.files("fastapi_offline") / "static"))


def _file(path: Path) -> FileResponse:
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".js":
        media_type = "text/javascript"
    return FileResponse(path, media_type=media_type, headers=_CACHE)


@router.get("/ui")
def dashboard() -> FileResponse:
    return FileResponse(UI_DIR / "index.html", media_type="text/html", headers=_PAGE)


@router.get("/ui/")
def dashboard_slash() -> RedirectResponse:
    return RedirectResponse("/ui", status_code=308)


@router.get("/ui/static/{name:path}")
def dashboard_file(name: str) -> FileResponse:
    if name not in UI_FILES:
        raise HTTPException(status_code=404, detail=f"no dashboard file '{name[:80]}'")
    return _file(UI_DIR / UI_FILES[name])


@router.get("/ui/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    return _file(plotly_js_path())


@router.get("/docs-assets/{name}")
def docs_asset(name: str) -> FileResponse:
    if name not in DOCS_ASSETS:
        raise HTTPException(status_code=404, detail=f"no documentation asset '{name[:80]}'")
    return _file(docs_asset_dir() / DOCS_ASSETS[name])


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    app = request.app
    return _page(get_swagger_ui_html(
        openapi_url=app.openapi_url,
        title=f"{app.title} - Swagger UI",
        swagger_js_url="/docs-assets/swagger-ui-bundle.js",
        swagger_css_url="/docs-assets/swagger-ui.css",
        swagger_favicon_url="/docs-assets/favicon.png",
        oauth2_redirect_url="/docs/oauth2-redirect",
        # no badge from the public online validator: the page must not call out of the app
        swagger_ui_parameters={"validatorUrl": None},
    ))


@router.get("/docs/oauth2-redirect")
def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    app = request.app
    return _page(get_redoc_html(
        openapi_url=app.openapi_url,
        title=f"{app.title} - ReDoc",
        redoc_js_url="/docs-assets/redoc.standalone.js",
        redoc_favicon_url="/docs-assets/favicon.png",
        with_google_fonts=False,
    ))


__all__ = ["UI_DIR", "docs_asset_dir", "plotly_js_path", "router"]
