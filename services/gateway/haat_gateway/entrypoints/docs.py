"""The public API's documentation page, served entirely from this origin.

Swagger UI comes from the pinned `swagger-ui-bundle` package, not a CDN: the staff pages share this origin
and their session cookie, so no script from elsewhere may run here. The page's own start-up code is a file
too, which lets the Content-Security-Policy forbid inline scripts.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs/assets"
PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Haat API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script></body></html>
"""
START = """window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"});
"""
# Swagger UI sets inline styles and shows its logo as a data: image; no script runs but these files.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def install_docs(app: FastAPI) -> None:
    router = APIRouter(include_in_schema=False)

    @router.get("/docs")
    def docs() -> HTMLResponse:
        return HTMLResponse(PAGE, headers={"Content-Security-Policy": DOCS_POLICY})

    @router.get("/docs/start.js")
    def start() -> Response:
        return Response(START, media_type="text/javascript")

    app.include_router(router)
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-assets")
