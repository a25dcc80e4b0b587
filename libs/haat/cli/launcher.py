"""`haat up`: the whole system on one machine, started in order and stopped cleanly on Ctrl-C.

Order: embedded broker → topics → migrations → one process per service (HTTP + relay + consumers) →
wait until every /readyz answers → demo data → an admin API key → the URLs. A service that dies takes
the others down with a pointer to its log, rather than leaving a half-running system; with `restart`
(`haat up --restart`, what the resilience tests run) it is started again instead, as an orchestrator would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from sqlalchemy.exc import OperationalError

from haat.broker import BrokerError, EmbeddedBroker, port_in_use
from haat.kafka.admin import ensure_topics
from haat.service import ServiceDefinition, ServiceRuntime
from haat.settings import CommonSettings, ServiceSettings, local_secret, secrets_dir, write_secret

READY_TIMEOUT_S = 90
LOCAL_HOSTS = ("127.0.0.1", "localhost")


class LaunchError(RuntimeError):
    pass


def make_local_secrets(var_dir: Path) -> None:
    """The secrets of a local run: a new token secret every run (a token of an earlier run is worth nothing)
    and a new shared secret for the sandboxes' Amazon notifications; the encryption key is made once and
    kept (what it sealed stays in var/)."""
    for name in ("internal_token_secret", "amazon_notification_secret"):
        write_secret(secrets_dir(var_dir) / name)
    local_secret(var_dir, "encryption_keys")


def migrate_service(definition: ServiceDefinition, settings: ServiceSettings) -> None:
    runtime = ServiceRuntime(definition, settings)
    try:
        runtime.migrate()
    except OperationalError as error:
        raise LaunchError(
            f"{definition.name}: cannot reach its database ({_redact(settings.database_url)}): "
            f"{str(error.orig).strip().splitlines()[0]}"
        ) from None
    finally:
        runtime.engine.dispose()


def _redact(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


class Launcher:
    def __init__(
        self, settings: CommonSettings, services: Mapping[str, ServiceDefinition], *, seed: bool, restart: bool = False
    ) -> None:
        self.settings = settings
        self.services = services
        self.seed = seed
        self.restart = restart
        self.service_env: dict[str, Mapping[str, str]] = {}
        self.broker: EmbeddedBroker | None = None
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.log_dir = settings.var_dir / "logs"
        self._stopping = False
        self.companion_urls: dict[str, str] = {}

    def run(self) -> None:
        make_local_secrets(self.settings.var_dir)
        service_settings = {name: d.settings() for name, d in self.services.items()}
        self._check_ports(service_settings)
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        try:
            self._start_broker()
            self._step("creating topics")
            ensure_topics(self.settings)
            for name, definition in self.services.items():
                self._step(f"migrating {name} ({_redact(service_settings[name].database_url)})")
                migrate_service(definition, service_settings[name])
            self._start_companions(service_settings)
            # The gateway reaches the others where this run puts them (unless told otherwise).
            upstreams = {f"HAAT_GATEWAY_{name.upper()}_URL": s.base_url for name, s in service_settings.items()}
            if "connectors" in service_settings:  # orders fetches shipping labels from the connectors
                upstreams["HAAT_ORDERS_CONNECTORS_URL"] = service_settings["connectors"].base_url
            for name, definition in self.services.items():
                wanted = {**upstreams, **definition.demo_env}
                self._start_service(name, {k: v for k, v in wanted.items() if k not in os.environ})
            for name, settings in service_settings.items():
                self._wait_ready(name, settings)
            if self.seed:
                self._seed(service_settings)
            key = self._admin_key()
            self._banner(service_settings, key)
            self._watch()
        except KeyboardInterrupt:
            pass
        finally:
            self.shutdown()

    def _step(self, message: str) -> None:
        print(f"haat: {message}", flush=True)

    def _check_ports(self, service_settings: Mapping[str, ServiceSettings]) -> None:
        """Every port this run will open, checked before anything starts: the services', the embedded
        broker's and the sandboxes'; a taken one is named with the one setting that moves it."""
        wanted = [(s.host, s.port, f"{name}; set HAAT_{name.upper()}_PORT") for name, s in service_settings.items()]
        host, _, port = self.settings.kafka_bootstrap_servers.split(",")[0].rpartition(":")
        if host in LOCAL_HOSTS and port.isdigit():
            wanted.append(("127.0.0.1", int(port), "embedded broker; set HAAT_KAFKA_BOOTSTRAP_SERVERS"))
        for name, definition in self.services.items():
            for companion in definition.companions(service_settings[name]) if definition.companions else []:
                address = urlsplit(companion.health_url)
                if address.port:
                    where = f"{companion.name}; set {companion.setting}" if companion.setting else companion.name
                    wanted.append((address.hostname or "127.0.0.1", address.port, where))
        busy = [f"{port} ({where})" for host, port, where in wanted if port_in_use(host, port)]
        if busy:
            raise LaunchError(f"port in use: {', '.join(busy)}. Is Haat already running?")

    def _start_broker(self) -> None:
        host, _, port = self.settings.kafka_bootstrap_servers.split(",")[0].rpartition(":")
        if host not in LOCAL_HOSTS:
            self._step(f"using the Kafka cluster at {self.settings.kafka_bootstrap_servers}")
            return
        self._step(f"starting the embedded broker on {host}:{port}")
        try:
            self.broker = EmbeddedBroker(int(port), host="127.0.0.1").start()
        except BrokerError as error:
            raise LaunchError(str(error)) from None

    def _start_service(self, name: str, extra_env: Mapping[str, str]) -> None:
        self.service_env[name] = extra_env
        self._spawn(name, ["serve", name], extra_env)

    def _spawn(self, name: str, args: list[str], extra_env: Mapping[str, str]) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_file = (self.log_dir / f"{name}.log").open("ab")
        self._step(f"starting {name} (log: {self.log_dir / (name + '.log')})")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "haat.cli.main", *args],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, **extra_env},
        )

    def _start_companions(self, service_settings: Mapping[str, ServiceSettings]) -> None:
        for name, definition in self.services.items():
            if definition.companions is None:
                continue
            for companion in definition.companions(service_settings[name]):
                self._spawn(companion.name, companion.args, {})
                base = companion.health_url.rsplit("/", 1)[0]
                self.companion_urls[companion.name] = companion.state_url or f"{base}   (state: {base}/_sandbox/stats)"
                self._wait_ready(companion.name, url=companion.health_url)

    def _wait_ready(self, name: str, settings: ServiceSettings | None = None, *, url: str = "") -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        url = url or f"{settings.base_url if settings else ''}/readyz"
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local URL
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise LaunchError(f"{name} did not become ready within {READY_TIMEOUT_S} s; see {self._log(name)}")

    def _seed(self, service_settings: Mapping[str, ServiceSettings]) -> None:
        for name, definition in self.services.items():
            if definition.seed_demo is None:
                continue
            self._step(f"loading demo data into {name}")
            runtime = ServiceRuntime(definition, service_settings[name].model_copy(update={"run_workers": False}))
            try:
                definition.seed_demo(runtime)
            finally:
                runtime.stop()

    def _admin_key(self) -> str:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "haat.cli.main",
                "api-key",
                "create",
                "--role",
                "admin",
                "--label",
                "haat up (admin)",
                "--replace",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise LaunchError(f"could not create the admin API key: {result.stderr.strip()}")
        return result.stdout.strip()

    def _banner(self, service_settings: Mapping[str, ServiceSettings], key: str) -> None:
        gateway = service_settings.get("gateway")
        lines = ["", "Haat is running.", ""]
        if gateway:
            lines += [f"  API docs:    {gateway.base_url}/docs   (the public gateway)"]
        for name, s in service_settings.items():
            lines.append(f"  {name + ':':<12} {s.base_url}   (health: {s.base_url}/readyz)")
        for name, shown in self.companion_urls.items():
            lines.append(f"  {name + ':':<12} {shown}")
        if self.broker:
            lines.append(f"  {'broker:':<12} {self.broker.bootstrap_servers}   (embedded, memory only)")
        for name, definition in self.services.items():
            lines += [line.format(base_url=service_settings[name].base_url) for line in definition.demo_banner]
        lines += [
            "",
            f"  Admin API key (shown once): {key}",
            f"  Try: curl -H 'Authorization: Bearer {key}' --get --data-urlencode 'q=अचार' "
            f"{gateway.base_url if gateway else ''}/v1/products",
            f"  Logs: {self.log_dir}/",
            "",
            "Ctrl-C stops everything.",
        ]
        print("\n".join(lines), flush=True)

    def _watch(self) -> None:
        while not self._stopping:
            self._check_alive()
            time.sleep(0.5)

    def _check_alive(self) -> None:
        for name, process in list(self.processes.items()):
            if process.poll() is not None and not self._stopping:
                if not (self.restart and name in self.service_env):
                    raise LaunchError(f"{name} exited with code {process.returncode}; see {self._log(name)}")
                self._step(f"{name} exited with code {process.returncode}; starting it again")
                self._start_service(name, self.service_env[name])
        if self.broker and self.broker.process and self.broker.process.poll() is not None:
            if not self.restart:
                raise LaunchError("the embedded broker exited")
            # Empty, as the embedded broker always starts: the services' relays notice and publish again.
            self._step("the embedded broker exited; starting it again (empty)")
            self.broker.stop()
            self.broker.start()

    def _log(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        # Interrupts whatever step is running (start-up included); `run` then shuts everything down.
        if not self._stopping:
            self._stopping = True
            raise KeyboardInterrupt

    def shutdown(self) -> None:
        self._stopping = True
        if not self.processes and not self.broker:
            return
        self._step("stopping")
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process in self.processes.items():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._step(f"{name} did not stop in 15 s; killing it")
                process.kill()
                process.wait()
        self.processes.clear()
        if self.broker:
            self.broker.stop()
            self.broker = None
        self._step("stopped")
