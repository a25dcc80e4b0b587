"""Login with Amazon: a seller's refresh token and application credentials exchanged for an access token."""

from __future__ import annotations

import secrets
import time
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import JSONResponse

from haat_sandboxes.amazon.answers import Marketplace

router = APIRouter()


@router.post("/auth/o2/token")
async def token(
    sandbox: Marketplace,
    grant_type: Annotated[str, Form()], refresh_token: Annotated[str, Form()],
    client_id: Annotated[str, Form()], client_secret: Annotated[str, Form()],
) -> JSONResponse:  # fmt: skip
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
