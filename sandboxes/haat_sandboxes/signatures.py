"""How the marketplaces sign what they push: an HMAC-SHA256 of the exact body, base64, in a header of
each marketplace's own (Flipkart's X_Authorization with the application secret; for Amazon's legacy HTTP
destination, the destination's shared secret). The sandbox's own code, not the connector's: it plays the
marketplace, and the connector must verify what a marketplace sends, not what it would compute itself."""

from __future__ import annotations

import base64
import hashlib
import hmac

SIGNATURE_HEADERS = {"amazon": "X-Amz-Destination-Signature", "flipkart": "X_Authorization"}


def sign(key: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(key.encode(), body, hashlib.sha256).digest()).decode()
