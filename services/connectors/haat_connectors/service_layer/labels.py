"""An order's shipping label, fetched from its marketplace when the packer asks for it.

Labels are rare and asked for by a person, so the call is made from the API process with a client of its
own rather than through the account's sync worker; its retries still honour 429 and Retry-After.
"""

from __future__ import annotations

import asyncio
from typing import Any

from haat.errors import Conflict, DomainError, NotFound, Unavailable
from haat.identity import Caller
from haat.secret_box import SecretBox
from haat.service import ServiceRuntime
from haat_connectors.adapters.marketplaces.base import LabelNotReady
from haat_connectors.adapters.marketplaces.channels import MarketplaceClients
from haat_connectors.adapters.marketplaces.http import TransientFailure
from haat_connectors.adapters.unit_of_work import unit_of_work
from haat_connectors.service_layer import accounts
from haat_connectors.settings import ConnectorsSettings


async def shipping_label(runtime: ServiceRuntime[ConnectorsSettings], caller: Caller, order_key: str) -> bytes:
    settings = runtime.settings

    def load() -> tuple[dict[str, Any], Any] | None:
        with unit_of_work(runtime) as uow:
            order = uow.orders.get(order_key)
            if order is None or not caller.sees_clf(order.clf_id):
                return None
            return dict(order.snapshot), uow.accounts.get(order.account_id)

    found = await asyncio.to_thread(load)
    if found is None:
        raise NotFound("marketplace order", order_key)
    snapshot, account_row = found
    async with MarketplaceClients(settings, connections=2) as clients:
        marketplace = clients.for_account(accounts.opened(account_row, SecretBox(settings.encryption_keys)))
        try:
            label = await marketplace.shipping_label(snapshot)
        except LabelNotReady as not_ready:
            raise Conflict("label-not-ready", f"{not_ready} (the label is made when the order is packed)") from None
        except TransientFailure as failure:
            raise Unavailable("marketplace-unavailable", f"the marketplace did not answer: {failure}") from None
    if label is None:
        detail = f"{marketplace.channel} orders ship with the seller's own carrier: use that carrier's label"
        raise DomainError.of_kind("not-found", "no-marketplace-label", detail)
    return label
