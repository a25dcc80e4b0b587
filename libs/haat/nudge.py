"""A wake-up call from any thread to asyncio workers idling on their own loops.

Background workers poll for work; a commit that just made work for one (an order to fetch, a webhook
to deliver) nudges it so that it starts now rather than at its next poll. The poll stays as the safety
net: a nudge is a hint, never the only way work is found.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading


class Nudge:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self.generation = 0  # how many nudges so far: a worker notes it before looking for work

    def set(self) -> None:
        with self._lock:
            self.generation += 1
            waiting = list(self._waiting)
        for loop, event in waiting:
            with contextlib.suppress(RuntimeError):  # that loop has closed
                loop.call_soon_threadsafe(event.set)

    async def wait(self, timeout_s: float, *, seen: int) -> None:
        """Sleep for up to `timeout_s`, less if nudged; at once if nudged since generation `seen` (work that
        came while the worker was looking elsewhere)."""
        event = asyncio.Event()
        key = (asyncio.get_running_loop(), event)
        with self._lock:
            if self.generation != seen:
                return
            self._waiting.add(key)
        try:
            await asyncio.wait_for(event.wait(), timeout_s)
        except TimeoutError:
            pass
        finally:
            with self._lock:
                self._waiting.discard(key)
