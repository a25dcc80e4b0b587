"""`haat` — the command-line entry point. Services add their own sub-commands (e.g. `haat api-key`)."""

from __future__ import annotations

import signal
import sys
from importlib.metadata import entry_points
from typing import Annotated, Any

import typer
from pydantic import SecretStr, ValidationError

from haat.broker import BrokerError, EmbeddedBroker
from haat.errors import DomainError
from haat.service import ServiceDefinition, ServiceRuntime, discover_services
from haat.settings import CommonSettings

app = typer.Typer(
    help="Haat: SHG products on every marketplace.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _service(name: str) -> ServiceDefinition:
    services = discover_services()
    if name not in services:
        typer.echo(f"haat: unknown service {name!r}; installed: {', '.join(services)}", err=True)
        raise typer.Exit(2)
    return services[name]


@app.command()
def up(
    seed: Annotated[bool, typer.Option(help="load the demo data")] = True,
    restart: Annotated[
        bool, typer.Option(help="start a service (or the embedded broker) again when it dies, instead of stopping")
    ] = False,
) -> None:
    """Run everything on the embedded defaults: broker, databases, all services, demo data."""
    from haat.cli.launcher import Launcher, LaunchError

    try:
        Launcher(CommonSettings(), discover_services(), seed=seed, restart=restart).run()
    except LaunchError as error:
        typer.echo(f"haat: {error}", err=True)
        raise typer.Exit(1) from None


@app.command()
def serve(
    service: str,
    workers: Annotated[bool, typer.Option(help="also run the outbox relay and consumers")] = True,
) -> None:
    """Run one service's HTTP API (and, by default, its workers) in this process."""
    import uvicorn

    from haat.http_serving import uvicorn_options
    from haat.structured_logging import setup_logging

    definition = _service(service)
    settings = definition.settings(run_workers=workers)
    setup_logging(definition.name, level=settings.log_level, fmt=settings.log_format)
    runtime = ServiceRuntime(definition, settings)
    uvicorn.run(definition.create_app(runtime), host=settings.host, port=settings.port, **uvicorn_options(settings))


@app.command()
def worker(
    service: str,
    relay: Annotated[bool, typer.Option(help="run the outbox relay")] = True,
    consumers: Annotated[bool, typer.Option(help="run the consumers")] = True,
) -> None:
    """Run one service's outbox relay and consumers without its HTTP API (scale these separately)."""
    from haat.structured_logging import setup_logging
    from haat.telemetry import setup_telemetry

    definition = _service(service)
    settings = definition.settings()
    setup_logging(definition.name, level=settings.log_level, fmt=settings.log_format)
    setup_telemetry(f"haat-{definition.name}")
    runtime = ServiceRuntime(definition, settings)
    signal.signal(signal.SIGTERM, lambda *_: runtime.stop_event.set())
    runtime.start_workers(relay=relay, consumers=consumers)
    try:
        while not runtime.stop_event.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        runtime.stop()


@app.command()
def migrate(services: Annotated[list[str] | None, typer.Argument(help="default: all")] = None) -> None:
    """Bring each service's database to the newest schema (alembic upgrade head)."""
    from haat.cli.launcher import LaunchError, migrate_service

    for name in services or list(discover_services()):
        definition = _service(name)
        try:
            migrate_service(definition, definition.settings())
        except LaunchError as error:
            typer.echo(f"haat: {error}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"{name}: migrated")


@app.command()
def revision(
    service: str,
    message: Annotated[str, typer.Option("--message", "-m", help="what the migration does")],
    autogenerate: Annotated[bool, typer.Option(help="diff the tables against the migrated database")] = False,
) -> None:
    """Create a new migration file in SERVICE's migrations/versions (then edit and commit it)."""
    from alembic import command

    from haat.migrations import alembic_config, upgrade

    definition = _service(service)
    settings = definition.settings()
    if autogenerate:
        upgrade(definition.migrations_dir, settings.database_url)  # diff from head, not from empty
    command.revision(
        alembic_config(definition.migrations_dir, settings.database_url), message=message, autogenerate=autogenerate
    )


@app.command()
def broker(
    port: Annotated[int, typer.Option(envvar="HAAT_BROKER_PORT")] = 9092,
) -> None:
    """Run only the embedded Kafka-protocol broker (tansu, memory only) until Ctrl-C."""
    try:
        embedded = EmbeddedBroker(port).start()
    except BrokerError as error:
        typer.echo(f"haat: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"broker listening on {embedded.bootstrap_servers} (memory only); Ctrl-C stops it")
    try:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        assert embedded.process is not None
        embedded.process.wait()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        embedded.stop()


@app.command()
def health(service: str) -> None:
    """Exit 0 if SERVICE answers ready on its configured port (for container health checks)."""
    import urllib.error
    import urllib.request

    settings = _service(service).settings()
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host  # noqa: S104
    try:
        with urllib.request.urlopen(f"http://{host}:{settings.port}/readyz", timeout=4) as response:
            typer.echo(response.read().decode())
    except (urllib.error.URLError, OSError) as error:
        typer.echo(f"haat: {service} is not ready: {error}", err=True)
        raise typer.Exit(1) from None


@app.command()
def settings() -> None:
    """Print every HAAT_ setting of every service with its embedded default, as a Markdown table."""
    typer.echo(settings_table())


def settings_table() -> str:
    from haat.settings import CommonSettings

    rows = ["| variable | default (embedded run) | what it is |", "|---|---|---|"]
    shared = CommonSettings.model_fields
    for name, field in shared.items():
        rows.append(_settings_row(f"HAAT_{name.upper()}", field))
    for service_name, definition in discover_services().items():
        for name, field in definition.settings_class.model_fields.items():
            if name in shared or name == "service_name":
                continue
            rows.append(_settings_row(f"HAAT_{service_name.upper()}_{name.upper()}", field))
    return "\n".join(rows)


def _settings_row(variable: str, field: Any) -> str:
    default = field.default_factory() if field.default_factory else field.default
    shown = "(per service)" if default in ("", None) else str(default)
    if isinstance(default, SecretStr):
        shown = "(none; haat up makes its own)"
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    shown = str(extra.get("shown", shown))  # a default worked out where it runs (a path) shows as written
    return f"| `{variable}` | `{shown}` | {field.description or ''} |"


@app.command()
def topics() -> None:
    """Create every Haat topic and its dead-letter topic on the configured broker."""
    from haat.kafka.admin import ensure_topics

    created = ensure_topics(CommonSettings())
    typer.echo(f"created: {', '.join(created) or 'none (all existed)'}")


dlq = typer.Typer(help="Dead-letter topics: what failed, and replay once fixed.", no_args_is_help=True)
app.add_typer(dlq, name="dlq")


@dlq.command("show")
def dlq_show(topic: str) -> None:
    """List the dead letters of TOPIC (e.g. haat.catalog.products) with their errors."""
    from haat.messaging.dead_letters import list_dead_letters

    letters = list_dead_letters(CommonSettings(), topic)
    for letter in letters:
        last_line = letter.error.strip().splitlines()[-1] if letter.error.strip() else ""
        typer.echo(
            f"{letter.origin_topic}[{letter.origin_partition}]@{letter.origin_offset}  {letter.consumer}  {last_line}"
        )
    typer.echo(f"{len(letters)} dead letter(s)")


@dlq.command("replay")
def dlq_replay(topic: str) -> None:
    """Send the dead letters of TOPIC back to it (consumers skip what they already processed)."""
    from haat.kafka.producer import make_producer
    from haat.messaging.dead_letters import replay_dead_letters

    settings = CommonSettings()
    producer = make_producer(settings, client_id="haat-dlq-replay")
    try:
        typer.echo(f"replayed {replay_dead_letters(settings, topic, producer)} dead letter(s) to {topic}")
    finally:
        producer.close()


outbox = typer.Typer(help="A service's outbox: what it has published, and publishing again.", no_args_is_help=True)
app.add_typer(outbox, name="outbox")


@outbox.command("requeue")
def outbox_requeue(
    service: str,
    since: Annotated[str, typer.Option(help="ISO time, e.g. 2026-11-24T06:00:00+05:30")],
) -> None:
    """Publish again every event SERVICE sent since a time (after the broker lost messages, or a restore).

    Consumers skip what they already processed, so this is always safe.
    """
    from datetime import datetime

    definition = _service(service)
    try:
        moment = datetime.fromisoformat(since)
    except ValueError:
        typer.echo(f"haat: {since!r} is not an ISO time", err=True)
        raise typer.Exit(2) from None
    if moment.tzinfo is None:
        typer.echo("haat: give the time with its offset (…+05:30 or …Z)", err=True)
        raise typer.Exit(2)
    from haat.messaging.outbox import OutboxRelay

    runtime = ServiceRuntime(definition, definition.settings(run_workers=False))
    try:  # no producer: marking rows unsent needs only the database; the running relay publishes them
        count = OutboxRelay(runtime.engine, definition.outbox_table, producer=None).requeue_since(moment)
    finally:
        runtime.stop()
    typer.echo(f"{service}: {count} event(s) will be published again by its relay")


def _add_service_commands() -> None:
    for definition in discover_services().values():
        for name, sub_app in definition.cli.items():
            # The definition is the commands' context object (haat.cli.service_commands).
            app.add_typer(sub_app, name=name, context_settings={"obj": definition})
    # Commands of installed packages that are not services (the sandboxes, in development only).
    for entry in entry_points(group="haat.commands"):
        app.add_typer(entry.load(), name=entry.name)


def main() -> None:
    _add_service_commands()
    try:
        app(standalone_mode=True)
    except DomainError as refused:  # a use case said no: its reason, without a traceback
        typer.echo(f"haat: {refused.detail}", err=True)
        raise SystemExit(2) from None
    except ValidationError as invalid:  # a setting that cannot be used (no secret in production, …)
        reasons = "; ".join(str(e.get("msg", "")).removeprefix("Value error, ") for e in invalid.errors())
        typer.echo(f"haat: the settings cannot be used: {reasons}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
