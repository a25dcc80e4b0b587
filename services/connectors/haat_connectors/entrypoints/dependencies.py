"""The connectors service's own dependencies: its runtime typed with its settings, and its unit of work
with its repositories."""

from typing import Annotated

from fastapi import Depends

from haat.http_app import get_runtime, get_unit_of_work
from haat.service import ServiceRuntime
from haat_connectors.adapters.unit_of_work import ConnectorsUnitOfWork
from haat_connectors.settings import ConnectorsSettings

ConnectorsRuntimeDep = Annotated[ServiceRuntime[ConnectorsSettings], Depends(get_runtime)]
ConnectorsUnitOfWorkDep = Annotated[ConnectorsUnitOfWork, Depends(get_unit_of_work)]
