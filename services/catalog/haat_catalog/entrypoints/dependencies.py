"""The catalog service's own dependencies: its runtime, typed with its settings."""

from typing import Annotated

from fastapi import Depends

from haat.http_app import get_runtime
from haat.service import ServiceRuntime
from haat_catalog.settings import CatalogSettings

CatalogRuntimeDep = Annotated[ServiceRuntime[CatalogSettings], Depends(get_runtime)]
