"""Haat ↔ Amazon (SP-API) shapes, kept in one module so that a correction is one edit."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from haat_connectors.adapters.marketplaces.money import paise, rupees
from haat_connectors.adapters.marketplaces.product_types import product_type
from haat_connectors.domain.marketplace_order import Address, FetchedOrder, OrderLine, Status, order_key

INDIA = "A21TJRUUN4KGV"
ORDER_STATUS: dict[str, Status] = {
    "Pending": "open", "Unshipped": "open", "PartiallyShipped": "open", "PendingAvailability": "open",
    "InvoiceUnconfirmed": "open", "Shipped": "shipped", "Canceled": "cancelled", "Unfulfillable": "cancelled",
}  # fmt: skip


def _text(value: str, language: str) -> dict[str, Any]:
    return {"value": value, "language_tag": language, "marketplace_id": INDIA}


def availability(quantity: int) -> list[dict[str, Any]]:
    return [{"fulfillment_channel_code": "DEFAULT", "quantity": max(0, quantity), "marketplace_id": INDIA}]


def listing_body(product: dict[str, Any], quantity: int, image_base_url: str) -> dict[str, Any]:
    """A putListingsItem body (requirements LISTING: product facts and the offer) for a Haat product."""
    title_en, title_hi = product.get("title_en"), product.get("title_hi")
    names = [_text(t, lang) for t, lang in ((title_en, "en_IN"), (title_hi, "hi_IN")) if t]
    descriptions = [
        _text(d, lang)
        for d, lang in ((product.get("description_en"), "en_IN"), (product.get("description_hi"), "hi_IN"))
        if d
    ]
    images = [u if u.startswith("http") else f"{image_base_url.rstrip('/')}{u}" for u in product.get("image_urls", [])]
    attributes: dict[str, Any] = {
        "item_name": names,
        "brand": [_text(product.get("brand") or "SHG Haat", "en_IN")],
        # SHG products carry no GTIN: Amazon's exemption for handmade and own-brand goods.
        "supplier_declared_has_product_identifier_exemption": [{"value": True, "marketplace_id": INDIA}],
        "condition_type": [{"value": "new_new", "marketplace_id": INDIA}],
        "country_of_origin": [{"value": product.get("country_of_origin", "IN"), "marketplace_id": INDIA}],
        "external_product_information": [{"entity": "HSN Code", "value": product["hsn_code"], "marketplace_id": INDIA}],
        "purchasable_offer": [{
            "marketplace_id": INDIA, "currency": "INR",
            "our_price": [{"schedule": [{"value_with_tax": rupees(product["price_paise"])}]}],
            "maximum_retail_price": [{"schedule": [{"value_with_tax": rupees(product["mrp_paise"])}]}],
        }],
        "fulfillment_availability": availability(quantity),
    }  # fmt: skip
    if descriptions:
        attributes["product_description"] = descriptions
    if images:
        attributes["main_product_image_locator"] = [{"media_location": images[0], "marketplace_id": INDIA}]
        for n, url in enumerate(images[1:8], start=1):
            attributes[f"other_product_image_locator_{n}"] = [{"media_location": url, "marketplace_id": INDIA}]
    if product.get("weight_grams"):
        attributes["item_package_weight"] = [
            {"value": product["weight_grams"], "unit": "grams", "marketplace_id": INDIA}
        ]
    product_type = amazon_product_type(product)
    return {"productType": product_type, "requirements": "LISTING", "attributes": attributes}


def listing_status(summary_status: list[str], issues: list[dict[str, Any]]) -> Literal["pending", "live", "rejected"]:
    if any(issue.get("severity") == "ERROR" for issue in issues):
        return "rejected"
    if {"BUYABLE", "DISCOVERABLE"} & set(summary_status):
        return "live"
    return "pending"


def issues_of(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "code": str(i.get("code", "")),
            "message": str(i.get("message", "")),
            "severity": i.get("severity", "ERROR").lower(),
        }
        for i in raw
    ]


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def order_from(order: dict[str, Any], items: list[dict[str, Any]], account_id: str, clf_id: str) -> FetchedOrder:
    address = order.get("ShippingAddress") or {}
    lines = []
    for item in items:
        quantity = int(item.get("QuantityOrdered") or 0)
        if quantity <= 0:
            continue
        gross = paise((item.get("ItemPrice") or {}).get("Amount"))
        lines.append(OrderLine(
            sku=item.get("SellerSKU") or item["ASIN"], quantity=quantity, unit_price_paise=gross // quantity,
            tax_paise=paise((item.get("ItemTax") or {}).get("Amount")), marketplace_item_id=item["OrderItemId"],
            title=item.get("Title", ""),
        ))  # fmt: skip
    purchased = _time(order["PurchaseDate"])
    updated = _time(order["LastUpdateDate"])
    if purchased is None or updated is None:
        raise ValueError("an Amazon order without PurchaseDate or LastUpdateDate")
    return FetchedOrder(
        order_key=order_key("amazon", order["AmazonOrderId"]), channel="amazon",
        marketplace_order_id=order["AmazonOrderId"], seller_account_id=account_id, clf_id=clf_id,
        status=ORDER_STATUS.get(order["OrderStatus"], "open"),
        marketplace_status=order["OrderStatus"], purchased_at=purchased, marketplace_updated_at=updated,
        ship_by=_time(order.get("LatestShipDate")), deliver_by=_time(order.get("LatestDeliveryDate")),
        shipping_address=Address(
            city=address.get("City", ""), state=address.get("StateOrRegion", ""),
            postal_code=address.get("PostalCode", ""), country=address.get("CountryCode", "IN"),
        ),
        items=lines, raw={"order": order, "items": items},
    )  # fmt: skip


def amazon_product_type(product: dict[str, Any]) -> str:
    return product_type("amazon", product.get("category"))
