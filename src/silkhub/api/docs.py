"""The interactive API docs at ``/docs``, served entirely from this process (no CDN).

FastAPI's default page loads Swagger UI from a public CDN, which fails on an air-gapped hub
network and leaks every docs visit to a third party. The Swagger UI files come from the
``swagger-ui-bundle-v2`` package instead and are served under ``/docs/assets``.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["ASSETS_PATH", "install_docs"]

ASSETS_PATH = "/docs/assets"


def install_docs(app: FastAPI, openapi_url: str = "/openapi.json") -> None:
    """Serve Swagger UI at ``/docs`` with its assets from the installed bundle."""
    assets = Path(str(swagger_ui_bundle.swagger_ui_path))
    app.mount(ASSETS_PATH, StaticFiles(directory=assets), name="swagger-ui-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon-32x32.png",
        )
