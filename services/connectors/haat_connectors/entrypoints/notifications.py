"""HTTP: notifications pushed by the marketplaces (Flipkart's notification service; for Amazon, whose
notifications arrive through SQS (entrypoints.amazon_queue), only a sandbox's legacy HTTP mode).

Every notification must carry its sender's signature (adapters.marketplaces.notification_signatures): an
unsigned, wrongly signed or unknown seller's notification is refused with the same 401, and nothing of it
is acted on. What a signed one makes Haat do is `service_layer.notifications.act_on`.

This route is internal: the gateway never forwards to it (it is no public route).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from haat.errors import NotFound
from haat.problems import Problem
from haat.secret_box import SecretBox
from haat_connectors.adapters.marketplaces import notification_signatures
from haat_connectors.adapters.marketplaces.channels import CHANNELS, read_notification
from haat_connectors.entrypoints.dependencies import ConnectorsRuntimeDep, ConnectorsUnitOfWorkDep
from haat_connectors.service_layer import accounts, notifications

router = APIRouter(tags=["marketplace notifications"])


async def exact_body(request: Request) -> bytes:
    """The body as sent: the signature is over these bytes."""
    return await request.body()


@router.post("/notifications/{channel}", status_code=204, summary="A marketplace's signed notification (internal)")
def receive(
    channel: str,
    request: Request,
    uow: ConnectorsUnitOfWorkDep,
    runtime: ConnectorsRuntimeDep,
    raw: Annotated[bytes, Depends(exact_body)],
) -> Response:
    if channel not in CHANNELS:
        raise NotFound("channel", channel)
    settings = runtime.settings
    try:
        body = json.loads(raw)
        notification = read_notification(channel, body if isinstance(body, dict) else {})
    except (ValueError, KeyError, TypeError) as error:
        raise Problem(400, "invalid-notification", f"not a {channel} notification: {error}") from None
    account = accounts.find_by_seller(uow, channel, notification.seller_id)
    header = notification_signatures.SIGNATURE_HEADERS[channel]
    if account is None or not notification_signatures.verify(
        notification_signatures.signing_key(
            channel,
            accounts.opened(account, SecretBox(settings.encryption_keys)).credentials,
            settings.amazon_notification_secret.get_secret_value(),
        ),
        raw,
        request.headers.get(header),
    ):
        raise Problem(401, "unsigned-notification", f"a {channel} notification must be signed in {header}")
    notifications.act_on(uow, account, notification)
    uow.commit()
    return Response(status_code=204)
