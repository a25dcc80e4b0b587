"""HTTP entry points of the registry: geography, CLFs, SHGs, members, packaging houses."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from haat.http_app import AdminCallerDep, CallerDep
from haat_catalog.adapters import views
from haat_catalog.domain.categories import CATEGORIES
from haat_catalog.entrypoints.dependencies import CatalogUnitOfWorkDep
from haat_catalog.service_layer import registry

router = APIRouter(prefix="/v1", tags=["registry"])
ID = Field(default=None, min_length=3, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class GeoUnit(Out):
    code: str = Field(min_length=1, max_length=16, pattern=r"^[0-9]+$", description="LGD code")
    kind: Literal["state", "district", "block"]
    parent_code: str | None = None
    name_en: str = Field(min_length=1, max_length=200)
    name_hi: str | None = Field(default=None, max_length=200)


class SellerAccount(BaseModel):
    channel: str = Field(min_length=2, max_length=30)
    seller_id: str = Field(min_length=1, max_length=100)


GSTIN = Field(default=None, description="15 characters; checked for its state and check character",
              pattern=r"^[0-9]{2}[A-Z0-9]{10}[0-9A-Z]{3}$")  # fmt: skip
ADDRESS = Field(default=None, max_length=500, description="as the CLF's invoices print it")
PINCODE = Field(default=None, pattern=r"^[1-9][0-9]{5}$")


class NewClf(BaseModel):
    id: str | None = ID
    name: str = Field(min_length=2, max_length=300)
    name_hi: str | None = Field(default=None, max_length=300)
    block_code: str
    gstin: str | None = GSTIN
    address: str | None = ADDRESS
    pincode: str | None = PINCODE
    seller_accounts: list[SellerAccount] = Field(default_factory=list)


class ClfChanges(BaseModel):
    """A CLF's seller details, changed after registration (only the fields sent; gstin null: not registered)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=2, max_length=300)
    name_hi: str | None = Field(default=None, max_length=300)
    gstin: str | None = GSTIN
    address: str | None = ADDRESS
    pincode: str | None = PINCODE
    publish_on_approval: bool | None = Field(
        default=None, description="the CLF's choice (its coordinator may set it): publish as soon as approved"
    )


class ClfOut(Out):
    id: str
    name: str
    name_hi: str | None
    block_code: str
    district_code: str
    state_code: str
    gstin: str | None
    address: str | None
    pincode: str | None
    publish_on_approval: bool = False
    seller_accounts: list[dict[str, Any]]
    created_at: datetime


class NewShg(BaseModel):
    id: str | None = ID
    name: str = Field(min_length=2, max_length=300)
    name_hi: str | None = Field(default=None, max_length=300)
    village: str | None = Field(default=None, max_length=200)
    bank_account_ref: str | None = Field(default=None, max_length=100)


class ShgOut(NewShg, Out):
    id: str
    clf_id: str
    created_at: datetime


class NewMember(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, pattern=r"^[6-9][0-9]{9}$", description="10-digit Indian mobile")
    role: Literal["producer", "president", "secretary", "treasurer", "member"] = "producer"


class MemberOut(NewMember, Out):
    id: str
    shg_id: str


class NewPackagingHouse(BaseModel):
    id: str | None = ID
    name: str = Field(min_length=2, max_length=300)
    block_code: str
    address: str = Field(min_length=5, max_length=1000)
    pincode: str = Field(pattern=r"^[1-9][0-9]{5}$")


class PackagingHouseOut(Out):
    id: str
    name: str
    block_code: str
    state_code: str
    address: str
    pincode: str


@router.post("/geo-units", status_code=201, response_model=GeoUnit, summary="Add a state, district or block")
def create_geo_unit(body: GeoUnit, uow: CatalogUnitOfWorkDep, caller: AdminCallerDep) -> GeoUnit:
    return GeoUnit.model_validate(registry.create_geo_unit(uow, caller, body.model_dump()))


@router.get("/geo-units", response_model=list[GeoUnit])
def list_geo_units(
    uow: CatalogUnitOfWorkDep, _caller: CallerDep, parent_code: str | None = None,
    kind: Literal["state", "district", "block"] | None = None,
) -> list[GeoUnit]:  # fmt: skip
    return [GeoUnit.model_validate(row) for row in views.geo_units_under(uow.session, parent_code, kind)]


@router.post("/clfs", status_code=201, response_model=ClfOut, tags=["registry"])
def create_clf(body: NewClf, uow: CatalogUnitOfWorkDep, caller: AdminCallerDep) -> ClfOut:
    return ClfOut.model_validate(registry.create_clf(uow, caller, body.model_dump(mode="json")))


@router.get("/clfs", response_model=list[ClfOut])
def list_clfs(uow: CatalogUnitOfWorkDep, caller: CallerDep) -> list[ClfOut]:
    return [ClfOut.model_validate(row) for row in registry.list_clfs(uow, caller)]


@router.get("/clfs/{clf_id}", response_model=ClfOut)
def get_clf(clf_id: str, uow: CatalogUnitOfWorkDep, caller: CallerDep) -> ClfOut:
    return ClfOut.model_validate(registry.require_clf(uow, caller, clf_id))


@router.patch(
    "/clfs/{clf_id}",
    response_model=ClfOut,
    summary="Change a CLF's GSTIN, address or names (admins), or its choices (its coordinator too)",
)
def update_clf(clf_id: str, body: ClfChanges, uow: CatalogUnitOfWorkDep, caller: CallerDep) -> ClfOut:
    changes = body.model_dump(exclude_unset=True)
    return ClfOut.model_validate(registry.update_clf(uow, caller, clf_id, changes))


@router.post("/clfs/{clf_id}/shgs", status_code=201, response_model=ShgOut)
def create_shg(clf_id: str, body: NewShg, uow: CatalogUnitOfWorkDep, caller: CallerDep) -> ShgOut:
    return ShgOut.model_validate(registry.create_shg(uow, caller, clf_id, body.model_dump()))


@router.get("/clfs/{clf_id}/shgs", response_model=list[ShgOut])
def list_shgs(clf_id: str, uow: CatalogUnitOfWorkDep, caller: CallerDep) -> list[ShgOut]:
    return [ShgOut.model_validate(row) for row in registry.list_shgs(uow, caller, clf_id)]


@router.get("/shgs/{shg_id}", response_model=ShgOut)
def get_shg(shg_id: str, uow: CatalogUnitOfWorkDep, caller: CallerDep) -> ShgOut:
    return ShgOut.model_validate(registry.require_shg(uow, caller, shg_id))


@router.post("/shgs/{shg_id}/members", status_code=201, response_model=MemberOut)
def add_member(shg_id: str, body: NewMember, uow: CatalogUnitOfWorkDep, caller: CallerDep) -> MemberOut:
    return MemberOut.model_validate(registry.add_member(uow, caller, shg_id, body.model_dump()))


@router.get("/shgs/{shg_id}/members", response_model=list[MemberOut])
def list_members(shg_id: str, uow: CatalogUnitOfWorkDep, caller: CallerDep) -> list[MemberOut]:
    return [MemberOut.model_validate(row) for row in registry.list_members(uow, caller, shg_id)]


@router.post("/packaging-houses", status_code=201, response_model=PackagingHouseOut)
def create_packaging_house(
    body: NewPackagingHouse, uow: CatalogUnitOfWorkDep, caller: AdminCallerDep
) -> PackagingHouseOut:
    return PackagingHouseOut.model_validate(registry.create_packaging_house(uow, caller, body.model_dump()))


@router.get("/packaging-houses", response_model=list[PackagingHouseOut])
def list_packaging_houses(uow: CatalogUnitOfWorkDep, _caller: CallerDep) -> list[PackagingHouseOut]:
    return [PackagingHouseOut.model_validate(row) for row in registry.list_packaging_houses(uow)]


class CategoryOut(BaseModel):
    key: str
    name_en: str
    name_hi: str
    food: bool = Field(description="food needs an FSSAI licence and a shelf life")


@router.get("/categories", response_model=list[CategoryOut], tags=["products"], summary="Product categories")
def list_categories(_caller: CallerDep) -> list[CategoryOut]:
    return [CategoryOut.model_validate(c, from_attributes=True) for c in CATEGORIES.values()]
