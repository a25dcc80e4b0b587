"""What a service's own commands (`haat api-key …`, `haat connectors …`) are given: the service they belong
to, through the command's context (set when `haat` adds them), so a command module never imports its
service's definition back (which would close an import circle with the definition that lists it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from haat.service import ServiceDefinition, ServiceRuntime


def definition_of(ctx: typer.Context) -> ServiceDefinition:
    definition = ctx.find_object(ServiceDefinition)
    if definition is None:
        raise RuntimeError("a service command was run outside `haat` (its service is unknown)")
    return definition


@contextmanager
def command_runtime(ctx: typer.Context) -> Iterator[ServiceRuntime]:
    """The service's runtime on its migrated database, without workers; stopped afterwards."""
    definition = definition_of(ctx)
    runtime = ServiceRuntime(definition, definition.settings(run_workers=False))
    try:
        runtime.migrate()
        yield runtime
    finally:
        runtime.stop()
