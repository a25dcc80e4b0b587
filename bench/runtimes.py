"""A service runtime for a benchmark: migrated, its workers left to the benchmark to start."""

from __future__ import annotations

from typing import Any

from haat.service import ServiceRuntime, discover_services


def migrated_runtime(name: str, **settings: Any) -> ServiceRuntime:
    definition = discover_services()[name]
    runtime = ServiceRuntime(definition, definition.settings_class(environment="test", run_workers=False, **settings))
    runtime.migrate()
    return runtime
