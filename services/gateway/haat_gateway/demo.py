"""Demo staff for `make run`: an admin, a coordinator and a packing-house worker of the Kanti CLF, so the
web pages can be tried at once. The password is printed by `haat up`; production never loads demo data."""

from __future__ import annotations

from haat.service import ServiceRuntime
from haat_gateway.adapters.unit_of_work import unit_of_work
from haat_gateway.service_layer.users import create_user, hasher

DEMO_PASSWORD = "haat-demo-2026"  # noqa: S105 - a published demo password, refused nowhere because it is never in production
DEMO_USERS = (
    {"username": "admin", "role": "admin", "display_name": "Haat admin"},
    {"username": "kanti", "role": "coordinator", "clf_id": "clf-kanti", "display_name": "Sunita (Kanti CLF)"},
    {"username": "kanti-packing", "role": "fulfilment", "packaging_house_id": "ph-kanti",
     "display_name": "Rekha (Kanti packaging house)"},
)  # fmt: skip
BANNER = (
    "  Web pages:   {base_url}/   (log in as admin, kanti (coordinator) or kanti-packing (fulfilment);"
    f" password {DEMO_PASSWORD})",
)


def seed(runtime: ServiceRuntime) -> None:
    with unit_of_work(runtime) as uow:
        for user in DEMO_USERS:
            existing = uow.users.by_name(user["username"])
            if existing:  # a second `haat up` on the same data: the same password again, unlocked
                uow.users.change(existing.id, {"password_hash": hasher.hash(DEMO_PASSWORD), "failed_logins": 0,
                                               "locked_until": None, "disabled": False})  # fmt: skip
            else:
                create_user(uow, password=DEMO_PASSWORD, **user)
        uow.commit()
