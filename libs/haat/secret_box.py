"""Encryption at rest for credentials a service must be able to read back (marketplace client secrets and
refresh tokens, webhook signing secrets): Fernet (AES-128-CBC + HMAC-SHA256) with rotatable keys.

Keys come from HAAT_ENCRYPTION_KEYS (comma-separated, newest first). Each is stretched with SHA-256, so an
operator can use any long random string; `haat secrets rotate`-style re-encryption is `SecretBox.rotate`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr


class UnreadableSecret(ValueError):
    """A stored secret that none of the configured keys opens (wrong key, or the key was retired)."""


def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.strip().encode()).digest()))


class SecretBox:
    def __init__(self, keys: SecretStr | str) -> None:
        raw = keys.get_secret_value() if isinstance(keys, SecretStr) else keys
        names = [k for k in raw.split(",") if k.strip()]
        if not names:
            raise ValueError("at least one encryption key is needed")
        self._fernet = MultiFernet([_fernet(k) for k in names])

    def seal(self, value: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(value, sort_keys=True).encode()).decode()

    def open(self, token: str) -> dict[str, Any]:
        try:
            opened: dict[str, Any] = json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken:
            raise UnreadableSecret("none of HAAT_ENCRYPTION_KEYS opens this stored secret") from None
        return opened

    def seal_text(self, value: str) -> str:
        return self.seal({"value": value})

    def open_text(self, token: str) -> str:
        return str(self.open(token)["value"])

    def rotate(self, token: str) -> str:
        """The same secret sealed with the newest key (for re-encrypting stored rows after a key change)."""
        return self._fernet.rotate(token.encode()).decode()
