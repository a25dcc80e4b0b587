"""The catalog service as the rest of Haat sees it (entry point `haat.services: catalog`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from haat.http_app import build_app
from haat.service import ServiceDefinition, ServiceRuntime
from haat_catalog.adapters.orm import metadata, start_mappers
from haat_catalog.demo import seed_demo
from haat_catalog.entrypoints.http import router
from haat_catalog.settings import CatalogSettings


def create_app(runtime: ServiceRuntime) -> FastAPI:
    return build_app(runtime, [router], description="CLFs, SHGs, producers, products and stock.")


SERVICE = ServiceDefinition(
    name="catalog",
    title="Catalog",
    settings_class=CatalogSettings,
    metadata=metadata,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    start_mappers=start_mappers,
    seed_demo=seed_demo,
)
