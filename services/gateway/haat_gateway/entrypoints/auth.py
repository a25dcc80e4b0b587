"""Bearer-key authentication for the public API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from haat.problems import Problem
from haat_gateway.entrypoints.dependencies import GatewayRuntimeDep, GatewayUnitOfWorkDep
from haat_gateway.service_layer.api_keys import KEY_PREFIX, Principal, authenticate
from haat_gateway.service_layer.users import in_force, verify_token

bearer = HTTPBearer(
    auto_error=False,
    description="An API key (`Bearer haat_…`) or a staff access token from POST /v1/auth/token",
)


class Unauthorised(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(401, "unauthorised", detail)


class Forbidden(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(403, "forbidden", detail)


def current_principal(
    request: Request,
    uow: GatewayUnitOfWorkDep,
    runtime: GatewayRuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        raise Unauthorised("send an API key or an access token as 'Authorization: Bearer <…>'")
    token = credentials.credentials
    if token.startswith(KEY_PREFIX):
        principal = authenticate(uow, token)
        if principal is None:
            raise Unauthorised("the API key is unknown or revoked")
        uow.commit()  # records last_used_at
        return principal
    verified = verify_token(token, runtime.settings)
    if verified is None or not in_force(uow, verified):  # logged out or disabled: over at once
        raise Unauthorised("the access token is not valid or has expired; log in again")
    request.state.access_token = verified
    return verified.principal


def require_admin(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if principal.role != "admin":
        raise Forbidden("this needs an admin key")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
AdminPrincipal = Annotated[Principal, Depends(require_admin)]
