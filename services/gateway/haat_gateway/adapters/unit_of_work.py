"""The gateway's unit of work: the kernel's transaction and outbox, with the gateway's repositories."""

from __future__ import annotations

from typing import Any

from haat.service import ServiceRuntime
from haat.unit_of_work import UnitOfWork
from haat_gateway.adapters.access import ApiKeys, Users
from haat_gateway.adapters.audit_trail import AuditTrail, EventLog
from haat_gateway.adapters.webhook_book import WebhookDeliveries, WebhookEndpoints


class GatewayUnitOfWork(UnitOfWork):
    users: Users
    keys: ApiKeys
    audit: AuditTrail
    events: EventLog
    endpoints: WebhookEndpoints
    deliveries: WebhookDeliveries

    def open_repositories(self) -> None:
        self.users = Users(self.session)
        self.keys = ApiKeys(self.session)
        self.audit = AuditTrail(self.session)
        self.events = EventLog(self.session)
        self.endpoints = WebhookEndpoints(self.session)
        self.deliveries = WebhookDeliveries(self.session)


def unit_of_work(runtime: ServiceRuntime[Any]) -> GatewayUnitOfWork:
    """A new unit of work of the gateway's runtime (for jobs and middleware handed the runtime)."""
    return runtime.unit_of_work_as(GatewayUnitOfWork)
