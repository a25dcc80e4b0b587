"""Staff log-in: the OAuth2 password flow."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from haat.problems import Problem
from haat_gateway.entrypoints.auth import CurrentPrincipal
from haat_gateway.entrypoints.dependencies import GatewayRuntimeDep, GatewayUnitOfWorkDep
from haat_gateway.service_layer.login_throttle import LoginThrottle
from haat_gateway.service_layer.users import LoginRefused, log_in, log_out

router = APIRouter(prefix="/v1/auth", tags=["access"])


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


def login_throttle(request: Request) -> LoginThrottle:
    throttle: LoginThrottle = request.app.state.login_throttle
    return throttle


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ThrottleDep = Annotated[LoginThrottle, Depends(login_throttle)]


@router.post("/token", response_model=TokenOut, summary="Log in with username and password (OAuth2 password flow)")
def token(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()], uow: GatewayUnitOfWorkDep,
    runtime: GatewayRuntimeDep, throttle: ThrottleDep,
) -> TokenOut:  # fmt: skip
    try:
        issued = log_in(uow, runtime.settings, throttle, client_address(request), form.username, form.password)
    except LoginRefused as refused:
        if refused.wait_s:
            wait = str(max(1, math.ceil(refused.wait_s)))
            raise Problem(
                429, "login-throttled", refused.detail, headers={"Retry-After": wait}, error="invalid_grant"
            ) from None
        raise Problem(
            401, "login-failed", refused.detail, headers={"WWW-Authenticate": "Bearer"}, error="invalid_grant"
        ) from None
    return TokenOut(access_token=issued.token, expires_in=issued.expires_in)


@router.post("/logout", status_code=204, summary="End this access token now (API keys are revoked instead)")
def logout(request: Request, principal: CurrentPrincipal, uow: GatewayUnitOfWorkDep) -> Response:
    verified = getattr(request.state, "access_token", None)
    if verified is None:
        raise Problem(422, "not-a-session", "an API key is not logged out: an admin revokes it")
    log_out(uow, verified)
    uow.commit()
    return Response(status_code=204)
