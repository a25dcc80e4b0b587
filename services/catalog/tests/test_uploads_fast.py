"""Bulk upload and photos on the in-memory unit of work (the fast tier): a preview that changes nothing and
then applies exactly what it showed, a discarded upload, refused files, and photos kept with their product.
The same flows run on PostgreSQL, through HTTP, in test_imports and test_photos."""

import io

import pytest
from PIL import Image

from haat.errors import Conflict, Invalid, NotFound
from haat.identity import Caller
from haat_catalog.service_layer import imports, listings, photos, products, registry, stock
from haat_catalog.settings import CatalogSettings
from haat_testkit.catalog_factories import csv_bytes, product_fields, row
from haat_testkit.fake_catalog import ADMIN, DIDI, HOUSE, OTHER_DIDI, FakeCatalogUnitOfWork, kinds, registered

pytestmark = pytest.mark.fast
FACTS = {"shg_ids": "shg-laxmi"}


def previewed(uow: FakeCatalogUnitOfWork, rows: list[list[str]]) -> str:
    job = imports.start_import(uow, DIDI, "clf-kanti", "products.csv", csv_bytes(rows), submit=False)
    assert job["status"] == "previewing"
    imports.process_import(lambda: uow, job["id"])
    return str(job["id"])


def test_a_preview_changes_nothing_and_applying_it_does_exactly_what_it_showed():
    uow = registered()
    rows = [row(sku="GOOD-1", **FACTS), row(sku="BAD-PRICE", mrp="100", price="120", **FACTS),
            row(sku="GOOD-1", title_en="the same SKU again", **FACTS), row(sku="GOOD-2", **FACTS)]  # fmt: skip
    job_id = previewed(uow, rows)
    job, errors = imports.get_import(uow, DIDI, job_id)
    assert job.status == "previewed"
    assert job.preview == {"created": ["GOOD-1", "GOOD-2"], "bad": [3, 4]}
    assert sorted((e.row, e.code) for e in errors) == [(3, "price_above_mrp"), (4, "duplicate_sku")]
    assert uow.products.get("clf-kanti", "GOOD-1") is None
    assert uow.emitted == []
    with pytest.raises(NotFound):
        imports.get_import(uow, OTHER_DIDI, job_id)  # another CLF's upload does not exist for her

    imports.confirm_import(uow, DIDI, job_id, change_live=False)
    imports.process_import(lambda: uow, job_id)
    job, errors = imports.get_import(uow, DIDI, job_id)
    assert (job.status, job.created_rows, job.failed_rows) == ("done", 2, 2)
    assert [e.code for e in errors] == ["price_above_mrp", "duplicate_sku"]  # the preview's errors gave way
    assert uow.products.get("clf-kanti", "GOOD-1").status == "draft"
    assert kinds(uow) == []  # drafts are nobody else's business yet: nothing announced
    bad = imports.bad_rows(job, errors)  # the errors file: each refused row as she uploaded it
    assert [(values["sku"], [e.code for e in found]) for values, found in bad] == [
        ("BAD-PRICE", ["price_above_mrp"]), ("GOOD-1", ["duplicate_sku"])]  # fmt: skip
    with pytest.raises(Conflict):
        imports.confirm_import(uow, DIDI, job_id, change_live=False)  # applied once, not twice


def test_an_upload_can_be_discarded_and_a_wrong_file_is_refused_at_once():
    uow = registered()
    job_id = previewed(uow, [row(sku="GOOD-1", **FACTS)])
    with pytest.raises(NotFound):
        imports.discard_import(uow, Caller(subject="p", role="partner"), job_id)  # reads only
    assert imports.discard_import(uow, DIDI, job_id).status == "discarded"
    assert uow.imports.next_due() is None
    assert uow.products.get("clf-kanti", "GOOD-1") is None
    with pytest.raises(Invalid) as unreadable:
        imports.start_import(uow, DIDI, "clf-kanti", "products.xlsx", b"not a workbook", submit=False)
    assert unreadable.value.code == "unreadable-file"
    with pytest.raises(NotFound):
        imports.start_import(uow, OTHER_DIDI, "clf-kanti", "products.csv", csv_bytes([row()]), submit=False)


def test_an_upload_with_submit_sends_good_rows_for_approval():
    uow = registered()
    job = imports.start_import(uow, DIDI, "clf-kanti", "p.csv", csv_bytes([row(sku="S-9", **FACTS)]), submit=True,
                               preview=False)  # fmt: skip
    assert job["status"] == "queued"  # an API client that asked for no preview
    imports.process_import(lambda: uow, job["id"])
    assert uow.products.get("clf-kanti", "S-9").status == "submitted"


def test_the_templates_lists_name_her_own_shgs_only():
    uow = registered()
    mine = imports.template_lists(uow, DIDI, None)
    assert mine["shgs"] == [("shg-laxmi", "Laxmi SHG", "")]
    assert ("pickles", "Pickles", "अचार") in mine["categories"]
    assert imports.template_lists(uow, OTHER_DIDI, "clf-kanti")["shgs"] == []


def jpeg(width: int = 300, height: int = 200) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_photos_are_kept_with_their_product_and_seen_only_by_its_clf(tmp_path):
    uow = registered()
    settings = CatalogSettings(image_root=tmp_path)
    products.create_product(uow, DIDI, product_fields(clf_id="clf-kanti", shg_ids=["shg-laxmi"]))
    uow.emitted.clear()
    added = photos.add_photo(uow, DIDI, settings, "KHES-DOUBLE", None, jpeg())
    assert (added["width"], added["height"], added["position"]) == (300, 200, 0)
    assert [p.id for p in photos.list_photos(uow, DIDI, "KHES-DOUBLE", None)] == [added["id"]]
    content, media = photos.photo_file(uow, DIDI, settings, added["id"], thumbnail=True)
    assert media == "image/webp"
    assert Image.open(io.BytesIO(content)).size[0] <= settings.thumbnail_px
    with pytest.raises(NotFound):
        photos.photo_file(uow, OTHER_DIDI, settings, added["id"], thumbnail=False)
    with pytest.raises(NotFound):
        photos.photo_file(uow, DIDI, settings, "../../etc/passwd", thumbnail=False)
    with pytest.raises(Invalid):
        photos.add_photo(uow, DIDI, settings, "KHES-DOUBLE", None, b"<svg onload=alert(1)>")
    with pytest.raises(NotFound):
        photos.remove_photo(uow, OTHER_DIDI, settings, "KHES-DOUBLE", "clf-kanti", added["id"])
    for caller, action in ((DIDI, "submit"), (ADMIN, "approve"), (DIDI, "publish")):
        products.transition(uow, caller, "KHES-DOUBLE", None, action)
    uow.emitted.clear()
    photos.remove_photo(uow, DIDI, settings, "KHES-DOUBLE", None, added["id"])
    assert photos.list_photos(uow, DIDI, "KHES-DOUBLE", None) == []
    assert list(tmp_path.rglob("*.webp")) == []  # its files went with it
    assert kinds(uow) == ["product.updated"]  # the marketplaces hear that a listed product's photos changed


def test_a_listing_report_older_than_the_one_kept_changes_nothing():
    uow = registered()
    from datetime import UTC, datetime, timedelta

    from haat.events.connectors import ListingStatusChangedV1
    from haat.events.envelope import new_event

    now = datetime.now(UTC)

    def report(status: str, at: datetime) -> None:
        data = ListingStatusChangedV1(clf_id="clf-kanti", sku="KHES-DOUBLE", channel="amazon", status=status,
                                      issues=[], reported_at=at)  # fmt: skip
        listings.on_listing_status_changed(uow, new_event(data, service="connectors"))

    report("live", now)
    report("pending", now - timedelta(minutes=5))  # arrived late: older than what is kept
    assert [(r["channel"], r["status"]) for r in listings.listings_of(uow, "clf-kanti", "KHES-DOUBLE")] == [
        ("amazon", "live")]  # fmt: skip


def test_the_registry_is_read_only_within_her_clf():
    uow = registered()
    made = registry.create_shg(uow, DIDI, "clf-kanti", {"name": "Durga SHG", "bank_account_ref": "SBIN-7"})
    assert registry.require_shg(uow, DIDI, made["id"]).name == "Durga SHG"
    assert kinds(uow) == ["shg.registered"]  # orders learns the SHG (and where to pay it)
    with pytest.raises(NotFound):
        registry.create_shg(uow, OTHER_DIDI, "clf-kanti", {"name": "Not hers"})
    with pytest.raises(NotFound):
        registry.require_clf(uow, OTHER_DIDI, "clf-kanti")
    member = registry.add_member(uow, DIDI, "shg-laxmi", {"name": "Sita Devi", "name_hi": "सीता देवी"})
    assert [m.name for m in registry.list_members(uow, DIDI, "shg-laxmi")] == ["Sita Devi"]
    assert member["shg_id"] == "shg-laxmi"
    for refused in (lambda: registry.add_member(uow, OTHER_DIDI, "shg-laxmi", {"name": "X"}),
                    lambda: registry.list_members(uow, OTHER_DIDI, "shg-laxmi"),
                    lambda: registry.list_shgs(uow, OTHER_DIDI, "clf-kanti")):  # fmt: skip
        with pytest.raises(NotFound):
            refused()
    assert [c.id for c in registry.list_clfs(uow, DIDI)] == ["clf-kanti"]
    assert registry.list_clfs(uow, OTHER_DIDI) == []
    assert [c.id for c in registry.list_clfs(uow, ADMIN)] == ["clf-kanti"]
    assert [s.name for s in registry.list_shgs(uow, DIDI, "clf-kanti")] == ["Durga SHG", "Laxmi SHG"]
    assert [h.id for h in registry.list_packaging_houses(uow)] == [HOUSE]


def test_stock_is_read_per_house_and_only_by_her_clf():
    uow = registered()
    products.create_product(uow, DIDI, product_fields(clf_id="clf-kanti"))
    stock.change_stock(uow, DIDI, "KHES-DOUBLE", None, HOUSE, "receipt", 4, "")
    clf_id, levels = stock.stock_of(uow, DIDI, "KHES-DOUBLE", None)
    assert (clf_id, [(lv.packaging_house_id, lv.available) for lv in levels]) == ("clf-kanti", [(HOUSE, 4)])
    with pytest.raises(NotFound):
        stock.stock_of(uow, OTHER_DIDI, "KHES-DOUBLE", "clf-kanti")
    assert products.find_product(uow, ADMIN, "KHES-DOUBLE").clf_id == "clf-kanti"  # one CLF has it: no need to say
