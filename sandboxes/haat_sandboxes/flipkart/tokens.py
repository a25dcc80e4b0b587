"""OAuth client credentials: an application's id and secret exchanged for a seller's access token."""

from __future__ import annotations

import base64
import secrets
import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from haat_sandboxes.flipkart.answers import Marketplace

router = APIRouter()


@router.get("/oauth-service/oauth/token")
async def token(sandbox: Marketplace, request: Request, grant_type: str = "", scope: str = "") -> JSONResponse:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    try:
        app_id, _, secret = base64.b64decode(encoded).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        app_id, secret = "", ""
    known = sandbox.apps.get(app_id)
    if scheme.lower() != "basic" or known is None or known[0] != secret:
        return JSONResponse({"error": "unauthorized", "error_description": "Bad credentials"}, 401)
    if grant_type != "client_credentials" or scope != "Seller_Api":
        return JSONResponse({"error": "invalid_request", "error_description": "grant or scope not allowed"}, 400)
    access = secrets.token_urlsafe(24)
    sandbox.tokens[access] = (known[1], time.time() + sandbox.token_ttl_s)
    sandbox.counts["tokens"] += 1
    return JSONResponse(
        {"access_token": access, "token_type": "bearer", "expires_in": sandbox.token_ttl_s, "scope": scope}
    )
