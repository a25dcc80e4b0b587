"""Rendering a page: the template with the person, her language, the CSRF token and the number formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from haat import problem_texts
from haat_gateway.service_layer.api_keys import Principal
from haat_gateway.web import i18n
from haat_gateway.web.session import LANGUAGE_COOKIE, csrf_token, set_session, settings_of

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters.update(
    money=i18n.money,
    count=i18n.count,
    when=i18n.when,
    rupees_input=i18n.rupees_input,
    percent=i18n.percent,
    day=i18n.day,
    named=i18n.named,
)
templates.env.globals.update(
    LANGUAGES=i18n.LANGUAGES, money=i18n.money, count=i18n.count, explain=problem_texts.explain_issue
)


def language(request: Request) -> str:
    return i18n.language_of(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))


def page(
    request: Request, person: Principal | None, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    lang = language(request)
    settings = settings_of(request.app.state.runtime)
    response = templates.TemplateResponse(
        request, template,
        {"person": person, "lang": lang, "t": i18n.Translator(lang), "csrf": csrf_token(request, settings),
         **context},
        status_code=status_code,
        headers={"Cache-Control": "no-store", "Content-Language": lang},
    )  # fmt: skip
    return with_session(request, response)


def go(request: Request, url: str) -> RedirectResponse:
    """After a form post: see the result at its own address (post/redirect/get)."""
    return with_session(request, RedirectResponse(url, status_code=303))


def with_session(request: Request, response: Any) -> Any:
    renewed = getattr(request.state, "renewed_session", None)
    if renewed is not None:
        set_session(response, renewed, settings_of(request.app.state.runtime))
    return response
