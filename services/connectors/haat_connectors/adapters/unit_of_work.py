"""The connectors' unit of work: the kernel's transaction and outbox, with the connectors' repositories."""

from __future__ import annotations

from typing import Any

from haat.service import ServiceRuntime
from haat.unit_of_work import UnitOfWork
from haat_connectors.adapters.listing_book import Listings, WantedProducts
from haat_connectors.adapters.marketplace_tasks import MarketplaceTasks
from haat_connectors.adapters.order_book import MarketplaceOrders, OrderFetches, StockHolds
from haat_connectors.adapters.seller_accounts import SellerAccounts


class ConnectorsUnitOfWork(UnitOfWork):
    accounts: SellerAccounts
    products: WantedProducts
    listings: Listings
    orders: MarketplaceOrders
    holds: StockHolds
    fetches: OrderFetches
    tasks: MarketplaceTasks

    def open_repositories(self) -> None:
        self.accounts = SellerAccounts(self.session)
        self.products = WantedProducts(self.session)
        self.listings = Listings(self.session)
        self.orders = MarketplaceOrders(self.session)
        self.holds = StockHolds(self.session)
        self.fetches = OrderFetches(self.session)
        self.tasks = MarketplaceTasks(self.session)


def unit_of_work(runtime: ServiceRuntime[Any]) -> ConnectorsUnitOfWork:
    """A new unit of work of the connectors' runtime (for jobs and calls handed the runtime)."""
    return runtime.unit_of_work_as(ConnectorsUnitOfWork)
