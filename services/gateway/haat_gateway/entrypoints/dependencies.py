"""The gateway service's own dependencies: its runtime typed with its settings, and its unit of work
with its repositories."""

from typing import Annotated

from fastapi import Depends

from haat.http_app import get_runtime, get_unit_of_work
from haat.service import ServiceRuntime
from haat_gateway.adapters.unit_of_work import GatewayUnitOfWork
from haat_gateway.settings import GatewaySettings

GatewayRuntimeDep = Annotated[ServiceRuntime[GatewaySettings], Depends(get_runtime)]
GatewayUnitOfWorkDep = Annotated[GatewayUnitOfWork, Depends(get_unit_of_work)]
