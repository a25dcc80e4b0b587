"""Caller identities for tests that call a service directly, as the gateway would."""

from __future__ import annotations

from haat.identity import Caller, Role
from haat.service_calls import signed_caller
from haat.settings import CommonSettings


def caller_headers(
    settings: CommonSettings,
    role: Role = "admin",
    *,
    clf_id: str | None = None,
    subject: str = "test-user",
    packaging_house_id: str | None = None,
    clf_ids: tuple[str, ...] = (),
) -> dict[str, str]:
    caller = Caller(subject=subject, role=role, clf_id=clf_id, packaging_house_id=packaging_house_id, clf_ids=clf_ids)
    return signed_caller(caller, settings)
