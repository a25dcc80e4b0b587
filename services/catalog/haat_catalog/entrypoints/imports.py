"""HTTP entry points of bulk upload: the template, the upload, its progress and row-by-row report."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Header, Query, Response, UploadFile
from pydantic import BaseModel

from haat.documents.spreadsheet_cells import safe_cell
from haat.http_app import CallerDep
from haat_catalog.adapters import spreadsheet
from haat_catalog.entrypoints.dependencies import CatalogUnitOfWorkDep
from haat_catalog.service_layer import imports, products

router = APIRouter(prefix="/v1", tags=["bulk upload"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RowReport(BaseModel):
    row: int
    column: str
    code: str
    message: str
    message_en: str
    message_hi: str
    value: str


class Preview(BaseModel):
    """What applying the file would do, row by row: the SKUs it would create, update (`live`: products the
    marketplaces list), leave as they are, and the rows it would refuse."""

    created: list[str] = []
    updated: list[str] = []
    live: list[str] = []
    unchanged: list[str] = []
    bad: list[int] = []


class ImportOut(BaseModel):
    id: str
    clf_id: str
    filename: str
    status: Literal["previewing", "previewed", "queued", "running", "done", "failed", "discarded"]
    preview: Preview | None = None
    change_live: bool = False
    total_rows: int
    processed_rows: int
    progress_percent: int
    created_rows: int
    updated_rows: int
    failed_rows: int
    errors: list[RowReport]


def _language(lang: str | None, accept_language: str | None) -> str:
    wanted = (lang or accept_language or "en").strip().lower()
    return "hi" if wanted.startswith("hi") else "en"


def _out(job: Any, errors: list[Any], language: str) -> ImportOut:
    total = getattr(job, "total_rows", 0)
    processed = getattr(job, "processed_rows", 0)
    return ImportOut(
        id=job.id,
        clf_id=job.clf_id,
        filename=job.filename,
        status=job.status,
        preview=Preview.model_validate(job.preview) if getattr(job, "preview", None) else None,
        change_live=bool(getattr(job, "change_live", False)),
        total_rows=total,
        processed_rows=processed,
        progress_percent=100 if total == 0 else processed * 100 // total,
        created_rows=job.created_rows,
        updated_rows=job.updated_rows,
        failed_rows=job.failed_rows,
        errors=[
            RowReport(
                row=e.row,
                column=e.column,
                code=e.code,
                message=e.message_hi if language == "hi" else e.message_en,
                message_en=e.message_en,
                message_hi=e.message_hi,
                value=e.value,
            )
            for e in errors
        ],
    )


@router.get("/products/import-template", summary="The spreadsheet template (Hindi and English headers)")
def template(
    uow: CatalogUnitOfWorkDep,
    caller: CallerDep,
    format: Annotated[Literal["csv", "xlsx"], Query()] = "csv",
    clf_id: Annotated[str | None, Query(description="list this CLF's SHGs in the XLSX (default: yours)")] = None,
) -> Response:
    if format == "xlsx":
        body, media = spreadsheet.template_xlsx(**imports.template_lists(uow, caller, clf_id)), XLSX
    else:
        body, media = spreadsheet.template_csv(), "text/csv; charset=utf-8"
    disposition = f'attachment; filename="haat-products-template.{format}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@router.post("/products/import", status_code=202, response_model=ImportOut, summary="Upload a CSV or XLSX of products")
def upload(
    response: Response,
    uow: CatalogUnitOfWorkDep,
    caller: CallerDep,
    file: Annotated[UploadFile, File(description="CSV (UTF-8) or XLSX, at most 10,000 rows")],
    clf_id: Annotated[str | None, Form()] = None,
    submit: Annotated[bool, Form(description="send good rows (new products and drafts) for approval")] = False,
    preview: Annotated[bool, Form(description="first show what it would do, and wait for a choice")] = True,
    change_live: Annotated[bool, Form(description="without a preview: may rows change listed products")] = False,
) -> ImportOut:
    owner = products.clf_for_new_products(caller, clf_id)
    content = file.file.read(imports.MAX_BYTES + 1)
    job = imports.start_import(uow, caller, owner, file.filename or "upload.csv", content, submit=submit,
                               preview=preview, change_live=change_live)  # fmt: skip
    response.headers["Location"] = f"/v1/imports/{job['id']}"
    return _out(type("Job", (), job)(), [], "en")


@router.get("/imports/{import_id}", response_model=ImportOut, summary="Progress and row-by-row report")
def get_import(
    import_id: str,
    uow: CatalogUnitOfWorkDep,
    caller: CallerDep,
    lang: Annotated[Literal["en", "hi"] | None, Query()] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> ImportOut:
    job, errors = imports.get_import(uow, caller, import_id)
    return _out(job, errors, _language(lang, accept_language))


class Choice(BaseModel):
    change_live: bool = False


@router.post("/imports/{import_id}/confirm", response_model=ImportOut, summary="Apply a previewed upload")
def confirm(import_id: str, body: Choice, uow: CatalogUnitOfWorkDep, caller: CallerDep) -> ImportOut:
    return _out(imports.confirm_import(uow, caller, import_id, change_live=body.change_live), [], "en")


@router.post("/imports/{import_id}/discard", response_model=ImportOut, summary="Drop a previewed upload")
def discard(import_id: str, uow: CatalogUnitOfWorkDep, caller: CallerDep) -> ImportOut:
    return _out(imports.discard_import(uow, caller, import_id), [], "en")


@router.get("/imports/{import_id}/errors.csv", summary="The bad rows as a spreadsheet to fix and re-upload")
def errors_csv(import_id: str, uow: CatalogUnitOfWorkDep, caller: CallerDep) -> Response:
    """The bad rows as they were uploaded, with their values, and a last column saying what is wrong: fixed,
    the file can be uploaded again as it is."""
    job, errors = imports.get_import(uow, caller, import_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*(c.header for c in spreadsheet.COLUMNS), "Problem / समस्या"])
    for values, problems in imports.bad_rows(job, errors):
        said = "; ".join(f"{e.column}: {e.message_en} / {e.message_hi}" for e in problems)
        writer.writerow([safe_cell(values.get(c.key, "")) for c in spreadsheet.COLUMNS] + [safe_cell(said)])
    disposition = f'attachment; filename="import-{import_id}-errors.csv"'
    return Response(
        buffer.getvalue().encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )
