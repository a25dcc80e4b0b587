"""The gateway's rules, free of I/O: who may see which event, and what a delivery attempt means."""

from datetime import UTC, datetime

import pytest

from haat.backoff import Backoff
from haat_gateway.domain.principal import Principal
from haat_gateway.domain.visibility import may_see, outside_grant
from haat_gateway.domain.webhook_delivery import attempted

pytestmark = pytest.mark.fast


def test_a_delivery_attempt_delivers_waits_or_fails_for_good():
    retry, now = Backoff.schedule([0, 5, 300]), datetime(2026, 12, 3, tzinfo=UTC)
    assert attempted(204, None, 0, retry, now).state == "delivered"
    waiting = attempted(503, None, 0, retry, now)
    assert (waiting.state, waiting.attempts, waiting.error) == ("pending", 1, "HTTP 503")
    assert 4 <= (waiting.next_attempt_at - now).total_seconds() <= 6
    assert attempted(None, "timed out", 1, retry, now).state == "pending"
    assert (attempted(302, "redirects are not followed", 2, retry, now).state) == "failed"


def test_a_partner_sees_only_its_granted_clfs_and_types():
    partner = Principal(
        "k1", "partner", None, "shop", clf_ids=("clf-a",), event_types=("haat.orders.order.created.v1",)
    )
    created = {"type": "haat.orders.order.created.v1", "data": {"clf_id": "clf-a"}}
    assert may_see(partner, created)
    assert not may_see(partner, {**created, "data": {"clf_id": "clf-b"}})
    assert not may_see(partner, {**created, "type": "haat.orders.order.shipped.v1"})
    assert outside_grant(partner, ["haat.orders.order.created.v1", "haat.orders.order.shipped.v1"]) == [
        "haat.orders.order.shipped.v1"
    ]
    coordinator = Principal("user:1", "coordinator", "clf-b", "didi")
    assert may_see(coordinator, {**created, "data": {"clf_id": "clf-b"}})
    assert not may_see(coordinator, created)


def test_an_endpoint_that_keeps_failing_is_disabled_once_and_says_since_when():
    from datetime import timedelta

    from haat_gateway.domain.webhook_delivery import EndpointDisabled, EndpointHealth

    now = datetime(2026, 12, 3, tzinfo=UTC)
    health = EndpointHealth("ep_1", "https://8.8.8.8/h", "key-1", enabled=True, failing_since=None)
    health.failed_again(now, disable_after_s=3600)
    assert (health.failing_since, health.enabled, health.events) == (now, True, [])
    health.failed_again(now + timedelta(minutes=30), 3600)
    assert health.enabled
    health.failed_again(now + timedelta(hours=2), 3600)
    reason = f"every delivery failed since {now.isoformat()}"
    assert (health.enabled, health.disabled_reason) == (False, reason)
    assert health.events == [EndpointDisabled("ep_1", "https://8.8.8.8/h", "key-1", reason)]
    health.failed_again(now + timedelta(hours=3), 3600)
    assert len(health.events) == 1  # already disabled: said once
