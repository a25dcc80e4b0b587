"""Demo data for `make run`: two states, five CLFs with their SHGs and packaging houses, and a few hundred
realistic products in Hindi and English, created through the normal use cases (so their events flow).
The LGD-style codes are illustrative. Running it again changes nothing."""

from __future__ import annotations

import itertools
from typing import Any

from haat.identity import Caller
from haat.service import ServiceRuntime
from haat_catalog.adapters.unit_of_work import unit_of_work as catalog_unit_of_work
from haat_catalog.service_layer import products, registry, stock

SEEDER = Caller(subject="demo-seed", role="admin")

GEOGRAPHY: list[dict[str, Any]] = [
    {"code": "10", "kind": "state", "parent_code": None, "name_en": "Bihar", "name_hi": "बिहार"},
    {"code": "21", "kind": "state", "parent_code": None, "name_en": "Odisha", "name_hi": "ओडिशा"},
    {"code": "216", "kind": "district", "parent_code": "10", "name_en": "Muzaffarpur", "name_hi": "मुज़फ़्फ़रपुर"},
    {"code": "223", "kind": "district", "parent_code": "10", "name_en": "Gaya", "name_hi": "गया"},
    {"code": "374", "kind": "district", "parent_code": "21", "name_en": "Koraput", "name_hi": "कोरापुट"},
    {"code": "1260", "kind": "block", "parent_code": "216", "name_en": "Kanti", "name_hi": "कांटी"},
    {"code": "1334", "kind": "block", "parent_code": "223", "name_en": "Bodh Gaya", "name_hi": "बोधगया"},
    {"code": "3101", "kind": "block", "parent_code": "374", "name_en": "Jeypore", "name_hi": "जयपुर"},
]
BLOCK_NAMES = {unit["code"]: unit["name_en"] for unit in GEOGRAPHY if unit["kind"] == "block"}
# One demo CLF is registered for GST, so that `make run` shows a tax invoice beside the others' bills of
# supply (a made-up GSTIN: Bihar's state code, a PAN-shaped middle, a correct check character).
DEMO_GSTINS = {"clf-bodhgaya": "10AABCB1334K1ZB"}
CLFS = [
    ("clf-kanti", "Kanti Jeevika Mahila CLF", "कांटी जीविका महिला संकुल संघ", "1260", "ph-kanti"),
    ("clf-bodhgaya", "Bodh Gaya Didi CLF", "बोधगया दीदी संकुल संघ", "1334", "ph-bodhgaya"),
    ("clf-jeypore", "Jeypore Adivasi Mahila CLF", "जयपुर आदिवासी महिला संकुल संघ", "3101", "ph-jeypore"),
    ("clf-kurhani", "Kurhani Sakhi CLF", "कुढ़नी सखी संकुल संघ", "1260", "ph-kurhani"),
    ("clf-sherghati", "Sherghati Mahila Shakti CLF", "शेरघाटी महिला शक्ति संकुल संघ", "1334", "ph-sherghati"),
]
SHG_NAMES = [
    ("Laxmi", "लक्ष्मी"), ("Saraswati", "सरस्वती"), ("Durga", "दुर्गा"), ("Jagriti", "जागृति"),
    ("Pragati", "प्रगति"), ("Ujala", "उजाला"), ("Sakhi", "सखी"), ("Kiran", "किरण"),
    ("Asha", "आशा"), ("Jyoti", "ज्योति"), ("Shakti", "शक्ति"), ("Ekta", "एकता"),
]  # fmt: skip
FOOD = {"fssai_licence": "10020051000123", "shelf_life_days": 365}
# (sku stem, category, hsn, gst bp (None: the rate table's for the code), en, hi, {size: (mrp, price, grams)},
# extra fields)
TEMPLATES: list[tuple[str, str, str, int | None, str, str, dict[str, tuple[int, int, int]], dict[str, Any]]] = [
    ("AAM-ACHAR", "pickles", "2001", None, "Raw mango pickle", "कच्चे आम का अचार",
     {"250G": (15000, 12900, 300), "500G": (25000, 22000, 560), "1KG": (45000, 39900, 1100)}, FOOD),
    ("NIMBU-ACHAR", "pickles", "2001", None, "Lemon pickle", "नींबू का अचार",
     {"250G": (14000, 11900, 300), "500G": (24000, 20900, 560)}, FOOD),
    ("MIRCH-ACHAR", "pickles", "2001", None, "Stuffed red chilli pickle", "भरवां लाल मिर्च का अचार",
     {"250G": (16000, 13900, 300), "500G": (28000, 24900, 560)}, FOOD),
    ("LAHSUN-ACHAR", "pickles", "2001", None, "Garlic pickle", "लहसुन का अचार",
     {"250G": (17000, 14900, 300), "500G": (30000, 26900, 560)}, FOOD),
    ("HALDI", "spices", "091030", 500, "Turmeric powder", "हल्दी पाउडर",
     {"100G": (6000, 4900, 120), "200G": (11000, 8900, 230), "500G": (24000, 19900, 540)}, FOOD),
    ("MIRCH-POWDER", "spices", "090422", 500, "Red chilli powder", "लाल मिर्च पाउडर",
     {"100G": (7000, 5900, 120), "200G": (12000, 10500, 230)}, FOOD),
    ("DHANIYA", "spices", "090922", 500, "Coriander powder", "धनिया पाउडर",
     {"100G": (5000, 4200, 120), "200G": (9000, 7900, 230)}, FOOD),
    ("GARAM-MASALA", "spices", "091099", 500, "Garam masala", "गरम मसाला",
     {"50G": (6000, 5500, 70), "100G": (11000, 9900, 120)}, FOOD),
    ("SATTU", "food", "110290", 500, "Roasted gram flour (sattu)", "चने का सत्तू",
     {"500G": (9000, 7900, 530), "1KG": (16000, 14500, 1040)}, FOOD),
    ("MAKHANA", "snacks", "200819", None, "Roasted fox nuts (makhana)", "भुना मखाना",
     {"100G": (20000, 17900, 150), "250G": (45000, 39900, 330)}, FOOD),
    ("SHAHAD", "honey", "0409", 500, "Wild forest honey", "जंगली शहद",
     {"250G": (25000, 22000, 350), "500G": (45000, 39900, 680)}, FOOD),
    ("KHES", "handloom", "63049190", 500, "Handloom cotton khes", "हथकरघा सूती खेस",
     {"SINGLE": (120000, 99900, 900), "DOUBLE": (180000, 149900, 1400)}, {}),
    ("GAMCHA", "handloom", "63049290", 500, "Handloom cotton gamcha", "हथकरघा सूती गमछा",
     {"PACK2": (40000, 34900, 300), "PACK4": (75000, 64900, 580)}, {}),
    ("SAREE-TUSSAR", "handloom", "50072010", 500, "Tussar silk saree", "तसर सिल्क साड़ी",
     {"NATURAL": (650000, 549900, 700), "MADHUBANI": (850000, 749900, 720)}, {}),
    ("DUPATTA", "handloom", "62141010", 500, "Hand-block printed dupatta", "हाथ ठप्पा छपाई दुपट्टा",
     {"RED": (90000, 79900, 220), "BLUE": (90000, 79900, 220), "GREEN": (90000, 79900, 220)}, {}),
    ("HATHI-KHILONA", "toys", "9503", 500, "Wooden elephant toy", "लकड़ी का हाथी खिलौना",
     {"SMALL": (30000, 24900, 250), "LARGE": (60000, 49900, 600)}, {}),
    ("SIKKI-GUDIYA", "toys", "9503", 500, "Sikki grass doll", "सिक्की घास की गुड़िया",
     {"SET3": (45000, 39900, 200)}, {}),
    ("MADHUBANI", "art", "9701", None, "Madhubani painting on handmade paper", "हस्तनिर्मित कागज़ पर मधुबनी पेंटिंग",
     {"A4": (120000, 99900, 150), "A3": (220000, 189900, 260)}, {}),
    ("DOKRA", "art", "83062990", None, "Dokra brass tribal figurine", "ढोकरा पीतल आदिवासी मूर्ति",
     {"SMALL": (90000, 79900, 400), "LARGE": (240000, 219900, 1100)}, {}),
    ("PATTAL", "household", "48236900", 500, "Sal leaf plates", "साल पत्ते की पत्तल",
     {"PACK50": (20000, 17900, 800), "PACK100": (38000, 33900, 1550)}, {}),
]  # fmt: skip


def seed_demo(runtime: ServiceRuntime) -> None:
    with catalog_unit_of_work(runtime) as uow:
        if uow.registry.clfs(None):
            return  # already seeded by an earlier run
    ensure_geography(runtime)
    for n, (clf_id, name, name_hi, block, house) in enumerate(CLFS):
        gstin = DEMO_GSTINS.get(clf_id)
        shg_ids = register_clf(runtime, clf_id, name, name_hi, block, house, SHG_NAMES[n * 2 : n * 2 + 4], n, gstin)
        _seed_products(runtime, clf_id, house, shg_ids)


def ensure_geography(runtime: ServiceRuntime) -> None:
    """The demo states, districts and blocks (also what tests build their CLFs on)."""
    with catalog_unit_of_work(runtime) as uow:
        if uow.registry.clfs(None) or uow.registry.get("geo_units", "10"):
            return
    for unit in GEOGRAPHY:
        with catalog_unit_of_work(runtime) as uow:
            registry.create_geo_unit(uow, SEEDER, dict(unit))


def register_clf(
    runtime: ServiceRuntime,
    clf_id: str,
    name: str,
    name_hi: str,
    block: str,
    house: str,
    shg_names: list[tuple[str, str]],
    n: int = 0,
    gstin: str | None = None,
) -> list[str]:
    """A CLF with its packaging house, SHGs and one member each; returns the SHG ids."""
    with catalog_unit_of_work(runtime) as uow:
        registry.create_clf(
            uow, SEEDER,
            {"id": clf_id, "name": name, "name_hi": name_hi, "block_code": block, "gstin": gstin,
             "address": f"Jeevika block office, {BLOCK_NAMES.get(block, block)}", "pincode": f"8{n % 10}2001",
             "seller_accounts": [{"channel": "amazon", "seller_id": f"A{n}SAHELI"},
                                 {"channel": "flipkart", "seller_id": f"fk-samarth-{n}"}]},
        )  # fmt: skip
    with catalog_unit_of_work(runtime) as uow:
        registry.create_packaging_house(
            uow, SEEDER,
            {"id": house, "name": f"{name} packaging house", "block_code": block,
             "address": f"Block office campus, {name}", "pincode": f"8{n % 10}2001"},
        )  # fmt: skip
    shg_ids = []
    for i, (en, hi) in enumerate(shg_names):
        with catalog_unit_of_work(runtime) as uow:
            shg = registry.create_shg(
                uow, SEEDER, clf_id,
                {"id": f"{clf_id}-shg-{i + 1}", "name": f"{en} Jeevika SHG", "name_hi": f"{hi} जीविका समूह",
                 "village": f"Gram {en}pur",
                 # the last SHG of each CLF has not given its bank details yet: the bank file leaves it out
                 "bank_account_ref": None if i == len(shg_names) - 1 else f"SBIN000{block}-{n}{i:02d}"},
            )  # fmt: skip
            registry.add_member(
                uow,
                SEEDER,
                shg["id"],
                {"name": f"{en} Devi", "phone": f"9{n % 10}{i}0012345"[:10], "role": "president"},
            )
        shg_ids.append(shg["id"])
    return shg_ids


def _seed_products(runtime: ServiceRuntime, clf_id: str, house: str, shg_ids: list[str]) -> None:
    count = itertools.count()
    for stem, category, hsn, gst, en, hi, sizes, extra in TEMPLATES:
        for size, (mrp, price, grams) in sizes.items():
            n = next(count)
            sku = f"{stem}-{size}"
            fields = {
                "sku": sku, "clf_id": clf_id, "family_id": stem, "category": category, "hsn_code": hsn,
                "gst_rate_bp": gst, "mrp_paise": mrp, "price_paise": price, "weight_grams": grams,
                "length_mm": 150, "width_mm": 100, "height_mm": 80,
                "title_en": f"{en}, {size.lower()}", "title_hi": f"{hi}, {size.lower()}",
                "description_en": f"{en} made by women of self-help groups.",
                "description_hi": f"स्वयं सहायता समूह की महिलाओं द्वारा बनाया गया {hi}।",
                "shg_ids": [shg_ids[n % len(shg_ids)]], **extra,
            }  # fmt: skip
            with catalog_unit_of_work(runtime) as uow:
                products.create_product(uow, SEEDER, fields, submit=n % 11 != 3)
            # Most products go all the way to the marketplaces; a few wait for review, one is rejected.
            if n % 11 in (3, 7):
                continue
            with catalog_unit_of_work(runtime) as uow:
                if n % 11 == 9:
                    products.transition(uow, SEEDER, sku, clf_id, "reject", "The photo does not show the label")
                    continue
                products.transition(uow, SEEDER, sku, clf_id, "approve")
            with catalog_unit_of_work(runtime) as uow:
                products.transition(uow, SEEDER, sku, clf_id, "publish")
            with catalog_unit_of_work(runtime) as uow:
                stock.change_stock(uow, SEEDER, sku, clf_id, house, "receipt", 5 + (n * 7) % 40, "opening stock")
