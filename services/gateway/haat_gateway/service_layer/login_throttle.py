"""Slowing down password guessing without telling anyone which names exist, and without letting a stranger
lock a real person out.

Failures are counted per address and name together, per address, and per name, for names that exist and
names that do not alike (the answer never depends on it):
- the same address failing on the same name `max_failures` times waits `lockout_s` (it only locks itself);
- one address failing on many names (4 times `max_failures`) waits `lockout_s` (password spraying);
- a name failing from anywhere `max_failures` times is slowed, not locked: each further try waits a little
  longer (1 s, 2 s, 4 s … at most `max_name_delay_s`), so guessing from many addresses stays slow while the
  real person, trying now and then, gets in.
A success clears the name's and the pair's count. Kept in this process, like the rate limits (each gateway
replica slows its share), bounded in size.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

MAX_ENTRIES = 100_000


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    until: float = 0.0  # no try is taken before this (monotonic seconds)


class LoginThrottle:
    def __init__(self, *, max_failures: int, lockout_s: float, max_name_delay_s: float = 30.0) -> None:
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self.max_name_delay_s = max_name_delay_s
        self._entries: dict[tuple[str, ...], _Failures] = {}
        self._lock = threading.Lock()

    def wait_s(self, address: str, name: str) -> float:
        """Seconds before this address may try this name again (0: now)."""
        now = time.monotonic()
        with self._lock:
            return max((e.until - now for e in self._current(address, name, now) if e.until > now), default=0.0)

    def failed(self, address: str, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            pair, by_address, by_name = self._current(address, name, now, create=True)
            for entry in (pair, by_address, by_name):
                entry.count += 1
                entry.last = now
            if pair.count >= self.max_failures:
                pair.until = now + self.lockout_s
            if by_address.count >= 4 * self.max_failures:
                by_address.until = now + self.lockout_s
            if by_name.count >= self.max_failures:
                by_name.until = now + min(2.0 ** (by_name.count - self.max_failures), self.max_name_delay_s)

    def succeeded(self, address: str, name: str) -> None:
        with self._lock:
            self._entries.pop(("pair", address, name), None)
            self._entries.pop(("name", name), None)

    def _current(self, address: str, name: str, now: float, *, create: bool = False) -> list[_Failures]:
        found = []
        for key in (("pair", address, name), ("address", address), ("name", name)):
            entry = self._entries.get(key)
            if entry is not None and entry.until <= now and now - entry.last > self.lockout_s:
                entry = None  # a quiet while forgives old failures
                self._entries.pop(key, None)
            if entry is None:
                entry = _Failures()
                if create:
                    self._make_room()
                    self._entries[key] = entry
            found.append(entry)
        return found

    def _make_room(self) -> None:
        if len(self._entries) < MAX_ENTRIES:
            return
        oldest = sorted(self._entries, key=lambda key: self._entries[key].last)[: MAX_ENTRIES // 2]
        for key in oldest:
            del self._entries[key]
