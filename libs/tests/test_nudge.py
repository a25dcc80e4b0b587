"""A nudge from another thread wakes an idle asyncio worker at once; without one it sleeps its poll."""

import asyncio
import threading
import time

import pytest

from haat.nudge import Nudge

pytestmark = pytest.mark.fast


def test_a_nudge_from_another_thread_wakes_the_waiting_worker():
    nudge = Nudge()

    async def waited() -> float:
        seen = nudge.generation
        threading.Timer(0.05, nudge.set).start()
        started = time.monotonic()
        await nudge.wait(5.0, seen=seen)
        return time.monotonic() - started

    assert asyncio.run(waited()) < 2.5  # far less than the 5 s poll: the nudge ended the wait


def test_a_nudge_while_the_worker_was_busy_is_not_missed():
    nudge = Nudge()

    async def waited() -> float:
        seen = nudge.generation
        nudge.set()  # work arrived while the worker was looking elsewhere
        started = time.monotonic()
        await nudge.wait(5.0, seen=seen)
        return time.monotonic() - started

    assert asyncio.run(waited()) < 1.0


def test_without_a_nudge_the_worker_sleeps_its_poll():
    nudge = Nudge()

    async def waited() -> float:
        started = time.monotonic()
        await nudge.wait(0.3, seen=nudge.generation)
        return time.monotonic() - started

    assert asyncio.run(waited()) >= 0.29
