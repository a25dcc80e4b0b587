"""The FastAPI skeleton every service shares: lifespan with workers, problem+json, health, tracing."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from sqlalchemy import text

from haat import identity
from haat.broker import port_in_use
from haat.problems import Problem, install_problem_handlers, problem_response
from haat.request_guard import GuardRequests
from haat.service import ServiceRuntime
from haat.telemetry import instrument_app
from haat.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def get_runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


def get_unit_of_work(runtime: Annotated[ServiceRuntime, Depends(get_runtime)]) -> Iterator[UnitOfWork]:
    with runtime.unit_of_work() as uow:
        yield uow


caller_header = APIKeyHeader(
    name=identity.HEADER,
    auto_error=False,
    description="The caller, signed by the gateway (services are internal: reach them through the gateway)",
)


READING = frozenset({"GET", "HEAD", "OPTIONS"})


def get_caller(
    request: Request,
    runtime: Annotated[ServiceRuntime, Depends(get_runtime)],
    token: Annotated[str | None, Depends(caller_header)],
) -> identity.Caller:
    if not token:
        raise Problem(401, "unauthorised", f"this service is internal: the {identity.HEADER} header is missing")
    try:
        caller = identity.verify_token(token, runtime.settings.internal_token_secret.get_secret_value())
    except identity.InvalidCallerToken as error:
        # Why it failed is for our log, not for whoever is trying tokens.
        log.info("caller token refused", extra={"reason": str(error)})
        raise Problem(401, "unauthorised", "the caller token is not valid") from None
    if caller.reads_only and request.method not in READING:
        raise Problem(403, "forbidden", "a partner key reads; it changes nothing")
    return caller


def get_admin_caller(caller: Annotated[identity.Caller, Depends(get_caller)]) -> identity.Caller:
    # A dependency, so that a caller who may not do this hears 403 before any body is validated.
    if not caller.is_admin:
        raise Problem(403, "forbidden", "only an admin can do this")
    return caller


def get_staff_caller(caller: Annotated[identity.Caller, Depends(get_caller)]) -> identity.Caller:
    # Documents that name the buyer or hold bank details are for the people who work the orders.
    if caller.role == "partner":
        raise Problem(403, "forbidden", "this document is for staff: a partner reads orders, not their papers")
    return caller


RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work)]
CallerDep = Annotated[identity.Caller, Depends(get_caller)]
AdminCallerDep = Annotated[identity.Caller, Depends(get_admin_caller)]
StaffCallerDep = Annotated[identity.Caller, Depends(get_staff_caller)]


def build_app(
    runtime: ServiceRuntime,
    routers: Sequence[APIRouter],
    *,
    description: str = "",
    on_shutdown: Sequence[Callable[[], Awaitable[None]]] = (),
    public_docs: bool = False,
    install: Sequence[Callable[[FastAPI], None]] = (),
) -> FastAPI:
    """A service's app. Its OpenAPI document is served only to a signed caller (an internal service's paths
    are no one else's business) unless `public_docs` (the gateway, which serves its own). `install` adds
    what the service has beyond routers (middleware, pages), inside the request guard."""
    settings = runtime.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.run_workers:
            runtime.start_workers()
        try:
            yield
        finally:
            for hook in on_shutdown:
                await hook()
            runtime.stop()

    app = FastAPI(
        title=f"Haat {runtime.definition.title}",
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        openapi_url="/openapi.json" if public_docs else None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    install_problem_handlers(app)
    app.include_router(health_router())
    if not public_docs:
        app.include_router(signed_docs_router(app))
    for router in routers:
        app.include_router(router)
    instrument_app(app)
    for installer in install:
        installer(app)
    # Last added, so outermost: a body's size is checked before any other middleware or authentication.
    app.add_middleware(GuardRequests, max_bytes=settings.max_request_bytes)
    return app


def signed_docs_router(app: FastAPI) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/openapi.json")
    def openapi(_caller: CallerDep) -> JSONResponse:
        return JSONResponse(app.openapi())

    return router


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="Liveness: the process answers")
    def healthz(runtime: RuntimeDep) -> dict[str, str]:
        return {"status": "ok", "service": runtime.name}

    @router.get("/readyz", summary="Readiness: database and broker reachable, workers running")
    def readyz(request: Request, runtime: RuntimeDep) -> JSONResponse:
        checks = {"database": _database_ok(runtime), "broker": _broker_ok(runtime)}
        if runtime.settings.run_workers:
            checks["workers"] = bool(runtime.threads) and runtime.workers_alive()
        if all(checks.values()):
            return JSONResponse({"status": "ready", "service": runtime.name, "checks": checks})
        failing = ", ".join(name for name, ok in checks.items() if not ok)
        return problem_response(request, 503, "not-ready", f"not ready: {failing}", checks=checks)

    return router


def _database_ok(runtime: ServiceRuntime) -> bool:
    try:
        with runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def _broker_ok(runtime: ServiceRuntime) -> bool:
    for address in runtime.settings.kafka_bootstrap_servers.split(","):
        host, _, port = address.strip().rpartition(":")
        if port_in_use(host or "127.0.0.1", int(port)):
            return True
    return False
