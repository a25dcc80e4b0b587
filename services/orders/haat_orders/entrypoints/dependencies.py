"""The orders service's own dependencies: its unit of work, with the repositories its use cases need."""

from typing import Annotated

from fastapi import Depends

from haat.http_app import get_unit_of_work
from haat_orders.adapters.unit_of_work import OrdersUnitOfWork

OrdersUnitOfWorkDep = Annotated[OrdersUnitOfWork, Depends(get_unit_of_work)]
