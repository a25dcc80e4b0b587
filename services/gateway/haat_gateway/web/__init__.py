"""The web pages for CLF coordinators, fulfilment staff and admins: server-rendered, Hindi and English,
phone first, with a little JavaScript for live updates and progress (the pages work without it)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from haat_gateway.web import pages_admin, pages_catalog, pages_imports, pages_orders, pages_registry, pages_start
from haat_gateway.web.backend import ServiceRefused
from haat_gateway.web.render import page
from haat_gateway.web.session import BadForm, LoginNeeded, NotAllowed, end_session, login_url

ROUTERS = (
    pages_start.router,
    pages_catalog.router,
    pages_imports.router,
    pages_registry.router,
    pages_orders.router,
    pages_admin.router,
)


def install_web(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")

    @app.exception_handler(LoginNeeded)
    async def to_login(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginNeeded)
        response = RedirectResponse(login_url(exc.next_url), status_code=303)
        end_session(response)
        return response

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, exc: Exception) -> Response:
        return page(request, None, "message.html", 403, message_key="not_allowed")

    @app.exception_handler(BadForm)
    async def bad_form(request: Request, exc: Exception) -> Response:
        return page(request, None, "message.html", 403, message_key="session_ended")

    @app.exception_handler(ServiceRefused)
    async def refused(request: Request, exc: Exception) -> Response:
        # A page that could not load what it shows (a form handles its own refusals beside its fields).
        assert isinstance(exc, ServiceRefused)
        key = {403: "not_allowed", 404: "not_found"}.get(exc.status, "problem")
        return page(request, None, "message.html", exc.status, message_key=key, detail=exc.detail)
