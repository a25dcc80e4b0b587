"""The gateway service's own dependencies: its runtime, typed with its settings."""

from typing import Annotated

from fastapi import Depends

from haat.http_app import get_runtime
from haat.service import ServiceRuntime
from haat_gateway.settings import GatewaySettings

GatewayRuntimeDep = Annotated[ServiceRuntime[GatewaySettings], Depends(get_runtime)]
