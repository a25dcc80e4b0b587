"""GST rates on goods by HSN code, with the dates they are in force: the one table catalog (what a product is
taxed at), the pages (the HSN picker) and orders (what an invoice charges on its date) all read.

A rate belongs to a tariff entry (a chapter "61", heading "2001", sub-heading "210690" or tariff item
"19059040") for a period. The entry that decides a code is its longest matching prefix among the entries in
force on the day; a heading can hold more than one entry (toilet soap at 5%, other soap at 18%), and then the
product says which by its rate. Some entries depend on the sale value of one piece (clothing and made-ups:
5% up to ₹2,500, 18% above, since 22 Sep 2025).

Sources. Rates from 22 Sep 2025: Notification 9/2025-Central Tax (Rate), 17 Sep 2025 (its schedules give the
CGST half: Schedule I 2.5% → 5% GST, II 9% → 18%, IV 1.5% → 3%), read in CBIC's consolidated "CGST rates on
goods as on 22.09.2025"; nil rates: Notification 10/2025-Central Tax (Rate). Rows ending on 22 Sep 2025 hold
the rate as it stood the day before under 1/2017-Central Tax (Rate) as amended; the table does not follow
changes before that (an invoice dated earlier than an entry's first day falls back to the product's rate).
Every row names its source; `libs/tests/test_gst_rates.py` checks each code against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

GST_2_0 = date(2025, 9, 22)  # the 56th GST Council's rates in force
FIRST_DAY = date(2017, 7, 1)  # GST began; earlier rows start here but only claim the rate of 21 Sep 2025
PIECE_LIMIT_PAISE = 250_000  # ₹2,500 per piece (clothing, made-ups) since 22 Sep 2025
BAND_RATE_BP = 500  # the lower band's rate, taken out of the price to find a piece's value
OLD_PIECE_LIMIT_PAISE = 100_000  # ₹1,000 per piece before

# The rates goods are taxed at, in basis points (3% jewellery, 0.25% and 1.5% stones); 12% ended and 40%
# began on 22 Sep 2025 (28% stays for the few goods of Schedule VII).
SLABS_BEFORE_2_0 = frozenset({0, 25, 150, 300, 500, 1200, 1800, 2800})
SLABS_SINCE_2_0 = frozenset({0, 25, 150, 300, 500, 1800, 2800, 4000})
SLABS_BP = SLABS_BEFORE_2_0 | SLABS_SINCE_2_0


def slabs_on(day: date) -> frozenset[int]:
    return SLABS_SINCE_2_0 if day >= GST_2_0 else SLABS_BEFORE_2_0


N9 = "9/2025-CT(Rate)"
N10 = "10/2025-CT(Rate)"
OLD = "1/2017-CT(Rate) as amended (rate on 21-09-2025)"


@dataclass(frozen=True)
class RateEntry:
    hsn_prefix: str
    rate_bp: int
    description_en: str
    description_hi: str
    source: str
    in_force_from: date = GST_2_0
    in_force_until: date | None = None  # the first day it no longer applies
    excludes: tuple[str, ...] = ()  # codes the entry carves out ("0910 other than 0910 11 10")
    piece_up_to_paise: int | None = None  # applies only when one piece's value is at most this
    piece_above_paise: int | None = None  # applies only when one piece's value is more than this

    def in_force(self, day: date) -> bool:
        return self.in_force_from <= day and (self.in_force_until is None or day < self.in_force_until)

    def covers(self, hsn: str, unit_price_paise: int | None) -> bool:
        if not hsn.startswith(self.hsn_prefix) or any(hsn.startswith(code) for code in self.excludes):
            return False
        if unit_price_paise is None:
            return True  # a price not known yet: every value band is possible
        if self.piece_up_to_paise is not None and worth_more_than(unit_price_paise, self.piece_up_to_paise):
            return False
        return self.piece_above_paise is None or worth_more_than(unit_price_paise, self.piece_above_paise)


def worth_more_than(price_paise: int, limit_paise: int) -> bool:
    """Whether one piece sold at `price_paise` is worth more than `limit_paise`: the "sale value" the bands of
    clothing and made-ups go by is the price less the GST of the lower band (5%) in it, compared exactly in
    whole paise. Measuring both bands on the one value keeps them complementary (no price falls in neither):
    ₹2,625.00 is worth ₹2,500 and is taxed at 5%; ₹2,625.01 is above the line and is taxed at 18%. (Read as
    the GST-inclusive price, a ₹2,600 saree was taxed at 18%.)"""
    return price_paise * 10000 > limit_paise * (10000 + BAND_RATE_BP)


def _now(prefix: str, rate_bp: int, en: str, hi: str, source: str = N9, **more: object) -> RateEntry:
    return RateEntry(prefix, rate_bp, en, hi, source, **more)  # type: ignore[arg-type]


def _before(prefix: str, rate_bp: int, en: str, hi: str, **more: object) -> RateEntry:
    return RateEntry(prefix, rate_bp, en, hi, OLD, FIRST_DAY, GST_2_0, **more)  # type: ignore[arg-type]


_UP = {"piece_up_to_paise": PIECE_LIMIT_PAISE}
_ABOVE = {"piece_above_paise": PIECE_LIMIT_PAISE}
_OLD_UP = {"piece_up_to_paise": OLD_PIECE_LIMIT_PAISE}
_OLD_ABOVE = {"piece_above_paise": OLD_PIECE_LIMIT_PAISE}

# What self-help groups make, first the rates in force since 22 Sep 2025, then the ones they replaced.
ENTRIES: tuple[RateEntry, ...] = (
    _now("0405", 500, "Ghee and butter", "घी और मक्खन", f"{N9} Sch. I"),
    _now("0409", 500, "Natural honey, packed and labelled", "प्राकृतिक शहद (पैक, लेबल वाला)", f"{N9} Sch. I"),
    _now("0902", 500, "Tea", "चाय", f"{N9} Sch. I"),
    _now("0904", 500, "Pepper, dried or ground chillies", "काली मिर्च, सूखी या पिसी मिर्च", f"{N9} Sch. I"),
    _now("0908", 500, "Nutmeg, mace and cardamom", "जायफल, जावित्री और इलायची", f"{N9} Sch. I"),
    _now("0909", 500, "Coriander, cumin and fennel seeds", "धनिया, जीरा और सौंफ", f"{N9} Sch. I"),
    _now(
        "0910",
        500,
        "Dried ginger, turmeric, curry and other spices",
        "सूखी अदरक, हल्दी और अन्य मसाले",
        f"{N9} Sch. I",
        excludes=("09101110", "09103010"),
    ),
    _now("1006", 500, "Rice, packed and labelled", "चावल (पैक, लेबल वाला)", f"{N9} Sch. I"),
    _now("1101", 500, "Wheat flour (atta), packed and labelled", "गेहूँ का आटा (पैक, लेबल वाला)", f"{N9} Sch. I"),
    _now(
        "1102",
        500,
        "Flour of other cereals (maize, millets), packed",
        "अन्य अनाज का आटा (मक्का, मोटा अनाज)",
        f"{N9} Sch. I",
    ),
    _now("1106", 500, "Flour of pulses (besan, sattu), packed and labelled", "दाल का आटा (बेसन, सत्तू)", f"{N9} Sch. I"),
    _now("1704", 500, "Chikki, gajak, til patti and boiled sweets", "चिक्की, गजक, तिल पट्टी और मिठाइयाँ", f"{N9} Sch. I"),
    _now("1904", 500, "Puffed, flattened and parched rice (muri, chira)", "मुरमुरे, चिवड़ा, खील", f"{N9} Sch. I"),
    _now("1905", 500, "Biscuits, cakes and other bakers' wares", "बिस्कुट, केक और बेकरी उत्पाद", f"{N9} Sch. I"),
    _now("19059040", 0, "Papad", "पापड़", f"{N10} (nil)"),
    _now("2001", 500, "Pickles (vegetables, fruit in vinegar or oil)", "अचार", f"{N9} Sch. I"),
    _now("2007", 500, "Jams, jellies and murabba", "जैम, जेली और मुरब्बा", f"{N9} Sch. I"),
    _now("2008", 500, "Roasted nuts and seeds (makhana), preserved fruit", "भुने मेवे और बीज (मखाना)", f"{N9} Sch. I"),
    _now("2009", 500, "Fruit and vegetable juices", "फल और सब्ज़ी के रस", f"{N9} Sch. I"),
    _now("2103", 500, "Sauces, mixed condiments and seasonings", "सॉस, मिश्रित मसाले", f"{N9} Sch. I"),
    _now(
        "2106",
        500,
        "Namkeen, bhujia, bari, mungodi and other food preparations",
        "नमकीन, भुजिया, बड़ी, मंगोड़ी",
        f"{N9} Sch. I",
        excludes=("21069020",),
    ),
    _now("3305", 500, "Hair oil, shampoo", "बालों का तेल, शैम्पू", f"{N9} Sch. I"),
    _now("3305", 1800, "Other preparations for the hair", "बालों के अन्य उत्पाद", f"{N9} Sch. II"),
    _now("33074100", 500, "Agarbatti, dhoop, sambrani", "अगरबत्ती, धूप, सांब्राणी", f"{N9} Sch. I"),
    _now("3401", 500, "Toilet soap in bars or cakes (handmade soap)", "नहाने का साबुन (हाथ से बना)", f"{N9} Sch. I"),
    _now("3401", 1800, "Other soap and washing preparations", "अन्य साबुन और धुलाई के उत्पाद", f"{N9} Sch. II"),
    _now("3406", 500, "Candles", "मोमबत्तियाँ", f"{N9} Sch. I"),
    _now("420222", 1800, "Handbags of other textiles", "अन्य कपड़े के हैंडबैग", f"{N9} Sch. II"),
    _now("42022220", 500, "Handbags and shopping bags of cotton", "सूती हैंडबैग और थैले", f"{N9} Sch. I"),
    _now("42022230", 500, "Handbags and shopping bags of jute", "जूट के हैंडबैग और थैले", f"{N9} Sch. I"),
    _now("4419", 500, "Tableware and kitchenware of wood", "लकड़ी के बर्तन", f"{N9} Sch. I"),
    _now("4420", 500, "Wooden statuettes, ornaments and boxes", "लकड़ी की मूर्तियाँ, सजावट और डिब्बे", f"{N9} Sch. I"),
    _now("4601", 500, "Mats and plaits of bamboo, cane, grass", "बाँस, बेंत, घास की चटाई", f"{N9} Sch. I"),
    _now("4602", 500, "Baskets of bamboo, cane and grass", "बाँस, बेंत और घास की टोकरियाँ", f"{N9} Sch. I"),
    _now("5007", 500, "Silk fabric (tussar, mulberry)", "रेशमी कपड़ा (तसर)", f"{N9} Sch. I"),
    *(
        _now(h, 500, "Woven cotton fabric (handloom)", "सूती कपड़ा (हथकरघा)", f"{N9} Sch. I")
        for h in ("5208", "5209", "5210", "5211", "5212")
    ),
    _now("5702", 500, "Hand-woven rugs and durries", "हाथ से बुनी दरी और गलीचे", f"{N9} Sch. I"),
    _now("5705", 500, "Handloom mats and cotton rugs", "हथकरघा चटाई और सूती दरी", f"{N9} Sch. I"),
    _now("5810", 500, "Embroidery in the piece", "कढ़ाई (थान में)", f"{N9} Sch. I"),
    _now("61", 500, "Knitted clothing, up to ₹2,500 a piece", "बुने हुए कपड़े (₹2,500 तक प्रति नग)", f"{N9} Sch. I", **_UP),
    _now("61", 1800, "Knitted clothing, above ₹2,500 a piece", "बुने हुए कपड़े (₹2,500 से ऊपर)", f"{N9} Sch. II", **_ABOVE),
    _now(
        "62",
        500,
        "Clothing (sarees, dupattas, stoles), up to ₹2,500 a piece",
        "वस्त्र (साड़ी, दुपट्टा, स्टोल), ₹2,500 तक प्रति नग",
        f"{N9} Sch. I",
        **_UP,
    ),
    _now(
        "62",
        1800,
        "Clothing (sarees, dupattas, stoles), above ₹2,500 a piece",
        "वस्त्र (साड़ी, दुपट्टा, स्टोल), ₹2,500 से ऊपर",
        f"{N9} Sch. II",
        **_ABOVE,
    ),
    _now(
        "63",
        500,
        "Made-ups (bedsheets, towels, gamcha), up to ₹2,500 a piece",
        "घरेलू वस्त्र (चादर, तौलिया, गमछा), ₹2,500 तक प्रति नग",
        f"{N9} Sch. I",
        excludes=("63053200", "63053300", "6309"),
        **_UP,
    ),
    _now(
        "63",
        1800,
        "Made-ups (bedsheets, towels, gamcha), above ₹2,500 a piece",
        "घरेलू वस्त्र (चादर, तौलिया, गमछा), ₹2,500 से ऊपर",
        f"{N9} Sch. II",
        excludes=("6309",),
        **_ABOVE,
    ),
    _now("6802", 500, "Statues and ornaments of stone", "पत्थर की मूर्तियाँ और सजावट", f"{N9} Sch. I"),
    _now("6802", 1800, "Worked building stone", "तराशा हुआ इमारती पत्थर", f"{N9} Sch. II"),
    _now(
        "6912", 500, "Terracotta and clay tableware and household articles", "टेराकोटा और मिट्टी के बर्तन", f"{N9} Sch. I"
    ),
    _now("6913", 500, "Ceramic and terracotta statuettes and ornaments", "मिट्टी और सिरेमिक की मूर्तियाँ", f"{N9} Sch. I"),
    _now("7018", 500, "Glass beads", "काँच के मोती", f"{N9} Sch. I"),
    _now("7117", 300, "Imitation and tribal jewellery", "कृत्रिम और आदिवासी आभूषण", f"{N9} Sch. IV"),
    _now(
        "8306",
        500,
        "Bells, statuettes and ornaments of base metal (dhokra)",
        "धातु की घंटियाँ, मूर्तियाँ (ढोकरा)",
        f"{N9} Sch. I",
    ),
    _now("9503", 500, "Toys (wooden, cloth), not electronic", "खिलौने (लकड़ी, कपड़ा), बिजली वाले नहीं", f"{N9} Sch. I"),
    _now("9503", 1800, "Electronic toys", "बिजली वाले खिलौने", f"{N9} Sch. II"),
    _now("9701", 500, "Paintings by hand (Madhubani, Warli)", "हाथ से बनी चित्रकारी (मधुबनी, वारली)", f"{N9} Sch. I"),
    # Before 22 Sep 2025, where the rate was different.
    _before("0405", 1200, "Ghee and butter", "घी और मक्खन"),
    _before("1905", 1800, "Biscuits, cakes and other bakers' wares", "बिस्कुट, केक और बेकरी उत्पाद"),
    _before("19059040", 0, "Papad", "पापड़"),
    _before("2001", 1200, "Pickles", "अचार"),
    _before("2007", 1200, "Jams, jellies and murabba", "जैम, जेली और मुरब्बा"),
    _before("2008", 1200, "Roasted nuts and seeds, preserved fruit", "भुने मेवे और बीज"),
    _before("2009", 1200, "Fruit and vegetable juices", "फल और सब्ज़ी के रस"),
    _before("3401", 1800, "Soap", "साबुन"),
    _before("3406", 1200, "Candles", "मोमबत्तियाँ"),
    _before("4419", 1200, "Tableware and kitchenware of wood", "लकड़ी के बर्तन"),
    _before("4420", 1200, "Wooden statuettes and ornaments", "लकड़ी की मूर्तियाँ"),
    _before("4602", 1200, "Baskets of bamboo, cane and grass", "बाँस, बेंत और घास की टोकरियाँ"),
    _before("61", 500, "Knitted clothing, up to ₹1,000 a piece", "बुने हुए कपड़े (₹1,000 तक)", **_OLD_UP),
    _before("61", 1200, "Knitted clothing, above ₹1,000 a piece", "बुने हुए कपड़े (₹1,000 से ऊपर)", **_OLD_ABOVE),
    _before("62", 500, "Clothing, up to ₹1,000 a piece", "वस्त्र (₹1,000 तक)", **_OLD_UP),
    _before("62", 1200, "Clothing, above ₹1,000 a piece", "वस्त्र (₹1,000 से ऊपर)", **_OLD_ABOVE),
    _before("63", 500, "Made-ups, up to ₹1,000 a piece", "घरेलू वस्त्र (₹1,000 तक)", **_OLD_UP),
    _before("63", 1200, "Made-ups, above ₹1,000 a piece", "घरेलू वस्त्र (₹1,000 से ऊपर)", **_OLD_ABOVE),
    _before("6802", 1200, "Statues and ornaments of stone", "पत्थर की मूर्तियाँ"),
    _before("6912", 1200, "Terracotta and clay tableware", "टेराकोटा और मिट्टी के बर्तन"),
    _before("6913", 1200, "Ceramic statuettes and ornaments", "मिट्टी की मूर्तियाँ"),
    _before("7117", 300, "Imitation jewellery", "कृत्रिम आभूषण"),
    _before("8306", 1200, "Statuettes and ornaments of base metal", "धातु की मूर्तियाँ"),
    _before("9503", 1200, "Toys, not electronic", "खिलौने"),
    _before("9701", 1200, "Paintings by hand", "हाथ से बनी चित्रकारी"),
)


@dataclass(frozen=True)
class Ruling:
    """What the table says of one code on one day: the entries of its longest matching prefix."""

    hsn_code: str
    day: date
    entries: tuple[RateEntry, ...]

    @property
    def known(self) -> bool:
        return bool(self.entries)

    @property
    def rates_bp(self) -> frozenset[int]:
        return frozenset(entry.rate_bp for entry in self.entries)

    @property
    def single_rate_bp(self) -> int | None:
        """The rate when the code leaves no choice; None when unknown or when the product must say which."""
        return next(iter(self.rates_bp)) if len(self.rates_bp) == 1 else None

    def allows(self, rate_bp: int) -> bool:
        return not self.known or rate_bp in self.rates_bp

    @property
    def taxable(self) -> bool:
        """Unknown codes count as taxable: most goods are, and a nil rate must be shown, not assumed."""
        return not self.known or any(entry.rate_bp > 0 for entry in self.entries)


# The entries by their prefix: a code is looked up by its own prefixes, longest first, not against every row
# (a product list checks the GST of each product it shows).
_BY_PREFIX: dict[str, list[RateEntry]] = {}
for _entry in ENTRIES:
    _BY_PREFIX.setdefault(_entry.hsn_prefix, []).append(_entry)


def ruling(hsn_code: str, day: date, unit_price_paise: int | None = None) -> Ruling:
    """The entries deciding `hsn_code` on `day` (for one piece sold at `unit_price_paise`, when known): those of
    its longest prefix that has any in force and covering it."""
    for length in range(len(hsn_code), 1, -1):
        found = tuple(e for e in _BY_PREFIX.get(hsn_code[:length], ())
                      if e.in_force(day) and e.covers(hsn_code, unit_price_paise))  # fmt: skip
        if found:
            return Ruling(hsn_code, day, found)
    return Ruling(hsn_code, day, ())


def rate_on(hsn_code: str, day: date, unit_price_paise: int, recorded_rate_bp: int) -> int:
    """The rate an invoice of `day` charges: the table's when the code leaves no choice on that day, the rate
    the product was recorded with when it is one of the table's choices or the table does not know the code,
    else the heading's first entry (the one listed for what self-help groups make: toilet soap, toys that are
    not electronic, statues of stone)."""
    found = ruling(hsn_code, day, unit_price_paise)
    if found.single_rate_bp is not None:
        return found.single_rate_bp
    return recorded_rate_bp if found.allows(recorded_rate_bp) else found.entries[0].rate_bp


def picker(day: date) -> list[RateEntry]:
    """The entries in force on `day`, for the product form's HSN picker (each with its rate)."""
    return sorted((e for e in ENTRIES if e.in_force(day)), key=lambda e: (e.hsn_prefix, e.rate_bp))
