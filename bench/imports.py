"""Bulk upload of a spreadsheet against plain INSERTs of the same products, both on PostgreSQL.

Our figure is the whole import as a coordinator gets it: the file read and checked, every row validated,
products created with their history, events written to the outbox, progress and the row report kept, in
chunks that survive a restart. The limit is the database alone: the product rows the import produced,
inserted again into an empty catalog in one transaction with executemany."""

from __future__ import annotations

import csv
import io
import random
import time
from collections.abc import Callable

from sqlalchemy import select

from bench.runtimes import migrated_runtime
from haat_catalog.adapters.orm import products
from haat_catalog.adapters.spreadsheet import COLUMNS
from haat_catalog.adapters.unit_of_work import unit_of_work as catalog_unit_of_work
from haat_catalog.demo import TEMPLATES
from haat_catalog.service_layer.imports import process_import, start_import
from haat_testkit.catalog_factories import ADMIN, clf_with_shgs

CLF = "clf-bench"


def spreadsheet_rows(count: int, shg_ids: list[str], seed: int = 7) -> bytes:
    """A seeded CSV of `count` realistic products: the demo catalog's kinds in Hindi and English, with
    sizes, prices and weights varied, and UTF-8 with a BOM as spreadsheet programs save it."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    for n in range(count):
        stem, category, hsn, gst, en, hi, sizes, extra = rng.choice(TEMPLATES)
        size, (mrp, price, grams) = rng.choice(list(sizes.items()))
        row = {
            "sku": f"{stem}-{size}-{n:05d}", "title_en": f"{en}, {size.lower()} (batch {n})",
            "title_hi": f"{hi}, {size.lower()} (खेप {n})", "category": category, "hsn_code": hsn,
            "gst_rate": "" if gst is None else str(gst / 100), "mrp": f"{mrp / 100:.2f}", "price": f"{price / 100:.2f}",
            "weight_grams": str(grams), "length_cm": "20", "width_cm": "15", "height_cm": "8",
            "shg_ids": rng.choice(shg_ids), "fssai_licence": extra.get("fssai_licence", ""),
            "shelf_life_days": str(extra.get("shelf_life_days", "")),
        }  # fmt: skip
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def bulk_import(
    database_url: Callable[[], str], count: int, progress: Callable[[str], None]
) -> tuple[float, float, int]:
    """(rows per second imported, rows per second of plain INSERTs, rows that failed)."""
    ours = migrated_runtime("catalog", database_url=database_url())
    try:
        _, shg_ids = clf_with_shgs(ours, CLF, announce=False)
        content = spreadsheet_rows(count, shg_ids)
        progress(f"bulk import: {count:,} rows ({len(content) // 1024:,} KB of CSV)")
        started = time.perf_counter()
        with catalog_unit_of_work(ours) as uow:
            job = start_import(uow, ADMIN, CLF, "bench.csv", content, submit=False, preview=False)
        process_import(lambda: catalog_unit_of_work(ours), job["id"])
        imported = time.perf_counter() - started
        with ours.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(select(products))]
    finally:
        ours.stop()
    plain = migrated_runtime("catalog", database_url=database_url())
    try:
        clf_with_shgs(plain, CLF, announce=False)
        progress(f"bulk import: {len(rows):,} product rows as plain INSERTs")
        started = time.perf_counter()
        with plain.engine.begin() as conn:
            conn.execute(products.insert(), rows)
        inserted = time.perf_counter() - started
    finally:
        plain.stop()
    return count / imported, len(rows) / inserted, count - len(rows)
