"""The forwarder passes on only a path that is exactly a public route: nothing a client writes (`..`,
encoded slashes, `?` or `#` inside a segment, double encoding) reaches another path of an internal service.

The property test generates hostile paths from the pieces attackers use and checks the parser's promise:
whatever it accepts names a public route, and the URL built from it is the same path after every
normalisation an HTTP library applies."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yarl import URL

from haat.problems import Problem
from haat_gateway.entrypoints.public_routes import ROUTES, parse_raw, parse_text

PIECES = ["..", ".", "%2e%2e", "%2E%2E", ".%2e", "%2F", "%2f", "%252F", "%5C", "\\", "?", "%3F", "#", "%23", "%00",
          "%C0%AF", "%ff", "", "products", "listings", "orders", "stock", "notifications", "amazon", "openapi.json",
          "internal", "MAT-1", "अचार", "%E0%A4%85"]  # fmt: skip
segment = st.lists(st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=6)), min_size=1, max_size=3).map(
    "".join
)
METHODS = st.sampled_from(["GET", "POST", "PATCH", "DELETE", "PUT"])


@settings(max_examples=3000, deadline=None, database=None)
@given(method=METHODS, segments=st.lists(segment, min_size=1, max_size=6))
def test_whatever_is_accepted_is_a_public_route_that_no_library_can_fold_into_another(method, segments):
    raw = "/".join(segments)
    try:
        found = parse_raw(method, raw)
    except Problem as refused:
        status = refused.status
    else:
        status = 200
    if status != 200:
        assert status in (404, 405)
        return
    decoded = [unquote(part) for part in raw.split("/")]
    assert list(found.segments) == decoded
    for part in found.segments:
        assert part not in ("", ".", "..")
        assert not set(part) & set("/\\?#%"), part
    route = next(r for r in ROUTES if r.matches(found.segments) and method in r.methods)
    assert route.owner == found.owner
    upstream = URL(f"http://catalog.internal/v1/{found.encoded}", encoded=True)
    # What aiohttp and the service will read back: the very segments that were checked, nothing folded.
    assert upstream.path == "/v1/" + "/".join(found.segments)
    assert URL(str(upstream)).path == upstream.path
    assert upstream.query_string == ""
    assert upstream.fragment == ""


@pytest.mark.parametrize(
    "raw",
    [
        "listings/..%2F..%2Fnotifications%2Famazon",
        "listings/%2E%2E/%2E%2E/openapi.json",
        "listings/../../notifications/amazon",
        "products/..",
        "products/.",
        "products/MAT-1%2F..%2F..%2Finternal",
        "products/MAT-1%3Fclf_id=clf-b",
        "products/MAT-1%23x",
        "products/%252e%252e",
        "products/MAT-1/",
        "products//MAT-1",
        "products/%ff%fe",
        "notifications/amazon",
        "internal/product-snapshots/clf-a/MAT-1",
    ],
)
def test_known_attacks_are_not_found(raw):
    with pytest.raises(Problem) as refused:
        parse_raw("POST" if "notifications" in raw else "GET", raw)
    assert refused.value.status == 404


def test_a_wrong_method_on_a_public_path_is_405_naming_the_allowed_ones():
    with pytest.raises(Problem) as refused:
        parse_raw("DELETE", "products/MAT-1")
    assert refused.value.status == 405
    assert refused.value.headers == {"Allow": "GET, PATCH"}


def test_a_page_cannot_compose_a_climbing_path_either():
    # A page builds f"products/{sku}" from its own URL: a decoded '..' or '/' in the sku is refused as well.
    for sku in ("..", "a/../../internal", "x?clf_id=clf-b"):
        with pytest.raises(Problem):
            parse_text("GET", f"products/{sku}")
    assert (
        parse_text("GET", "products/आम-का-अचार").encoded
        == "products/%E0%A4%86%E0%A4%AE-%E0%A4%95%E0%A4%BE-%E0%A4%85%E0%A4%9A%E0%A4%BE%E0%A4%B0"
    )


def test_the_attacks_through_the_running_gateway_reach_nothing(public_api):
    client, partner, admin = public_api.client, public_api.headers["partner"], public_api.headers["admin"]
    forged = {"NotificationType": "LISTINGS_ITEM_STATUS_CHANGE", "EventTime": "2099-01-01T00:00:00Z",
              "Payload": {"SellerId": "A-SELLER", "Sku": "MAT-1", "Status": ["BUYABLE"]}}  # fmt: skip
    for caller in (partner, admin):
        posted = client.post("/v1/listings/..%2F..%2Fnotifications%2Famazon", json=forged, headers=caller)
        assert posted.status_code == 404, posted.text
        assert posted.headers["content-type"] == "application/problem+json"
        document = client.get("/v1/listings/%2E%2E/%2E%2E/openapi.json", headers=caller)
        assert document.status_code == 404
        assert "paths" not in document.text
    listings = client.get("/v1/products/MAT-1/listings", headers=admin).json()
    assert all(listing["status"] != "live" for listing in listings)
    # The same paths, written plainly, still work.
    assert client.get("/v1/listings", params={"sku": "MAT-1"}, headers=admin).status_code == 200
