"""Haat ↔ Flipkart (Marketplace Seller API v3) shapes. Flipkart publishes no machine-readable spec, so this
one module holds every field name the connector relies on: a correction is one edit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from haat_connectors.adapters.marketplaces.money import paise, rupees
from haat_connectors.domain.marketplace_order import Address, FetchedOrder, OrderLine, Status, order_key

ITEM_STATUS: dict[str, Status] = {
    "APPROVED": "open", "PACKING_IN_PROGRESS": "open", "FORM_FAILED": "open", "PACKED": "open",
    "READY_TO_DISPATCH": "open", "PICKUP_COMPLETE": "shipped", "SHIPPED": "shipped", "DELIVERED": "delivered",
    "CANCELLED": "cancelled", "RETURN_REQUESTED": "return_requested", "RETURNED": "returned",
}  # fmt: skip
SHIPMENT_TYPES = ("preDispatch", "postDispatch", "cancelled")


def tax_code(gst_rate_bp: int) -> str:
    return f"GST_{gst_rate_bp // 100}" if gst_rate_bp % 100 == 0 else f"GST_{gst_rate_bp / 100:g}"


def listing(product: dict[str, Any], quantity: int, location_id: str, image_base_url: str) -> dict[str, Any]:
    images = [u if u.startswith("http") else f"{image_base_url.rstrip('/')}{u}" for u in product.get("image_urls", [])]
    weight_kg = (product.get("weight_grams") or 500) / 1000
    dimensions = {
        "length": (product.get("length_mm") or 100) / 10,
        "breadth": (product.get("width_mm") or 100) / 10,
        "height": (product.get("height_mm") or 100) / 10,
    }
    return {
        "product_id": product["sku"],
        "title": product.get("title_en") or product.get("title_hi") or product["sku"],
        "images": images,
        "price": {"mrp": rupees(product["mrp_paise"]), "selling_price": rupees(product["price_paise"]),
                  "currency": "INR"},
        "tax": {"hsn": product["hsn_code"], "tax_code": tax_code(product["gst_rate_bp"])},
        "listing_status": "ACTIVE",
        "shipping_fees": {"local": 0, "zonal": 0, "national": 0},
        "fulfillment_profile": "NON_FBF",
        "fulfillment": {"dispatch_sla": 1, "shipping_provider": "FLIPKART", "procurement_type": "REGULAR"},
        "packages": [{"name": "package-1", "dimensions": dimensions, "weight": weight_kg,
                      "description": "", "handling": {"fragile": False}}],
        "locations": [{"id": location_id, "status": "ENABLE", "inventory": max(0, quantity)}],
    }  # fmt: skip


def packed_packages(package: dict[str, Any]) -> list[dict[str, Any]]:
    """The parcel as the packer measured it (grams and centimetres) in Flipkart's sub-shipment shape."""
    dimensions = {"length": package["length_cm"], "breadth": package["width_cm"], "height": package["height_cm"]}
    return [
        {"subShipmentId": "SS1", "packages": [{"weight": package["weight_grams"] / 1000, "dimensions": dimensions}]}
    ]


def inventory(sku: str, quantity: int, location_id: str) -> dict[str, Any]:
    return {"product_id": sku, "locations": [{"id": location_id, "status": "ENABLE", "inventory": max(0, quantity)}]}


def issues_of(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"code": str(e.get("code", "")), "message": str(e.get("description", "")),
         "severity": str(e.get("severity", "ERROR")).lower()}
        for e in errors
    ]  # fmt: skip


def order_from(shipment: dict[str, Any], account_id: str, clf_id: str) -> FetchedOrder:
    items = shipment["orderItems"]
    first = items[0]
    address = shipment.get("deliveryAddress") or {}
    lines = [
        OrderLine(
            sku=i["sku"], quantity=int(i["quantity"]), unit_price_paise=paise(i["priceComponents"]["sellingPrice"]),
            marketplace_item_id=str(i["orderItemId"]), title=i.get("title", ""),
        )
        for i in items
    ]  # fmt: skip
    marketplace_order_id = str(first["orderId"])
    return FetchedOrder(
        order_key=order_key("flipkart", marketplace_order_id), channel="flipkart",
        marketplace_order_id=marketplace_order_id, seller_account_id=account_id, clf_id=clf_id,
        status=ITEM_STATUS.get(first["status"], "open"),
        marketplace_status=first["status"], purchased_at=datetime.fromisoformat(first["orderDate"]),
        marketplace_updated_at=datetime.fromisoformat(shipment["updatedAt"]),
        ship_by=datetime.fromisoformat(shipment["dispatchByDate"]) if shipment.get("dispatchByDate") else None,
        shipping_address=Address(
            city=address.get("city", ""), state=address.get("state", ""), postal_code=address.get("pincode", ""),
        ),
        items=lines, raw={"shipment": shipment},
    )  # fmt: skip
