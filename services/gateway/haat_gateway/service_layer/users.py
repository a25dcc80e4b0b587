"""Staff users: admins, CLF coordinators and fulfilment staff log in with a password (OAuth2 password
flow) and get a short-lived signed access token. Passwords are hashed with argon2id; after repeated
failures an account is locked for a while, whatever password is tried then.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from haat_gateway.adapters.tables import users
from haat_gateway.service_layer.api_keys import Principal
from haat_gateway.settings import GatewaySettings

STAFF_ROLES = ("admin", "coordinator", "fulfilment")
AUDIENCE = "haat-public"
hasher = PasswordHasher()
# Verified when the user does not exist, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = hasher.hash("not a real password")


class InvalidUser(ValueError):
    pass


class LoginRefused(Exception):
    def __init__(self, detail: str, locked_until: datetime | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.locked_until = locked_until


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_in: int


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    clf_id: str | None = None,
    packaging_house_id: str | None = None,
) -> str:
    if role not in STAFF_ROLES:
        raise InvalidUser(f"role must be one of {', '.join(STAFF_ROLES)}")
    if role == "coordinator" and not clf_id:
        raise InvalidUser("a coordinator belongs to one CLF: give --clf")
    if role == "fulfilment" and not packaging_house_id:
        raise InvalidUser("fulfilment staff belong to one packaging house: give --packaging-house")
    if len(password) < 10:
        raise InvalidUser("a password has at least 10 characters")
    name = username.strip().lower()
    if session.scalar(select(users.c.id).where(users.c.username == name)):
        raise InvalidUser(f"user {name!r} already exists")
    user_id = str(uuid.uuid4())
    session.execute(
        insert(users).values(
            id=user_id, username=name, display_name=display_name or name, password_hash=hasher.hash(password),
            role=role, clf_id=clf_id, packaging_house_id=packaging_house_id, failed_logins=0, disabled=False,
            created_at=datetime.now(UTC),
        )
    )  # fmt: skip
    return user_id


def log_in(session: Session, settings: GatewaySettings, username: str, password: str) -> AccessToken:
    now = datetime.now(UTC)
    row = session.execute(
        select(users).where(users.c.username == username.strip().lower()).with_for_update()
    ).one_or_none()
    if row is None or row.disabled:
        _verify(_DUMMY_HASH, password)
        raise LoginRefused("wrong username or password")
    if row.locked_until and row.locked_until > now:
        raise LoginRefused("too many failed attempts; the account is locked for a while", row.locked_until)
    if not _verify(row.password_hash, password):
        failures = row.failed_logins + 1
        locked = (
            now + timedelta(minutes=settings.login_lockout_minutes) if failures >= settings.login_max_failures else None
        )
        session.execute(
            update(users)
            .where(users.c.id == row.id)
            .values(failed_logins=0 if locked else failures, locked_until=locked)
        )
        session.commit()
        raise LoginRefused("wrong username or password", locked)
    values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if hasher.check_needs_rehash(row.password_hash):
        values["password_hash"] = hasher.hash(password)
    session.execute(update(users).where(users.c.id == row.id).values(**values))
    session.commit()
    return _issue(row, settings, now)


def renew(session: Session, settings: GatewaySettings, principal: Principal) -> AccessToken | None:
    """A fresh token for a logged-in user who is still allowed in (the web pages' sliding session);
    None once the account is disabled, locked or gone."""
    now = datetime.now(UTC)
    user_id = principal.key_id.removeprefix("user:")
    row = session.execute(select(users).where(users.c.id == user_id)).one_or_none()
    if row is None or row.disabled or (row.locked_until and row.locked_until > now):
        return None
    return _issue(row, settings, now)


def _issue(row: Any, settings: GatewaySettings, now: datetime) -> AccessToken:
    expires = timedelta(minutes=settings.access_token_minutes)
    claims = {
        "sub": row.id, "name": row.username, "role": row.role, "clf": row.clf_id, "ph": row.packaging_house_id,
        "aud": AUDIENCE, "iat": now, "exp": now + expires,
    }  # fmt: skip
    token = jwt.encode(claims, settings.internal_token_secret.get_secret_value(), algorithm="HS256")
    return AccessToken(token, int(expires.total_seconds()))


def principal_from_token(token: str, settings: GatewaySettings) -> Principal | None:
    verified = verify_token(token, settings)
    return verified[0] if verified else None


def verify_token(token: str, settings: GatewaySettings) -> tuple[Principal, float] | None:
    """The user a valid access token stands for, and when it expires (seconds since the epoch)."""
    try:
        claims = jwt.decode(
            token,
            settings.internal_token_secret.get_secret_value(),
            algorithms=["HS256"],
            audience=AUDIENCE,
            options={"require": ["exp", "sub", "aud"]},
        )
    except jwt.PyJWTError:
        return None
    if claims.get("role") not in STAFF_ROLES:
        return None
    principal = Principal(
        f"user:{claims['sub']}", claims["role"], claims.get("clf"), claims.get("name", ""), claims.get("ph")
    )
    return principal, float(claims["exp"])


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def list_users(session: Session) -> list[Any]:
    return list(session.execute(select(users).order_by(users.c.role, users.c.username)).all())


def set_disabled(session: Session, user_id: str, disabled: bool) -> bool:
    """A disabled user cannot log in, and her open web session ends at its next renewal."""
    result = session.execute(update(users).where(users.c.id == user_id).values(disabled=disabled))
    return bool(result.rowcount)  # type: ignore[attr-defined]
