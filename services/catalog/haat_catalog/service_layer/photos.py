"""Product photo use cases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from haat.errors import Conflict, Invalid, NotFound, TooLarge
from haat.events import catalog as events
from haat.identity import Caller
from haat.unit_of_work import UnitOfWork
from haat_catalog.adapters.image_store import LocalImageStore
from haat_catalog.adapters.orm import product_images
from haat_catalog.domain.photo import RejectedPhoto, clean
from haat_catalog.service_layer.products import find_product, snapshot
from haat_catalog.settings import CatalogSettings

MAX_PHOTOS = 10
THUMBNAIL = "thumb.webp"


def store_for(settings: CatalogSettings) -> LocalImageStore:
    assert settings.image_root is not None
    return LocalImageStore(settings.image_root)


def add_photo(
    uow: UnitOfWork, caller: Caller, settings: CatalogSettings, sku: str, clf_id: str | None, content: bytes
) -> dict[str, Any]:
    product = find_product(uow, caller, sku, clf_id, lock=True)
    t = product_images.c
    count = uow.session.scalar(
        select(func.count()).select_from(product_images).where(t.clf_id == product.clf_id, t.sku == product.sku)
    )
    if (count or 0) >= MAX_PHOTOS:
        raise Conflict("too-many-photos", f"a product has at most {MAX_PHOTOS} photos; delete one first")
    try:
        photo = clean(
            content,
            max_bytes=settings.image_max_bytes,
            max_pixels=settings.image_max_pixels,
            thumbnail_px=settings.thumbnail_px,
        )
    except RejectedPhoto as rejected:
        refusal = TooLarge if "larger than" in str(rejected) else Invalid
        raise refusal("rejected-photo", str(rejected)) from None
    image_id = str(uuid.uuid4())
    # Files first: a failed commit leaves an unreferenced file, never a row without its file.
    store = store_for(settings)
    store.put(image_id, photo.extension, photo.content)
    store.put(image_id, THUMBNAIL, photo.thumbnail)
    row = {
        "id": image_id,
        "clf_id": product.clf_id,
        "sku": product.sku,
        "position": count or 0,
        "content_type": photo.content_type,
        "extension": photo.extension,
        "width": photo.width,
        "height": photo.height,
        "bytes": len(photo.content),
        "created_by": caller.subject,
        "created_at": datetime.now(UTC),
    }
    uow.session.execute(insert(product_images).values(**row))
    if product.status in ("approved", "published"):
        uow.emit(snapshot(uow, product, events.ProductUpdatedV1, changed=["images"]))
    uow.commit()
    return row


def list_photos(uow: UnitOfWork, caller: Caller, sku: str, clf_id: str | None) -> list[Any]:
    product = find_product(uow, caller, sku, clf_id)
    t = product_images.c
    query = select(product_images).where(t.clf_id == product.clf_id, t.sku == product.sku).order_by(t.position)
    return list(uow.session.execute(query))


def remove_photo(
    uow: UnitOfWork, caller: Caller, settings: CatalogSettings, sku: str, clf_id: str | None, image_id: str
) -> None:
    product = find_product(uow, caller, sku, clf_id, lock=True)
    t = product_images.c
    row = uow.session.execute(
        select(product_images).where(t.id == image_id, t.clf_id == product.clf_id, t.sku == product.sku)
    ).one_or_none()
    if row is None:
        raise NotFound("photo", image_id)
    uow.session.execute(delete(product_images).where(t.id == image_id))
    if product.status in ("approved", "published"):
        uow.emit(snapshot(uow, product, events.ProductUpdatedV1, changed=["images"]))
    uow.commit()
    store_for(settings).delete(image_id, (row.extension, THUMBNAIL))


def photo_file(
    uow: UnitOfWork, caller: Caller, settings: CatalogSettings, image_id: str, thumbnail: bool
) -> tuple[bytes, str]:
    try:
        uuid.UUID(image_id)
    except ValueError:
        raise NotFound("photo", image_id) from None
    row = uow.session.execute(select(product_images).where(product_images.c.id == image_id)).one_or_none()
    if row is None or not caller.sees_clf(row.clf_id):  # as visible as the product it shows
        raise NotFound("photo", image_id)
    variant, media = (THUMBNAIL, "image/webp") if thumbnail else (row.extension, row.content_type)
    content = store_for(settings).get(image_id, variant)
    if content is None:
        raise NotFound("photo file", image_id)
    return content, media
