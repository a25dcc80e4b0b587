"""The catalog's use cases and event handlers on the in-memory unit of work (the fast tier: `make test-fast`).
The same flows run on PostgreSQL in test_registry_api, test_products_api and test_stock."""

import pytest

from haat.errors import Conflict, Invalid, NotAllowed, NotFound
from haat.events import orders as order_events
from haat.events.envelope import new_event
from haat_catalog.demo import GEOGRAPHY
from haat_catalog.service_layer import products, registry, stock
from haat_testkit.catalog_factories import product_fields
from haat_testkit.fake_catalog import ADMIN, DIDI, HOUSE, OTHER_DIDI, FakeCatalogUnitOfWork, kinds, registered

pytestmark = pytest.mark.fast


def test_registering_a_clf_tells_orders_its_state_and_district():
    uow = FakeCatalogUnitOfWork()
    for unit in GEOGRAPHY:
        registry.create_geo_unit(uow, ADMIN, dict(unit))
    with pytest.raises(NotAllowed):
        registry.create_clf(uow, DIDI, {"name": "Mine", "block_code": "1260"})
    registry.create_clf(uow, ADMIN, {"id": "clf-kanti", "name": "Kanti CLF", "block_code": "1260"})
    (event,) = uow.emitted
    assert (event.data["state_name"], event.data["district_name"]) == ("Bihar", "Muzaffarpur")
    with pytest.raises(Conflict):
        registry.create_clf(uow, ADMIN, {"id": "clf-kanti", "name": "Again", "block_code": "1260"})
    with pytest.raises(Invalid, match="block"):
        registry.create_clf(uow, ADMIN, {"name": "Nowhere", "block_code": "999999"})


def test_a_clfs_gstin_and_address_can_be_set_later_and_a_mistyped_gstin_is_refused():
    uow = registered()
    with pytest.raises(NotAllowed):
        registry.update_clf(uow, DIDI, "clf-kanti", {"gstin": "10AABCB1334K1ZB"})
    for wrong, code in (("10AABCB1334K1ZC", "gstin_check"), ("27AAPFU0939F1ZV", "gstin_state")):
        with pytest.raises(Invalid) as refused:
            registry.update_clf(uow, ADMIN, "clf-kanti", {"gstin": wrong})
        assert refused.value.extensions["errors"][0]["code"] == code
    assert uow.emitted == []  # nothing was changed or announced
    updated = registry.update_clf(uow, ADMIN, "clf-kanti", {"gstin": "10AABCB1334K1ZB", "address": "Block office",
                                                            "pincode": "843109"})  # fmt: skip
    assert (updated.gstin, updated.address) == ("10AABCB1334K1ZB", "Block office")
    (event,) = uow.emitted
    assert event.type == "haat.catalog.clf.updated.v1"
    assert (event.data["gstin"], event.data["state_name"], event.data["pincode"]) == ("10AABCB1334K1ZB", "Bihar",
                                                                                      "843109")  # fmt: skip


def test_a_rejected_product_can_be_fixed_and_resubmitted_then_sold():
    uow = registered()
    fields = product_fields(clf_id="clf-kanti", shg_ids=["shg-laxmi"])
    products.create_product(uow, DIDI, fields, submit=True)
    with pytest.raises(NotAllowed):
        products.transition(uow, DIDI, "KHES-DOUBLE", None, "approve")  # only the reviewers approve
    products.transition(uow, ADMIN, "KHES-DOUBLE", "clf-kanti", "reject", "the photo is blurred")
    products.edit_product(uow, DIDI, "KHES-DOUBLE", None, {"title_en": "Handloom cotton khes, double"})
    assert uow.products.get("clf-kanti", "KHES-DOUBLE").status == "draft"  # fixed: back to draft
    for caller, action in ((DIDI, "submit"), (ADMIN, "approve"), (DIDI, "publish")):
        products.transition(uow, caller, "KHES-DOUBLE", None, action)
    products.edit_product(uow, DIDI, "KHES-DOUBLE", None, {"price_paise": 139900})
    assert kinds(uow) == ["product.submitted", "product.rejected", "product.submitted", "product.approved",
                          "product.published", "product.updated"]  # fmt: skip
    assert uow.emitted[1].data["reason"] == "the photo is blurred"
    assert uow.emitted[-1].data["changed"] == ["price_paise"]
    assert uow.emitted[-1].data["brand"] == "Laxmi SHG"  # one SHG made it: her group is the brand
    with pytest.raises(NotFound):
        products.edit_product(uow, OTHER_DIDI, "KHES-DOUBLE", None, {"price_paise": 1})


def test_a_product_for_an_shg_of_another_clf_is_refused():
    uow = registered()
    with pytest.raises(Invalid, match="shg-elsewhere"):
        products.create_product(uow, DIDI, product_fields(clf_id="clf-kanti", shg_ids=["shg-elsewhere"]))


def test_a_coordinator_records_goods_only_at_her_own_blocks_packaging_houses():
    uow = registered()
    products.create_product(uow, DIDI, product_fields(clf_id="clf-kanti", shg_ids=["shg-laxmi"]))
    far = {"id": "ph-far", "name": "Bodh Gaya house", "block_code": "1334"}  # another block than Kanti's 1260
    registry.create_packaging_house(uow, ADMIN, far)
    with pytest.raises(NotAllowed) as refused:
        stock.change_stock(uow, DIDI, "KHES-DOUBLE", None, "ph-far", "receipt", 5, "")
    assert refused.value.code == "house_of_another_block"
    assert stock.change_stock(uow, DIDI, "KHES-DOUBLE", None, HOUSE, "receipt", 5, "").on_hand == 5
    assert stock.change_stock(uow, ADMIN, "KHES-DOUBLE", "clf-kanti", "ph-far", "receipt", 1, "").on_hand == 1


def test_a_receipt_with_an_idempotency_key_moves_stock_once():
    uow = registered()
    products.create_product(uow, DIDI, product_fields(clf_id="clf-kanti"))
    for _ in range(2):  # the answer was lost, the phone sends it again
        stock.change_stock(uow, DIDI, "KHES-DOUBLE", None, HOUSE, "receipt", 12, "", request_key="k-1")
    assert uow.stock.available_total("clf-kanti", "KHES-DOUBLE") == 12
    assert [e.data["available_total"] for e in uow.emitted] == [12]
    with pytest.raises(Invalid, match="Idempotency-Key"):
        stock.change_stock(uow, DIDI, "KHES-DOUBLE", None, HOUSE, "receipt", 5, "", request_key="k-1")


def order(model, lines: dict[str, int], **extra):
    items = [order_events.OrderLine(sku=sku, quantity=q) for sku, q in lines.items()]
    data = model(order_id="amazon-1", clf_id="clf-kanti", channel="amazon", items=items, **extra)
    return new_event(data, service="orders")


def test_an_order_reserves_all_or_nothing_and_its_end_settles_the_stock():
    uow = registered()
    products.create_product(uow, DIDI, product_fields(clf_id="clf-kanti"))
    products.create_product(uow, DIDI, product_fields(clf_id="clf-kanti", sku="HALDI-200"))
    stock.change_stock(uow, DIDI, "KHES-DOUBLE", None, HOUSE, "receipt", 3, "")
    uow.emitted.clear()
    stock.on_order_created(uow, order(order_events.OrderCreatedV1, {"KHES-DOUBLE": 2, "HALDI-200": 1}))
    (failed,) = uow.emitted  # no turmeric in stock: nothing is reserved, the shortfall is reported
    assert failed.type.endswith("stock.reservation_failed.v1")
    assert failed.data["shortfalls"] == [{"sku": "HALDI-200", "requested": 1, "available": 0}]
    assert uow.stock.available_total("clf-kanti", "KHES-DOUBLE") == 3
    uow.emitted.clear()
    stock.on_order_created(uow, order(order_events.OrderCreatedV1, {"KHES-DOUBLE": 2}))
    assert [e.data["available_total"] for e in uow.emitted] == [1]
    stock.on_order_shipped(uow, order(order_events.OrderShippedV1, {"KHES-DOUBLE": 2}, carrier="Post", tracking_id="T"))
    stock.on_order_shipped(uow, order(order_events.OrderShippedV1, {"KHES-DOUBLE": 2}, carrier="Post", tracking_id="T"))
    assert uow.stock.levels("clf-kanti", "KHES-DOUBLE")[0].on_hand == 1  # shipped once, however often told
    stock.on_order_returned(uow, order(order_events.OrderReturnedV1, {"KHES-DOUBLE": 2}, restocked=True))
    assert uow.stock.available_total("clf-kanti", "KHES-DOUBLE") == 3
    with pytest.raises(Conflict, match="only 3"):
        stock.change_stock(uow, DIDI, "KHES-DOUBLE", None, HOUSE, "adjustment", -4, "flood damage")


def test_a_clf_that_chose_so_has_its_products_published_on_approval():
    uow = registered()
    with pytest.raises(NotAllowed):
        registry.update_clf(uow, DIDI, "clf-kanti", {"gstin": "10AABCB1334K1ZB", "publish_on_approval": True})
    with pytest.raises(NotFound):
        registry.update_clf(uow, OTHER_DIDI, "clf-kanti", {"publish_on_approval": True})
    assert registry.update_clf(uow, DIDI, "clf-kanti", {"publish_on_approval": True}).publish_on_approval
    products.create_product(uow, DIDI, product_fields(clf_id="clf-kanti", shg_ids=["shg-laxmi"]), submit=True)
    products.transition(uow, ADMIN, "KHES-DOUBLE", "clf-kanti", "approve")
    assert uow.products.get("clf-kanti", "KHES-DOUBLE").status == "published"
    assert kinds(uow)[-2:] == ["product.approved", "product.published"]
