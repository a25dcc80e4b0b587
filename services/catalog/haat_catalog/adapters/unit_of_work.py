"""The catalog's unit of work: the kernel's transaction and outbox, with the catalog's repositories."""

from __future__ import annotations

from typing import Any

from haat.service import ServiceRuntime
from haat.unit_of_work import UnitOfWork
from haat_catalog.adapters.import_jobs import ImportJobs
from haat_catalog.adapters.listing_statuses import ListingStatuses
from haat_catalog.adapters.photo_repository import PhotoRepository
from haat_catalog.adapters.registry_repository import RegistryRepository
from haat_catalog.adapters.repository import ProductRepository, StockRepository


class CatalogUnitOfWork(UnitOfWork):
    products: ProductRepository
    stock: StockRepository
    photos: PhotoRepository
    registry: RegistryRepository
    listings: ListingStatuses
    imports: ImportJobs

    def open_repositories(self) -> None:
        self.products = ProductRepository(self.session)
        self.stock = StockRepository(self.session)
        self.photos = PhotoRepository(self.session)
        self.registry = RegistryRepository(self.session)
        self.listings = ListingStatuses(self.session)
        self.imports = ImportJobs(self.session)


def unit_of_work(runtime: ServiceRuntime[Any]) -> CatalogUnitOfWork:
    """A new unit of work of the catalog's runtime (for jobs, which are handed the runtime)."""
    return runtime.unit_of_work_as(CatalogUnitOfWork)
