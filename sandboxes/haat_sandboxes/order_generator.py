"""Buyers for the sandboxes: a steady stream of orders for whatever is buyable, at a configurable rate."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)
BUYER_STATES = ["Bihar", "Bihar", "Odisha", "Uttar Pradesh", "Maharashtra", "Karnataka", "Delhi", "West Bengal"]
# Where a buyer in each state lives (its capital and a PIN code there), so that an address reads true.
BUYER_CITIES = {
    "Bihar": ("Patna", "800001"), "Odisha": ("Bhubaneswar", "751001"), "Uttar Pradesh": ("Lucknow", "226001"),
    "Maharashtra": ("Mumbai", "400001"), "Karnataka": ("Bengaluru", "560001"), "Delhi": ("New Delhi", "110001"),
    "West Bengal": ("Kolkata", "700001"),
}  # fmt: skip


@dataclass
class OrderRequest:
    seller_id: str
    items: list[tuple[str, int]]  # (sku, quantity)
    state: str = field(default="Bihar")

    @property
    def city_and_postal_code(self) -> tuple[str, str]:
        return BUYER_CITIES.get(self.state, ("Patna", "800001"))


class OrderGenerator:
    """Places one order of one unit of a random buyable listing every 60/`per_minute` seconds (0: off)."""

    def __init__(
        self,
        buyable: Callable[[], list[tuple[str, str, int]]],
        place: Callable[[OrderRequest], Awaitable[Any]],
        faults: Callable[[], Any],
        per_minute: float,
    ) -> None:
        self.buyable = buyable
        self.place = place
        self.faults = faults
        self.per_minute = per_minute
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()

    async def burst(self, count: int) -> int:
        """`count` orders at once (a festive-season spike); answers how many could be placed."""
        placed = 0
        for _ in range(count):
            if await self._place_one():
                placed += 1
        return placed

    async def _place_one(self) -> bool:
        candidates = self.buyable()
        if not candidates or self.faults().refuse_orders:
            return False
        seller_id, sku, _ = random.choice(candidates)
        try:
            await self.place(OrderRequest(seller_id, [(sku, 1)], random.choice(BUYER_STATES)))
        except Exception as error:  # a refused order is what a buyer meets too; keep going
            log.info("generated order refused", extra={"sku": sku, "error": str(error)})
            return False
        return True

    async def _run(self) -> None:
        while True:
            if self.per_minute <= 0:
                await asyncio.sleep(1)
                continue
            await asyncio.sleep(random.expovariate(self.per_minute / 60))
            await self._place_one()
