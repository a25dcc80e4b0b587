"""The rows of product photos (their files are in the image store)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from haat_catalog.adapters.orm import product_images

t = product_images.c


class PhotoRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self, clf_id: str, sku: str) -> int:
        query = select(func.count()).select_from(product_images).where(t.clf_id == clf_id, t.sku == sku)
        return int(self.session.scalar(query) or 0)

    def of_product(self, clf_id: str, sku: str) -> list[Any]:
        """The product's photos, in the order they are shown."""
        query = select(product_images).where(t.clf_id == clf_id, t.sku == sku).order_by(t.position)
        return list(self.session.execute(query))

    def ids(self, clf_id: str, sku: str) -> list[str]:
        query = select(t.id).where(t.clf_id == clf_id, t.sku == sku).order_by(t.position)
        return list(self.session.scalars(query))

    def get(self, image_id: str) -> Any:
        return self.session.execute(select(product_images).where(t.id == image_id)).one_or_none()

    def add(self, row: dict[str, Any]) -> None:
        self.session.execute(insert(product_images).values(**row))

    def remove(self, image_id: str) -> None:
        self.session.execute(delete(product_images).where(t.id == image_id))
