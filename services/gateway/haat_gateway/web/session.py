"""Who is using the web pages: the staff access token in an HttpOnly cookie, renewed while in use.

The cookie holds the same signed token the OAuth2 password flow gives API callers, so the pages reach
the services with exactly the scoping an API caller of that role has. It is SameSite=Lax (a link from
elsewhere opens a page, a form posted from elsewhere carries no session) and every form also carries a
CSRF token derived from the session, so a forged post fails even where SameSite is not honoured.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response

from haat.http_app import RuntimeDep
from haat.service import ServiceRuntime
from haat_gateway.adapters.unit_of_work import unit_of_work
from haat_gateway.service_layer.api_keys import Principal
from haat_gateway.service_layer.users import AccessToken, in_force, log_out, renew, verify_token
from haat_gateway.settings import GatewaySettings

SESSION_COOKIE = "haat_session"
LANGUAGE_COOKIE = "haat_lang"


class LoginNeeded(Exception):
    """The page needs a logged-in person; the handler sends the browser to the log-in page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class NotAllowed(Exception):
    """The person is logged in but her role may not open this page."""


class BadForm(Exception):
    """A form post without the session's CSRF token."""


def settings_of(runtime: ServiceRuntime[GatewaySettings]) -> GatewaySettings:
    return runtime.settings


def csrf_token(request: Request, settings: GatewaySettings) -> str:
    session = request.cookies.get(SESSION_COOKIE, "")
    key = settings.internal_token_secret.get_secret_value().encode()
    return hmac.new(key, b"csrf:" + session.encode(), hashlib.sha256).hexdigest()[:40]


def check_csrf(request: Request, settings: GatewaySettings, sent: str | None) -> None:
    if not sent or not hmac.compare_digest(sent, csrf_token(request, settings)):
        raise BadForm()


def set_session(response: Response, token: AccessToken, settings: GatewaySettings) -> None:
    response.set_cookie(
        SESSION_COOKIE, token.token, max_age=token.expires_in, httponly=True, samesite="lax",
        secure=settings.is_production, path="/",
    )  # fmt: skip


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def current_person(request: Request, runtime: RuntimeDep) -> Principal:
    """The logged-in person of a page request, while her account and this session are in force (logging
    out or being disabled ends it at once). A token past half its life is renewed (a sliding session for
    staff working through a shift) and the one it replaces is ended."""
    settings = settings_of(runtime)
    token = request.cookies.get(SESSION_COOKIE)
    verified = verify_token(token, settings) if token else None
    next_url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if verified is None:
        raise LoginNeeded(next_url)
    with unit_of_work(runtime) as uow:
        if not in_force(uow, verified):
            raise LoginNeeded(next_url)
        request.state.session_token = verified
        if verified.expires_at - time.time() < settings.access_token_minutes * 30:
            renewed = renew(uow, settings, verified.principal)
            if renewed is None:
                raise LoginNeeded(next_url)
            log_out(uow, verified)
            uow.commit()
            request.state.renewed_session = renewed
    return verified.principal


def roles(*allowed: str):  # type: ignore[no-untyped-def]
    """A dependency that lets in only these roles."""

    def check(person: Annotated[Principal, Depends(current_person)]) -> Principal:
        if person.role not in allowed:
            raise NotAllowed()
        return person

    return check


def login_url(next_url: str) -> str:
    return f"/login?next={quote(next_url, safe='')}"


Person = Annotated[Principal, Depends(current_person)]
Coordinator = Annotated[Principal, Depends(roles("coordinator", "admin"))]
Fulfilment = Annotated[Principal, Depends(roles("fulfilment", "coordinator", "admin"))]
Admin = Annotated[Principal, Depends(roles("admin"))]
