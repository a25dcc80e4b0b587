"""Flipkart-style sandbox: Marketplace Seller API v3 as a connector sees it (no official machine-readable spec
is public; the shapes follow shared/reference/README.md and are checked here by pydantic models).

OAuth client credentials; listings by SKU (create/update, price, inventory per location, up to 10 SKUs a
call); shipments searched by filter with the real order-item states, packed with invoice and dimensions,
labels (PDF) once packed, marked ready to dispatch, cancelled. One token bucket per seller (10/s, burst 20 by
default). `sandbox` holds the state and rules, `shapes` the request bodies, each router one resource."""

from __future__ import annotations

from fastapi import FastAPI

from haat_sandboxes.control import build_app
from haat_sandboxes.flipkart import control, listings, shipments, tokens
from haat_sandboxes.flipkart.answers import install_error_answers
from haat_sandboxes.flipkart.sandbox import FlipkartSandbox, error_body

__all__ = ["FlipkartSandbox", "create_app"]


def create_app(sandbox: FlipkartSandbox | None = None, *, orders_per_minute: float = 0.0) -> FastAPI:
    title = "Flipkart-style sandbox (Marketplace Seller API v3)"
    app = build_app(title, sandbox or FlipkartSandbox(), error_body, orders_per_minute)
    install_error_answers(app)
    for resource in (tokens, listings, shipments, control):
        app.include_router(resource.router)
    return app
