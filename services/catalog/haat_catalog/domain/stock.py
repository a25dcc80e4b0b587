"""Stock of one SKU at one packaging house: on hand, reserved for orders, and what is available.

Every change returns the movement that records it in the ledger. Available never goes below zero:
a reservation that cannot be met is refused, not accepted on credit.
"""

from __future__ import annotations

from dataclasses import dataclass


class StockError(ValueError):
    pass


class InsufficientStock(StockError):
    def __init__(self, sku: str, requested: int, available: int) -> None:
        super().__init__(f"{sku}: {requested} requested, {available} available")
        self.sku = sku
        self.requested = requested
        self.available = available


@dataclass(frozen=True)
class Movement:
    kind: str  # receipt | adjustment | reservation | release | consumption | restock
    on_hand_delta: int
    reserved_delta: int
    reason: str = ""


@dataclass
class StockLevel:
    clf_id: str
    sku: str
    packaging_house_id: str
    on_hand: int = 0
    reserved: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    def _apply(self, movement: Movement) -> Movement:
        self.on_hand += movement.on_hand_delta
        self.reserved += movement.reserved_delta
        return movement

    def receive(self, quantity: int, reason: str = "receipt") -> Movement:
        if quantity <= 0:
            raise StockError("a receipt adds a positive quantity")
        return self._apply(Movement("receipt", quantity, 0, reason))

    def adjust(self, delta: int, reason: str) -> Movement:
        """Correct the count (damage, recount); it may not take away what orders already hold."""
        if not reason.strip():
            raise StockError("an adjustment needs a reason")
        if delta == 0:
            raise StockError("an adjustment changes the quantity")
        if self.on_hand + delta < self.reserved:
            raise InsufficientStock(self.sku, -delta, self.available)
        return self._apply(Movement("adjustment", delta, 0, reason))

    def reserve(self, quantity: int) -> Movement:
        if quantity > self.available:
            raise InsufficientStock(self.sku, quantity, self.available)
        return self._apply(Movement("reservation", 0, quantity))

    def release(self, quantity: int) -> Movement:
        return self._apply(Movement("release", 0, -min(quantity, self.reserved)))

    def consume(self, quantity: int) -> Movement:
        """The reserved units left with the courier."""
        held = min(quantity, self.reserved)
        return self._apply(Movement("consumption", -held, -held))

    def restock(self, quantity: int) -> Movement:
        return self._apply(Movement("restock", quantity, 0, "returned in sellable condition"))
