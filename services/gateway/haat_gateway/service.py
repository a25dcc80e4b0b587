"""The gateway as the rest of Haat sees it (entry point `haat.services: gateway`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from haat.events.registry import registry
from haat.http_app import build_app
from haat.messaging.consumer import ConsumerSpec
from haat.service import ServiceDefinition, ServiceRuntime
from haat_gateway import demo
from haat_gateway.adapters.tables import metadata
from haat_gateway.adapters.unit_of_work import GatewayUnitOfWork
from haat_gateway.adapters.upstreams import Upstreams
from haat_gateway.cli import api_key_cli, user_cli, webhooks_cli
from haat_gateway.entrypoints import api_keys, forward, login, stream, webhooks
from haat_gateway.entrypoints.docs import install_docs
from haat_gateway.entrypoints.http import router
from haat_gateway.entrypoints.limits import install_limits
from haat_gateway.entrypoints.openapi import install_openapi
from haat_gateway.entrypoints.security_headers import SecurityHeaders
from haat_gateway.service_layer.delivery import run_deliveries
from haat_gateway.service_layer.event_log import record_event
from haat_gateway.service_layer.login_throttle import LoginThrottle
from haat_gateway.settings import GatewaySettings
from haat_gateway.web import install_web


def public_events_consumer() -> ConsumerSpec:
    public = registry.public()
    return ConsumerSpec(
        name="gateway.public-events",
        topics=tuple(sorted({spec.topic for spec in public})),
        handlers={spec.name: record_event for spec in public},
    )


def create_app(runtime: ServiceRuntime[GatewaySettings]) -> FastAPI:
    upstreams = Upstreams(runtime.settings)
    # The forwarder's catch-all comes last: the gateway's own paths win.
    app = build_app(
        runtime,
        [login.router, stream.router, router, api_keys.router, webhooks.router, forward.router],
        description="The public API of Haat, and its webhooks.",
        on_shutdown=[upstreams.close],
        public_docs=True,
        install=[install_web, lambda app: install_limits(app, runtime), lambda app: install_openapi(app, upstreams),
                 install_docs],
    )  # fmt: skip
    app.state.upstreams = upstreams
    settings = runtime.settings
    app.state.login_throttle = LoginThrottle(
        max_failures=settings.login_max_failures, lockout_s=settings.login_lockout_minutes * 60
    )
    app.add_middleware(SecurityHeaders, production=runtime.settings.is_production)  # on every answer, 413s too
    return app


SERVICE = ServiceDefinition(
    name="gateway",
    title="Gateway",
    settings_class=GatewaySettings,
    metadata=metadata,
    migrations_dir=Path(__file__).parent / "migrations",
    create_app=create_app,
    unit_of_work_class=GatewayUnitOfWork,
    consumers=(public_events_consumer(),),
    jobs=(run_deliveries,),
    # The demo's partners are local test receivers; production refuses this setting.
    demo_env={"HAAT_GATEWAY_WEBHOOK_ALLOW_PRIVATE": "true"},
    seed_demo=demo.seed,
    demo_banner=demo.BANNER,
    cli={"api-key": api_key_cli, "user": user_cli, "webhooks": webhooks_cli},
)
