"""RFC 9457 problem details: every error any Haat API returns is application/problem+json."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from haat.errors import DomainError

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://haat.example/problems/"


class Problem(Exception):
    """Raise from any layer to answer with a problem document; `kind` becomes the type URI's last part."""

    def __init__(
        self, status: int, kind: str, detail: str, *, headers: dict[str, str] | None = None, **extensions: Any
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.headers = headers
        self.extensions = extensions


# How each kind of refusal a use case raises (haat.errors) is answered over HTTP.
STATUS_OF_KIND = {"not-found": 404, "not-allowed": 403, "conflict": 409, "invalid": 422, "too-large": 413,
                  "malformed": 400, "unavailable": 502, "timed-out": 504}  # fmt: skip
KIND_OF_STATUS = {status: kind for kind, status in STATUS_OF_KIND.items()}


def refusal_from_answer(status: int, code: str, detail: str) -> DomainError:
    """Another service's problem answer as the refusal it stands for (for clients of our own services)."""
    kind = KIND_OF_STATUS.get(status, "unavailable" if status >= 500 else "invalid")
    return DomainError.of_kind(kind, code, detail)


def problem_response(
    request: Request, status: int, kind: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {
        "type": TYPE_BASE + kind if kind != "about:blank" else kind,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(request, exc.status, exc.kind, exc.detail, headers=exc.headers, **exc.extensions)

    async def on_refusal(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)
        status = STATUS_OF_KIND[exc.kind]
        return problem_response(request, status, exc.code, exc.detail, **exc.extensions)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return problem_response(
            request, exc.status_code, "about:blank", str(exc.detail), headers=getattr(exc, "headers", None)
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        # `code` and `params` (pydantic's error type and its limits) let a page say it in the reader's language
        errors = [
            {"location": list(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", ""),
             "code": e.get("type", ""), "params": {k: v for k, v in (e.get("ctx") or {}).items()
                                                   if isinstance(v, str | int | float)}}
            for e in exc.errors()
        ]  # fmt: skip
        return problem_response(request, 422, "validation-error", "the request is not valid", errors=errors)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(request, 500, "internal-error", "an unexpected error occurred; it was logged")

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(DomainError, on_refusal)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_unexpected)
