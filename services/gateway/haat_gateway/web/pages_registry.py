"""Coordinators' registry pages: the CLF's self-help groups and their members."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from haat.http_app import RuntimeDep
from haat_gateway.web.backend import Backend
from haat_gateway.web.render import go, page
from haat_gateway.web.session import Coordinator, check_csrf, settings_of

router = APIRouter()


@router.get("/registry")
async def registry(request: Request, person: Coordinator, clf_id: str = "") -> Response:
    backend = Backend(request, person)
    clfs = await backend.get("clfs")
    clf_id = person.clf_id or clf_id or (clfs[0]["id"] if clfs else "")
    shgs = await backend.get(f"clfs/{clf_id}/shgs") if clf_id else []
    members = await asyncio.gather(*(backend.get(f"shgs/{s['id']}/members") for s in shgs))
    clf: dict[str, Any] = next((c for c in clfs if c["id"] == clf_id), {})
    return page(
        request, person, "registry.html", clfs=clfs, clf_id=clf_id, shgs=list(zip(shgs, members, strict=True)),
        errors={}, publish_on_approval=bool(clf.get("publish_on_approval")),
    )  # fmt: skip


@router.post("/registry/choices")
async def clf_choices(request: Request, person: Coordinator, runtime: RuntimeDep) -> Response:
    """The CLF's own choices, made by its coordinator: publish its products as soon as they are approved."""
    form = await request.form()
    check_csrf(request, settings_of(runtime), str(form.get("csrf") or ""))
    clf_id = str(form.get("clf_id") or person.clf_id or "")
    body = {"publish_on_approval": bool(form.get("publish_on_approval"))}
    await Backend(request, person).json("PATCH", f"clfs/{clf_id}", body=body)
    return go(request, f"/registry?clf_id={clf_id}")


@router.post("/registry/shgs")
async def add_shg(request: Request, person: Coordinator, runtime: RuntimeDep) -> Response:
    form = await request.form()
    check_csrf(request, settings_of(runtime), str(form.get("csrf") or ""))
    clf_id = str(form.get("clf_id") or person.clf_id or "")
    body = {k: str(form.get(k) or "").strip() or None for k in ("name", "name_hi", "village")}
    await Backend(request, person).json("POST", f"clfs/{clf_id}/shgs", body=body)
    return go(request, f"/registry?clf_id={clf_id}")


@router.post("/registry/shgs/{shg_id}/members")
async def add_member(request: Request, person: Coordinator, runtime: RuntimeDep, shg_id: str) -> Response:
    form = await request.form()
    check_csrf(request, settings_of(runtime), str(form.get("csrf") or ""))
    body = {"name": str(form.get("name") or "").strip(), "phone": str(form.get("phone") or "").strip() or None,
            "role": str(form.get("role") or "producer")}  # fmt: skip
    await Backend(request, person).json("POST", f"shgs/{shg_id}/members", body=body)
    return go(request, f"/registry?clf_id={form.get('clf_id') or ''}")
