"""Who is calling: the gateway authenticates people and partners, then forwards each request to the
owning service with the caller in a short-lived signed token (header X-Haat-Caller, HS256 with
HAAT_INTERNAL_TOKEN_SECRET). Services verify it and apply scoping themselves, so an internal service
is never open to an unauthenticated caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, cast

import jwt

HEADER = "X-Haat-Caller"
AUDIENCE = "haat-internal"
ISSUER = "haat-gateway"
ALGORITHM = "HS256"

Role = Literal["admin", "partner", "coordinator", "fulfilment", "service"]
ROLES: tuple[Role, ...] = ("admin", "partner", "coordinator", "fulfilment", "service")


class InvalidCallerToken(ValueError):
    pass


@dataclass(frozen=True)
class Caller:
    subject: str  # a user id, an API key id, or a service name
    role: Role
    clf_id: str | None = None  # a coordinator's CLF
    packaging_house_id: str | None = None  # a fulfilment worker's packaging house
    clf_ids: tuple[str, ...] = ()  # the CLFs an admin granted a partner (it reads their data, changes nothing)

    @property
    def is_admin(self) -> bool:
        return self.role in ("admin", "service")

    @property
    def reads_only(self) -> bool:
        """A partner reads; the services refuse any change it asks for (http_app.get_caller)."""
        return self.role == "partner"

    def sees_clf(self, clf_id: str) -> bool:
        """Whether this caller may read (and, unless it reads only, change) the data of `clf_id`."""
        if self.role == "partner":
            return clf_id in self.clf_ids
        return self.is_admin or (self.role == "coordinator" and self.clf_id == clf_id)

    def visible_clfs(self) -> set[str] | None:
        """The CLFs this caller is limited to; None means all of them."""
        if self.is_admin:
            return None
        if self.role == "partner":
            return set(self.clf_ids)
        return {self.clf_id} if self.role == "coordinator" and self.clf_id else set()


def issue_token(caller: Caller, secret: str, *, ttl: timedelta = timedelta(minutes=5)) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": caller.subject,
        "role": caller.role,
        "clf": caller.clf_id,
        "ph": caller.packaging_house_id,
        "clfs": list(caller.clf_ids),
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(token: str, secret: str) -> Caller:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        )
    except jwt.PyJWTError as error:
        raise InvalidCallerToken(str(error)) from None
    role = claims.get("role")
    if role not in ROLES:
        raise InvalidCallerToken(f"unknown role {role!r}")
    return Caller(
        subject=str(claims["sub"]),
        role=cast(Role, role),
        clf_id=claims.get("clf"),
        packaging_house_id=claims.get("ph"),
        clf_ids=tuple(str(c) for c in claims.get("clfs") or ()),
    )
