"""Who may push a notification over HTTP: only a sender holding the channel's signing key.

Flipkart signs its order notifications in an `X_Authorization` header with the seller application's
secret. Amazon never pushes over HTTP (its notifications go to an SQS queue); the HTTP route exists for a
sandbox's legacy mode only and takes notifications signed with that destination's shared secret
(HAAT_CONNECTORS_AMAZON_NOTIFICATION_SECRET). Both are an HMAC-SHA256 of the exact body, base64.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SIGNATURE_HEADERS = {"amazon": "X-Amz-Destination-Signature", "flipkart": "X_Authorization"}


def sign(key: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(key.encode(), body, hashlib.sha256).digest()).decode()


def verify(key: str, body: bytes, signature: str | None) -> bool:
    """Whether `signature` is the key's signature of `body` (a missing key or signature never is)."""
    return bool(key and signature) and hmac.compare_digest(sign(key, body), str(signature))


def signing_key(channel: str, credentials: dict[str, str], destination_secret: str) -> str:
    """The key a channel's notifications for one seller account are signed with."""
    if channel == "flipkart":
        return credentials.get("application_secret", "")
    return destination_secret
