"""The orders service's own dependencies: its runtime typed with its settings, and its unit of work with
the repositories its use cases need."""

from typing import Annotated

from fastapi import Depends

from haat.http_app import get_runtime, get_unit_of_work
from haat.service import ServiceRuntime
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork
from haat_orders.settings import OrdersSettings

OrdersRuntimeDep = Annotated[ServiceRuntime[OrdersSettings], Depends(get_runtime)]
OrdersUnitOfWorkDep = Annotated[OrdersUnitOfWork, Depends(get_unit_of_work)]
