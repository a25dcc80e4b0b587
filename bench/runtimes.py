"""Service runtimes for a benchmark: migrated, their workers left to the benchmark to start."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import TracebackType
from typing import Any

from haat.service import ServiceRuntime, discover_services


def migrated_runtime(name: str, **settings: Any) -> ServiceRuntime:
    definition = discover_services()[name]
    runtime = ServiceRuntime(definition, definition.settings_class(environment="test", run_workers=False, **settings))
    runtime.migrate()
    return runtime


class BenchServices:
    """`service(name, **overrides)` as the tests' fixture has it: migrated runtimes on SQLite files in a
    fresh directory, on the benchmark's broker, every one stopped at the end of the `with` block."""

    def __init__(self, directory: Path, bootstrap_servers: str) -> None:
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        self.directory = directory
        self.bootstrap_servers = bootstrap_servers
        self.started: list[ServiceRuntime] = []

    def __call__(self, name: str, **overrides: Any) -> ServiceRuntime:
        runtime = migrated_runtime(
            name, database_url=f"sqlite:///{self.directory / name}.db", kafka_bootstrap_servers=self.bootstrap_servers,
            kafka_session_timeout_ms=2000, kafka_heartbeat_interval_ms=500, **overrides,
        )  # fmt: skip
        self.started.append(runtime)
        return runtime

    def __enter__(self) -> BenchServices:
        return self

    def __exit__(self, *_exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        for runtime in self.started:
            runtime.stop()
