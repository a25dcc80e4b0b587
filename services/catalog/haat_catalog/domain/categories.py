"""Product categories, their names for people, and what each marketplace calls them.

Marketplace product types decide which attributes a listing needs; they are kept here, in one table,
so that a correction is one line. (Amazon's come from its product type definitions; Flipkart's
"verticals" from its seller portal.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    name_en: str
    name_hi: str
    food: bool
    product_types: dict[str, str]  # channel → that marketplace's product type


CATEGORIES = {
    c.key: c
    for c in (
        Category("pickles", "Pickles", "अचार", True, {"amazon": "GROCERY", "flipkart": "pickle"}),
        Category("spices", "Spices and masalas", "मसाले", True, {"amazon": "GROCERY", "flipkart": "spice"}),
        Category("honey", "Honey", "शहद", True, {"amazon": "GROCERY", "flipkart": "honey"}),
        Category("snacks", "Snacks", "नमकीन और स्नैक्स", True, {"amazon": "GROCERY", "flipkart": "snack"}),
        Category("sweets", "Sweets", "मिठाई", True, {"amazon": "GROCERY", "flipkart": "sweet"}),
        Category("food", "Other food", "अन्य खाद्य", True, {"amazon": "GROCERY", "flipkart": "food_product"}),
        Category("handloom", "Handloom textiles", "हथकरघा वस्त्र", False, {"amazon": "HOME_BED_AND_BATH", "flipkart": "bedsheet"}),
        Category("apparel", "Clothing", "कपड़े", False, {"amazon": "SARI", "flipkart": "sari"}),
        Category("toys", "Toys", "खिलौने", False, {"amazon": "TOY_FIGURE", "flipkart": "showpiece_figurine"}),
        Category("art", "Art and handicraft", "कला और हस्तशिल्प", False, {"amazon": "HOME_DECOR", "flipkart": "showpiece_figurine"}),
        Category("household", "Household", "घरेलू सामान", False, {"amazon": "DISPOSABLE_TABLEWARE", "flipkart": "disposable_plate"}),
        Category("beauty", "Beauty and soaps", "सौंदर्य और साबुन", False, {"amazon": "BEAUTY", "flipkart": "soap"}),
        Category("general", "Other", "अन्य", False, {"amazon": "PRODUCT", "flipkart": "general"}),
    )
}  # fmt: skip
FOOD_CATEGORIES = frozenset(key for key, c in CATEGORIES.items() if c.food)
