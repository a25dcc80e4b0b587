from datetime import UTC, datetime, timedelta

import pytest

from haat.backoff import Backoff, after_failure, due_now

pytestmark = pytest.mark.fast
NOW = datetime(2026, 12, 3, tzinfo=UTC)


def test_work_asked_for_again_is_due_now_and_a_failure_counts_and_waits():
    assert due_now(NOW) == {"attempts": 0, "next_attempt_at": NOW}
    third = after_failure(Backoff.doubling(5, 600), 2, NOW)
    assert third["attempts"] == 3
    assert NOW + timedelta(seconds=16) <= third["next_attempt_at"] <= NOW + timedelta(seconds=24)
