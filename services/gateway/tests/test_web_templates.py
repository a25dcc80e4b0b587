"""Every page template renders in Hindi and in English with realistic data, and every label it asks for
has both translations (a missing one would show its key to the person)."""

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from haat import gst_rates
from haat_gateway.service_layer.api_keys import Principal
from haat_gateway.web import i18n
from haat_gateway.web.render import templates

pytestmark = pytest.mark.fast

NOW = "2026-12-02T10:00:00+00:00"
PRODUCT = {
    "sku": "AAM-ACHAR-250G", "clf_id": "clf-kanti", "title_hi": "कच्चे आम का अचार", "title_en": "Raw mango pickle",
    "status": "published", "price_paise": 12900, "mrp_paise": 15000, "gst_rate_bp": 1200, "hsn_code": "2001",
    "gst_check": {"status": "mismatch", "expected_bp": [500], "source": "9/2025-CT(Rate) Sch. I",
                  "problem": "gst_rate_not_a_slab"},
    "category": "pickles", "shg_ids": ["shg-1"], "rejection_reason": None, "weight_grams": 300,
    "history": [{"at": NOW, "from": "approved", "to": "published", "by": "user:1", "note": ""}],
}  # fmt: skip
LISTING = {"sku": "AAM-ACHAR-250G", "clf_id": "clf-kanti", "channel": "amazon", "status": "rejected",
           "issues": [{"code": "90220", "message": "item_name is required"}], "pushed_quantity": 2}  # fmt: skip
ORDER = {
    "id": "amazon-402-1", "channel": "amazon", "state": "packed", "sla": "at_risk", "ship_by": NOW,
    "purchased_at": NOW, "buyer_city": "Patna", "buyer_state": "Bihar", "total_paise": 25800,
    "items": [{"sku": "AAM-ACHAR-250G", "title": "कच्चे आम का अचार", "quantity": 2, "unit_price_paise": 12900}],
    "lines": [{"sku": "AAM-ACHAR-250G", "title": "कच्चे आम का अचार", "quantity": 2}],
    "history": [{"at": NOW, "to_state": "packed", "actor": "rekha", "note": ""}],
    "countdown": {"overdue": False, "hours": 3, "minutes": 5, "at": NOW},
}  # fmt: skip
SALES = [{"group": "shg-1", "orders": 3, "gross_paise": 12345600, "net_paise": 11000000}]
ROW = SimpleNamespace(id="u1", username="kanti", role="coordinator", clf_id="clf-kanti",
                      packaging_house_id=None, disabled=False, prefix="haat_abcdef", label="web",
                      last_used_at=None, revoked_at=None, clf_ids=[])  # fmt: skip
ENDPOINT = SimpleNamespace(id="ep_1", url="https://partner.example/h", enabled=True, disabled_reason=None,
                           event_types=["haat.orders.order.created.v1"],
                           owner={"label": "bank", "role": "partner", "clf_ids": ["clf-kanti"]})  # fmt: skip
DELIVERY = SimpleNamespace(id="d1", created_at=NOW, event_type="haat.orders.order.created.v1", status="pending",
                           last_error="timeout", attempts=3, last_status_code=None, next_attempt_at=NOW)  # fmt: skip
FORM = {"categories": [{"key": "pickles", "name_en": "Pickles", "name_hi": "अचार"}], "shgs": [{"id": "shg-1",
        "name": "Durga SHG", "name_hi": "दुर्गा समूह"}], "hsn_codes": gst_rates.picker(date(2026, 12, 3)),
        "gst_rates": sorted(gst_rates.SLABS_SINCE_2_0)}  # fmt: skip
PAGES = {
    "login.html": {"next": "/", "error_key": "login_failed"},
    "message.html": {"message_key": "not_found", "detail": "no such product"},
    "home.html": {"drafts": [PRODUCT], "rejected": [{**PRODUCT, "rejection_reason": "blurry photo"}],
                  "bad_listings": [LISTING], "low_stock": [LISTING], "sla": [ORDER], "today": [ORDER],
                  "waiting": [PRODUCT], "approved": [PRODUCT]},
    "products.html": {"products": [PRODUCT], "badges": {("clf-kanti", "AAM-ACHAR-250G"): [LISTING]}, "q": "अचार",
                      "status": "", "channel_status": "", "statuses": ("draft", "published"), "next_cursor": "x"},
    "product_form.html": {"product": {"clf_id": "clf-kanti"}, "clfs": [], "errors": {"price": "not rupees"}, **FORM},
    "product.html": {"product": PRODUCT, "photos": [{"id": "img1"}], "listings": [LISTING],
                     "stock": {"houses": [{"packaging_house_id": "ph-kanti", "available": 12}]},
                     "houses": [{"id": "ph-kanti", "name": "Kanti"}], "errors": {}, "actions": ["retire"], **FORM,
                     "house_names": {"ph-kanti": "Kanti packaging house"}, "names": {"user:1": "Rekha Devi"},
                     "payouts": [{"channel": "flipkart", "net_paise": 1526}, {"channel": "amazon", "net_paise": 980}]},
    "import_form.html": {"errors": {"file": "not a spreadsheet"}, "clfs": []},
    "import_status.html": {"job": {"id": "j1", "filename": "p.csv", "status": "previewed", "progress_percent": 100,
                                   "preview": {"created": ["A"], "updated": ["B"], "live": ["C"], "unchanged": [],
                                               "bad": [3]},
                                   "processed_rows": 2, "total_rows": 2, "created_rows": 1, "updated_rows": 0,
                                   "failed_rows": 1, "errors": [{"row": 3, "column": "hsn_code", "message": "bad",
                                                                 "value": "12"}]}},
    "registry.html": {"clfs": [], "clf_id": "clf-kanti", "errors": {},
                      "shgs": [({"id": "shg-1", "name": "Durga", "name_hi": "दुर्गा", "village": "Kanti"},
                                [{"name": "Sita", "role": "producer", "phone": "9876543210"}])]},
    "approvals.html": {"products": [PRODUCT], "next_cursor": None, "clf_names": {"clf-kanti": "कांटी संकुल संघ"}},
    "queue.html": {"orders": [ORDER], "channel": "", "state": "", "sla": "", "channels": ("amazon",), "flash": "",
                   "states": ("created", "packed")},
    "order.html": {"order": ORDER, "actions": ["ship", "cancel"], "countdown": ORDER["countdown"], "errors": {},
                   "problem": "", "names": {"rekha": "Rekha Devi"}, "channels_with_labels": ("flipkart",)},
    "sales.html": {"rows": SALES, "group_by": "shg", "groups": ("shg", "month", "product")},
    "settlements.html": {"settlements": [
        {"id": "s1", "shg_id": "shg-1", "shg_name": "Durga SHG", "period_start": "2026-11-01T04:00:00+00:00",
         "period_end": NOW, "gross_paise": 100, "net_paise": 90, "paid_at": None, "has_bank_details": False},
        {"id": "s2", "shg_id": "shg-2", "shg_name": "Laxmi SHG", "period_end": NOW, "gross_paise": 0,
         "net_paise": 0, "paid_at": None, "has_bank_details": True},
    ]},
    "settlement.html": {"settlement": {"id": "s1", "shg_id": "shg-1", "period_end": NOW, "gross_paise": 100,
                                       "net_paise": 90, "paid_at": None, "items": [{"order_id": "o", "sku": "s",
                                       "gross_paise": 100, "fee_paise": 10, "net_paise": 90}]}},
    "admin_clfs.html": {"clfs": [{"id": "clf-kanti", "name": "Kanti", "name_hi": "कांटी", "gstin": None,
                                  "district_code": "210"}],
                        "accounts": {"clf-kanti": [{"id": "a1", "channel": "amazon", "seller_id": "A1", "enabled": True,
                                                    "sync": {"percent": 50.0, "in_sync": 5, "total": 10}}]},
                        "problems": {"clf-kanti": "this GSTIN's last character does not match"}, "saved": "",
                        "place_names": {"210": "Muzaffarpur"}, "credential_fields": {"amazon": ("client_id",)},
                        "blocks": [{"code": "1260", "name_en": "Kanti", "name_hi": "कांटी"}]},
    "admin_access.html": {"users": [ROW], "keys": [ROW], "houses": [], "clfs": [], "roles": ("admin",),
                          "key_roles": ("partner",), "new_key": "haat_secret"},
    "admin_webhooks.html": {"endpoints": [ENDPOINT], "deliveries": [DELIVERY], "chosen": "ep_1",
                            "event_types": ["haat.orders.order.created.v1"], "new_secret": "whsec_x", "replayed": 3},
    "admin_dashboard.html": {"live": [{"group": "amazon", "count": 300}], "by_district": SALES, "by_channel": SALES,
                             "clfs": [], "counts": []},
}  # fmt: skip
TEMPLATES = Path(templates.env.loader.searchpath[0])  # type: ignore[union-attr]


def render(name: str, lang: str, role: str = "admin") -> str:
    request = SimpleNamespace(url=SimpleNamespace(path="/x", query="a=1"))
    person = Principal("user:1", role, "clf-kanti", "kanti")  # type: ignore[arg-type]
    context = {"request": request, "person": person, "lang": lang, "t": i18n.Translator(lang), "csrf": "c"}
    return templates.env.get_template(name).render({**context, **PAGES[name]})


def test_every_page_template_has_sample_data_here():
    pages = {p.name for p in TEMPLATES.glob("*.html") if not p.name.startswith(("_", "base"))}
    assert pages == set(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_renders_in_both_languages(name):
    hindi, english = render(name, "hi"), render(name, "en")
    assert '<html lang="hi">' in hindi
    assert '<html lang="en">' in english
    assert hindi != english


def test_every_label_a_template_asks_for_is_translated():
    asked = set()
    for path in TEMPLATES.glob("*.html"):
        asked |= set(re.findall(r"\bt\('([a-z_]+)'\)", path.read_text()))
    assert asked - set(i18n.LABELS) == set()
    assert all(en and hi and en != "" for en, hi in i18n.LABELS.values())


def test_money_and_counts_read_the_indian_way():
    assert i18n.money(12345600) == "₹1,23,456.00"
    assert i18n.count(1234567) == "12,34,567"
    assert i18n.paise_from_rupees("₹1,249.5") == 124950
    assert i18n.paise_from_rupees("249") == 24900
    for bad in ("", "12.345", "abc", "1.2.3", "-5"):
        with pytest.raises(ValueError):
            i18n.paise_from_rupees(bad)
    assert i18n.when("2026-12-02T10:00:00+00:00") == "02-12-2026 15:30"  # India's clock
    assert "₹1,23,456.00" in render("sales.html", "hi")


def visible_text(html: str) -> str:
    """What a reader sees: tags, attributes, scripts and styles taken out."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_a_product_page_names_people_and_houses_and_its_history_in_hindi():
    seen = visible_text(render("product.html", "hi"))
    assert "Rekha Devi" in seen
    assert "Kanti packaging house" in seen
    assert "user:1" not in seen
    assert "ph-kanti" not in seen
    assert "प्रकाशित" in seen  # the history's move, in Hindi
    assert "फ्लिपकार्ट ₹15.26" in seen  # what one sale pays her, beside the price
    assert "अमेज़न को उत्पाद की एक जानकारी चाहिए" in seen  # the marketplace's issue 90220, said in Hindi
    assert "published" not in seen


def test_the_packing_bench_sees_what_is_in_each_order_and_is_never_assumed_to_restock():
    queue = visible_text(render("queue.html", "hi"))
    assert "कच्चे आम का अचार \u00d7 2" in queue
    packed = render("order.html", "en", role="fulfilment")
    assert re.search(r'name="sure" value="yes" required', packed)  # cancelling asks first
    assert "label.pdf" not in packed  # Amazon makes no label: the seller's carrier prints it
    context = {
        "request": SimpleNamespace(url=SimpleNamespace(path="/x", query="")),
        "lang": "en",
        "csrf": "c",
        "person": Principal("user:1", "fulfilment", None, "p"),
        "t": i18n.Translator("en"),
    }  # type: ignore[arg-type]
    delivered = templates.env.get_template("order.html").render({
        **context, **PAGES["order.html"], "order": {**ORDER, "channel": "flipkart", "state": "shipped"},
        "actions": ["return"],
    })  # fmt: skip
    restock = re.search(r'<input type="checkbox" name="restocked"[^>]*>', delivered)
    assert restock is not None
    assert "checked" not in restock.group(0)  # "fit to sell again" is ticked by hand, after looking
    assert "label.pdf" in delivered  # Flipkart's own label


def test_settlements_name_the_shg_give_the_period_as_dates_and_hide_nothing_rows():
    seen = visible_text(render("settlements.html", "hi"))
    assert "Durga SHG" in seen
    assert "shg-1" not in seen
    assert "01-11-2026 \u2013 02-12-2026" in seen  # the period, as dates in India
    assert "Laxmi SHG" not in seen  # a ₹0 settlement is not a row to read
    assert "बैंक विवरण जुड़ने तक ये बैंक फ़ाइल में नहीं हैं: Durga SHG" in seen


def test_a_replay_time_is_read_as_the_indian_time_the_pages_show():
    from datetime import UTC, datetime

    from haat_gateway.web.pages_admin import since_as_typed

    assert since_as_typed("2026-12-03T09:00") == datetime(2026, 12, 3, 3, 30, tzinfo=UTC)
    assert since_as_typed("2026-12-03T09:00+00:00") == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_an_order_line_is_named_hindi_first_on_a_hindi_page():
    assert i18n.named("Mango pickle / आम का अचार", "hi") == "आम का अचार / Mango pickle"
    assert i18n.named("Mango pickle / आम का अचार", "en") == "Mango pickle / आम का अचार"
    assert i18n.named("Khes", "hi") == "Khes"
