"""The rest of the gateway's use cases on in-memory repositories (the fast tier): what an admin does with keys
and grants, the audit log and people's names, the event history a partner may read, a web session renewed
only while its person is allowed in, and everything a partner does with its webhook endpoints. The same
flows run over HTTP on PostgreSQL in test_api_keys, test_audit_log, test_stream and test_webhooks."""

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from haat.backoff import Backoff
from haat.errors import Invalid, NotAllowed, NotFound
from haat.secret_box import SecretBox
from haat_gateway.domain.principal import Principal
from haat_gateway.service_layer import api_keys, audit, delivery, event_history, users, webhooks
from haat_gateway.service_layer.event_log import record_event
from haat_testkit.fake_gateway import ADMIN, CREATED, SETTINGS, FakeGatewayUnitOfWork, event

pytestmark = pytest.mark.fast
SHIPPED = "haat.orders.order.shipped.v1"


def test_an_admin_grants_revokes_and_lists_keys():
    uow = FakeGatewayUnitOfWork()
    _, partner = api_keys.create_key(uow, role="partner", label="shop", clf_ids=["clf-a"])
    api_keys.create_key(uow, role="partner", label="shop", clf_ids=[])
    granted = api_keys.grant(uow, partner.key_id, clf_ids=["clf-b", "clf-a", "clf-b"], event_types=[CREATED])
    assert (granted.clf_ids, granted.event_types) == (["clf-a", "clf-b"], [CREATED])
    assert api_keys.grant(uow, "key-nobody", clf_ids=["clf-a"], event_types=None) is None
    assert [k.label for k in api_keys.list_keys(uow)] == ["shop", "shop"]
    assert api_keys.key_in_force(uow, partner.key_id)
    assert api_keys.revoke_by_label(uow, "shop") == 2
    assert not api_keys.key_in_force(uow, partner.key_id)
    assert api_keys.grant(uow, partner.key_id, clf_ids=["clf-a"], event_types=None) is None  # revoked: no grant


def test_the_audit_log_is_read_newest_first_by_actor_target_and_time():
    uow = FakeGatewayUnitOfWork()
    didi = audit.Actor(id="user:u1", label="Kanti didi", role="coordinator", clf_id="clf-a")
    audit.record(uow, didi, "PATCH", "/v1/products/AAM-ACHAR", 200, {"price_paise": 5500})
    audit.record(uow, audit.Actor.of(ADMIN), "POST", "/v1/products/AAM-ACHAR/approve", 200, {})
    audit.record(uow, didi, "POST", "/v1/stock/HALDI-200", 201, {"quantity": 5})
    newest = audit.entries(uow)
    assert [e.target for e in newest] == ["/v1/stock/HALDI-200", "/v1/products/AAM-ACHAR/approve",
                                          "/v1/products/AAM-ACHAR"]  # fmt: skip
    assert [e.action for e in audit.entries(uow, target="/v1/products/AAM-ACHAR")] == ["POST", "PATCH"]
    assert len(audit.entries(uow, actor="user:u1")) == 2
    assert len(audit.entries(uow, clf_id="clf-a", before_seq=newest[0].seq)) == 1
    assert audit.entries(uow, since=datetime.now(UTC) + timedelta(minutes=1)) == []
    users.create_user(uow, username="kanti", password="long enough now", role="coordinator", clf_id="clf-a",
                      display_name="Kanti Devi")  # fmt: skip
    (user,) = users.list_users(uow)
    _, key = api_keys.create_key(uow, role="partner", label="Village shop", clf_ids=[])
    named = users.names_of(uow, {f"user:{user.id}", f"key:{key.key_id}", "service:orders"})
    assert named == {f"user:{user.id}": "Kanti Devi", f"key:{key.key_id}": "Village shop"}


def test_the_event_history_shows_a_partner_only_its_grant_page_by_page():
    uow = FakeGatewayUnitOfWork()
    for clf in ("clf-a", "clf-b", "clf-a", "clf-a"):
        record_event(uow, event(clf))
    record_event(uow, event("clf-a", SHIPPED))
    partner = Principal("key-p", "partner", None, "shop", clf_ids=("clf-a",), event_types=(CREATED,))
    first, cursor = event_history.visible_events(uow, partner, limit=2, before=None, event_type=None)
    assert [e["data"]["clf_id"] for e in first] == ["clf-a", "clf-a"]
    assert all(e["type"] == CREATED for e in first)  # shipped events are not in its grant
    rest, cursor = event_history.visible_events(uow, partner, limit=2, before=cursor, event_type=None)
    assert [e["data"]["clf_id"] for e in rest] == ["clf-a"]
    assert cursor is None
    everything, _ = event_history.visible_events(uow, ADMIN, limit=10, before=None, event_type=SHIPPED)
    assert [e["type"] for e in everything] == [SHIPPED]
    nothing = Principal("key-n", "partner", None, "new", clf_ids=())
    assert event_history.visible_events(uow, nothing, limit=10, before=None, event_type=None) == ([], None)


def test_a_web_session_is_renewed_only_while_its_person_is_allowed_in():
    uow = FakeGatewayUnitOfWork()
    user_id = users.create_user(uow, username="packer", password="long enough now", role="fulfilment",
                                packaging_house_id="ph-1")  # fmt: skip
    principal = Principal(f"user:{user_id}", "fulfilment", None, "packer", packaging_house_id="ph-1")
    renewed = users.renew(uow, SETTINGS, principal)
    assert renewed is not None
    assert users.verify_token(renewed.token, SETTINGS).principal.packaging_house_id == "ph-1"
    users.set_disabled(uow, user_id, True)
    assert users.renew(uow, SETTINGS, principal) is None
    assert users.renew(uow, SETTINGS, Principal("user:gone", "admin", None, "gone")) is None


def test_a_partner_manages_its_own_endpoints_and_deliveries_and_nobody_elses():
    uow = FakeGatewayUnitOfWork()
    _, partner = api_keys.create_key(uow, role="partner", label="shop", clf_ids=["clf-a"], event_types=[CREATED])
    _, other = api_keys.create_key(uow, role="partner", label="other", clf_ids=["clf-a"])
    mine = webhooks.create_endpoint(uow, partner, SETTINGS, "https://8.8.8.8/h", [CREATED], "orders")
    webhooks.create_endpoint(uow, other, SETTINGS, "https://8.8.4.4/h", [CREATED], "theirs")
    assert [e.id for e in webhooks.list_endpoints(uow, partner)] == [mine["id"]]
    assert len(webhooks.list_endpoints(uow, ADMIN)) == 2
    shown = webhooks.owners(uow, webhooks.list_endpoints(uow, ADMIN))
    assert shown[partner.key_id] == {"id": partner.key_id, "role": "partner", "label": "shop", "clf_ids": ["clf-a"],
                                     "event_types": [CREATED], "revoked": False}  # fmt: skip
    coordinator = Principal("user:u1", "coordinator", "clf-a", "didi")
    for refused in (lambda: webhooks.list_endpoints(uow, coordinator),
                    lambda: webhooks.change_endpoint(uow, other, SETTINGS, mine["id"], {"description": "x"}),
                    lambda: webhooks.delete_endpoint(uow, other, mine["id"])):  # fmt: skip
        with pytest.raises((NotAllowed, NotFound)):
            refused()
    with pytest.raises(NotAllowed, match="not granted"):
        webhooks.change_endpoint(uow, partner, SETTINGS, mine["id"], {"event_types": [SHIPPED]})
    with pytest.raises(Invalid):
        webhooks.change_endpoint(uow, partner, SETTINGS, mine["id"], {"url": "http://127.0.0.1/h"})
    paused = webhooks.change_endpoint(uow, partner, SETTINGS, mine["id"], {"enabled": False})
    assert paused.enabled is False
    uow.endpoints.change(mine["id"], {"failing_since": datetime.now(UTC), "disabled_reason": "failing"})
    resumed = webhooks.change_endpoint(uow, partner, SETTINGS, mine["id"], {"enabled": True})
    assert (resumed.enabled, resumed.failing_since, resumed.disabled_reason) == (True, None, None)  # a fresh start

    record_event(uow, event("clf-a"))
    (delivery,) = webhooks.list_deliveries(uow, partner, mine["id"], limit=10, before_seq=None)
    uow.deliveries.rows[delivery.id].update(status="failed", next_attempt_at=None)
    with pytest.raises(NotFound):
        webhooks.retry_delivery(uow, other, delivery.id)
    assert webhooks.retry_delivery(uow, partner, delivery.id).status == "pending"
    with pytest.raises(NotFound):
        webhooks.retry_delivery(uow, partner, "msg_nothing")

    box = SecretBox(SETTINGS.encryption_keys)
    old_sealed = uow.endpoints.rows[mine["id"]]["secret"]
    new_secret = webhooks.rotate_secret(uow, partner, SETTINGS, mine["id"])
    row = uow.endpoints.rows[mine["id"]]
    assert box.open_text(row["secret"]) == new_secret
    assert row["previous_secret"] == old_sealed  # the old one signs beside it for the grace period
    assert row["previous_secret_until"] > datetime.now(UTC)

    newer = SecretStr(secrets.token_urlsafe(32) + "," + SETTINGS.encryption_keys.get_secret_value())
    assert webhooks.reseal_secrets(uow, SecretBox(newer)) == 2
    only_new = SecretBox(newer.get_secret_value().split(",")[0])
    assert only_new.open_text(uow.endpoints.rows[mine["id"]]["secret"]) == new_secret  # sealed with the newest key

    webhooks.delete_endpoint(uow, partner, mine["id"])
    assert webhooks.list_endpoints(uow, partner) == []
    assert [r["action"] for r in uow.audit.rows][-1] == "DELETE"


def test_a_round_of_outcomes_delivers_retries_and_in_time_disables_an_endpoint_nobody_answers():
    uow = FakeGatewayUnitOfWork()
    _, partner = api_keys.create_key(uow, role="partner", label="shop", clf_ids=["clf-a"])
    up = webhooks.create_endpoint(uow, partner, SETTINGS, "https://8.8.8.8/up", [CREATED], "")
    down = webhooks.create_endpoint(uow, partner, SETTINGS, "https://8.8.4.4/down", [CREATED], "")
    record_event(uow, event("clf-a"))
    sent = {row["endpoint_id"]: uow.deliveries.get(key) for key, row in uow.deliveries.rows.items()}
    retry, now = Backoff.schedule([0, 300, 3600]), datetime.now(UTC)  # tried at once, again after 5 min, 1 h
    uow.emitted.clear()
    delivery.record_outcomes(uow, [(sent[up["id"]], 204, None, 40), (sent[down["id"]], 503, None, 900)], retry,
                             3600, now)  # fmt: skip
    assert uow.deliveries.rows[sent[up["id"]].id]["status"] == "delivered"
    waiting = uow.deliveries.rows[sent[down["id"]].id]
    assert (waiting["status"], waiting["attempts"], waiting["last_error"]) == ("pending", 1, "HTTP 503")
    assert now + timedelta(minutes=4) < waiting["next_attempt_at"] < now + timedelta(minutes=6)  # with jitter
    assert uow.endpoints.rows[down["id"]]["failing_since"] == now
    assert [a["status_code"] for a in uow.deliveries.attempts] == [204, 503]
    later = now + timedelta(hours=2)
    again = uow.deliveries.get(sent[down["id"]].id)
    delivery.record_outcomes(uow, [(again, None, "connection refused", 10000)], retry, 3600, later)
    assert uow.endpoints.rows[down["id"]]["enabled"] is False
    assert uow.deliveries.rows[again.id]["attempts"] == 2
    (notice,) = uow.emitted  # the owner hears of it like of any event
    assert notice.type == "haat.gateway.webhook_endpoint.disabled.v1"
    assert notice.data["reason"] == f"every delivery failed since {now.isoformat()}"
    assert uow.endpoints.rows[up["id"]]["enabled"] is True
