"""A well-known peer beside our connector: the `python-amazon-sp-api` client putting the same listings to
the Amazon sandbox in a plain loop, as its documentation shows, with its own throttle-retry decorator
(on a 429 it waits and tries again: 5 s, then 1.3 times longer each time). Only its two addresses are
changed, the token service's and the API's, exactly as our connector is pointed at the sandbox."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sp_api.api import ListingsItems
from sp_api.auth import AccessTokenClient
from sp_api.base import Marketplaces
from sp_api.util import throttle_retry

from bench.listings import bench_products
from haat_connectors.adapters.marketplaces.amazon_mapping import INDIA, listing_body
from haat_connectors.demo import demo_credentials
from haat_testkit.connectors import running_sandboxes

CLF = "clf-peer"


def sp_api_loop(products: int, quota_scale: float, progress: Callable[[str], None]) -> tuple[float, int]:
    """(listings per second, 429s the sandbox served) for `products` listings put one after another."""
    seller, credentials = demo_credentials("amazon", CLF)
    with running_sandboxes(quota_scale=quota_scale) as sandboxes:
        sandboxes.control("amazon", "PUT", f"/sellers/{seller}", {"seller_id": seller, **credentials})
        host = sandboxes.amazon_url.removeprefix("http://")

        class SandboxToken(AccessTokenClient):
            scheme = "http://"

        SandboxToken.host = host
        client = ListingsItems(
            marketplace=Marketplaces.IN, auth_token_client_class=SandboxToken,
            refresh_token=credentials["refresh_token"],
            credentials={"lwa_app_id": credentials["client_id"], "lwa_client_secret": credentials["client_secret"]},
        )  # fmt: skip
        client.endpoint = sandboxes.amazon_url

        @throttle_retry()
        def put(sku: str, body: dict[str, Any]) -> Any:
            return client.put_listings_item(sellerId=seller, sku=sku, marketplaceIds=[INDIA], body=body)

        started = time.monotonic()
        for n, product in enumerate(bench_products(products), start=1):
            answer = put(product.sku, listing_body(product.model_dump(mode="json"), 5, ""))
            if answer.payload.get("status") != "ACCEPTED":
                raise RuntimeError(f"the sandbox did not accept {product.sku}: {answer.payload}")
            if n % 200 == 0:
                progress(f"  python-amazon-sp-api: {n:,}/{products:,}")
        took = time.monotonic() - started
        throttled = sandboxes.stats("amazon")["429"]
    return products / took, throttled
