"""What the connectors service needs from a marketplace, whichever it is (the plugin base of each channel).

An implementation maps Haat's product snapshot to the channel's listing schema, pushes listings and stock,
reads listing status and orders, and reads the channel's notifications. Calls go through `MarketplaceHttp`
(quota, retries, tokens); the sandboxes are the test peers of each implementation.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from haat_connectors.adapters.marketplaces.http import MarketplaceHttp
from haat_connectors.domain.marketplace_order import FetchedOrder


@dataclass(frozen=True)
class Account:
    """A seller account as the adapters see it: credentials already opened."""

    id: str
    clf_id: str
    channel: str
    seller_id: str
    location_id: str | None
    credentials: dict[str, str]


@dataclass(frozen=True)
class ListingPush:
    sku: str
    product: dict[str, Any]  # the catalog's ProductSnapshot, as JSON
    quantity: int
    content: bool  # True: the whole listing (new or changed); False: the quantity only
    retire: bool = False


@dataclass
class PushOutcome:
    sku: str
    status: Literal["pending", "live", "rejected", "inactive"] | None = None  # None: unchanged
    issues: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None  # a transient failure: keep the work and try again later
    # When the call was sent: a status the marketplace reported after this (a notification that overtook
    # our own record of the answer) is newer and wins.
    sent_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class ListingReport:
    sku: str
    status: Literal["pending", "live", "rejected", "suppressed", "inactive"]
    issues: list[dict[str, Any]]
    reported_at: datetime


@dataclass(frozen=True)
class Notification:
    """What a pushed notification says, as a hint: the full state is always fetched from the API."""

    seller_id: str
    kind: Literal["order", "listing", "other"]
    order_id: str | None = None  # the marketplace's order id
    fetch_id: str | None = None  # what to fetch the order by, when not the order id (Flipkart: the shipment)
    new_order_items: list[tuple[str, int]] = field(default_factory=list)  # (sku, qty) of a brand-new order
    listing_sku: str | None = None  # a listing changed: fetch its status (unless `listing` already says it)
    listing: ListingReport | None = None


class LabelNotReady(Exception):
    """The marketplace has no label for this order yet (not packed there yet)."""


class Marketplace(abc.ABC):
    channel: ClassVar[str]
    batch_size: ClassVar[int] = 1  # listings per push call

    def __init__(self, account: Account, http: MarketplaceHttp) -> None:
        self.account = account
        self.http = http

    @abc.abstractmethod
    async def push(self, pushes: list[ListingPush]) -> list[PushOutcome]:
        """Send listings (or only their quantities) in one call or one call each."""

    @abc.abstractmethod
    async def listing_status(self, sku: str) -> ListingReport | None:
        """The listing as the marketplace shows it now (None: it has no such listing)."""

    @abc.abstractmethod
    async def orders_updated_since(self, since: datetime) -> tuple[list[FetchedOrder], datetime]:
        """Every order changed after `since`, complete with items, and the cursor for the next pull."""

    @abc.abstractmethod
    async def order(self, marketplace_order_id: str) -> FetchedOrder | None:
        """One order, complete with items (None: the marketplace does not know it)."""

    @abc.abstractmethod
    async def confirm_shipment(self, raw_order: dict[str, Any], carrier: str, tracking_id: str) -> str | None:
        """Tell the marketplace the order left with this carrier; None when done, else why it refused."""

    @abc.abstractmethod
    async def cancel(self, raw_order: dict[str, Any], reason: str) -> str | None:
        """Cancel an order the seller cannot fulfil; None when done, else why it refused."""

    async def pack(self, raw_order: dict[str, Any], package: dict[str, Any]) -> str | None:
        """Tell the marketplace the order is packed (weight in grams, dimensions in cm). Where the marketplace
        ships the parcel, this is when it makes the label. None when done or nothing to tell, else a refusal."""
        return None

    async def shipping_label(self, raw_order: dict[str, Any]) -> bytes | None:
        """The marketplace's shipping label as a PDF, once packed; None where the seller ships with a carrier
        of its own (the carrier's label is used). Raises LabelNotReady before the marketplace has one."""
        return None

    async def subscribe(self, destination: str) -> list[str]:
        """Have the marketplace deliver the seller's notifications to `destination` (where it delivers through
        a queue of ours); returns what was subscribed now. Marketplaces that push over HTTP: nothing to do."""
        return []

    @staticmethod
    @abc.abstractmethod
    def read_notification(body: dict[str, Any]) -> Notification:
        """Parse a pushed notification; raises ValueError when it is not one of the channel's."""
