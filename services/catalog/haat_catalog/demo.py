"""Demo data for `make run`: a few products of one CLF, submitted through the normal use case."""

from __future__ import annotations

import contextlib

from haat.problems import Conflict
from haat.service import ServiceRuntime
from haat_catalog.service_layer.products import submit_new_product

DEMO_CLF = "clf-demo-rampur"
DEMO_PRODUCTS = [
    {
        "sku": "AAM-ACHAR-500",
        "title_en": "Raw mango pickle, 500 g",
        "title_hi": "कच्चे आम का अचार, 500 ग्राम",
        "hsn_code": "2001",
        "gst_rate_bp": 1200,
        "mrp_paise": 25000,
        "price_paise": 22000,
    },
    {
        "sku": "HALDI-200",
        "title_en": "Turmeric powder, 200 g",
        "title_hi": "हल्दी पाउडर, 200 ग्राम",
        "hsn_code": "091030",
        "gst_rate_bp": 500,
        "mrp_paise": 12000,
        "price_paise": 9900,
    },
    {
        "sku": "KHES-DOUBLE",
        "title_en": "Handloom cotton khes, double",
        "title_hi": "हथकरघा सूती खेस, डबल",
        "hsn_code": "63049190",
        "gst_rate_bp": 500,
        "mrp_paise": 180000,
        "price_paise": 149900,
    },
]


def seed_demo(runtime: ServiceRuntime) -> None:
    for fields in DEMO_PRODUCTS:
        # Conflict: already seeded by an earlier run.
        with runtime.unit_of_work() as uow, contextlib.suppress(Conflict):
            submit_new_product(uow, clf_id=DEMO_CLF, **fields)
