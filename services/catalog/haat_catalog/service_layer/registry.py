"""The registry: geography (LGD codes), CLFs, their SHGs and members, packaging houses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from haat import problem_texts
from haat.errors import Conflict, Invalid, NotAllowed, NotFound
from haat.events.catalog import ClfRegisteredV1, ClfUpdatedV1, ShgRegisteredV1
from haat.gst_states import gstin_problem
from haat.identity import Caller
from haat_catalog.adapters.registry_repository import Entry
from haat_catalog.adapters.unit_of_work import CatalogUnitOfWork

PARENT_KIND = {"state": None, "district": "state", "block": "district"}


def require_admin(caller: Caller, what: str) -> None:
    if not caller.is_admin:
        raise NotAllowed("forbidden", f"only an admin can {what}")


def _geo(uow: CatalogUnitOfWork, code: str, kind: str) -> Any:
    row = uow.registry.get("geo_units", code)
    if row is None or row.kind != kind:
        raise Invalid("unknown-geo-unit", f"{code!r} is not a known {kind} (LGD code)", field=f"{kind}_code")
    return row


def create_geo_unit(uow: CatalogUnitOfWork, caller: Caller, fields: dict[str, Any]) -> dict[str, Any]:
    require_admin(caller, "add states, districts and blocks")
    parent_kind = PARENT_KIND[fields["kind"]]
    if parent_kind:
        if not fields.get("parent_code"):
            raise Invalid("missing-parent", f"a {fields['kind']} needs the LGD code of its {parent_kind}")
        _geo(uow, fields["parent_code"], parent_kind)
    elif fields.get("parent_code"):
        raise Invalid("unexpected-parent", "a state has no parent")
    if uow.registry.get("geo_units", fields["code"]):
        raise Conflict("conflict", f"LGD code {fields['code']!r} already exists")
    uow.registry.add("geo_units", fields)
    uow.commit()
    return fields


def _located(uow: CatalogUnitOfWork, block_code: str) -> dict[str, str]:
    """The block with the district and state it lies in (all LGD codes)."""
    block = _geo(uow, block_code, "block")
    district = _geo(uow, block.parent_code, "district")
    return {"block_code": block.code, "district_code": district.code, "state_code": district.parent_code}


def _create(uow: CatalogUnitOfWork, entry: Entry, what: str, id_prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    """Insert a registry entry under the given id (or a new one) and commit; a taken id is a conflict."""
    row = {**values, "id": values.get("id") or f"{id_prefix}-{uuid.uuid4().hex[:10]}", "created_at": datetime.now(UTC)}
    if uow.registry.get(entry, row["id"]):
        raise Conflict("conflict", f"{what} {row['id']!r} already exists")
    uow.registry.add(entry, row)
    uow.commit()
    return row


def _seller_details(
    uow: CatalogUnitOfWork, clf_id: str, fields: dict[str, Any], located: dict[str, str]
) -> dict[str, Any]:
    """What the CLF's invoices need, for its events; a GSTIN that cannot be the CLF's is refused."""
    state = _geo(uow, located["state_code"], "state")
    district = _geo(uow, located["district_code"], "district")
    gstin = fields.get("gstin")
    problem = gstin_problem(gstin, state.name_en) if gstin else None
    if problem:
        params = {"state": state.name_en}
        raise Invalid("invalid-gstin", problem_texts.say(problem, "en", params) or problem, errors=[
            {"location": ["body", "gstin"], "message": problem_texts.say(problem, "en", params), "code": problem,
             "params": params}])  # fmt: skip
    return {"clf_id": clf_id, "name": fields["name"], "name_hi": fields.get("name_hi"), "gstin": gstin,
            "state_code": state.code, "state_name": state.name_en, "district_name": district.name_en,
            "address": fields.get("address"), "pincode": fields.get("pincode")}  # fmt: skip


def create_clf(uow: CatalogUnitOfWork, caller: Caller, fields: dict[str, Any]) -> dict[str, Any]:
    require_admin(caller, "register a CLF")
    located = _located(uow, fields["block_code"])
    clf_id = fields.get("id") or f"clf-{uuid.uuid4().hex[:10]}"
    uow.emit(ClfRegisteredV1(**_seller_details(uow, clf_id, fields, located)))
    return _create(uow, "clfs", "CLF", "clf", {**fields, **located, "id": clf_id})


SELLER_FIELDS = ("name", "name_hi", "gstin", "address", "pincode")
CLF_CHOICES = ("publish_on_approval",)  # what the CLF's own coordinator decides


def update_clf(uow: CatalogUnitOfWork, caller: Caller, clf_id: str, changes: dict[str, Any]) -> Any:
    """Change a CLF's seller details (admins; e.g. its GSTIN once it registers for GST: orders hears of them
    at once, and its next invoice is a tax invoice) or its own choices (its coordinator too)."""
    current = require_clf(uow, caller, clf_id)
    if set(changes) - set(CLF_CHOICES) or caller.reads_only:
        require_admin(caller, "change a CLF's seller details")
    choices = {name: bool(value) for name, value in changes.items() if name in CLF_CHOICES}
    wanted = {name: value for name, value in changes.items() if name in SELLER_FIELDS}
    if not wanted:
        uow.registry.update("clfs", clf_id, choices)
        uow.commit()
        return uow.registry.get("clfs", clf_id)
    merged = {**current._asdict(), **wanted}
    located = {"state_code": current.state_code, "district_code": current.district_code}
    uow.emit(ClfUpdatedV1(**_seller_details(uow, clf_id, merged, located)))
    uow.registry.update("clfs", clf_id, {**wanted, **choices})
    uow.commit()
    return uow.registry.get("clfs", clf_id)


def publishes_on_approval(uow: CatalogUnitOfWork, clf_id: str) -> bool:
    row = uow.registry.get("clfs", clf_id)
    return bool(row is not None and getattr(row, "publish_on_approval", False))


def require_clf(uow: CatalogUnitOfWork, caller: Caller, clf_id: str) -> Any:
    row = uow.registry.get("clfs", clf_id) if caller.sees_clf(clf_id) else None
    if row is None:
        raise NotFound("CLF", clf_id)
    return row


def list_clfs(uow: CatalogUnitOfWork, caller: Caller) -> list[Any]:
    return uow.registry.clfs(caller.visible_clfs())


def create_shg(uow: CatalogUnitOfWork, caller: Caller, clf_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    require_clf(uow, caller, clf_id)
    shg_id = fields.get("id") or f"shg-{uuid.uuid4().hex[:10]}"
    uow.emit(
        ShgRegisteredV1(
            shg_id=shg_id, clf_id=clf_id, name=fields["name"], name_hi=fields.get("name_hi"),
            bank_account_ref=fields.get("bank_account_ref"),
        )
    )  # fmt: skip
    return _create(uow, "shgs", "SHG", "shg", {**fields, "clf_id": clf_id, "id": shg_id})


def list_shgs(uow: CatalogUnitOfWork, caller: Caller, clf_id: str) -> list[Any]:
    require_clf(uow, caller, clf_id)
    return uow.registry.shgs_of(clf_id)


def require_shg(uow: CatalogUnitOfWork, caller: Caller, shg_id: str) -> Any:
    row = uow.registry.get("shgs", shg_id)
    if row is None or not caller.sees_clf(row.clf_id):
        raise NotFound("SHG", shg_id)
    return row


@dataclass(frozen=True)
class ClfFacts:
    """What product rules need to know of a CLF, read once (a bulk upload checks thousands of rows)."""

    clf_id: str
    name: str
    shg_names: dict[str, str]

    def require_shgs(self, shg_ids: list[str]) -> None:
        missing = [s for s in shg_ids if s not in self.shg_names]
        if missing:
            raise Invalid("unknown-shg", f"not SHGs of CLF {self.clf_id!r}: {', '.join(missing)}", field="shg_ids")

    def default_brand(self, shg_ids: list[str]) -> str:
        """A product's brand defaults to its SHG's name (one SHG) or else its CLF's name."""
        return self.shg_names[shg_ids[0]] if len(shg_ids) == 1 else self.name


def clf_facts(uow: CatalogUnitOfWork, caller: Caller, clf_id: str) -> ClfFacts:
    clf = require_clf(uow, caller, clf_id)
    names = uow.registry.shgs_of(clf_id)
    return ClfFacts(clf_id, clf.name, {row.id: row.name for row in names})


def add_member(uow: CatalogUnitOfWork, caller: Caller, shg_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    require_shg(uow, caller, shg_id)
    values = {"id": f"mem-{uuid.uuid4().hex[:10]}", "shg_id": shg_id, **fields, "created_at": datetime.now(UTC)}
    uow.registry.add("members", values)
    uow.commit()
    return values


def list_members(uow: CatalogUnitOfWork, caller: Caller, shg_id: str) -> list[Any]:
    require_shg(uow, caller, shg_id)
    return uow.registry.members_of(shg_id)


def create_packaging_house(uow: CatalogUnitOfWork, caller: Caller, fields: dict[str, Any]) -> dict[str, Any]:
    require_admin(caller, "register a packaging house")
    place = _located(uow, fields["block_code"])
    values = {**fields, "block_code": place["block_code"], "state_code": place["state_code"]}
    return _create(uow, "packaging_houses", "packaging house", "ph", values)


def require_packaging_house(uow: CatalogUnitOfWork, packaging_house_id: str) -> Any:
    row = uow.registry.get("packaging_houses", packaging_house_id)
    if row is None:
        raise NotFound("packaging house", packaging_house_id)
    return row


def require_house_for(uow: CatalogUnitOfWork, caller: Caller, clf_id: str, packaging_house_id: str) -> Any:
    """The packaging house where `caller` may record `clf_id`'s goods: a coordinator only at the houses of
    her CLF's own block (where its goods are packed); an admin anywhere. Another block's house is refused,
    not silently accepted."""
    house = require_packaging_house(uow, packaging_house_id)
    if caller.is_admin:
        return house
    clf = require_clf(uow, caller, clf_id)
    if house.block_code != clf.block_code:
        raise NotAllowed(
            "house_of_another_block",
            f"goods of {clf_id} are recorded at its own block's packaging houses, not at {packaging_house_id}",
        )
    return house


def list_packaging_houses(uow: CatalogUnitOfWork) -> list[Any]:
    return uow.registry.packaging_houses()
