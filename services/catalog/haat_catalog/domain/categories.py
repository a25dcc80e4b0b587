"""Product categories and their names for people. (What each marketplace calls a category is the
connectors' business: haat_connectors.adapters.marketplaces.product_types.)"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    name_en: str
    name_hi: str
    food: bool


CATEGORIES = {
    c.key: c
    for c in (
        Category("pickles", "Pickles", "अचार", True),
        Category("spices", "Spices and masalas", "मसाले", True),
        Category("honey", "Honey", "शहद", True),
        Category("snacks", "Snacks", "नमकीन और स्नैक्स", True),
        Category("sweets", "Sweets", "मिठाई", True),
        Category("food", "Other food", "अन्य खाद्य", True),
        Category("handloom", "Handloom textiles", "हथकरघा वस्त्र", False),
        Category("apparel", "Clothing", "कपड़े", False),
        Category("toys", "Toys", "खिलौने", False),
        Category("art", "Art and handicraft", "कला और हस्तशिल्प", False),
        Category("household", "Household", "घरेलू सामान", False),
        Category("beauty", "Beauty and soaps", "सौंदर्य और साबुन", False),
        Category("general", "Other", "अन्य", False),
    )
}  # fmt: skip
FOOD_CATEGORIES = frozenset(key for key, c in CATEGORIES.items() if c.food)
