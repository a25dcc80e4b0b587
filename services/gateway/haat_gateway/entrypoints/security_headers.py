"""Headers every answer of the public door carries: no framing (clickjacking of the staff pages), no
content sniffing, no full URLs leaking to other sites, HTTPS only in production, and a policy that lets
pages run only this origin's own scripts. A handler that sets its own policy (the API docs) keeps it."""

from __future__ import annotations

from typing import Any

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Pure ASGI, so that streamed answers (server-sent events, PDFs) pass through untouched."""

    def __init__(self, app: Any, *, production: bool) -> None:
        self.app = app
        self.headers = [
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"content-security-policy", PAGE_POLICY.encode()),
        ]
        if production:
            self.headers.append((b"strict-transport-security", HSTS.encode()))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, with_headers)
