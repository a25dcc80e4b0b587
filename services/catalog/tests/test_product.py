from datetime import UTC, datetime

import pytest

from haat_catalog.domain.product import IllegalTransition, InvalidProduct, Product

pytestmark = pytest.mark.fast

GOOD = {
    "sku": "HALDI-200",
    "clf_id": "clf-1",
    "title_hi": "हल्दी",
    "category": "spices",
    "hsn_code": "091030",
    "gst_rate_bp": 500,
    "mrp_paise": 12000,
    "price_paise": 9900,
    "fssai_licence": "10020051000123",
    "shelf_life_days": 365,
    "weight_grams": 230,
    "length_mm": 120,
    "width_mm": 80,
    "height_mm": 40,
}
NOW = datetime(2026, 11, 24, tzinfo=UTC)


def test_a_valid_product_starts_as_a_draft_and_moves_through_the_workflow():
    product = Product(**GOOD)
    assert product.status == "draft"
    product.submit("didi", NOW)
    product.approve("reviewer", NOW)
    product.publish("didi", NOW)
    assert product.sellable
    assert [(h["from"], h["to"], h["by"]) for h in product.history] == [
        ("draft", "submitted", "didi"),
        ("submitted", "approved", "reviewer"),
        ("approved", "published", "didi"),
    ]
    with pytest.raises(IllegalTransition, match="cannot submit a product that is published"):
        product.submit("didi", NOW)


def test_rejection_needs_a_reason_and_an_edit_makes_it_a_draft_again():
    product = Product(**GOOD)
    product.submit("didi", NOW)
    with pytest.raises(InvalidProduct):
        product.reject("reviewer", NOW, "  ")
    product.reject("reviewer", NOW, "label missing")
    assert product.status == "rejected"
    assert product.edit({"title_en": "Turmeric"}, "didi", NOW) == ["title_en"]
    assert product.status == "draft"


def test_an_invalid_edit_changes_nothing():
    product = Product(**GOOD)
    with pytest.raises(InvalidProduct, match="cannot exceed"):
        product.edit({"price_paise": 20000, "title_en": "Turmeric"}, "didi", NOW)
    assert (product.price_paise, product.title_en) == (9900, None)
    with pytest.raises(InvalidProduct, match="cannot be edited"):
        product.edit({"status": "published"}, "didi", NOW)


def test_what_shipping_needs_is_asked_before_review_not_found_at_publish():
    product = Product(**{**GOOD, "height_mm": None, "weight_grams": None})  # a draft may lack them
    with pytest.raises(InvalidProduct) as refused:
        product.submit("didi", NOW)
    assert set(refused.value.problems) == {"height_mm", "weight_grams"}  # the fields that are missing
    assert {p.code for p in refused.value.codes.values()} == {"needed_to_ship"}
    assert product.status == "draft"
    product.edit({"height_mm": 40, "weight_grams": 230}, "didi", NOW)
    product.submit("didi", NOW)
    product.approve("reviewer", NOW)
    product.publish("didi", NOW)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hsn_code": "12345"}, "hsn_code"),
        ({"hsn_code": "12AB"}, "hsn_code"),
        ({"gst_rate_bp": 1300}, "gst_rate_bp"),
        ({"price_paise": 12001}, "price_paise"),
        ({"price_paise": 0}, "price_paise"),
        ({"title_hi": None, "title_en": None}, "title_en"),
        ({"fssai_licence": None}, "fssai_licence"),
        ({"fssai_licence": "12345"}, "fssai_licence"),
        ({"shelf_life_days": None}, "shelf_life_days"),
        ({"weight_grams": -5}, "weight_grams"),
    ],
)
def test_invalid_products_are_refused_naming_the_field(change, field):
    with pytest.raises(InvalidProduct) as error:
        Product(**{**GOOD, **change})
    assert set(error.value.problems) == {field}


def test_non_food_needs_no_fssai_licence():
    Product(**{**GOOD, "category": "handloom", "fssai_licence": None, "shelf_life_days": None})


def test_each_move_is_recorded_as_a_domain_event_and_taken_once():
    from datetime import UTC, datetime

    now = datetime(2026, 12, 3, tzinfo=UTC)
    product = Product(**{**GOOD, "weight_grams": 250, "length_mm": 100, "width_mm": 80, "height_mm": 60})
    product.submit("didi", now)
    product.reject("reviewer", now, "photo is blurred")
    product.edit({"title_en": "Mango pickle, 250 g"}, "didi", now)  # back to draft: nobody lists it, no news
    assert [(e.kind, e.reason) for e in product.take_events()] == [("submitted", ""), ("rejected", "photo is blurred")]
    assert product.take_events() == []
    for move in (product.submit, product.approve):
        move("reviewer", now)
    product.edit({"price_paise": GOOD["price_paise"] - 100}, "didi", now)
    product.photos_changed()
    kinds = [(e.kind, e.changed) for e in product.take_events()]
    assert kinds == [("submitted", ()), ("approved", ()), ("updated", ("price_paise",)), ("updated", ("images",))]
