"""Products over the API on PostgreSQL: scoping, validation, workflow and its events, search."""

from sqlalchemy import select

from haat_testkit.catalog_factories import product_fields


def outbox_types(runtime) -> list[str]:
    outbox = runtime.definition.outbox_table
    with runtime.engine.connect() as conn:
        return list(conn.scalars(select(outbox.c.event_type).order_by(outbox.c.seq)))


def test_a_coordinator_creates_a_product_in_hindi_in_their_own_clf(api, catalog):
    didi = api.as_("coordinator", "clf-a")
    body = product_fields(clf_id=None, sku=None, title_en=None, shg_ids=["clf-a-shg-1"])
    created = didi.post("/v1/products", json=body)
    assert created.status_code == 201, created.text
    product = created.json()
    assert product["clf_id"] == "clf-a"
    assert product["sku"] == "HTHKRGHA-SUTI-KHES"  # made from the Hindi name "हथकरघा सूती खेस", in Latin letters
    assert product["status"] == "draft"
    assert product["brand"] == "Laxmi Jeevika SHG", "brand defaults to the producing SHG"
    fetched = didi.get(f"/v1/products/{product['sku']}")
    assert fetched.json()["title_hi"] == "हथकरघा सूती खेस"
    assert outbox_types(catalog) == [], "a draft is not announced"


def test_another_clfs_product_is_not_found_for_a_coordinator(api):
    assert api.as_("coordinator", "clf-a").post("/v1/products", json=product_fields(clf_id="clf-a")).status_code == 201
    other = api.as_("coordinator", "clf-b")
    assert other.get("/v1/products/KHES-DOUBLE").status_code == 404
    assert other.get("/v1/products/KHES-DOUBLE", params={"clf_id": "clf-a"}).status_code == 404
    assert other.patch("/v1/products/KHES-DOUBLE", json={"price_paise": 1}).status_code == 404
    assert other.post("/v1/products", json=product_fields(clf_id="clf-a", sku="X-1")).status_code == 404
    assert other.get("/v1/products").json()["items"] == []
    assert api.as_("admin").get("/v1/products/KHES-DOUBLE").status_code == 200


def test_without_a_caller_token_the_service_refuses(api):
    response = api.client.get("/v1/products")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    forged = api.client.get("/v1/products", headers={"X-Haat-Caller": "eyJhbGciOiJub25lIn0.e30."})
    assert forged.status_code == 401


def test_validation_names_every_bad_field_and_stores_nothing(api, catalog):
    didi = api.as_("coordinator", "clf-a")
    bad = didi.post(
        "/v1/products",
        json=product_fields(clf_id="clf-a", hsn_code="12345", price_paise=999999, category="pickles"),
    )
    assert bad.status_code == 422
    fields = {e["location"][-1] for e in bad.json()["errors"]}
    assert fields == {"hsn_code", "price_paise", "fssai_licence", "shelf_life_days"}
    malformed = didi.post("/v1/products", json={**product_fields(clf_id="clf-a"), "mrp_paise": "lots"})
    assert malformed.status_code == 422
    unknown_shg = didi.post("/v1/products", json=product_fields(clf_id="clf-a", shg_ids=["clf-b-shg-1"]))
    assert unknown_shg.status_code == 422
    assert didi.get("/v1/products").json()["items"] == []
    assert outbox_types(catalog) == []


def test_the_workflow_and_its_events(api, catalog):
    didi = api.as_("coordinator", "clf-a")
    admin = api.as_("admin")
    assert didi.post("/v1/products", params={"submit": "true"}, json=product_fields(clf_id="clf-a")).status_code == 201
    assert didi.post("/v1/products/KHES-DOUBLE/approve").status_code == 403, "coordinators do not approve"
    rejected = admin.post("/v1/products/KHES-DOUBLE/reject", json={"reason": "फोटो साफ़ नहीं है"})
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "फोटो साफ़ नहीं है"
    edited = didi.patch("/v1/products/KHES-DOUBLE", json={"title_en": "Double khes, cotton"})
    assert edited.json()["status"] == "draft", "editing a rejected product makes it a draft again"
    assert didi.post("/v1/products/KHES-DOUBLE/submit").status_code == 200
    assert admin.post("/v1/products/KHES-DOUBLE/approve").json()["status"] == "approved"
    published = didi.post("/v1/products/KHES-DOUBLE/publish")
    assert published.json()["status"] == "published"
    again = didi.post("/v1/products/KHES-DOUBLE/publish")
    assert again.status_code == 409
    assert again.json()["current_status"] == "published"
    repriced = didi.patch("/v1/products/KHES-DOUBLE", json={"price_paise": 139900})
    assert repriced.json()["status"] == "published"
    assert [h["to"] for h in repriced.json()["history"]] == [
        "submitted", "rejected", "draft", "submitted", "approved", "published"
    ]  # fmt: skip
    assert outbox_types(catalog) == [
        "haat.catalog.product.submitted.v1",
        "haat.catalog.product.rejected.v1",
        "haat.catalog.product.submitted.v1",
        "haat.catalog.product.approved.v1",
        "haat.catalog.product.published.v1",
        "haat.catalog.product.updated.v1",
    ]
    outbox = catalog.definition.outbox_table
    with catalog.engine.connect() as conn:
        last = conn.scalar(select(outbox.c.payload).order_by(outbox.c.seq.desc()).limit(1))
    assert '"changed":["price_paise"]' in last
    assert didi.post("/v1/products/KHES-DOUBLE/retire").json()["status"] == "retired"
    assert didi.patch("/v1/products/KHES-DOUBLE", json={"price_paise": 1000}).status_code == 409


def test_what_shipping_needs_is_asked_before_approval_with_a_code_per_missing_field(api):
    admin = api.as_("admin")
    body = product_fields(clf_id="clf-a", weight_grams=None)
    refused = admin.post("/v1/products", params={"submit": "true"}, json=body)
    assert refused.status_code == 422  # not created: nothing half-made is left behind
    assert [(e["location"][-1], e["code"]) for e in refused.json()["errors"]] == [("weight_grams", "needed_to_ship")]
    assert admin.get("/v1/products/KHES-DOUBLE").status_code == 404
    assert admin.post("/v1/products", json=body).status_code == 201  # a draft may wait for the scales
    assert admin.post("/v1/products/KHES-DOUBLE/submit").status_code == 422
    assert admin.patch("/v1/products/KHES-DOUBLE", json={"weight_grams": 1400}).status_code == 200
    assert admin.post("/v1/products/KHES-DOUBLE/submit").status_code == 200


def test_search_in_hindi_and_english_with_filters_and_cursor(api):
    didi = api.as_("coordinator", "clf-a")
    items = [
        ("AAM-1", "Raw mango pickle", "कच्चे आम का अचार", "clf-a-shg-1"),
        ("NIMBU-1", "Lemon pickle", "नींबू का अचार", "clf-a-shg-2"),
        ("KHES-1", "Cotton khes", "सूती खेस", "clf-a-shg-1"),
    ]
    for sku, en, hi, shg in items:
        body = product_fields(clf_id="clf-a", sku=sku, title_en=en, title_hi=hi, shg_ids=[shg])
        assert didi.post("/v1/products", json=body).status_code == 201
    api.as_("coordinator", "clf-b").post("/v1/products", json=product_fields(clf_id="clf-b", title_hi="आम का अचार"))

    def skus(**params):
        return [p["sku"] for p in didi.get("/v1/products", params=params).json()["items"]]

    assert skus(q="अचार") == ["AAM-1", "NIMBU-1"], "Devanagari search, only the caller's CLF"
    assert skus(q="आम अचार") == ["AAM-1"], "every word must match"
    assert skus(q="PICKLE lemon") == ["NIMBU-1"], "English, any case"
    assert skus(q="khes", shg_id="clf-a-shg-1") == ["KHES-1"]
    assert skus(q="%") == [], "LIKE wildcards are matched literally"
    assert skus(district_code="216") == ["AAM-1", "NIMBU-1", "KHES-1"]
    first = didi.get("/v1/products", params={"limit": 2}).json()
    assert [p["sku"] for p in first["items"]] == ["AAM-1", "NIMBU-1"]
    second = didi.get("/v1/products", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [p["sku"] for p in second["items"]] == ["KHES-1"]
    assert second["next_cursor"] is None
    assert len(api.as_("admin").get("/v1/products", params={"q": "अचार"}).json()["items"]) == 3


def test_same_sku_in_two_clfs_is_ambiguous_for_an_admin_only(api):
    api.as_("coordinator", "clf-a").post("/v1/products", json=product_fields(clf_id="clf-a"))
    api.as_("coordinator", "clf-b").post("/v1/products", json=product_fields(clf_id="clf-b"))
    admin = api.as_("admin")
    ambiguous = admin.get("/v1/products/KHES-DOUBLE")
    assert ambiguous.status_code == 409
    assert ambiguous.json()["clf_ids"] == ["clf-a", "clf-b"]
    assert admin.get("/v1/products/KHES-DOUBLE", params={"clf_id": "clf-b"}).json()["clf_id"] == "clf-b"
    assert api.as_("coordinator", "clf-b").get("/v1/products/KHES-DOUBLE").json()["clf_id"] == "clf-b"


def test_health_and_readiness(api):
    assert api.client.get("/healthz").json()["status"] == "ok"
    ready = api.client.get("/readyz")
    assert ready.status_code == 200, ready.text


def test_categories_are_known_and_events_carry_the_category_not_a_marketplace_type(api, catalog):
    admin = api.as_("admin")
    categories = {c["key"]: c for c in admin.get("/v1/categories").json()}
    assert categories["pickles"]["name_hi"] == "अचार"
    assert categories["pickles"]["food"] is True
    assert "product_types" not in categories["handloom"]  # what a marketplace calls it is the connectors' business
    unknown = admin.post("/v1/products", json=product_fields(clf_id="clf-a", category="gadgets"))
    assert unknown.status_code == 422
    assert [e["location"][-1] for e in unknown.json()["errors"]] == ["category"]
    admin.post("/v1/products", params={"submit": "true"}, json=product_fields(clf_id="clf-a"))
    outbox = catalog.definition.outbox_table
    with catalog.engine.connect() as conn:
        payload = conn.scalar(select(outbox.c.payload))
    assert '"category":"handloom"' in payload
    assert "product_types" not in payload
