from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from haat_catalog.domain.product import Product


class ProductRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, product: Product) -> None:
        self.session.add(product)

    def get(self, clf_id: str, sku: str) -> Product | None:
        return self.session.scalars(select(Product).filter_by(clf_id=clf_id, sku=sku)).one_or_none()
