"""The connectors service as the rest of Haat sees it (entry point `haat.services: connectors`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from haat.http_app import build_app
from haat.service import ServiceDefinition, ServiceRuntime
from haat_connectors.settings import ConnectorsSettings
from haat_connectors.tables import metadata


def create_app(runtime: ServiceRuntime) -> FastAPI:
    return build_app(runtime, [], description="Marketplace listings, stock and order synchronisation.")


SERVICE = ServiceDefinition(
    name="connectors",
    title="Connectors",
    settings_class=ConnectorsSettings,
    metadata=metadata,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
)
