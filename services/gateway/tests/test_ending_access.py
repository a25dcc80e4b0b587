"""Logging out, disabling and revoking end access at once, everywhere: the API, the pages, an open event
stream and webhook deliveries. And logging in cannot be forged from another site nor used to learn names."""

from __future__ import annotations

import json
import threading
import time

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from haat_gateway.adapters.tables import api_keys as api_keys_table
from haat_gateway.adapters.tables import webhook_endpoints
from haat_gateway.service_layer import api_keys, users
from haat_testkit.http_server import ThreadedServer
from haat_testkit.waiting import wait_for
from services.gateway.tests.test_login import PASSWORD, add_user, log_in
from services.gateway.tests.test_stream import record_stock_event

SAME_SITE = {"Origin": "http://testserver"}


def _past_log_in(client: TestClient) -> bool:
    """Whether a page that needs a logged-in coordinator gets past the log-in check (no catalog runs behind
    this gateway, so a page past it answers 502; one that is not is sent to the log-in page)."""
    answer = client.get("/imports/new", follow_redirects=False)
    return not (answer.status_code == 303 and answer.headers["location"].startswith("/login"))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_logging_out_ends_the_token_on_the_api_and_the_pages(service):
    gateway = service("gateway")
    add_user(gateway, "sunita", clf_id="clf-a")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        token = log_in(client, "sunita").json()["access_token"]
        assert client.get("/v1/me", headers=_bearer(token)).status_code == 200
        assert client.post("/v1/auth/logout", headers=_bearer(token)).status_code == 204
        assert client.get("/v1/me", headers=_bearer(token)).status_code == 401, "the token is over, not only forgotten"

        form = {"username": "sunita", "password": PASSWORD}
        assert client.post("/login", data=form, headers=SAME_SITE, follow_redirects=False).status_code == 303
        cookie = client.cookies.get("haat_session")
        assert _past_log_in(client), "logged in"
        csrf = client.get("/login").text.split('name="csrf-token" content="')[1].split('"')[0]
        assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
        # The cookie's token, kept by someone who copied it before logging out, opens nothing now.
        assert client.get("/v1/me", headers=_bearer(cookie)).status_code == 401
        client.cookies.set("haat_session", cookie)
        assert not _past_log_in(client)


def test_a_disabled_user_is_refused_at_once_on_the_api_and_the_pages(service):
    gateway = service("gateway")
    add_user(gateway, "ramesh", clf_id="clf-a")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        token = log_in(client, "ramesh").json()["access_token"]
        client.post("/login", data={"username": "ramesh", "password": PASSWORD}, headers=SAME_SITE)
        assert _past_log_in(client)
        with gateway.unit_of_work() as uow:
            user_id = uow.users.by_name("ramesh").id
            users.set_disabled(uow, user_id, True)
            uow.commit()
        assert client.get("/v1/me", headers=_bearer(token)).status_code == 401
        assert not _past_log_in(client)


def test_an_open_event_stream_ends_when_its_key_is_revoked(service, api_key):
    gateway = service("gateway")
    headers = api_key(gateway, "partner", clf_ids=["clf-a"])
    with gateway.unit_of_work() as uow:
        key_id = uow.session.scalar(select(api_keys_table.c.id).where(api_keys_table.c.role == "partner"))
    lines: list[str] = []
    ended = threading.Event()
    with ThreadedServer(gateway.definition.create_app(gateway)) as server:

        def read() -> None:
            with httpx.stream("GET", f"{server.url}/v1/events/stream", headers=headers, timeout=30) as response:
                for line in response.iter_lines():
                    lines.append(line)
            ended.set()

        threading.Thread(target=read, daemon=True).start()
        wait_for(lambda: any(line.startswith("retry:") for line in lines), timeout_s=10, what="the stream open")
        record_stock_event(gateway, "clf-a", "BEFORE")
        wait_for(lambda: any("BEFORE" in line for line in lines), timeout_s=10, what=f"the first event ({lines})")
        with gateway.unit_of_work() as uow:
            api_keys.revoke(uow, key_id)
            uow.commit()
        assert ended.wait(timeout=10), "the stream closed within seconds of the revocation"
        record_stock_event(gateway, "clf-a", "AFTER")
        time.sleep(1)
    assert "event: access-ended" in lines
    assert not any("AFTER" in line for line in lines)


def test_a_revoked_partner_key_s_endpoints_stop_receiving_and_show_why(service, api_key):
    gateway = service("gateway", webhook_allow_private=True)
    partner = api_key(gateway, "partner", clf_ids=["clf-a"])
    admin = api_key(gateway, "admin")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        made = client.post("/v1/webhooks/endpoints", headers=partner, json={
            "url": "http://127.0.0.1:9/h", "event_types": ["haat.catalog.stock.changed.v1"]})  # fmt: skip
        endpoint = made.json()["id"]
        shown = client.get(f"/v1/webhooks/endpoints/{endpoint}", headers=admin).json()
        assert shown["owner"]["role"] == "partner"
        assert shown["owner"]["clf_ids"] == ["clf-a"], "an admin sees whose endpoint it is and what it was granted"
        key_id = shown["owner"]["id"]
        assert client.post(f"/v1/api-keys/{key_id}/revoke", headers=admin).status_code == 200
        assert client.get("/v1/me", headers=partner).status_code == 401
        record_stock_event(gateway, "clf-a", "AFTER-REVOKE")
        after = client.get(f"/v1/webhooks/endpoints/{endpoint}", headers=admin).json()
    assert after["enabled"] is False
    assert "revoked" in after["disabled_reason"]
    assert after["owner"]["revoked"] is True
    with gateway.engine.connect() as conn:
        assert conn.scalar(select(webhook_endpoints.c.enabled).where(webhook_endpoints.c.id == endpoint)) is False
        deliveries = conn.execute(select(gateway.definition.metadata.tables["webhook_deliveries"])).all()
    assert deliveries == [], "nothing was queued for the revoked key's endpoint"


def test_a_log_in_posted_from_another_site_is_refused(service):
    gateway = service("gateway")
    add_user(gateway, "kanti", clf_id="clf-a")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        form = {"username": "kanti", "password": PASSWORD}
        for headers in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/x"}, {},
                        {"Origin": "null"}):  # fmt: skip
            answer = client.post("/login", data=form, headers=headers, follow_redirects=False)
            assert answer.status_code == 403, headers
            assert "haat_session" not in answer.headers.get("set-cookie", "")
        assert client.post("/login", data=form, headers=SAME_SITE, follow_redirects=False).status_code == 303
        referred = client.post("/login", data=form, headers={"Referer": "http://testserver/login?next=/"},
                               follow_redirects=False)  # fmt: skip
        assert referred.status_code == 303


def test_failed_log_ins_never_tell_whether_a_name_exists_and_a_stranger_cannot_lock_a_real_user_out(service):
    gateway = service("gateway", login_max_failures=3, login_lockout_minutes=15)
    add_user(gateway, "admin-didi", role="admin")
    app = gateway.definition.create_app(gateway)
    with (
        TestClient(app, client=("203.0.113.7", 5000)) as stranger,
        TestClient(app, client=("198.51.100.2", 6000)) as didi,
    ):
        answers = {name: [log_in(stranger, name, "guess").status_code for _ in range(5)]
                   for name in ("admin-didi", "nobody-here")}  # fmt: skip
        assert answers["admin-didi"] == answers["nobody-here"], "a real name and an unknown one are refused alike"
        assert answers["admin-didi"][:3] == [401, 401, 401]
        assert set(answers["admin-didi"][3:]) == {429}
        throttled = log_in(stranger, "admin-didi", PASSWORD)
        assert throttled.status_code == 429, "the guessing address waits, even with the right password"
        assert throttled.json()["detail"] == log_in(stranger, "nobody-here", PASSWORD).json()["detail"]
        # The real admin, elsewhere, waits seconds at most, not the stranger's quarter of an hour.
        wait_for(lambda: log_in(didi, "admin-didi").status_code == 200, timeout_s=40, interval_s=1,
                 what="the real admin getting in from her own address")  # fmt: skip


def test_every_answer_carries_the_security_headers_and_the_docs_load_nothing_from_elsewhere(service):
    gateway = service("gateway")
    with TestClient(gateway.definition.create_app(gateway)) as client:
        for path in ("/login", "/v1/event-types", "/docs", "/v1/me"):
            answer = client.get(path)
            assert answer.headers["x-frame-options"] == "DENY", path
            assert answer.headers["x-content-type-options"] == "nosniff", path
            assert answer.headers["referrer-policy"] == "same-origin", path
            assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], path
            assert "strict-transport-security" not in answer.headers, "HSTS only in production"
        docs = client.get("/docs")
        assert "script-src 'self'" in docs.headers["content-security-policy"]
        sources = [part.split('"')[1] for part in docs.text.split("src=")[1:]] + [
            part.split('"')[1] for part in docs.text.split("href=")[1:]
        ]
        assert sources, docs.text
        assert all(source.startswith("/") for source in sources), sources
        for source in sources:
            assert client.get(source).status_code == 200, source
        assert json.loads(client.get("/openapi.json").text)["paths"]


def test_a_download_is_named_only_with_our_own_words(service):
    orders = service("orders")
    with ThreadedServer(orders.definition.create_app(orders)) as orders_server:
        gateway = service("gateway", orders_url=orders_server.url)
        add_user(gateway, "kanti", clf_id="clf-a")
        with TestClient(gateway.definition.create_app(gateway)) as client:
            client.post("/login", data={"username": "kanti", "password": PASSWORD}, headers=SAME_SITE)
            for asked in ("shg\r\nSet-Cookie: haat_session=stolen", "ज़िला", 'x"; filename="evil.exe', "month"):
                answer = client.get("/sales.csv", params={"group_by": asked})
                assert answer.status_code == 200, (asked, answer.text)
                disposition = answer.headers["content-disposition"]
                expected = "month" if asked == "month" else "shg"
                assert disposition == f'attachment; filename="sales-by-{expected}.csv"', asked
                assert "stolen" not in answer.headers.get("set-cookie", "")
