"""The connectors service's own dependencies: its runtime, typed with its settings."""

from typing import Annotated

from fastapi import Depends

from haat.http_app import get_runtime
from haat.service import ServiceRuntime
from haat_connectors.settings import ConnectorsSettings

ConnectorsRuntimeDep = Annotated[ServiceRuntime[ConnectorsSettings], Depends(get_runtime)]
