"""The public paths the gateway forwards, and the one way a requested path is read before it is.

A forwarded path is never passed on as the caller wrote it: it is split into segments on the raw
(still percent-encoded) path, each segment is decoded once and must be a plain name (no `.` or `..`, no
`/`, `\\`, `?`, `#` or `%` inside, no control characters), and the segments must match one of the routes
below for the request's method. The upstream URL is then built from those segments, each encoded again,
so nothing a client sends can make an HTTP library (which folds `..` away) reach another path of an
internal service. Anything else is a 404 (405 for a public path with another method).

Each route names the service that owns it; `tests/test_public_routes.py` checks that this table is
exactly the services' own /v1 routes, so a new public route is added here on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from haat.problems import Problem

# owner → (methods, path template under /v1)
# fmt: off
PUBLIC_ROUTES: dict[str, tuple[tuple[str, str], ...]] = {
    "catalog": (
        ("GET POST", "geo-units"), ("GET POST", "clfs"), ("GET PATCH", "clfs/{clf_id}"),
        ("GET POST", "clfs/{clf_id}/shgs"),
        ("GET", "shgs/{shg_id}"), ("GET POST", "shgs/{shg_id}/members"), ("GET POST", "packaging-houses"),
        ("GET", "categories"), ("GET", "products/import-template"), ("POST", "products/import"),
        ("GET", "imports/{import_id}"), ("GET", "imports/{import_id}/errors.csv"),
        ("POST", "imports/{import_id}/confirm"), ("POST", "imports/{import_id}/discard"),
        ("GET POST", "products/{sku}/images"), ("DELETE", "products/{sku}/images/{image_id}"),
        ("GET", "images/{image_id}"), ("GET", "images/{image_id}/thumbnail"),
        ("GET POST", "products"), ("GET PATCH", "products/{sku}"), ("POST", "products/{sku}/reject"),
        ("POST", "products/{sku}/{action}"),
        ("GET", "products/{sku}/listings"),
        ("GET", "stock/{sku}"), ("POST", "stock/{sku}/receipts"), ("POST", "stock/{sku}/adjustments"),
    ),
    "connectors": (
        ("GET POST", "seller-accounts"), ("GET PATCH", "seller-accounts/{account_id}"),
        ("POST", "seller-accounts/{account_id}/resync"), ("GET", "seller-accounts/{account_id}/sync"),
        ("GET", "listings/summary"), ("GET", "listings"),
    ),
    "orders": (
        ("GET", "orders"), ("GET", "orders/{order_id}"),
        *(("POST", f"orders/{{order_id}}/{action}") for action in ("accept", "pack", "ship", "deliver", "cancel",
                                                                    "return")),
        *(("GET", f"orders/{{order_id}}/{document}") for document in ("invoice", "credit-note", "packing-slip",
                                                                      "label")),
        ("GET POST", "settlements"), ("GET", "settlements/bank-file.csv"), ("GET", "settlements/estimate"),
        ("GET", "settlements/{settlement_id}"),
        ("POST", "settlements/{settlement_id}/paid"),
        ("POST", "picklists"), ("GET", "reports/sales"),
    ),
}
# fmt: on
# Inside a decoded segment: separators and escapes that some layer could read as structure.
FORBIDDEN_IN_SEGMENT = re.compile(r"[/\\?#%\x00-\x1f\x7f]")
PARAMETER = re.compile(r"^\{[a-z_]+\}$")


@dataclass(frozen=True)
class Route:
    owner: str
    methods: frozenset[str]
    template: tuple[str, ...]

    def matches(self, segments: tuple[str, ...]) -> bool:
        return len(segments) == len(self.template) and all(
            PARAMETER.match(part) or part == segment for part, segment in zip(self.template, segments, strict=True)
        )


ROUTES = tuple(
    Route(owner, frozenset(methods.split()), tuple(template.split("/")))
    for owner, routes in PUBLIC_ROUTES.items()
    for methods, template in routes
)
OWNED_PREFIXES = frozenset(route.template[0] for route in ROUTES)


@dataclass(frozen=True)
class PublicPath:
    """A requested path that names a public route: its owner and its segments, decoded once."""

    owner: str
    segments: tuple[str, ...]

    @property
    def encoded(self) -> str:
        """The path under /v1/ as it is sent upstream: every segment encoded, nothing for a library to fold."""
        return "/".join(quote(segment, safe="") for segment in self.segments)

    @property
    def text(self) -> str:
        return "/".join(self.segments)


class NotPublic(Problem):
    def __init__(self, path: str) -> None:
        super().__init__(404, "not-found", f"no such resource: /v1/{path}")


def plain_segments(segments: tuple[str, ...], shown: str) -> tuple[str, ...]:
    """The segments when each is a plain name; otherwise not found (`shown` is the path as asked)."""
    for segment in segments:
        if segment in ("", ".", "..") or FORBIDDEN_IN_SEGMENT.search(segment):
            raise NotPublic(shown)
    return segments


def public_path(method: str, segments: tuple[str, ...]) -> PublicPath:
    """The public route these segments name for `method`: 404 when none, 405 when only other methods."""
    path = "/".join(segments)
    routes = [route for route in ROUTES if route.matches(segments)]
    if not routes:
        raise NotPublic(path)
    for route in routes:
        if method.upper() in route.methods:
            return PublicPath(route.owner, segments)
    allowed = sorted(set().union(*(route.methods for route in routes)))
    raise Problem(405, "method-not-allowed", f"/v1/{path} allows {', '.join(allowed)}",
                  headers={"Allow": ", ".join(allowed)})  # fmt: skip


def parse_raw(method: str, raw: str) -> PublicPath:
    """A client's raw path under /v1/ → the public route it names (or a 404/405 problem)."""
    try:
        segments = tuple(unquote(part, errors="strict") for part in raw.split("/"))
    except UnicodeDecodeError:
        raise NotPublic(raw) from None
    return public_path(method, plain_segments(segments, raw))


def parse_text(method: str, path: str) -> PublicPath:
    """A path the gateway itself composed (the web pages: `f"products/{sku}"`) → its public route. The parts
    came from a page's URL, so they are checked as strictly as a client's."""
    return public_path(method, plain_segments(tuple(path.split("/")), path))
