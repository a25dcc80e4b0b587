"""Background workers that outlive their crashes.

A relay, a consumer or a job runs for the life of its process. Anything it did not expect (a broker that
refuses connections while its coordinator is looked up, a database that restarts under a query) must not
end it for good: a dead worker loses nothing stored, but stops the service's part of the flow until
someone restarts the process. So a crashed worker is logged and started again after a pause that grows
with repeated crashes, until the service stops.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

FIRST_PAUSE_S = 0.5
LONGEST_PAUSE_S = 30.0
# A worker that ran this long before crashing is counted as healthy again: its next pause starts short.
HEALTHY_AFTER_S = 60.0


def supervised(name: str, target: Callable[[threading.Event], None], stop: threading.Event,
               *, first_pause_s: float = FIRST_PAUSE_S) -> Callable[[], None]:  # fmt: skip
    """`target(stop)` run until it returns or `stop` is set, started again whenever it raises."""

    def run() -> None:
        pause = first_pause_s
        while not stop.is_set():
            started = time.monotonic()
            try:
                target(stop)
                return
            except Exception:
                if time.monotonic() - started > HEALTHY_AFTER_S:
                    pause = first_pause_s
                log.exception("worker crashed; starting it again", extra={"worker": name, "restart_in_s": pause})
            stop.wait(pause)
            pause = min(pause * 2, LONGEST_PAUSE_S)

    return run
