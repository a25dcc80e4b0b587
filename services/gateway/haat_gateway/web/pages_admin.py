"""Admins' pages: CLFs with their seller accounts and sync, users and API keys, webhook endpoints with
their delivery log, and the district dashboard."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from haat.documents.indian_format import IST
from haat.errors import DomainError
from haat.events.registry import registry
from haat.http_app import RuntimeDep
from haat.service import ServiceRuntime
from haat_gateway.adapters.unit_of_work import unit_of_work
from haat_gateway.service_layer import api_keys, audit, users, webhooks
from haat_gateway.service_layer.api_keys import Principal
from haat_gateway.web.backend import Backend, ServiceRefused
from haat_gateway.web.render import go, language, page
from haat_gateway.web.session import Admin, check_csrf, settings_of

router = APIRouter(prefix="/admin")


async def _form(request: Request, runtime: ServiceRuntime) -> Any:
    form = await request.form()
    check_csrf(request, settings_of(runtime), str(form.get("csrf") or ""))
    return form


@router.get("/clfs")
async def clfs(request: Request, person: Admin) -> Response:
    backend = Backend(request, person)
    found, accounts, districts, blocks = await asyncio.gather(
        backend.get("clfs"), backend.items("seller-accounts", limit=500), backend.get("geo-units", kind="district"),
        backend.get("geo-units", kind="block"),
    )  # fmt: skip
    places = districts + blocks
    lang = language(request)
    place_names = {g["code"]: (g.get("name_hi") if lang == "hi" else None) or g["name_en"] for g in places}
    progress = await asyncio.gather(*(backend.get(f"seller-accounts/{a['id']}/sync") for a in accounts))
    by_clf: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for account, sync in zip(accounts, progress, strict=True):
        by_clf[account["clf_id"]].append({**account, "sync": sync})
    problems = {request.query_params.get("clf", ""): request.query_params.get("problem", "")[:300]}
    return page(request, person, "admin_clfs.html", clfs=found, accounts=by_clf, problems=problems,
                saved=request.query_params.get("saved", ""), place_names=place_names, blocks=blocks,
                credential_fields=CREDENTIAL_FIELDS)  # fmt: skip


CREDENTIAL_FIELDS = {"amazon": ("client_id", "client_secret", "refresh_token"),
                     "flipkart": ("application_id", "application_secret")}  # fmt: skip


@router.post("/clfs")
async def add_clf(request: Request, person: Admin, runtime: RuntimeDep) -> Response:
    """A new CLF (the registered seller of its SHGs' products), in the block it works in."""
    form = await _form(request, runtime)
    text = lambda name: str(form.get(name) or "").strip()  # noqa: E731
    body = {"name": text("name"), "name_hi": text("name_hi") or None, "block_code": text("block_code"),
            "gstin": text("gstin").upper() or None, "address": text("address") or None,
            "pincode": text("pincode") or None}  # fmt: skip
    try:
        made = await Backend(request, person).json("POST", "clfs", body=body)
    except ServiceRefused as refused:
        said = refused.said(language(request))
        return go(request, f"/admin/clfs?clf=new&problem={quote(said)}#new-clf")
    return go(request, f"/admin/clfs?saved={quote(made['id'])}#{quote(made['id'])}")


@router.post("/clfs/{clf_id}/seller-accounts")
async def add_seller_account(request: Request, person: Admin, runtime: RuntimeDep, clf_id: str) -> Response:
    """The CLF's account on a marketplace, with the credentials it issued (stored encrypted, never shown)."""
    form = await _form(request, runtime)
    channel = str(form.get("channel") or "")
    credentials = {name: str(form.get(name) or "").strip() for name in CREDENTIAL_FIELDS.get(channel, ())}
    body = {"clf_id": clf_id, "channel": channel, "seller_id": str(form.get("seller_id") or "").strip(),
            "location_id": str(form.get("location_id") or "").strip() or None,
            "credentials": {k: v for k, v in credentials.items() if v}}  # fmt: skip
    try:
        await Backend(request, person).json("POST", "seller-accounts", body=body)
    except ServiceRefused as refused:
        said = refused.said(language(request))
        return go(request, f"/admin/clfs?clf={quote(clf_id)}&problem={quote(said)}#{quote(clf_id)}")
    return go(request, f"/admin/clfs?saved={quote(clf_id)}#{quote(clf_id)}")


@router.post("/clfs/{clf_id}")
async def change_clf(request: Request, person: Admin, runtime: RuntimeDep, clf_id: str) -> Response:
    """An admin sets a CLF's GSTIN (when it registers for GST), address and PIN code; its next invoice
    uses them."""
    form = await _form(request, runtime)
    changes = {name: str(form.get(name) or "").strip().upper() if name == "gstin" else str(form.get(name) or "").strip()
               for name in ("gstin", "address", "pincode")}  # fmt: skip
    try:
        await Backend(request, person).json("PATCH", f"clfs/{clf_id}", body={k: v or None for k, v in changes.items()})
    except ServiceRefused as refused:
        said = refused.said(language(request))
        return go(request, f"/admin/clfs?clf={quote(clf_id)}&problem={quote(said)}#{quote(clf_id)}")
    return go(request, f"/admin/clfs?saved={quote(clf_id)}#{quote(clf_id)}")


@router.post("/seller-accounts/{account_id}/resync")
async def resync(request: Request, person: Admin, runtime: RuntimeDep, account_id: str) -> Response:
    await _form(request, runtime)
    await Backend(request, person).json("POST", f"seller-accounts/{account_id}/resync")
    return go(request, "/admin/clfs")


def _access_lists(runtime: ServiceRuntime) -> tuple[list[Any], list[Any]]:
    with unit_of_work(runtime) as uow:
        return users.list_users(uow), api_keys.list_keys(uow)


async def _access_page(request: Request, person: Principal, runtime: ServiceRuntime, status: int = 200,
                       **shown: Any) -> Response:  # fmt: skip
    people, keys = await run_in_threadpool(_access_lists, runtime)
    houses, clf_list = await asyncio.gather(
        Backend(request, person).get("packaging-houses"), Backend(request, person).get("clfs")
    )
    return page(
        request, person, "admin_access.html", status, users=people, keys=keys, houses=houses, clfs=clf_list,
        roles=users.STAFF_ROLES, key_roles=api_keys.ROLES, **shown,
    )  # fmt: skip


@router.get("/access")
async def access(request: Request, person: Admin, runtime: RuntimeDep) -> Response:
    return await _access_page(request, person, runtime)


@router.post("/access/users")
async def add_user(request: Request, person: Admin, runtime: RuntimeDep) -> Response:
    form = await _form(request, runtime)
    values = {k: str(form.get(k) or "").strip() for k in ("username", "password", "role", "display_name", "clf_id",
                                                         "packaging_house_id")}  # fmt: skip

    def create() -> None:
        with unit_of_work(runtime) as uow:
            users.create_user(
                uow, username=values["username"], password=values["password"], role=values["role"],
                display_name=values["display_name"], clf_id=values["clf_id"] or None,
                packaging_house_id=values["packaging_house_id"] or None,
            )  # fmt: skip
            audit.record(uow, audit.Actor.of(person), "POST", "/admin/access/users", 201, values)
            uow.commit()

    try:
        await run_in_threadpool(create)
    except users.InvalidUser as refused:
        return await _access_page(request, person, runtime, 422, problem=str(refused))
    return go(request, "/admin/access")


@router.post("/access/users/{user_id}/{change}")
async def enable_user(request: Request, person: Admin, runtime: RuntimeDep, user_id: str, change: str) -> Response:
    await _form(request, runtime)

    def apply() -> None:
        with unit_of_work(runtime) as uow:
            users.set_disabled(uow, user_id, change == "disable")
            audit.record(uow, audit.Actor.of(person), "POST", f"/admin/access/users/{user_id}/{change}", 200, {})
            uow.commit()

    await run_in_threadpool(apply)
    return go(request, "/admin/access")


@router.post("/access/keys")
async def add_key(request: Request, person: Admin, runtime: RuntimeDep) -> Response:
    form = await _form(request, runtime)
    role, label = str(form.get("role") or ""), str(form.get("label") or "").strip() or "web"
    clf_id = str(form.get("clf_id") or "") or None

    def create() -> str:
        with unit_of_work(runtime) as uow:
            # A partner is granted the CLF chosen (more, and event types, through PUT /v1/api-keys/{id}/grant).
            scope = {"clf_ids": [clf_id] if clf_id else []} if role == "partner" else {"clf_id": clf_id}
            key, made = api_keys.create_key(uow, role=role, label=label, **scope)
            audit.record(uow, audit.Actor.of(person), "POST", f"/admin/access/keys/{made.key_id}", 201,
                         {"role": role, "label": label, **scope})  # fmt: skip
            uow.commit()
            return key

    try:
        key = await run_in_threadpool(create)
    except api_keys.InvalidKeyRequest as refused:
        return await _access_page(request, person, runtime, 422, problem=str(refused))
    return await _access_page(request, person, runtime, 201, new_key=key)


@router.post("/access/keys/{key_id}/revoke")
async def revoke_key(request: Request, person: Admin, runtime: RuntimeDep, key_id: str) -> Response:
    await _form(request, runtime)

    def apply() -> None:
        with unit_of_work(runtime) as uow:
            if api_keys.revoke(uow, key_id):
                audit.record(uow, audit.Actor.of(person), "POST", f"/admin/access/keys/{key_id}/revoke", 200, {})
            uow.commit()

    await run_in_threadpool(apply)
    return go(request, "/admin/access")


def _webhook_lists(runtime: ServiceRuntime, person: Principal, endpoint_id: str) -> tuple[list[Any], list[Any]]:
    with unit_of_work(runtime) as uow:
        endpoints = webhooks.list_endpoints(uow, person)
        owners = webhooks.owners(uow, endpoints)
        endpoints = [{**e._asdict(), "owner": owners[e.owner_key_id]} for e in endpoints]
        chosen = endpoint_id or (endpoints[0]["id"] if endpoints else "")
        deliveries = webhooks.list_deliveries(uow, person, chosen, 50, None) if chosen else []
        return endpoints, deliveries[:50]


async def _webhooks_page(request: Request, person: Principal, runtime: ServiceRuntime, endpoint_id: str = "",
                         status: int = 200, **shown: Any) -> Response:  # fmt: skip
    endpoints, deliveries = await run_in_threadpool(_webhook_lists, runtime, person, endpoint_id)
    types = [spec.name for spec in registry.public()]
    chosen = endpoint_id or (endpoints[0]["id"] if endpoints else "")
    return page(
        request, person, "admin_webhooks.html", status, endpoints=endpoints, deliveries=deliveries, chosen=chosen,
        event_types=types, **shown,
    )  # fmt: skip


@router.get("/webhooks")
async def webhooks_page(request: Request, person: Admin, runtime: RuntimeDep, endpoint: str = "") -> Response:
    return await _webhooks_page(request, person, runtime, endpoint)


@router.post("/webhooks")
async def add_endpoint(request: Request, person: Admin, runtime: RuntimeDep) -> Response:
    form = await _form(request, runtime)
    types = [str(t) for t in form.getlist("event_types")]

    def create() -> dict[str, Any]:
        with unit_of_work(runtime) as uow:
            return webhooks.create_endpoint(
                uow, person, settings_of(runtime), str(form.get("url") or ""), types, str(form.get("description") or "")
            )

    try:
        created = await run_in_threadpool(create)
    except DomainError as refused:
        return await _webhooks_page(request, person, runtime, status=422, problem=refused.detail)
    return await _webhooks_page(request, person, runtime, created["id"], 201, new_secret=created["secret"])


def since_as_typed(text: str) -> datetime:
    """A datetime-local field's value as the person meant it: Indian time, as every time on the pages is
    shown (read as UTC it was 5 h 30 min late, and replayed nothing of the last hours)."""
    typed = datetime.fromisoformat(text)
    return (typed if typed.tzinfo else typed.replace(tzinfo=IST)).astimezone(UTC)


@router.post("/webhooks/{endpoint_id}/replay")
async def replay(request: Request, person: Admin, runtime: RuntimeDep, endpoint_id: str) -> Response:
    form = await _form(request, runtime)
    try:
        since = since_as_typed(str(form.get("since") or ""))
    except ValueError:
        return await _webhooks_page(request, person, runtime, endpoint_id, 422, problem="since: a date and time")

    def apply() -> int:
        with unit_of_work(runtime) as uow:
            return webhooks.replay(uow, person, endpoint_id, since)

    queued = await run_in_threadpool(apply)
    return await _webhooks_page(request, person, runtime, endpoint_id, replayed=queued)


@router.post("/deliveries/{delivery_id}/retry")
async def retry(request: Request, person: Admin, runtime: RuntimeDep, delivery_id: str) -> Response:
    form = await _form(request, runtime)

    def apply() -> None:
        with unit_of_work(runtime) as uow:
            webhooks.retry_delivery(uow, person, delivery_id)

    await run_in_threadpool(apply)
    return go(request, f"/admin/webhooks?endpoint={form.get('endpoint_id') or ''}")


@router.get("/dashboard")
async def dashboard(request: Request, person: Admin) -> Response:
    backend = Backend(request, person)
    counts, by_district, by_channel, clf_list = await asyncio.gather(
        backend.get("listings/summary"), backend.get("reports/sales", group_by="district"),
        backend.get("reports/sales", group_by="channel"), backend.get("clfs"),
    )  # fmt: skip
    live: dict[str, int] = defaultdict(int)
    for row in counts:
        if row["status"] == "live":
            live[row["channel"]] += row["count"]
    live_rows = [{"group": channel, "count": n} for channel, n in sorted(live.items())]
    return page(
        request, person, "admin_dashboard.html", live=live_rows, by_district=by_district["items"],
        by_channel=by_channel["items"], clfs=clf_list, counts=counts,
    )  # fmt: skip
