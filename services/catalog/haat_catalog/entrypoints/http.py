"""HTTP entry points of the catalog (thin: parse, call the service layer, shape the answer)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from haat.http_app import UnitOfWorkDep
from haat.problems import NotFound
from haat_catalog.adapters.repository import ProductRepository
from haat_catalog.domain.product import Product
from haat_catalog.service_layer import products

router = APIRouter(prefix="/v1", tags=["products"])


class NewProduct(BaseModel):
    sku: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    clf_id: str = Field(min_length=1, max_length=64)
    title_en: str | None = Field(default=None, max_length=500)
    title_hi: str | None = Field(default=None, max_length=500)
    hsn_code: str = Field(min_length=4, max_length=8)
    gst_rate_bp: int = Field(ge=0, le=10000, description="GST rate in basis points: 1800 = 18%")
    mrp_paise: int = Field(gt=0)
    price_paise: int = Field(gt=0)


class ProductOut(NewProduct):
    status: str
    created_at: datetime
    submitted_at: datetime | None

    @classmethod
    def of(cls, product: Product) -> ProductOut:
        return cls.model_validate(product, from_attributes=True)


@router.post("/products", status_code=201, response_model=ProductOut)
def submit_product(body: NewProduct, uow: UnitOfWorkDep) -> ProductOut:
    return ProductOut.of(products.submit_new_product(uow, **body.model_dump()))


@router.get("/clfs/{clf_id}/products/{sku}", response_model=ProductOut)
def get_product(clf_id: str, sku: str, uow: UnitOfWorkDep) -> ProductOut:
    product = ProductRepository(uow.session).get(clf_id, sku)
    if product is None:
        raise NotFound("product", sku)
    return ProductOut.of(product)
