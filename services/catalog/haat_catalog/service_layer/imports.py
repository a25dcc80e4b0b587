"""Bulk upload: a spreadsheet becomes a job; a background job first previews it, then, once the person has
seen what it would create, update, leave as it is or refuse, and chosen whether it may change products the
marketplaces already list, turns its rows into products.

A preview runs every row through the same rules as the real thing, in a transaction that is rolled back:
what it reports is exactly what applying would do.

Rows are processed in chunks, each chunk one transaction holding its products, its events, its row
errors and the job's progress, so a restart resumes after the last committed chunk and nothing is
half-written. Each row runs in a savepoint: a bad row never takes its neighbours with it. Re-uploading
the same file updates the same SKUs instead of duplicating them.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import DBAPIError

from haat.errors import Conflict, DomainError, Invalid, NotFound, TooLarge
from haat.identity import Caller
from haat.service import ServiceRuntime
from haat_catalog.adapters import spreadsheet
from haat_catalog.adapters.unit_of_work import CatalogUnitOfWork, unit_of_work
from haat_catalog.domain.categories import CATEGORIES
from haat_catalog.domain.product import LISTED_STATES, Product
from haat_catalog.service_layer import products, registry
from haat_catalog.service_layer.import_rows import RowError, error, problem_errors, to_fields
from haat_catalog.settings import CatalogSettings

log = logging.getLogger(__name__)
MAX_ROWS = 10_000
MAX_BYTES = 20 * 1024 * 1024
CHUNK_ROWS = 200


def start_import(
    uow: CatalogUnitOfWork, caller: Caller, clf_id: str, filename: str, content: bytes, *, submit: bool,
    preview: bool = True, change_live: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Check the file as a whole at once (so the user hears about a wrong file now), then queue it: for a
    preview (the default), or, for a client that asks for none, to apply at once (`change_live` saying
    whether rows may change products the marketplaces list)."""
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
        "status": "previewing" if preview else "queued",
        "change_live": change_live,
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


def confirm_import(uow: CatalogUnitOfWork, caller: Caller, import_id: str, *, change_live: bool) -> Any:
    """The person saw the preview and chose: apply it (changing listed products only if `change_live`)."""
    _previewed(uow, caller, import_id)
    uow.imports.confirm(import_id, change_live)
    uow.commit()
    return uow.imports.get(import_id)


def discard_import(uow: CatalogUnitOfWork, caller: Caller, import_id: str) -> Any:
    _previewed(uow, caller, import_id)
    uow.imports.discard(import_id)
    uow.commit()
    return uow.imports.get(import_id)


def template_lists(uow: CatalogUnitOfWork, caller: Caller, clf_id: str | None) -> dict[str, list[tuple[str, str, str]]]:
    """What the template's extra sheets list: every category key, and the SHGs of the CLF it is for."""
    categories = [(c.key, c.name_en, c.name_hi) for c in CATEGORIES.values()]
    owner = clf_id or caller.clf_id
    shgs = (
        [(s.id, s.name, s.name_hi or "") for s in uow.registry.shgs_of(owner)]
        if owner and caller.sees_clf(owner)
        else []
    )
    return {"categories": categories, "shgs": shgs}


def bad_rows(job: Any, errors: list[Any]) -> list[tuple[dict[str, str], list[Any]]]:
    """Each refused row's values as uploaded, with its errors, in the file's order."""
    by_row: dict[int, list[Any]] = {}
    for problem in errors:
        by_row.setdefault(problem.row, []).append(problem)
    sheet = spreadsheet.read(job.content, job.filename, max_rows=MAX_ROWS)
    return [(values, by_row[number]) for number, values in sheet.rows if number in by_row]


def _previewed(uow: CatalogUnitOfWork, caller: Caller, import_id: str) -> Any:
    job = uow.imports.lock(import_id)
    if job is None or not caller.sees_clf(job.clf_id) or caller.reads_only:
        raise NotFound("import", import_id)
    if job.status != "previewed":
        raise Conflict("import_not_previewed", f"the upload is {job.status}, not waiting for a choice",
                       current_status=job.status)  # fmt: skip
    return job


# A new unit of work for each transaction of a long job (a chunk of rows is one transaction).
UnitsOfWork = Callable[[], CatalogUnitOfWork]


def run_imports(runtime: ServiceRuntime[CatalogSettings], stop: threading.Event) -> None:
    """The background job: process queued imports (and resume interrupted ones) until stopped."""
    units: UnitsOfWork = lambda: unit_of_work(runtime)  # noqa: E731
    while not stop.is_set():
        try:
            with units() as uow:
                job_id = uow.imports.next_due()
            if job_id is None:
                stop.wait(0.5)
                continue
            process_import(units, job_id, stop)
        except Exception:
            log.exception("import job failed; retrying")
            stop.wait(2)


def process_import(units: UnitsOfWork, import_id: str, stop: threading.Event | None = None) -> None:
    with units() as uow:
        job = uow.imports.start(import_id)
        uow.commit()
    previewing = job.status == "previewing"
    sheet = spreadsheet.read(job.content, job.filename, max_rows=MAX_ROWS)
    caller = Caller(subject=job.created_by, role="service")
    first_row_of = _first_rows(sheet.rows)
    preview: dict[str, list[Any]] = {kind: list(found) for kind, found in (job.preview or {}).items()}
    for start in range(job.processed_rows, len(sheet.rows), CHUNK_ROWS):
        if stop is not None and stop.is_set():
            return  # resumed from here by the next run
        chunk = sheet.rows[start : start + CHUNK_ROWS]
        if previewing:
            _preview_chunk(units, caller, job, start, chunk, first_row_of, preview)
            continue
        try:
            _import_chunk(units, caller, job, start, chunk, first_row_of, careful=False)
        except DBAPIError:
            # Something only the database could see (say, the same SKU created meanwhile by hand):
            # redo this chunk row by row, each in a savepoint, so that only the culprit fails.
            log.warning("import chunk failed as a whole; retrying row by row", extra={"import_id": import_id})
            _import_chunk(units, caller, job, start, chunk, first_row_of, careful=True)
    with units() as uow:
        if previewing:
            uow.imports.previewed(import_id, preview)
        else:
            uow.imports.finish(import_id)
        uow.commit()
    log.info("import previewed" if previewing else "import finished", extra={"import_id": import_id,
                                                                             "rows": len(sheet.rows)})  # fmt: skip


# What each kind of row adds to the job's counts (a row left as it was counts in none).
COUNTED = {"created": "created_rows", "updated": "updated_rows", "live": "updated_rows", "bad": "failed_rows"}


def _preview_chunk(
    units: UnitsOfWork, caller: Caller, job: Any, start: int, chunk: list[tuple[int, dict[str, str]]],
    first_row_of: dict[str, int], preview: dict[str, list[Any]],
) -> None:  # fmt: skip
    """Run the chunk's rows as applying would, then roll all of it back; keep only what each row would do."""
    with units() as uow:
        outcomes = _run_rows(uow, caller, job, chunk, first_row_of, careful=True, change_live=True)
        uow.rollback()  # a preview changes nothing
    for kind, number, sku, _ in outcomes:
        preview.setdefault(kind, []).append(number if kind == "bad" else sku)
    with units() as uow:
        _record(uow, job, start + len(chunk), outcomes)
        uow.imports.save_preview(job.id, preview)
        uow.commit()


def _import_chunk(
    units: UnitsOfWork,
    caller: Caller,
    job: Any,
    start: int,
    chunk: list[tuple[int, dict[str, str]]],
    first_row_of: dict[str, int],
    *,
    careful: bool,
) -> None:
    """One transaction: the chunk's products and events, its row errors and the job's progress."""
    with units() as uow:
        outcomes = _run_rows(uow, caller, job, chunk, first_row_of, careful=careful, change_live=job.change_live)
        _record(uow, job, start + len(chunk), outcomes)
        uow.commit()


Outcome = tuple[str, int, str, list[RowError]]  # what a row does, its number, its SKU, its errors


def _run_rows(
    uow: CatalogUnitOfWork, caller: Caller, job: Any, chunk: list[tuple[int, dict[str, str]]],
    first_row_of: dict[str, int], *, careful: bool, change_live: bool,
) -> list[Outcome]:  # fmt: skip
    """The chunk's rows through the product rules in `uow`; `careful`: each in a savepoint, so that a row only
    the database refuses fails alone (otherwise that refusal ends the chunk, to be redone carefully)."""
    facts = registry.clf_facts(uow, caller, job.clf_id)
    skus = [values.get("sku", "") for _, values in chunk]
    existing = uow.products.get_many(job.clf_id, skus, for_update=True)
    outcomes: list[Outcome] = []
    for number, values in chunk:
        try:
            with uow.savepoint() if careful else nullcontext():
                kind, row_errors = _import_row(uow, caller, job, number, values, first_row_of, facts, existing,
                                               change_live=change_live)  # fmt: skip
        except DBAPIError as failure:
            if not careful:
                raise
            kind = "bad"
            row_errors = [error(number, "sku", "database", values.get("sku", ""), reason=str(failure.orig)[:200])]
        outcomes.append((kind, number, values.get("sku", ""), row_errors))
    return outcomes


def _record(uow: CatalogUnitOfWork, job: Any, processed_rows: int, outcomes: list[Outcome]) -> None:
    """The rows' counts and errors added to the job, with how far it got."""
    counts = dict.fromkeys(("created_rows", "updated_rows", "failed_rows"), 0)
    for kind, *_ in outcomes:
        if kind in COUNTED:
            counts[COUNTED[kind]] += 1
    errors = [_error_row(job.id, e) for *_, row_errors in outcomes for e in row_errors]
    uow.imports.record_chunk(job.id, processed_rows, counts, errors)


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
    *,
    change_live: bool,
) -> tuple[str, list[RowError]]:
    """What the row does: "created", "updated", "live" (updated a product the marketplaces list),
    "unchanged" or "bad" (with its errors)."""
    fields, errors = to_fields(number, values, job.clf_id)
    sku = fields.get("sku", "")
    if not errors and first_row_of.get(sku, number) != number:
        errors = [error(number, "sku", "duplicate_sku", sku, first=first_row_of[sku])]
    if errors:
        return "bad", errors
    product = existing.get(sku)
    try:
        if product is None:
            products.add_product(uow, caller, fields, submit=job.submit, facts=facts, known_new=True)
            return "created", []
        if product.status == "retired":
            return "bad", [error(number, "sku", "retired", sku)]
        listed = product.status in LISTED_STATES
        changes = {k: v for k, v in fields.items() if k not in ("sku", "clf_id") and v is not None}
        if listed and not change_live and product.differences(changes):
            return "bad", [error(number, "sku", "live_not_changed", sku)]
        changed = products.apply_changes(uow, caller, product, changes, facts)
        if job.submit and product.status == "draft":  # "send good rows for approval" holds for updates too
            products.submit_in(uow, caller, product)
            return "updated", []
        if not changed:
            return "unchanged", []
        return ("live" if listed else "updated"), []
    except DomainError as problem:
        return "bad", problem_errors(number, problem)


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
