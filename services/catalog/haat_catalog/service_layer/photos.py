"""Product photo use cases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from haat.errors import Conflict, Invalid, NotFound, TooLarge
from haat.identity import Caller
from haat_catalog.adapters.image_store import LocalImageStore
from haat_catalog.adapters.unit_of_work import CatalogUnitOfWork
from haat_catalog.domain.photo import RejectedPhoto, clean
from haat_catalog.service_layer.products import announce, find_product
from haat_catalog.settings import CatalogSettings

MAX_PHOTOS = 10
THUMBNAIL = "thumb.webp"


def store_for(settings: CatalogSettings) -> LocalImageStore:
    assert settings.image_root is not None
    return LocalImageStore(settings.image_root)


def add_photo(
    uow: CatalogUnitOfWork, caller: Caller, settings: CatalogSettings, sku: str, clf_id: str | None, content: bytes
) -> dict[str, Any]:
    product = find_product(uow, caller, sku, clf_id, lock=True)
    count = uow.photos.count(product.clf_id, product.sku)
    if count >= MAX_PHOTOS:
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
        "position": count,
        "content_type": photo.content_type,
        "extension": photo.extension,
        "width": photo.width,
        "height": photo.height,
        "bytes": len(photo.content),
        "created_by": caller.subject,
        "created_at": datetime.now(UTC),
    }
    uow.photos.add(row)
    product.photos_changed()
    announce(uow, product)
    uow.commit()
    return row


def list_photos(uow: CatalogUnitOfWork, caller: Caller, sku: str, clf_id: str | None) -> list[Any]:
    product = find_product(uow, caller, sku, clf_id)
    return uow.photos.of_product(product.clf_id, product.sku)


def remove_photo(
    uow: CatalogUnitOfWork, caller: Caller, settings: CatalogSettings, sku: str, clf_id: str | None, image_id: str
) -> None:
    product = find_product(uow, caller, sku, clf_id, lock=True)
    row = uow.photos.get(image_id)
    if row is None or (row.clf_id, row.sku) != (product.clf_id, product.sku):
        raise NotFound("photo", image_id)
    uow.photos.remove(image_id)
    product.photos_changed()
    announce(uow, product)
    uow.commit()
    store_for(settings).delete(image_id, (row.extension, THUMBNAIL))


def photo_file(
    uow: CatalogUnitOfWork, caller: Caller, settings: CatalogSettings, image_id: str, thumbnail: bool
) -> tuple[bytes, str]:
    try:
        uuid.UUID(image_id)
    except ValueError:
        raise NotFound("photo", image_id) from None
    row = uow.photos.get(image_id)
    if row is None or not caller.sees_clf(row.clf_id):  # as visible as the product it shows
        raise NotFound("photo", image_id)
    variant, media = (THUMBNAIL, "image/webp") if thumbnail else (row.extension, row.content_type)
    content = store_for(settings).get(image_id, variant)
    if content is None:
        raise NotFound("photo file", image_id)
    return content, media
