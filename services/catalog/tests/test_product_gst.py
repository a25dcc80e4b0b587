"""A product's GST follows its HSN code through the dated rate table; what would be wrong in law stops it
at submit, approval and publish, with a code the pages say in Hindi or English."""

from datetime import UTC, datetime

import pytest

from haat import problem_texts
from haat.errors import Conflict, Invalid
from haat_catalog.domain.product import InvalidProduct, Product
from haat_catalog.service_layer import products
from haat_testkit.catalog_factories import product_fields

from .test_use_cases_fast import ADMIN, DIDI, registered

pytestmark = pytest.mark.fast
TODAY = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


def pickle(**changes):
    fields = product_fields(clf_id="clf-kanti", shg_ids=["shg-laxmi"], sku="AAM-ACHAR-500G", category="pickles",
                            hsn_code="20019000", fssai_licence="10020051000123", shelf_life_days=365,
                            mrp_paise=25000, price_paise=22000)  # fmt: skip
    fields.pop("gst_rate_bp")
    return {**fields, **changes}


def refusal_code(raised: pytest.ExceptionInfo) -> str:
    (error,) = raised.value.extensions["errors"]
    return error["code"]


def test_a_product_entered_without_a_rate_gets_the_rate_of_its_hsn_code():
    uow = registered()
    made = products.create_product(uow, DIDI, pickle(), submit=True)
    assert made.gst_rate_bp == 500  # pickles: 5% since 22 Sep 2025 (12% before)
    assert made.gst_check["status"] == "ok"
    assert uow.emitted[-1].data["gst_rate_bp"] == 500


def test_zero_percent_for_a_taxable_code_stops_at_submit_unless_exempt_with_a_reason():
    uow = registered()
    products.create_product(uow, DIDI, pickle(gst_rate_bp=0))
    with pytest.raises(Invalid) as raised:
        products.transition(uow, DIDI, "AAM-ACHAR-500G", None, "submit")
    assert refusal_code(raised) == "gst_zero_for_taxable"
    (error,) = raised.value.extensions["errors"]
    hindi = problem_texts.say(error["code"], "hi", error["params"])
    assert hindi is not None
    assert "20019000" in hindi
    assert "5%" in hindi
    assert "HSN" not in hindi  # said in Hindi, not English
    products.edit_product(uow, DIDI, "AAM-ACHAR-500G", None, {"gst_exempt_reason": "sold by a nil-rated scheme"})
    products.transition(uow, DIDI, "AAM-ACHAR-500G", None, "submit")
    product = uow.products.get("clf-kanti", "AAM-ACHAR-500G")
    assert (product.status, product.gst_rate_bp, product.gst_check["status"]) == ("submitted", 0, "exempt")


def test_an_exempt_product_cannot_carry_a_rate():
    with pytest.raises(InvalidProduct) as raised:
        Product(**{**pickle(), "gst_rate_bp": 500, "gst_exempt_reason": "nil rated"})
    assert raised.value.codes["gst_exempt_reason"].code == "gst_exempt_has_rate"


def test_the_old_twelve_percent_stops_at_submit_approval_and_publish():
    product = Product(**pickle(gst_rate_bp=1200))
    with pytest.raises(InvalidProduct) as raised:
        product.submit("didi", TODAY)
    assert raised.value.codes["gst_rate_bp"].code == "gst_rate_not_a_slab"
    assert raised.value.codes["gst_rate_bp"].params["expected"] == ["5%"]
    product.submit("didi", datetime(2025, 9, 21, 12, tzinfo=UTC))  # the day before, 12% was the law
    with pytest.raises(InvalidProduct):
        product.approve("reviewer", TODAY)


def test_a_rate_the_table_does_not_give_is_flagged_for_the_reviewer_not_stopped():
    uow = registered()
    products.create_product(uow, DIDI, pickle(gst_rate_bp=1800), submit=True)
    product = uow.products.get("clf-kanti", "AAM-ACHAR-500G")
    assert product.gst_check == {"status": "mismatch", "expected_bp": [500], "source": "9/2025-CT(Rate) Sch. I",
                                 "problem": None}  # fmt: skip
    unknown = products.create_product(uow, DIDI, pickle(sku="PATTAL-50", hsn_code="48236900", gst_rate_bp=500,
                                                         category="household"))  # fmt: skip
    assert unknown.gst_check["status"] == "unknown_code"


def test_a_code_with_two_entries_asks_which_and_an_unknown_code_asks_for_the_rate():
    uow = registered()
    with pytest.raises(Invalid) as raised:
        products.create_product(uow, DIDI, pickle(sku="SABUN-1", hsn_code="3401", category="household"))
    assert refusal_code(raised) == "gst_rate_choose"
    assert raised.value.extensions["errors"][0]["params"]["choices"] == ["5%", "18%"]
    with pytest.raises(Invalid) as raised:
        products.create_product(uow, DIDI, pickle(sku="X-1", hsn_code="84145110", category="household"))
    assert refusal_code(raised) == "gst_rate_unknown_code"


def test_a_new_hsn_code_or_price_brings_its_rate():
    uow = registered()
    products.create_product(uow, DIDI, pickle(sku="DUPATTA", hsn_code="62141010", category="handloom",
                                              fssai_licence=None, shelf_life_days=None, mrp_paise=300000,
                                              price_paise=240000))  # fmt: skip
    assert uow.products.get("clf-kanti", "DUPATTA").gst_rate_bp == 500  # ₹2,400 a piece
    products.edit_product(uow, DIDI, "DUPATTA", None, {"price_paise": 280000})
    assert uow.products.get("clf-kanti", "DUPATTA").gst_rate_bp == 1800  # a piece worth above ₹2,500
    products.edit_product(uow, DIDI, "DUPATTA", None, {"hsn_code": "9701"})
    assert uow.products.get("clf-kanti", "DUPATTA").gst_rate_bp == 500


def test_a_rejected_product_can_be_sent_again_as_it_is_or_after_saving_it_unchanged():
    uow = registered()
    products.create_product(uow, DIDI, pickle(), submit=True)
    products.transition(uow, ADMIN, "AAM-ACHAR-500G", None, "reject", "the photo is blurred")
    products.transition(uow, DIDI, "AAM-ACHAR-500G", None, "submit")  # a new photo was the fix
    products.transition(uow, ADMIN, "AAM-ACHAR-500G", None, "reject", "still blurred")
    products.edit_product(uow, DIDI, "AAM-ACHAR-500G", None, {"title_en": pickle()["title_en"]})  # saved as is
    assert uow.products.get("clf-kanti", "AAM-ACHAR-500G").status == "draft"
    products.transition(uow, DIDI, "AAM-ACHAR-500G", None, "submit")
    assert uow.products.get("clf-kanti", "AAM-ACHAR-500G").status == "submitted"


def test_an_edit_asking_for_the_tables_rate_gets_it_or_is_told_why_not():
    uow = registered()
    products.create_product(uow, DIDI, pickle(gst_rate_bp=0))
    products.edit_product(uow, DIDI, "AAM-ACHAR-500G", None, {"gst_rate_bp": None})
    assert uow.products.get("clf-kanti", "AAM-ACHAR-500G").gst_rate_bp == 500
    with pytest.raises(Invalid) as raised:
        products.edit_product(uow, DIDI, "AAM-ACHAR-500G", None, {"hsn_code": "3401", "gst_rate_bp": None})
    assert refusal_code(raised) == "gst_rate_choose"
    assert uow.products.get("clf-kanti", "AAM-ACHAR-500G").hsn_code == "20019000"  # nothing changed


def test_every_demo_product_gets_a_lawful_rate():
    """`make run` seeds these: a rate the table cannot fill in would stop it at the first product."""
    from haat_catalog.demo import TEMPLATES

    for stem, category, hsn, gst, en, _hi, sizes, extra in TEMPLATES:
        for mrp, price, grams in sizes.values():
            fields = {"sku": stem, "clf_id": "clf-kanti", "category": category, "hsn_code": hsn, "gst_rate_bp": gst,
                      "mrp_paise": mrp, "price_paise": price, "weight_grams": grams, "length_mm": 1, "width_mm": 1,
                      "height_mm": 1, "title_en": en, **extra}  # fmt: skip
            product = Product(**products.with_gst_rate(fields, TODAY))
            product.submit("seeder", TODAY)
            assert product.gst_check["problem"] is None, stem


def test_a_product_without_a_sku_gets_one_from_its_name():
    from haat_catalog.domain.sku import sku_from_name

    assert sku_from_name("Raw mango pickle, 500 g", "कच्चे आम का अचार") == "RAW-MANGO-PICKLE-500-G"
    assert sku_from_name(None, "नींबू का अचार") == "NIMBU-KA-ACAR"
    assert sku_from_name(None, "!!!") == "ITEM"
    uow = registered()
    first = products.create_product(uow, DIDI, pickle(sku=None, title_en=None, title_hi="नींबू का अचार"))
    again = products.create_product(uow, DIDI, pickle(sku=None, title_en=None, title_hi="नींबू का अचार"))
    assert (first.sku, again.sku) == ("NIMBU-KA-ACAR", "NIMBU-KA-ACAR-2")


def test_a_taken_sku_is_refused_or_when_asked_becomes_the_next_free_one():
    uow = registered()
    products.create_product(uow, DIDI, pickle())
    with pytest.raises(Conflict):
        products.create_product(uow, DIDI, pickle())
    again = products.create_product(uow, DIDI, pickle(), next_free_sku=True)
    assert again.sku == "AAM-ACHAR-500G-2"
