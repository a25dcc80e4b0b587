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


class ImportOut(BaseModel):
    id: str
    clf_id: str
    filename: str
    status: Literal["queued", "running", "done", "failed"]
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
def template(format: Annotated[Literal["csv", "xlsx"], Query()] = "csv") -> Response:
    if format == "xlsx":
        body, media = spreadsheet.template_xlsx(), XLSX
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
    submit: Annotated[bool, Form(description="submit new products for approval")] = False,
) -> ImportOut:
    owner = products.clf_for_new_products(caller, clf_id)
    content = file.file.read(imports.MAX_BYTES + 1)
    job = imports.start_import(uow, caller, owner, file.filename or "upload.csv", content, submit=submit)
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


@router.get("/imports/{import_id}/errors.csv", summary="The bad rows as a spreadsheet to fix and re-upload")
def errors_csv(import_id: str, uow: CatalogUnitOfWorkDep, caller: CallerDep) -> Response:
    _, errors = imports.get_import(uow, caller, import_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Row / पंक्ति", "Column / कॉलम", "Value / मान", "Problem", "समस्या"])
    for e in errors:
        writer.writerow([e.row, e.column] + [safe_cell(v) for v in (e.value, e.message_en, e.message_hi)])
    disposition = f'attachment; filename="import-{import_id}-errors.csv"'
    return Response(
        buffer.getvalue().encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )
