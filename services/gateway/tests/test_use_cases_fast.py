"""The gateway's use cases on in-memory repositories (the fast tier: `make test-fast`): logging in and out,
keys and their grants, ending access at once, webhook subscriptions within a grant and fan-out that never
shows a partner more than it was granted. The same flows run over HTTP on PostgreSQL in test_login,
test_ending_access, test_api_keys and test_webhooks."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from haat.errors import NotAllowed, NotFound
from haat_gateway.domain.principal import Principal
from haat_gateway.service_layer import api_keys, audit, users, webhooks
from haat_gateway.service_layer.event_log import record_event
from haat_gateway.service_layer.login_throttle import LoginThrottle
from haat_testkit.fake_gateway import ADMIN, CREATED, SETTINGS, FakeGatewayUnitOfWork, event

pytestmark = pytest.mark.fast


def test_a_staff_member_logs_in_and_out_and_a_wrong_password_tells_nothing():
    uow, throttle = FakeGatewayUnitOfWork(), LoginThrottle(max_failures=3, lockout_s=60)
    with pytest.raises(users.InvalidUser, match="10 characters"):
        users.create_user(uow, username="didi", password="short", role="coordinator", clf_id="clf-a")
    with pytest.raises(users.InvalidUser, match="CLF"):
        users.create_user(uow, username="didi", password="long enough now", role="coordinator")
    users.create_user(uow, username="Didi ", password="long enough now", role="coordinator", clf_id="clf-a")
    for name in ("didi", "nobody"):
        with pytest.raises(users.LoginRefused) as refused:
            users.log_in(uow, SETTINGS, throttle, "10.0.0.1", name, "wrong password")
        assert str(refused.value) == "wrong username or password"  # the same for a name that does not exist
    issued = users.log_in(uow, SETTINGS, throttle, "10.0.0.2", "DIDI", "long enough now")
    verified = users.verify_token(issued.token, SETTINGS)
    assert verified is not None
    assert (verified.principal.role, verified.principal.clf_id) == ("coordinator", "clf-a")
    assert users.in_force(uow, verified)
    users.log_out(uow, verified)
    assert not users.in_force(uow, verified)


def test_revoking_a_key_or_disabling_a_user_ends_access_and_pauses_their_webhooks_at_once():
    uow = FakeGatewayUnitOfWork()
    key, partner = api_keys.create_key(uow, role="partner", label="shop", clf_ids=["clf-a"])
    assert api_keys.authenticate(uow, key) == partner
    webhooks.create_endpoint(uow, partner, SETTINGS, "https://8.8.8.8/hook", [CREATED], "orders")
    assert api_keys.revoke(uow, partner.key_id)
    assert api_keys.authenticate(uow, key) is None
    assert [e.enabled for e in uow.endpoints.listed(None)] == [False]
    user_id = users.create_user(uow, username="admin2", password="long enough now", role="admin")
    owner = Principal(f"user:{user_id}", "admin", None, "admin2")
    webhooks.create_endpoint(uow, owner, SETTINGS, "https://8.8.4.4/hook", [CREATED], "ops")
    users.set_disabled(uow, user_id, True)
    users.set_disabled(uow, user_id, False)  # enabled again: her endpoint resumes, the revoked key's does not
    assert sorted(e.enabled for e in uow.endpoints.listed(None)) == [False, True]


def test_a_partner_subscribes_within_its_grant_and_hears_only_its_clfs():
    uow = FakeGatewayUnitOfWork()
    _, partner = api_keys.create_key(uow, role="partner", label="shop", clf_ids=["clf-a"], event_types=[CREATED])
    with pytest.raises(NotAllowed, match="not granted"):
        webhooks.create_endpoint(uow, partner, SETTINGS, "https://8.8.8.8/h", ["haat.orders.order.shipped.v1"], "")
    endpoint = webhooks.create_endpoint(uow, partner, SETTINGS, "https://8.8.8.8/h", [CREATED], "")
    assert endpoint["secret"].startswith("whsec_")  # shown once
    assert "whsec_" not in json.dumps(uow.endpoints.rows[endpoint["id"]]["secret"])  # sealed at rest
    for clf in ("clf-a", "clf-b", "clf-a"):
        record_event(uow, event(clf))
    assert len(uow.deliveries.to(endpoint["id"])) == 2
    other = Principal("key-other", "partner", None, "other", clf_ids=("clf-b",))
    with pytest.raises(NotFound):
        webhooks.find_endpoint(uow, other, endpoint["id"])  # another partner's endpoint is not found
    since = datetime.now(UTC) - timedelta(minutes=1)
    assert webhooks.replay(uow, ADMIN, endpoint["id"], since) == 2  # as its owner may see, even for an admin
    assert [row["action"] for row in uow.audit.rows] == ["POST", "POST"]


def test_the_audit_log_never_keeps_a_secret():
    uow = FakeGatewayUnitOfWork()
    audit.record(uow, audit.Actor.of(ADMIN), "POST", "/v1/api-keys", 201,
                 {"label": "shop", "password": "hunter22", "nested": {"client_secret": "s3cret"}})  # fmt: skip
    kept = json.dumps(uow.audit.rows[0]["changes"])
    assert "hunter22" not in kept
    assert "s3cret" not in kept
    assert "shop" in kept
