"""Input meant to break in: SQL and template injection strings are kept as text, file names that climb out
of a directory go nowhere, a forged or expired caller token is refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from haat.identity import Caller, issue_token
from haat_catalog.adapters.orm import products
from haat_catalog.factories import product_fields
from services.catalog.tests.test_photos import encoded

HOSTILE = [
    "'; DROP TABLE products; --", "\" OR 1=1 --", "{{ 7*7 }}", "${7*7}", "{% raw %}x", "<script>alert(1)</script>",
    "%s%s%s%n", "../../etc/passwd", "खेस'); DELETE FROM stock_levels; --",
]  # fmt: skip


def test_injection_strings_are_stored_and_searched_as_plain_text(api, catalog):
    didi = api.as_("coordinator", "clf-a")
    for n, text in enumerate(HOSTILE):
        made = didi.post("/v1/products", json=product_fields(clf_id=None, sku=f"H-{n}", title_en=f"Khes {text}",
                                                             description_en=text))  # fmt: skip
        assert made.status_code == 201, (text, made.text)
        shown = didi.get(f"/v1/products/H-{n}").json()
        assert (shown["title_en"], shown["description_en"]) == (f"Khes {text}", text)
        found = didi.get("/v1/products", params={"q": text})
        assert found.status_code == 200, (text, found.text)
        assert isinstance(found.json()["items"], list)
    with catalog.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(products)) == len(HOSTILE)


def test_file_names_that_climb_out_are_only_names(api, catalog, tmp_path):
    didi = api.as_("coordinator", "clf-a")
    assert didi.post("/v1/products", json=product_fields(clf_id=None, sku="P-1")).status_code == 201
    before = {p for p in tmp_path.parent.rglob("*") if p.is_file()}
    for name in ("../../../../tmp/evil.jpg", "..\\..\\evil.jpg", "/etc/cron.d/evil.jpg", "evil\x00.jpg"):
        photo = didi.post("/v1/products/P-1/images", files={"file": (name, encoded("JPEG"))})
        assert photo.status_code in (201, 422), (name, photo.text)
    sheet = b"SKU,Title (English),Category,HSN code,GST %,MRP,Selling price\nX-1,Khes,handloom,6304,5,10,9\n"
    assert didi.post("/v1/products/import", files={"file": ("../../evil.csv", sheet)}).status_code == 202
    images = tmp_path / "images"
    written = {p for p in tmp_path.parent.rglob("*") if p.is_file()} - before
    assert all(images in p.parents for p in written), "every stored file is inside the image store"
    assert not Path("/tmp/evil.jpg").exists()
    assert not Path("/etc/cron.d/evil.jpg").exists()
    assert didi.get("/v1/images/..%2F..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_forged_and_expired_caller_tokens_are_refused(api, catalog):
    secret = catalog.settings.internal_token_secret.get_secret_value()
    coordinator = Caller(subject="key:1", role="coordinator", clf_id="clf-a")
    expired = issue_token(coordinator, secret, ttl=timedelta(seconds=-1))
    forged = issue_token(Caller(subject="key:1", role="admin"), "not-the-secret")
    for token in (expired, forged):
        refused = api.client.get("/v1/products", headers={"X-Haat-Caller": token})
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
    assert (
        api.client.get("/v1/products", headers={"X-Haat-Caller": issue_token(coordinator, secret)}).status_code == 200
    )
