"""Cursor pagination: every list answers {"items": [...], "next_cursor": "…" | null}.

Cursors are opaque to clients; inside they are the position (e.g. a sequence number) to continue after.
"""

from __future__ import annotations

import base64
import binascii
from typing import Generic, TypeVar

from pydantic import BaseModel

from haat.errors import Malformed

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(str(position).encode()).decode().rstrip("=")


MAX_POSITION = 2**63 - 1  # what a database's BIGINT holds; a larger number cannot be a position of ours


def decode_cursor(cursor: str) -> int:
    try:
        if len(cursor) > 32:
            raise ValueError("longer than any cursor this API returns")
        position = int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
        if not 0 <= position <= MAX_POSITION:
            raise ValueError("out of range")
        return position
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Malformed("invalid-cursor", "the cursor is not one this API returned") from None
