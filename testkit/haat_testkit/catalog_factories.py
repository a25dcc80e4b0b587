"""Factories for tests and benchmarks: a registered CLF, valid product fields to vary, and an upload sheet's
rows (a valid row with the values a test changes)."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import delete

from haat.events import topics
from haat.identity import Caller
from haat.service import ServiceRuntime
from haat_catalog.adapters.spreadsheet import COLUMNS
from haat_catalog.adapters.unit_of_work import CatalogUnitOfWork
from haat_catalog.adapters.unit_of_work import unit_of_work as catalog_unit_of_work
from haat_catalog.demo import ensure_geography, register_clf
from haat_catalog.domain.product import Product
from haat_catalog.service_layer import products

ADMIN = Caller(subject="test-admin", role="admin")


def clf_with_shgs(
    runtime: ServiceRuntime, clf_id: str = "clf-1", block: str = "1260", *, announce: bool = True
) -> tuple[str, list[str]]:
    """Register `clf_id` with packaging house `ph-<clf_id>` and two SHGs; returns (house, shg ids).

    `announce=False` drops the registry events from the outbox, as if they had been published long ago:
    for tests that count what one product event does downstream."""
    ensure_geography(runtime)
    house = f"ph-{clf_id}"
    shgs = register_clf(
        runtime, clf_id, f"CLF {clf_id}", "संकुल संघ", block, house, [("Laxmi", "लक्ष्मी"), ("Durga", "दुर्गा")]
    )
    if not announce:
        outbox = runtime.definition.outbox_table
        with runtime.engine.begin() as conn:
            conn.execute(delete(outbox).where(outbox.c.topic == topics.CATALOG_REGISTRY))
    return house, shgs


def product_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "sku": "KHES-DOUBLE",
        "clf_id": "clf-1",
        "title_en": "Handloom cotton khes",
        "title_hi": "हथकरघा सूती खेस",
        "category": "handloom",
        "hsn_code": "63049190",
        "gst_rate_bp": 500,
        "mrp_paise": 180000,
        "price_paise": 149900,
        "weight_grams": 1400,
        "length_mm": 400,
        "width_mm": 300,
        "height_mm": 80,
    }
    return {**fields, **overrides}


def submitted_product(uow: CatalogUnitOfWork, caller: Caller = ADMIN, **overrides: Any) -> Product:
    return products.create_product(uow, caller, product_fields(**overrides), submit=True)


def published_product(runtime: ServiceRuntime, **overrides: Any) -> Product:
    fields = product_fields(**overrides)
    with catalog_unit_of_work(runtime) as uow:
        submitted_product(uow, **overrides)
    for action in ("approve", "publish"):
        with catalog_unit_of_work(runtime) as uow:
            product = products.transition(uow, ADMIN, fields["sku"], fields["clf_id"], action)
    return product


def submit_over_http(base_url: str, runtime: ServiceRuntime, product: dict[str, Any]) -> Any:
    """POST a product for submission to a running catalog, as the coordinator of its CLF."""
    import httpx

    from haat_testkit.callers import caller_headers

    return httpx.post(
        f"{base_url}/v1/products?submit=true",
        json=product,
        headers=caller_headers(runtime.settings, "coordinator", clf_id=product["clf_id"]),
        timeout=10,
    )


HEADERS = [c.header for c in COLUMNS]


def row(**values: str) -> list[str]:
    base = {
        "sku": "S-1", "title_en": "Cotton khes", "title_hi": "सूती खेस", "category": "handloom",
        "hsn_code": "63049190", "gst_rate": "5", "mrp": "1,800", "price": "₹1499.50", "weight_grams": "1400",
        "length_cm": "40", "width_cm": "30", "height_cm": "8", "shg_ids": "clf-a-shg-1",
    }  # fmt: skip
    base.update(values)
    return [base.get(c.key, "") for c in COLUMNS]


def csv_bytes(rows: list[list[str]], headers: list[str] = HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
