"""Log in and out, the language switch, each role's home page and the live event feed of the pages."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Header, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from haat.documents.printing import font_files
from haat.http_app import RuntimeDep
from haat_gateway.adapters.unit_of_work import unit_of_work
from haat_gateway.entrypoints.login import ThrottleDep, client_address
from haat_gateway.entrypoints.stream import event_stream
from haat_gateway.service_layer.users import LoginRefused, log_in, log_out, verify_token
from haat_gateway.web.backend import Backend
from haat_gateway.web.render import go, page
from haat_gateway.web.session import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    Person,
    check_csrf,
    end_session,
    set_session,
    settings_of,
)  # fmt: skip

router = APIRouter()
# What moves an order queue: the order events, and the catalog's reservation of an order's goods, which
# is when an order reaches its packaging house (order.created does not know the house yet).
LIVE_EVENTS = [
    *(f"haat.orders.order.{state}.v1"
      for state in ("created", "accepted", "packed", "shipped", "delivered", "cancelled", "return_requested",
                    "returned")),
    "haat.catalog.stock.changed.v1",
]  # fmt: skip
LOW_STOCK = 3


def _local(url: str | None) -> str:
    """Only a path on this site is followed after log-in (no open redirect)."""
    if not url or not url.startswith("/") or url.startswith("//") or urlsplit(url).netloc:
        return "/"
    return url


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return page(request, None, "login.html", next=_local(next))


@router.post("/login")
def login(
    request: Request,
    runtime: RuntimeDep,
    throttle: ThrottleDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=500)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    if not same_origin(request):  # log-in CSRF: another site must not log a person in as someone else
        return page(request, None, "message.html", 403, message_key="session_ended")
    settings = settings_of(runtime)
    try:
        with unit_of_work(runtime) as uow:
            token = log_in(uow, settings, throttle, client_address(request), username, password)
    except LoginRefused as refused:
        key = "login_locked" if refused.wait_s else "login_failed"
        status = 429 if refused.wait_s else 401
        return page(request, None, "login.html", status, next=_local(next), error_key=key, username=username)
    response = RedirectResponse(_local(next), status_code=303)
    set_session(response, token, settings)
    return response


def same_origin(request: Request) -> bool:
    """Whether a form was posted from one of this site's own pages (browsers send Origin on a POST, and a
    Referer where a privacy setting drops Origin); a post with neither is refused."""
    sent = request.headers.get("origin") or request.headers.get("referer")
    if not sent or sent == "null":
        return False
    origin = urlsplit(sent)
    return (origin.scheme, origin.netloc) == (request.url.scheme, request.url.netloc)


@router.post("/logout")
def logout(request: Request, runtime: RuntimeDep, csrf: Annotated[str, Form()] = "") -> Response:
    """Ends the session for good, not only in this browser: the token is refused from now on everywhere."""
    check_csrf(request, settings_of(runtime), csrf)
    verified = verify_token(request.cookies.get(SESSION_COOKIE, ""), settings_of(runtime))
    if verified is not None:
        with unit_of_work(runtime) as uow:
            log_out(uow, verified)
            uow.commit()
    response = RedirectResponse("/login", status_code=303)
    end_session(response)
    return response


@router.get("/language/{lang}")
def switch_language(request: Request, lang: str, next: str = "/") -> Response:
    response = RedirectResponse(_local(next), status_code=303)
    if lang in ("hi", "en"):
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=400 * 24 * 3600, samesite="lax", path="/")
    return response


@router.get("/fonts/devanagari.ttf")
async def devanagari_font() -> Response:
    # The same Noto Sans Devanagari as the printed documents: Hindi renders alike on every phone.
    path = (await run_in_threadpool(font_files))[""]
    return FileResponse(path, media_type="font/ttf", headers={"Cache-Control": "public, max-age=604800"})


@router.get("/")
async def home(request: Request, person: Person) -> Response:
    if person.role == "fulfilment":
        return go(request, "/queue")
    backend = Backend(request, person)
    since = datetime.now(UTC) - timedelta(hours=24)
    drafts, rejected, bad_listings, listed, at_risk, late, recent, waiting, approved = await asyncio.gather(
        backend.items("products", status="draft", limit=10),
        backend.items("products", status="rejected", limit=10),
        backend.items("listings", status="rejected", limit=20),
        backend.items("listings", status="live", limit=500),
        backend.items("orders", sla="at_risk", limit=20),
        backend.items("orders", sla="late", limit=20),
        backend.items("orders", limit=100),
        backend.items("products", status="submitted", limit=20),
        backend.items("products", status="approved", limit=10),
    )
    low = {(x["sku"], x["clf_id"]): x for x in listed if (x.get("pushed_quantity") or 0) <= LOW_STOCK}
    today = [o for o in recent if datetime.fromisoformat(o["purchased_at"]) >= since]
    return page(
        request, person, "home.html", drafts=drafts, rejected=rejected, bad_listings=bad_listings,
        low_stock=sorted(low.values(), key=lambda x: x["pushed_quantity"] or 0)[:20], sla=late + at_risk,
        today=today, waiting=waiting, approved=approved,
    )  # fmt: skip


@router.get("/live")
async def live(
    request: Request,
    person: Person,
    runtime: RuntimeDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> Response:
    """The pages' live feed: order events the person may see, resumable like the public stream."""
    start = int(last_event_id) if last_event_id and last_event_id.isdigit() else None
    return await event_stream(request, runtime, person, LIVE_EVENTS, start)
