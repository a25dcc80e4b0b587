"""Bearer-key authentication for the public API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from haat.http_app import UnitOfWorkDep
from haat.problems import Problem
from haat_gateway.service_layer.api_keys import Principal, authenticate

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer haat_…`")


class Unauthorised(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(401, "unauthorised", detail)


class Forbidden(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(403, "forbidden", detail)


def current_principal(
    uow: UnitOfWorkDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    if credentials is None:
        raise Unauthorised("send an API key as 'Authorization: Bearer <key>'")
    principal = authenticate(uow.session, credentials.credentials)
    if principal is None:
        raise Unauthorised("the API key is unknown or revoked")
    uow.commit()  # records last_used_at
    return principal


def require_admin(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if principal.role != "admin":
        raise Forbidden("this needs an admin key")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
AdminPrincipal = Annotated[Principal, Depends(require_admin)]
