"""Staff log-in: the OAuth2 password flow."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from haat.http_app import RuntimeDep, UnitOfWorkDep
from haat.problems import Problem
from haat_gateway.service_layer.users import LoginRefused, log_in
from haat_gateway.settings import GatewaySettings

router = APIRouter(prefix="/v1/auth", tags=["access"])


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


@router.post("/token", response_model=TokenOut, summary="Log in with username and password (OAuth2 password flow)")
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], uow: UnitOfWorkDep, runtime: RuntimeDep) -> TokenOut:
    assert isinstance(runtime.settings, GatewaySettings)
    try:
        issued = log_in(uow.session, runtime.settings, form.username, form.password)
    except LoginRefused as refused:
        if refused.locked_until:
            wait = max(1, int((refused.locked_until - datetime.now(UTC)).total_seconds()))
            raise Problem(
                429, "account-locked", refused.detail, headers={"Retry-After": str(wait)}, error="invalid_grant"
            ) from None
        raise Problem(
            401, "login-failed", refused.detail, headers={"WWW-Authenticate": "Bearer"}, error="invalid_grant"
        ) from None
    return TokenOut(access_token=issued.token, expires_in=issued.expires_in)
