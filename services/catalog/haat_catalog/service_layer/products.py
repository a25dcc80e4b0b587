"""Product use cases. Each runs in one unit of work: the state change and its events commit together."""

from __future__ import annotations

from datetime import UTC, datetime

from haat.events.catalog import ProductSubmittedV1
from haat.problems import Conflict, Problem
from haat.unit_of_work import UnitOfWork
from haat_catalog.adapters.repository import ProductRepository
from haat_catalog.domain.product import InvalidProduct, Product


def submit_new_product(uow: UnitOfWork, **fields: object) -> Product:
    repo = ProductRepository(uow.session)
    try:
        product = Product(**fields, created_at=datetime.now(UTC))  # type: ignore[arg-type]
        product.submit(datetime.now(UTC))
    except InvalidProduct as error:
        raise Problem(422, "invalid-product", str(error)) from error
    if repo.get(product.clf_id, product.sku):
        raise Conflict(f"SKU {product.sku!r} already exists in CLF {product.clf_id!r}")
    repo.add(product)
    uow.session.flush()
    uow.emit(
        ProductSubmittedV1(
            sku=product.sku,
            clf_id=product.clf_id,
            title_en=product.title_en,
            title_hi=product.title_hi,
            hsn_code=product.hsn_code,
            gst_rate_bp=product.gst_rate_bp,
            mrp_paise=product.mrp_paise,
            price_paise=product.price_paise,
        )
    )
    uow.commit()
    return product
