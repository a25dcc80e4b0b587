"""The catalog service's own dependencies: its runtime typed with its settings, and its unit of work with
its repositories."""

from typing import Annotated

from fastapi import Depends

from haat.http_app import get_runtime, get_unit_of_work
from haat.service import ServiceRuntime
from haat_catalog.adapters.unit_of_work import CatalogUnitOfWork
from haat_catalog.settings import CatalogSettings

CatalogRuntimeDep = Annotated[ServiceRuntime[CatalogSettings], Depends(get_runtime)]
CatalogUnitOfWorkDep = Annotated[CatalogUnitOfWork, Depends(get_unit_of_work)]
