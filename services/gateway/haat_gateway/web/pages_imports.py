"""Coordinators' bulk upload pages: the template, the upload, its preview and the choice it asks for, the
progress and the row-by-row report."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

import aiohttp
from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import Response

from haat.http_app import RuntimeDep
from haat_gateway.web.backend import Backend, ServiceRefused, pass_through
from haat_gateway.web.render import go, language, page
from haat_gateway.web.session import Coordinator, check_csrf, settings_of

router = APIRouter()


@router.get("/imports/new")
async def import_form(request: Request, person: Coordinator) -> Response:
    clfs = await Backend(request, person).get("clfs")
    return page(request, person, "import_form.html", errors={}, clfs=clfs)


@router.get("/imports/template")
async def import_template(request: Request, person: Coordinator, format: str = "xlsx") -> Response:
    backend = Backend(request, person)
    return await pass_through(backend.call("GET", "products/import-template", params={"format": format}, accept="*/*"))


@router.post("/imports")
async def upload_import(
    request: Request, person: Coordinator, runtime: RuntimeDep, file: UploadFile,
    csrf: Annotated[str, Form()] = "", submit: Annotated[str, Form()] = "", clf_id: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    check_csrf(request, settings_of(runtime), csrf)
    data = aiohttp.FormData()
    content = await file.read()
    data.add_field("file", content, filename=file.filename or "products.csv", content_type=file.content_type or "")
    data.add_field("submit", "true" if submit else "false")
    if person.clf_id or clf_id:
        data.add_field("clf_id", person.clf_id or clf_id)
    backend = Backend(request, person)
    try:
        started = await backend.json("POST", "products/import", data=data)
    except ServiceRefused as refused:
        clfs = await backend.get("clfs")
        return page(request, person, "import_form.html", 422, errors={"file": refused.detail}, clfs=clfs)
    return go(request, f"/imports/{started['id']}")


@router.get("/imports/{import_id}")
async def import_status(request: Request, person: Coordinator, import_id: str) -> Response:
    job = await Backend(request, person).get(f"imports/{import_id}", lang=language(request))
    return page(request, person, "import_status.html", job=job)


@router.post("/imports/{import_id}/{choice}")
async def choose_import(
    request: Request, person: Coordinator, runtime: RuntimeDep, import_id: str, choice: str,
    csrf: Annotated[str, Form()] = "", change_live: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """After the preview: apply the upload (changing listed products only when she ticked so), or drop it."""
    check_csrf(request, settings_of(runtime), csrf)
    if choice not in ("confirm", "discard"):
        return page(request, person, "message.html", 404, message_key="not_found")
    body = {"change_live": bool(change_live)} if choice == "confirm" else None
    await Backend(request, person).json("POST", f"imports/{import_id}/{choice}", body=body)
    return go(request, f"/imports/{quote(import_id)}")


@router.get("/imports/{import_id}/progress")
async def import_progress(request: Request, person: Coordinator, import_id: str) -> Response:
    """The job as JSON for the progress bar's polling (the page reloads itself once it is done)."""
    answer = Backend(request, person).call("GET", f"imports/{import_id}", params={"lang": language(request)})
    return await pass_through(answer)


@router.get("/imports/{import_id}/errors.csv")
async def import_errors(request: Request, person: Coordinator, import_id: str) -> Response:
    return await pass_through(Backend(request, person).call("GET", f"imports/{import_id}/errors.csv", accept="*/*"))
