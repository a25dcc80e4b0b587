"""Bulk upload: a spreadsheet becomes a job; a background job turns its rows into products.

Rows are processed in chunks, each chunk one transaction holding its products, its events, its row
errors and the job's progress, so a restart resumes after the last committed chunk and nothing is
half-written. Each row runs in a savepoint: a bad row never takes its neighbours with it. Re-uploading
the same file updates the same SKUs instead of duplicating them.
"""

from __future__ import annotations

import logging
import threading
import uuid
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import DBAPIError

from haat.errors import DomainError, Invalid, NotFound, TooLarge
from haat.identity import Caller
from haat.service import ServiceRuntime
from haat_catalog.adapters import spreadsheet
from haat_catalog.adapters.unit_of_work import CatalogUnitOfWork, unit_of_work
from haat_catalog.domain.product import Product
from haat_catalog.service_layer import products, registry
from haat_catalog.service_layer.import_rows import RowError, error, problem_errors, to_fields
from haat_catalog.settings import CatalogSettings

log = logging.getLogger(__name__)
MAX_ROWS = 10_000
MAX_BYTES = 20 * 1024 * 1024
CHUNK_ROWS = 200


def start_import(
    uow: CatalogUnitOfWork, caller: Caller, clf_id: str, filename: str, content: bytes, *, submit: bool
) -> dict[str, Any]:
    """Check the file as a whole at once (so the user hears about a wrong file now), then queue it."""
    registry.require_clf(uow, caller, clf_id)
    if len(content) > MAX_BYTES:
        raise TooLarge("file-too-large", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        sheet = spreadsheet.read(content, filename, max_rows=MAX_ROWS)
    except spreadsheet.TooManyRows as too_many:
        raise Invalid("too-many-rows", too_many.message_en, detail_hi=too_many.message_hi) from None
    except spreadsheet.UnreadableFile as unreadable:
        raise Invalid("unreadable-file", unreadable.message_en, detail_hi=unreadable.message_hi) from None
    job = {
        "id": str(uuid.uuid4()),
        "clf_id": clf_id,
        "filename": filename[:300],
        "content": content,
        "submit": submit,
        "status": "queued",
        "total_rows": len(sheet.rows),
        "processed_rows": 0,
        "created_rows": 0,
        "updated_rows": 0,
        "failed_rows": 0,
        "created_by": caller.subject,
        "created_at": datetime.now(UTC),
    }
    uow.imports.add(job)
    uow.commit()
    return job


def get_import(uow: CatalogUnitOfWork, caller: Caller, import_id: str) -> tuple[Any, list[Any]]:
    job = uow.imports.get(import_id)
    if job is None or not caller.sees_clf(job.clf_id):
        raise NotFound("import", import_id)
    return job, uow.imports.errors_of(import_id)


def run_imports(runtime: ServiceRuntime[CatalogSettings], stop: threading.Event) -> None:
    """The background job: process queued imports (and resume interrupted ones) until stopped."""
    while not stop.is_set():
        try:
            job_id = _next_job(runtime)
            if job_id is None:
                stop.wait(0.5)
                continue
            process_import(runtime, job_id, stop)
        except Exception:
            log.exception("import job failed; retrying")
            stop.wait(2)


def _next_job(runtime: ServiceRuntime) -> str | None:
    with unit_of_work(runtime) as uow:
        return uow.imports.next_due()


def process_import(runtime: ServiceRuntime, import_id: str, stop: threading.Event | None = None) -> None:
    with unit_of_work(runtime) as uow:
        job = uow.imports.start(import_id)
        uow.commit()
    sheet = spreadsheet.read(job.content, job.filename, max_rows=MAX_ROWS)
    caller = Caller(subject=job.created_by, role="service")
    first_row_of = _first_rows(sheet.rows)
    for start in range(job.processed_rows, len(sheet.rows), CHUNK_ROWS):
        if stop is not None and stop.is_set():
            return  # resumed from here by the next run
        chunk = sheet.rows[start : start + CHUNK_ROWS]
        try:
            _import_chunk(runtime, caller, job, start, chunk, first_row_of, careful=False)
        except DBAPIError:
            # Something only the database could see (say, the same SKU created meanwhile by hand):
            # redo this chunk row by row, each in a savepoint, so that only the culprit fails.
            log.warning("import chunk failed as a whole; retrying row by row", extra={"import_id": import_id})
            _import_chunk(runtime, caller, job, start, chunk, first_row_of, careful=True)
    with unit_of_work(runtime) as uow:
        uow.imports.finish(import_id)
        uow.commit()
    log.info("import finished", extra={"import_id": import_id, "rows": len(sheet.rows)})


def _import_chunk(
    runtime: ServiceRuntime,
    caller: Caller,
    job: Any,
    start: int,
    chunk: list[tuple[int, dict[str, str]]],
    first_row_of: dict[str, int],
    *,
    careful: bool,
) -> None:
    """One transaction: the chunk's products and events, its row errors and the job's progress."""
    with unit_of_work(runtime) as uow:
        facts = registry.clf_facts(uow, caller, job.clf_id)
        skus = [values.get("sku", "") for _, values in chunk]
        existing = uow.products.get_many(job.clf_id, skus, for_update=True)
        counts = {"created_rows": 0, "updated_rows": 0, "failed_rows": 0}
        errors: list[RowError] = []
        for number, values in chunk:
            try:
                with uow.savepoint() if careful else nullcontext():
                    outcome, row_errors = _import_row(uow, caller, job, number, values, first_row_of, facts, existing)
            except DBAPIError as failure:
                if not careful:
                    raise
                outcome = "failed_rows"
                row_errors = [error(number, "sku", "database", values.get("sku", ""), reason=str(failure.orig)[:200])]
            counts[outcome] += 1
            errors.extend(row_errors)
        uow.imports.record_chunk(job.id, start + len(chunk), counts, [_error_row(job.id, e) for e in errors])
        uow.commit()


def _first_rows(rows: list[tuple[int, dict[str, str]]]) -> dict[str, int]:
    first: dict[str, int] = {}
    for number, values in rows:
        first.setdefault(values.get("sku", ""), number)
    return first


def _import_row(
    uow: CatalogUnitOfWork,
    caller: Caller,
    job: Any,
    number: int,
    values: dict[str, str],
    first_row_of: dict[str, int],
    facts: registry.ClfFacts,
    existing: dict[str, Product],
) -> tuple[str, list[RowError]]:
    fields, errors = to_fields(number, values, job.clf_id)
    sku = fields.get("sku", "")
    if not errors and first_row_of.get(sku, number) != number:
        errors = [error(number, "sku", "duplicate_sku", sku, first=first_row_of[sku])]
    if errors:
        return "failed_rows", errors
    product = existing.get(sku)
    try:
        if product is None:
            products.add_product(uow, caller, fields, submit=job.submit, facts=facts, known_new=True)
            return "created_rows", []
        if product.status == "retired":
            return "failed_rows", [error(number, "sku", "retired", sku)]
        changes = {k: v for k, v in fields.items() if k not in ("sku", "clf_id")}
        products.apply_changes(uow, caller, product, changes, facts)
        return "updated_rows", []
    except DomainError as problem:
        return "failed_rows", problem_errors(number, problem)


def _error_row(import_id: str, e: RowError) -> dict[str, Any]:
    return {
        "import_id": import_id,
        "row": e.row,
        "column": e.column,
        "code": e.code,
        "message_en": e.message_en,
        "message_hi": e.message_hi,
        "value": e.value,
    }
