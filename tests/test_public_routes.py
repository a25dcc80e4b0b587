"""The gateway's table of public routes is exactly the services' own documented /v1 routes: a route a
service adds is forwarded only once it is added to the table on purpose, and the table names no route that
does not exist (nor one a service keeps out of its document)."""

from __future__ import annotations

from haat_gateway.entrypoints.public_routes import PUBLIC_ROUTES


def test_the_forwarded_routes_are_the_services_own(service):
    for name, routes in PUBLIC_ROUTES.items():
        runtime = service(name)
        document = runtime.definition.create_app(runtime).openapi()
        served = {
            (method.upper(), path.removeprefix("/v1/"))
            for path, operations in document["paths"].items()
            if path.startswith("/v1/")
            for method in operations
        }
        table = {(method, template) for methods, template in routes for method in methods.split()}
        assert table == served, f"{name}: only in the table {sorted(table - served)}; only served {served - table}"
