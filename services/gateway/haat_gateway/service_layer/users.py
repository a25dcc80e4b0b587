"""Staff users: admins, CLF coordinators and fulfilment staff log in with a password (OAuth2 password
flow) and get a short-lived signed access token. Passwords are hashed with argon2id; repeated failures
slow the guessing down (login_throttle) without telling whether a name exists.

A token is only as good as the account behind it: each use checks that its user still exists and is not
disabled and that the token was not ended by logging out (its id in `revoked_tokens`), so logging out and
disabling end access at once, on the API and the pages alike.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from haat_gateway.adapters.unit_of_work import GatewayUnitOfWork
from haat_gateway.service_layer.api_keys import Principal
from haat_gateway.service_layer.login_throttle import LoginThrottle
from haat_gateway.settings import GatewaySettings

STAFF_ROLES = ("admin", "coordinator", "fulfilment")
AUDIENCE = "haat-public"
hasher = PasswordHasher()
# Verified when the user does not exist, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = hasher.hash("not a real password")


class InvalidUser(ValueError):
    pass


class LoginRefused(Exception):
    def __init__(self, detail: str, wait_s: float = 0.0) -> None:
        super().__init__(detail)
        self.detail = detail
        self.wait_s = wait_s  # > 0: too many tries; come back after this long


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_in: int


def create_user(
    uow: GatewayUnitOfWork,
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
    if uow.users.by_name(name):
        raise InvalidUser(f"user {name!r} already exists")
    user_id = str(uuid.uuid4())
    uow.users.add({
        "id": user_id, "username": name, "display_name": display_name or name, "password_hash": hasher.hash(password),
        "role": role, "clf_id": clf_id, "packaging_house_id": packaging_house_id, "failed_logins": 0,
        "disabled": False, "created_at": datetime.now(UTC),
    })  # fmt: skip
    return user_id


def log_in(
    uow: GatewayUnitOfWork,
    settings: GatewaySettings,
    throttle: LoginThrottle,
    address: str,
    username: str,
    password: str,
) -> AccessToken:
    """A token for the right password; the same refusal for a wrong password and an unknown name, and a
    wait (the same for both) once this address or this name has failed too often."""
    name = username.strip().lower()
    wait = throttle.wait_s(address, name)
    if wait > 0:
        raise LoginRefused("too many failed attempts; wait a little and try again", wait)
    row = uow.users.by_name(name)
    if row is None or row.disabled:
        _verify(_DUMMY_HASH, password)  # a wrong name takes as long as a wrong password
    if row is None or row.disabled or not _verify(row.password_hash, password):
        throttle.failed(address, name)
        raise LoginRefused("wrong username or password")
    throttle.succeeded(address, name)
    now = datetime.now(UTC)
    values: dict[str, object] = {"last_login_at": now}
    if hasher.check_needs_rehash(row.password_hash):
        values["password_hash"] = hasher.hash(password)
    uow.users.change(row.id, values)
    uow.commit()
    return _issue(row, settings, now)


def renew(uow: GatewayUnitOfWork, settings: GatewaySettings, principal: Principal) -> AccessToken | None:
    """A fresh token for a logged-in user who is still allowed in (the web pages' sliding session);
    None once the account is disabled, locked or gone."""
    now = datetime.now(UTC)
    user_id = principal.key_id.removeprefix("user:")
    row = uow.users.get(user_id)
    if row is None or row.disabled:
        return None
    return _issue(row, settings, now)


def _issue(row: Any, settings: GatewaySettings, now: datetime) -> AccessToken:
    expires = timedelta(minutes=settings.access_token_minutes)
    claims = {
        "sub": row.id, "name": row.username, "role": row.role, "clf": row.clf_id, "ph": row.packaging_house_id,
        "aud": AUDIENCE, "iat": now, "exp": now + expires, "jti": str(uuid.uuid4()),
    }  # fmt: skip
    token = jwt.encode(claims, settings.internal_token_secret.get_secret_value(), algorithm="HS256")
    return AccessToken(token, int(expires.total_seconds()))


@dataclass(frozen=True)
class VerifiedToken:
    principal: Principal
    token_id: str
    expires_at: float  # seconds since the epoch


def verify_token(token: str, settings: GatewaySettings) -> VerifiedToken | None:
    """What a token says, if its signature and expiry hold (whether it is still in force: `in_force`)."""
    try:
        claims = jwt.decode(
            token,
            settings.internal_token_secret.get_secret_value(),
            algorithms=["HS256"],
            audience=AUDIENCE,
            options={"require": ["exp", "sub", "aud", "jti"]},
        )
    except jwt.PyJWTError:
        return None
    if claims.get("role") not in STAFF_ROLES:
        return None
    principal = Principal(
        f"user:{claims['sub']}", claims["role"], claims.get("clf"), claims.get("name", ""), claims.get("ph")
    )
    return VerifiedToken(principal, str(claims["jti"]), float(claims["exp"]))


def in_force(uow: GatewayUnitOfWork, verified: VerifiedToken) -> bool:
    """Whether the token's user may still act: she exists, is not disabled, and did not log this token out."""
    user_id = verified.principal.key_id.removeprefix("user:")
    user = uow.users.get(user_id)
    if user is None or user.disabled or user.role != verified.principal.role:
        return False
    return not uow.users.token_revoked(verified.token_id)


def log_out(uow: GatewayUnitOfWork, verified: VerifiedToken) -> None:
    """End this token now (kept until it would have expired anyway)."""
    uow.users.revoke_token(verified.token_id, datetime.fromtimestamp(verified.expires_at, UTC))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def list_users(uow: GatewayUnitOfWork) -> list[Any]:
    return uow.users.listed()


def set_disabled(uow: GatewayUnitOfWork, user_id: str, disabled: bool) -> bool:
    """A disabled user cannot log in, and every token she holds stops working at once (in_force); the
    webhook endpoints she manages stop receiving until she is enabled again."""
    found = uow.users.change(user_id, {"disabled": disabled})
    uow.endpoints.pause_owned_by(f"user:{user_id}", paused=disabled)
    return found


def names_of(uow: GatewayUnitOfWork, subjects: set[str]) -> dict[str, str]:
    """What a history's actors are called: a person's display name for user:<id>, a key's label for
    key:<id>. Other subjects (the services, the marketplaces) are left for the page to name."""
    users_asked = {s.removeprefix("user:") for s in subjects if s.startswith("user:")}
    keys_asked = {s.removeprefix("key:") for s in subjects if s.startswith("key:")}
    named = {f"user:{k}": v for k, v in uow.users.display_names(users_asked).items()}
    return named | {f"key:{k}": v for k, v in uow.keys.labels(keys_asked).items()}
