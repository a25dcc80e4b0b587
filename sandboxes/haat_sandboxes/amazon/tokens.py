"""Login with Amazon: a seller's refresh token (with the application's credentials) exchanged for her access
token; or, for grantless operations (notification destinations), the application's credentials alone, with
the notifications scope, for a token of the application's own."""

from __future__ import annotations

import secrets
import time
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import JSONResponse

from haat_sandboxes.amazon.answers import Marketplace
from haat_sandboxes.amazon.sandbox import NOTIFICATIONS_SCOPE

router = APIRouter()


@router.post("/auth/o2/token")
async def token(
    sandbox: Marketplace,
    grant_type: Annotated[str, Form()], client_id: Annotated[str, Form()], client_secret: Annotated[str, Form()],
    refresh_token: Annotated[str, Form()] = "", scope: Annotated[str, Form()] = "",
) -> JSONResponse:  # fmt: skip
    if grant_type == "client_credentials":
        application = any(
            (s.client_id, s.client_secret) == (client_id, client_secret) for s in sandbox.sellers.values()
        )
        if not application:
            return JSONResponse({"error": "invalid_client", "error_description": "Client authentication failed"}, 401)
        if scope != NOTIFICATIONS_SCOPE:
            return JSONResponse({"error": "invalid_scope", "error_description": "The scope is not allowed"}, 400)
        access = f"Atc|{secrets.token_urlsafe(24)}"
        sandbox.app_tokens[access] = (client_id, time.time() + sandbox.token_ttl_s)
        sandbox.counts["tokens"] += 1
        return JSONResponse({"access_token": access, "scope": scope, "token_type": "bearer",
                             "expires_in": sandbox.token_ttl_s})  # fmt: skip
    seller = next((s for s in sandbox.sellers.values() if s.refresh_token == refresh_token), None)
    if grant_type != "refresh_token" or seller is None:
        return JSONResponse({"error": "invalid_grant", "error_description": "The refresh token is invalid"}, 400)
    if (seller.client_id, seller.client_secret) != (client_id, client_secret):
        return JSONResponse({"error": "invalid_client", "error_description": "Client authentication failed"}, 401)
    access = f"Atza|{secrets.token_urlsafe(24)}"
    sandbox.tokens[access] = (seller.seller_id, time.time() + sandbox.token_ttl_s)
    sandbox.counts["tokens"] += 1
    return JSONResponse(
        {"access_token": access, "refresh_token": refresh_token, "token_type": "bearer",
         "expires_in": sandbox.token_ttl_s}
    )  # fmt: skip
