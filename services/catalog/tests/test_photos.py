"""Product photos: judged by their bytes, cleaned of metadata, turned upright, thumbnailed, scoped."""

import io
import json

from PIL import Image
from sqlalchemy import select

from haat_testkit.catalog_factories import published_product


def jpeg_with_gps_and_rotation(width: int = 400, height: int = 200) -> bytes:
    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned; the photo must be shown rotated 90°
    exif[0x8825] = {1: "N", 2: (28.0, 48.0, 0.0), 3: "E", 4: (79.0, 1.0, 0.0)}  # GPS of the didi's home
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def encoded(fmt: str, size=(64, 48), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(client, content: bytes, name: str = "photo.jpg", sku: str = "KHES-DOUBLE"):
    return client.post(f"/v1/products/{sku}/images", files={"file": (name, content)})


def test_a_phone_photo_is_stored_upright_without_its_location(api, catalog):
    published_product(catalog, clf_id="clf-a")
    didi = api.as_("coordinator", "clf-a")
    created = upload(didi, jpeg_with_gps_and_rotation())
    assert created.status_code == 201, created.text
    photo = created.json()
    assert (photo["content_type"], photo["width"], photo["height"]) == ("image/jpeg", 200, 400)
    stored = Image.open(io.BytesIO(didi.get(photo["url"]).content))
    assert stored.format == "JPEG"
    assert stored.size == (200, 400)
    assert dict(stored.getexif()) == {}, "no EXIF (no GPS) is kept"
    thumb = didi.get(photo["thumbnail_url"])
    assert thumb.headers["content-type"] == "image/webp"
    assert max(Image.open(io.BytesIO(thumb.content)).size) <= 320
    assert [p["id"] for p in didi.get("/v1/products/KHES-DOUBLE/images").json()] == [photo["id"]]

    outbox = catalog.definition.outbox_table
    with catalog.engine.connect() as conn:
        last = conn.execute(select(outbox.c.event_type, outbox.c.payload).order_by(outbox.c.seq.desc())).first()
    assert last.event_type == "haat.catalog.product.updated.v1"
    data = json.loads(last.payload)["data"]
    assert data["changed"] == ["images"]
    assert data["image_urls"] == [photo["url"]]


def test_png_and_webp_are_accepted_other_things_are_not(api, catalog):
    published_product(catalog, clf_id="clf-a")
    didi = api.as_("coordinator", "clf-a")
    assert upload(didi, encoded("PNG", mode="RGBA"), "p.png").json()["content_type"] == "image/png"
    assert upload(didi, encoded("WEBP"), "p.webp").json()["content_type"] == "image/webp"
    for content, name in [
        (b"this is not a photo", "photo.jpg"),
        (encoded("GIF", mode="P"), "anim.gif"),
        (encoded("JPEG")[:200], "truncated.jpg"),
        (b"", "empty.jpg"),
    ]:
        refused = upload(didi, content, name)
        assert refused.status_code == 422, (name, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
    assert len(didi.get("/v1/products/KHES-DOUBLE/images").json()) == 2


def test_oversized_and_bomb_photos_are_refused(api, catalog):
    published_product(catalog, clf_id="clf-a")
    didi = api.as_("coordinator", "clf-a")
    import os

    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(1000 * 1000 * 3))  # noise does not compress
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert len(buffer.getvalue()) > 2 * 1024 * 1024
    assert upload(didi, buffer.getvalue(), "big.png").status_code == 413
    bomb = encoded("PNG", size=(10_000, 10_000), mode="1")  # 100 megapixels in a few kB
    assert len(bomb) < 100_000
    refused = upload(didi, bomb, "bomb.png")
    assert refused.status_code == 422
    assert "megapixels" in refused.json()["detail"]


def test_photos_are_scoped_to_the_clf_and_deletable(api, catalog, tmp_path):
    published_product(catalog, clf_id="clf-a")
    didi = api.as_("coordinator", "clf-a")
    photo = upload(didi, encoded("JPEG")).json()
    other = api.as_("coordinator", "clf-b")
    assert other.get(photo["url"]).status_code == 404
    assert upload(other, encoded("JPEG")).status_code == 404
    assert other.delete(f"/v1/products/KHES-DOUBLE/images/{photo['id']}").status_code == 404
    assert api.as_("partner").get(photo["url"]).status_code == 404, "a photo is as visible as its product"
    assert api.as_("coordinator", "clf-a").get("/v1/images/../../etc/passwd").status_code == 404
    files = list((tmp_path / "images").rglob("*"))
    assert any(f.name.startswith(photo["id"]) for f in files)
    assert didi.delete(f"/v1/products/KHES-DOUBLE/images/{photo['id']}").status_code == 204
    assert didi.get(photo["url"]).status_code == 404
    assert not any(f.name.startswith(photo["id"]) for f in (tmp_path / "images").rglob("*"))
