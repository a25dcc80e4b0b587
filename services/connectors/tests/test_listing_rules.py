"""What a marketplace's answer to a push means for the listing (domain.listing_sync.answered), free of I/O."""

from datetime import UTC, datetime, timedelta

import pytest

from haat_connectors.domain.listing_sync import Pushed, Wanted, answered, sellable_quantity

pytestmark = pytest.mark.fast
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def wanted(**changes) -> Wanted:
    return Wanted(**{"attempts": 0, "status_at": NOW - timedelta(hours=1), "version": 3, "available": 10,
                     "listed": True, "held": 2, **changes})  # fmt: skip


def pushed(**changes) -> Pushed:
    return Pushed(**{"quantity": 8, "content": True, "version": 3, "status": "pending", "error": None,
                     "sent_at": NOW - timedelta(seconds=1), **changes})  # fmt: skip


def test_never_more_than_the_catalog_has_less_what_is_held():
    assert sellable_quantity(10, 2) == 8
    assert sellable_quantity(1, 3) == 0
    assert sellable_quantity(None, 0) == 0  # unknown stock is offered as none


def test_an_accepted_push_is_verified_later_and_is_clean_when_nothing_changed_meanwhile():
    result = answered(wanted(), pushed(), NOW, verify_after_s=60)
    assert result.status == "pending"
    assert (result.changes["content_dirty"], result.changes["stock_dirty"]) == (False, False)
    assert result.changes["verify_at"] == NOW + timedelta(seconds=60)


def test_a_sale_while_the_call_was_out_makes_the_stock_dirty_again():
    result = answered(wanted(held=3), pushed(), NOW, verify_after_s=60)
    assert result.changes["stock_dirty"] is True  # 7 may be sold now, 8 were sent: push again


def test_a_failure_backs_off_and_a_lost_listing_is_sent_whole_again():
    result = answered(wanted(attempts=2), pushed(error="HTTP 503", status="pending"), NOW, verify_after_s=60)
    assert result.status is None
    assert result.changes["attempts"] == 3
    assert result.changes["next_attempt_at"] > NOW + timedelta(seconds=15)
    assert (result.changes["pushed_version"], result.changes["content_dirty"]) == (0, True)


def test_a_newer_notification_wins_over_the_answer_it_overtook():
    result = answered(wanted(status_at=NOW), pushed(status="live"), NOW, verify_after_s=60)
    assert result.status is None
    assert "verify_at" not in result.changes


def test_a_rejected_listing_waits_for_a_new_version_of_the_product():
    assert answered(wanted(), pushed(status="rejected"), NOW, 60).changes["content_dirty"] is False
    assert answered(wanted(version=4), pushed(status="rejected"), NOW, 60).changes["content_dirty"] is True
