"""Input meant to break in: SQL and template injection strings are kept as text, file names that climb out
of a directory go nowhere, a forged or expired caller token is refused."""

from __future__ import annotations

import base64
import io
import select as io_select
import socket
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select

from haat.identity import Caller, issue_token
from haat_catalog.adapters import spreadsheet
from haat_catalog.adapters.orm import products
from haat_testkit.catalog_factories import product_fields
from haat_testkit.http_server import ThreadedServer
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


def test_a_refused_token_is_not_told_why(api, catalog):
    secret = catalog.settings.internal_token_secret.get_secret_value()
    coordinator = Caller(subject="key:1", role="coordinator", clf_id="clf-a")
    for token in (issue_token(coordinator, secret, ttl=timedelta(seconds=-1)), issue_token(coordinator, "guess"),
                  "not.a.token"):  # fmt: skip
        refused = api.client.get("/v1/products", headers={"X-Haat-Caller": token})
        assert refused.json()["detail"] == "the caller token is not valid"


def test_a_cursor_holding_a_huge_number_is_a_bad_cursor(api):
    didi = api.as_("coordinator", "clf-a")
    for position in (10**30, -5, 2**63):
        cursor = base64.urlsafe_b64encode(str(position).encode()).decode().rstrip("=")
        answer = didi.get("/v1/products", params={"cursor": cursor})
        assert answer.status_code == 400, (position, answer.text)
        assert answer.json()["type"].endswith("/invalid-cursor")


def test_a_tiny_workbook_of_200_000_rows_is_refused_without_being_read_through(api, monkeypatch):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["SKU", "Title (English)", "Category", "HSN code", "GST %", "MRP", "Selling price"])
    for n in range(200_000):
        sheet.append([f"X-{n}", "Khes", "handloom", "6304", 5, 10, 9])
    content = io.BytesIO()
    workbook.save(content)
    rows_read = 0
    reader = spreadsheet._xlsx_rows

    def counted(data: bytes):
        nonlocal rows_read
        for row in reader(data):
            rows_read += 1
            yield row

    monkeypatch.setattr(spreadsheet, "_xlsx_rows", counted)
    didi = api.as_("coordinator", "clf-a")
    answer = didi.post("/v1/products/import", files={"file": ("p.xlsx", content.getvalue())})
    assert answer.status_code == 422, answer.text
    assert answer.json()["type"].endswith("/too-many-rows")
    assert answer.json()["detail_hi"].startswith("10,000 से अधिक पंक्तियाँ")
    assert rows_read <= 10_002, f"read {rows_read} rows of 200,001"


def test_a_chunked_body_past_the_limit_is_refused_before_anyone_is_asked_who_sent_it(service):
    catalog = service("catalog", max_request_bytes=64 * 1024)
    chunk = b"x" * 65536
    sent = 0
    answer = b""
    with (
        ThreadedServer(catalog.definition.create_app(catalog)) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection,
    ):
        connection.sendall(b"POST /v1/products HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n")  # fmt: skip
        while sent < 200 * 2**20:  # 200 MB if the service kept reading
            try:
                if io_select.select([connection], [], [], 0.01)[0]:
                    answer = connection.recv(65536)
                    break
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:  # closed after answering; a reset may take the unread answer with it
                break
            sent += len(chunk)
    assert sent < 16 * 2**20, f"{sent} bytes were taken in before the service stopped reading"
    if answer:  # read before the connection was reset
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # The answer itself, to a streamed body without a length (the test client hands the app every chunk):
    with TestClient(catalog.definition.create_app(catalog)) as client:
        refused = client.post("/v1/products", content=(chunk for _ in range(3)),
                              headers={"content-type": "application/json"})  # fmt: skip
    assert refused.status_code == 413, "refused before authentication (no caller token was sent)"
    assert refused.json()["type"].endswith("/request-too-large")
