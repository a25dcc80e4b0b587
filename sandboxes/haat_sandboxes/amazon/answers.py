"""How every Amazon path answers: the error document and headers of SP-API, the checks each call makes first
(token, quota, marketplace, body against Amazon's model) and the sandbox a router works on."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, cast

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse

from haat_sandboxes import sp_api_spec
from haat_sandboxes.amazon.sandbox import INDIA, AmazonError, AmazonSandbox, error_body

MarketplaceIds = Annotated[str | None, Query(alias="marketplaceIds")]


def sandbox_of(request: Request) -> AmazonSandbox:
    return cast(AmazonSandbox, request.app.state.sandbox)


Marketplace = Annotated[AmazonSandbox, Depends(sandbox_of)]


def install_error_answer(app: FastAPI) -> None:
    @app.exception_handler(AmazonError)
    async def amazon_error(request: Request, error: AmazonError) -> JSONResponse:
        headers = {"x-amzn-RequestId": str(uuid.uuid4()), **error.headers}
        return JSONResponse(error_body(error.status, error.code, error.message, error.details), error.status, headers)


def ok(body: dict[str, Any] | None, limit: dict[str, str], status: int = 200) -> JSONResponse:
    return JSONResponse(body, status, {"x-amzn-RequestId": str(uuid.uuid4()), **limit})


def check_marketplace(ids: str | None) -> None:
    if not ids:
        raise AmazonError(400, "InvalidInput", "Missing required 'marketplaceIds' parameter.")
    if ids.split(",") != [INDIA]:
        raise AmazonError(400, "InvalidInput", f"Invalid marketplaceIds: {ids}. This sandbox serves {INDIA}.")


def check_body(model: str, definition: str, body: Any) -> dict[str, Any]:
    found = sp_api_spec.problems(model, definition, body)
    if found:
        raise AmazonError(400, "InvalidInput", "Request has missing or invalid parameters.", "; ".join(found))
    return dict(body)


async def json_body(request: Request, model: str, definition: str) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise AmazonError(400, "InvalidInput", "The request body is not valid JSON.") from None
    return check_body(model, definition, body)
