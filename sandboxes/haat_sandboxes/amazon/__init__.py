"""Amazon-style sandbox: Login with Amazon, Listings Items 2021-08-01, Orders v0 and Notifications v1, as a
connector sees them; notifications are delivered as Amazon delivers them, onto the seller application's SQS
queue (`sqs`), or in a legacy mode pushed over HTTP to a URL given through the control paths.

`sandbox` holds the marketplace's state and rules; each router serves one resource (tokens, listings, orders,
notifications, and the sandbox's own control paths); `answers` is how every path answers and what it checks
first."""

from __future__ import annotations

from fastapi import FastAPI

from haat_sandboxes.amazon import control, listings, notifications, orders, tokens
from haat_sandboxes.amazon.answers import install_error_answer
from haat_sandboxes.amazon.sandbox import AmazonSandbox, error_body
from haat_sandboxes.control import build_app

__all__ = ["AmazonSandbox", "create_app"]


def create_app(sandbox: AmazonSandbox | None = None, *, orders_per_minute: float = 0.0) -> FastAPI:
    app = build_app("Amazon-style sandbox (SP-API)", sandbox or AmazonSandbox(), error_body, orders_per_minute)
    install_error_answer(app)
    for resource in (tokens, listings, orders, notifications, control):
        app.include_router(resource.router)
    return app
