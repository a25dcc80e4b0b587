"""HTTP entry points for product photos."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Response, UploadFile
from pydantic import BaseModel

from haat.http_app import CallerDep, RuntimeDep
from haat_catalog.entrypoints.dependencies import CatalogRuntimeDep, CatalogUnitOfWorkDep
from haat_catalog.entrypoints.products import ClfQuery
from haat_catalog.service_layer import photos
from haat_catalog.settings import CatalogSettings

router = APIRouter(prefix="/v1", tags=["photos"])


class PhotoOut(BaseModel):
    id: str
    url: str
    thumbnail_url: str
    content_type: str
    width: int
    height: int
    bytes: int
    position: int


def _out(row: Any) -> PhotoOut:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return PhotoOut(
        id=get("id"),
        url=f"/v1/images/{get('id')}",
        thumbnail_url=f"/v1/images/{get('id')}/thumbnail",
        content_type=get("content_type"),
        width=get("width"),
        height=get("height"),
        bytes=get("bytes"),
        position=get("position"),
    )


def _settings(runtime: CatalogRuntimeDep) -> CatalogSettings:
    return runtime.settings


@router.post("/products/{sku}/images", status_code=201, response_model=PhotoOut, summary="Add a photo")
def add_photo(
    sku: str,
    uow: CatalogUnitOfWorkDep,
    caller: CallerDep,
    runtime: RuntimeDep,
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP, straight from the phone camera")],
    clf_id: ClfQuery = None,
) -> PhotoOut:
    settings = _settings(runtime)
    content = file.file.read(settings.image_max_bytes + 1)
    return _out(photos.add_photo(uow, caller, settings, sku, clf_id, content))


@router.get("/products/{sku}/images", response_model=list[PhotoOut])
def list_photos(sku: str, uow: CatalogUnitOfWorkDep, caller: CallerDep, clf_id: ClfQuery = None) -> list[PhotoOut]:
    return [_out(row) for row in photos.list_photos(uow, caller, sku, clf_id)]


@router.delete("/products/{sku}/images/{image_id}", status_code=204)
def remove_photo(
    sku: str, image_id: str, uow: CatalogUnitOfWorkDep, caller: CallerDep, runtime: RuntimeDep, clf_id: ClfQuery = None
) -> Response:
    photos.remove_photo(uow, caller, _settings(runtime), sku, clf_id, image_id)
    return Response(status_code=204)


@router.get("/images/{image_id}", response_class=Response, summary="The photo")
def photo(image_id: str, uow: CatalogUnitOfWorkDep, caller: CallerDep, runtime: RuntimeDep) -> Response:
    content, media = photos.photo_file(uow, caller, _settings(runtime), image_id, thumbnail=False)
    return Response(content, media_type=media, headers={"Cache-Control": "public, max-age=31536000, immutable"})


@router.get("/images/{image_id}/thumbnail", response_class=Response, summary="A small WebP of the photo")
def thumbnail(image_id: str, uow: CatalogUnitOfWorkDep, caller: CallerDep, runtime: RuntimeDep) -> Response:
    content, media = photos.photo_file(uow, caller, _settings(runtime), image_id, thumbnail=True)
    return Response(content, media_type=media, headers={"Cache-Control": "public, max-age=31536000, immutable"})
