from datetime import UTC, datetime

import pytest

from haat_catalog.domain.product import InvalidProduct, Product

GOOD = {
    "sku": "HALDI-200",
    "clf_id": "clf-1",
    "title_hi": "हल्दी",
    "hsn_code": "091030",
    "gst_rate_bp": 500,
    "mrp_paise": 12000,
    "price_paise": 9900,
}


def test_a_valid_product_starts_as_a_draft_and_can_be_submitted_once():
    product = Product(**GOOD)
    assert product.status == "draft"
    product.submit(datetime.now(UTC))
    assert product.status == "submitted"
    with pytest.raises(InvalidProduct, match="only a draft"):
        product.submit(datetime.now(UTC))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hsn_code": "12345"}, "HSN code"),
        ({"hsn_code": "12AB"}, "HSN code"),
        ({"gst_rate_bp": 1300}, "not a GST slab"),
        ({"price_paise": 12001}, "cannot exceed MRP"),
        ({"price_paise": 0}, "positive"),
        ({"title_hi": None, "title_en": None}, "title"),
    ],
)
def test_invalid_products_are_refused_with_the_reason(change, message):
    with pytest.raises(InvalidProduct, match=message):
        Product(**{**GOOD, **change})


def test_all_problems_are_reported_at_once():
    with pytest.raises(InvalidProduct) as error:
        Product(**{**GOOD, "hsn_code": "1", "gst_rate_bp": 7})
    assert "HSN" in str(error.value)
    assert "GST" in str(error.value)
