"""How every Flipkart path answers: its error document (also for a body its models refuse), the batch limit,
and the sandbox a router works on."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import RootModel

from haat_sandboxes.flipkart.sandbox import MAX_SKUS_PER_CALL, FlipkartError, FlipkartSandbox, error_body


def sandbox_of(request: Request) -> FlipkartSandbox:
    return cast(FlipkartSandbox, request.app.state.sandbox)


Marketplace = Annotated[FlipkartSandbox, Depends(sandbox_of)]


def install_error_answers(app: FastAPI) -> None:
    @app.exception_handler(FlipkartError)
    async def flipkart_error(request: Request, error: FlipkartError) -> JSONResponse:
        return JSONResponse(error_body(error.status, error.code, error.description), error.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"severity": "ERROR", "code": "INVALID_REQUEST", "description": e["msg"],
             "path": [str(p) for p in e["loc"][1:]]}
            for e in error.errors()
        ]  # fmt: skip
        return JSONResponse({"errors": errors}, 400)


def within_batch_limit(batch: RootModel[Any]) -> None:
    if len(batch.root) > MAX_SKUS_PER_CALL:
        raise FlipkartError(400, "INVALID_REQUEST", f"at most {MAX_SKUS_PER_CALL} SKUs per request")
