"""The registry over the API: admins build it; coordinators see and grow only their own CLF."""


def test_admin_builds_geography_and_a_clf(api):
    admin = api.as_("admin")
    assert (
        admin.post("/v1/geo-units", json={"code": "9", "kind": "state", "name_en": "Uttar Pradesh"}).status_code == 201
    )
    district = {"code": "133", "kind": "district", "parent_code": "9", "name_en": "Rampur", "name_hi": "रामपुर"}
    assert admin.post("/v1/geo-units", json=district).status_code == 201
    block = {"code": "1001", "kind": "block", "parent_code": "133", "name_en": "Milak"}
    assert admin.post("/v1/geo-units", json=block).status_code == 201
    orphan = admin.post("/v1/geo-units", json={"code": "1002", "kind": "block", "name_en": "No district"})
    assert orphan.status_code == 422
    wrong_parent = admin.post("/v1/geo-units", json={**block, "code": "1003", "parent_code": "9"})
    assert wrong_parent.status_code == 422, "a block's parent must be a district"

    clf = admin.post("/v1/clfs", json={"id": "clf-milak", "name": "Milak CLF", "block_code": "1001"})
    assert clf.status_code == 201, clf.text
    assert (clf.json()["district_code"], clf.json()["state_code"]) == ("133", "9")
    assert admin.post("/v1/clfs", json={"id": "clf-milak", "name": "Again", "block_code": "1001"}).status_code == 409
    assert admin.post("/v1/clfs", json={"name": "Nowhere", "block_code": "999"}).status_code == 422
    assert [g["name_en"] for g in admin.get("/v1/geo-units", params={"parent_code": "9"}).json()] == ["Rampur"]


def test_coordinators_see_and_change_only_their_clf(api):
    didi = api.as_("coordinator", "clf-a")
    assert [c["id"] for c in didi.get("/v1/clfs").json()] == ["clf-a"]
    assert didi.get("/v1/clfs/clf-b").status_code == 404
    assert didi.post("/v1/clfs", json={"name": "Mine now", "block_code": "1260"}).status_code == 403
    shg = didi.post("/v1/clfs/clf-a/shgs", json={"name": "Nayi Roshni SHG", "name_hi": "नई रोशनी समूह"})
    assert shg.status_code == 201
    assert didi.post("/v1/clfs/clf-b/shgs", json={"name": "Not mine"}).status_code == 404
    member = didi.post(f"/v1/shgs/{shg.json()['id']}/members", json={"name": "सुनीता देवी", "phone": "9876543210"})
    assert member.status_code == 201
    assert member.json()["role"] == "producer"
    bad_phone = didi.post(f"/v1/shgs/{shg.json()['id']}/members", json={"name": "X", "phone": "12345"})
    assert bad_phone.status_code == 422
    assert didi.get("/v1/shgs/clf-b-shg-1/members").status_code == 404
    names = [s["name"] for s in didi.get("/v1/clfs/clf-a/shgs").json()]
    assert "Nayi Roshni SHG" in names
    assert all(s["clf_id"] == "clf-a" for s in didi.get("/v1/clfs/clf-a/shgs").json())


def test_packaging_houses_are_registered_by_admins(api):
    admin = api.as_("admin")
    house = {
        "id": "ph-new",
        "name": "Kanti block packaging house",
        "block_code": "1260",
        "address": "Block office, Kanti",
        "pincode": "843109",
    }
    assert api.as_("coordinator", "clf-a").post("/v1/packaging-houses", json=house).status_code == 403
    created = admin.post("/v1/packaging-houses", json=house)
    assert created.status_code == 201
    assert created.json()["state_code"] == "10"
    assert "ph-new" in [h["id"] for h in api.as_("fulfilment").get("/v1/packaging-houses").json()]


def test_registering_a_clf_and_its_shgs_announces_them_for_invoices_and_settlements(service):
    import json as _json

    from sqlalchemy import select

    from haat_testkit.catalog_factories import clf_with_shgs

    catalog = service("catalog")
    clf_with_shgs(catalog, "clf-new", "1260")
    outbox = catalog.definition.outbox_table
    with catalog.engine.connect() as conn:
        rows = conn.execute(
            select(outbox.c.event_type, outbox.c.payload).where(outbox.c.topic == "haat.catalog.registry")
        ).all()
    types = [r.event_type for r in rows]
    assert types == ["haat.catalog.clf.registered.v1"] + ["haat.catalog.shg.registered.v1"] * 2
    clf = _json.loads(rows[0].payload)["data"]
    assert (clf["clf_id"], clf["state_name"]) == ("clf-new", "Bihar")
