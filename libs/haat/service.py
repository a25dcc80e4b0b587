"""What a Haat service is made of, and the runtime that wires it: database, producer, relay, consumers.

Each service package exposes one `SERVICE = ServiceDefinition(...)` (entry point group `haat.services`);
the CLI, the launcher and the tests build everything else from it, the way cosmicpython's bootstrap does.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, MetaData, Table
from sqlalchemy.orm import Session, sessionmaker

from haat import migrations
from haat.db import make_engine, make_session_factory
from haat.kafka.producer import SharedProducer
from haat.messaging.consumer import ConsumerRunner, ConsumerSpec
from haat.messaging.incarnation import BrokerWatch
from haat.messaging.outbox import OutboxRelay
from haat.settings import ServiceSettings
from haat.supervision import supervised
from haat.telemetry import instrument_engine, setup_telemetry
from haat.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Companion:
    """A process `haat up` starts beside a service in the embedded run (e.g. a sandbox marketplace)."""

    name: str
    args: list[str]  # `haat` sub-command and its options
    health_url: str
    setting: str = ""  # the environment variable that moves it (named when its port is taken)
    state_url: str = ""  # what the banner shows for it (default: its address and a sandbox's /_sandbox/stats)


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    title: str
    settings_class: type[ServiceSettings]
    metadata: MetaData
    migrations_dir: Path
    create_app: Callable[[ServiceRuntime], Any]
    consumers: Sequence[ConsumerSpec] = ()
    # The service's unit of work, with the repositories its use cases and handlers work through.
    unit_of_work_class: type[UnitOfWork] = UnitOfWork
    # Background jobs that run beside the consumers, e.g. spreadsheet imports: each gets the runtime and
    # the stop event and returns when it is set.
    jobs: Sequence[Callable[[ServiceRuntime, threading.Event], None]] = ()
    seed_demo: Callable[[ServiceRuntime], None] | None = None
    # Settings `haat up` gives the service in the embedded demo run (unless the environment says otherwise).
    demo_env: dict[str, str] = field(default_factory=dict)
    # Lines `haat up` prints about this service's demo ({base_url} is the service's address).
    demo_banner: tuple[str, ...] = ()
    start_mappers: Callable[[], None] | None = None
    cli: dict[str, Any] = field(default_factory=dict)  # extra `haat` sub-commands: name → typer.Typer
    # What the embedded run starts before this service, given its settings.
    companions: Callable[[Any], list[Companion]] | None = None  # given the service's own settings

    @property
    def outbox_table(self) -> Table:
        return self.metadata.tables["outbox"]

    @property
    def inbox_table(self) -> Table:
        return self.metadata.tables["inbox"]

    def settings(self, **overrides: Any) -> ServiceSettings:
        return self.settings_class(**overrides)


def discover_services() -> dict[str, ServiceDefinition]:
    """Every installed service, in the order of the design (catalog, orders, connectors, gateway)."""
    found = {ep.name: ep.load() for ep in entry_points(group="haat.services")}
    order = ["catalog", "orders", "connectors", "gateway"]
    return dict(sorted(found.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99))


SettingsT = TypeVar("SettingsT", bound=ServiceSettings)
UnitOfWorkT = TypeVar("UnitOfWorkT", bound=UnitOfWork)


class ServiceRuntime(Generic[SettingsT]):
    """One service's live parts in one process. Workers (relay, consumers) run as daemon threads.

    Generic over the service's own settings: `ServiceRuntime[GatewaySettings]` gives typed `settings`."""

    settings: SettingsT

    def __init__(self, definition: ServiceDefinition, settings: SettingsT) -> None:
        self.definition = definition
        self.settings = settings
        if definition.start_mappers:
            definition.start_mappers()
        setup_telemetry(f"haat-{definition.name}")
        self.engine: Engine = make_engine(settings.database_url)
        instrument_engine(self.engine)
        self.session_factory: sessionmaker[Session] = make_session_factory(self.engine)
        self.outbox_wakeup = threading.Event()
        self.stop_event = threading.Event()
        # Made on first send (SharedProducer): a runtime that never publishes never connects.
        self.producer = SharedProducer(settings, client_id=f"haat-{definition.name}")
        self.threads: list[threading.Thread] = []
        self.relay: OutboxRelay | None = None
        self.consumers: list[ConsumerRunner] = []
        self.broker_watch: BrokerWatch | None = None

    @property
    def name(self) -> str:
        return self.definition.name

    def unit_of_work(self) -> UnitOfWork:
        return self.definition.unit_of_work_class(
            self.session_factory,
            self.definition.outbox_table,
            service=self.name,
            after_commit=self.outbox_wakeup.set,
        )

    def unit_of_work_as(self, kind: type[UnitOfWorkT]) -> UnitOfWorkT:
        """A new unit of work, typed as the service's own (what its `ServiceDefinition.unit_of_work_class` is)."""
        uow = self.unit_of_work()
        if not isinstance(uow, kind):
            raise TypeError(f"{self.name}'s unit of work is {type(uow).__name__}, not {kind.__name__}")
        return uow

    def migrate(self) -> None:
        migrations.upgrade(self.definition.migrations_dir, self.settings.database_url)

    def make_relay(self) -> OutboxRelay:
        return OutboxRelay(
            self.engine,
            self.definition.outbox_table,
            self.producer,
            batch_size=self.settings.outbox_batch_size,
            poll_interval_s=self.settings.outbox_poll_interval_s,
            retention=timedelta(hours=self.settings.outbox_retention_hours),
            wakeup=self.outbox_wakeup,
        )

    def make_consumer(self, spec: ConsumerSpec, group_id: str | None = None) -> ConsumerRunner:
        return ConsumerRunner(
            spec,
            settings=self.settings,
            unit_of_work=self.unit_of_work,
            inbox_table=self.definition.inbox_table,
            producer=self.producer,
            group_id=group_id,
        )

    def start_workers(self, *, relay: bool = True, consumers: bool = True) -> None:
        if relay:
            self.relay = self.make_relay()
            self._spawn(f"{self.name}-relay", self.relay.run)
            self.broker_watch = BrokerWatch(
                self.settings,
                self.relay,
                on_replaced=self._after_broker_replaced,
                interval_s=self.settings.broker_check_interval_s,
            )
            self._spawn(f"{self.name}-broker-watch", self.broker_watch.run)
        if consumers:
            for spec in self.definition.consumers:
                runner = self.make_consumer(spec)
                self.consumers.append(runner)
                self._spawn(f"{self.name}-{spec.name}", runner.run)
            for job in self.definition.jobs:
                self._spawn(f"{self.name}-{job.__name__}", functools.partial(job, self))

    def _after_broker_replaced(self) -> None:
        self.producer.renew()
        self.outbox_wakeup.set()

    def _spawn(self, name: str, target: Callable[[threading.Event], None]) -> None:
        thread = threading.Thread(target=supervised(name, target, self.stop_event), name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    def workers_alive(self) -> bool:
        return all(t.is_alive() for t in self.threads)

    def stop(self, timeout_s: float = 10.0) -> None:
        self.stop_event.set()
        self.outbox_wakeup.set()
        for thread in self.threads:
            thread.join(timeout=timeout_s)
        self.threads.clear()
        self.producer.close(timeout=5)
        self.engine.dispose()
