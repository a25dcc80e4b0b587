from datetime import timedelta

import pytest

from haat.backoff import Backoff

pytestmark = pytest.mark.fast


def test_doubling_waits_longer_each_time_up_to_the_longest():
    policy = Backoff.doubling(5, 600)
    assert policy.delays_s == (5, 10, 20, 40, 80, 160, 320, 600)
    for attempts, base in ((1, 5), (3, 20), (8, 600), (50, 600)):
        assert timedelta(seconds=base * 0.8) <= policy.after(attempts) <= timedelta(seconds=base * 1.2)
    assert not policy.gives_up(10_000)


def test_a_schedule_gives_up_after_its_last_attempt():
    policy = Backoff.schedule([0, 5, 300, 1800])
    assert [policy.gives_up(n) for n in (1, 2, 3, 4)] == [False, False, False, True]
    assert timedelta(seconds=4) <= policy.after(1) <= timedelta(seconds=6)
    assert timedelta(seconds=240) <= policy.after(2) <= timedelta(seconds=360)


def test_jitter_spreads_work_that_failed_together():
    waits = {Backoff.doubling(60, 600).after(1) for _ in range(50)}
    assert len(waits) > 40
