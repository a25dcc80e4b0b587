"""A sandbox's log of the quantities sellers set (`/_sandbox/quantity-updates`), read a page at a time as it
grows: when a change reached a marketplace, by the sandbox's own clock."""

from __future__ import annotations

from typing import Any

import httpx


class QuantityUpdates:
    def __init__(self, sandbox_url: str) -> None:
        self.url = f"{sandbox_url}/_sandbox/quantity-updates"
        self.position = 0

    def new(self) -> list[dict[str, Any]]:
        """The updates logged since the last call, oldest first (each: at, seller_id, sku, quantity)."""
        answer = httpx.get(self.url, params={"since": self.position}, timeout=60)
        answer.raise_for_status()
        page = answer.json()
        self.position = page["next"]
        updates: list[dict[str, Any]] = page["updates"]
        return updates
