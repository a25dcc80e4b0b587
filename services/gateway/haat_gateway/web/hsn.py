"""HSN codes that self-help groups' products commonly fall under, with their usual GST rate, for the
product form's searchable picker. The picker suggests; the coordinator may type any valid code."""

from __future__ import annotations

# (HSN code, GST rate in basis points, English, Hindi)
COMMON_HSN: list[tuple[str, int, str, str]] = [
    ("0409", 500, "Natural honey", "प्राकृतिक शहद"),
    ("0904", 500, "Pepper, chilli (dried, ground)", "मिर्च (सूखी, पिसी)"),
    ("090422", 500, "Chilli powder", "मिर्च पाउडर"),
    ("0909", 500, "Coriander, cumin, fennel seeds", "धनिया, जीरा, सौंफ"),
    ("090922", 500, "Coriander powder", "धनिया पाउडर"),
    ("0910", 500, "Ginger, turmeric and other spices", "अदरक, हल्दी और अन्य मसाले"),
    ("091030", 500, "Turmeric", "हल्दी"),
    ("091099", 500, "Mixed spices (garam masala)", "मिश्रित मसाले (गरम मसाला)"),
    ("1006", 500, "Rice (packed, labelled)", "चावल (पैक, लेबल वाला)"),
    ("110290", 500, "Flour of other cereals (sattu)", "अन्य अनाज का आटा (सत्तू)"),
    ("1905", 1800, "Biscuits, bakery products", "बिस्कुट, बेकरी उत्पाद"),
    ("2001", 1200, "Pickles (in vinegar, oil)", "अचार"),
    ("200819", 1200, "Roasted nuts and seeds (makhana)", "भुने मेवे और बीज (मखाना)"),
    ("2007", 1200, "Jams, jellies, murabba", "जैम, जेली, मुरब्बा"),
    ("2106", 1800, "Food preparations (papad mixes)", "खाद्य तैयारियाँ"),
    ("3401", 1800, "Handmade soap", "हाथ से बना साबुन"),
    ("4602", 1200, "Bamboo, cane and grass baskets", "बाँस, बेंत और घास की टोकरियाँ"),
    ("50072010", 500, "Silk sarees (tussar)", "रेशमी साड़ी (तसर)"),
    ("5208", 500, "Handloom cotton fabric", "हथकरघा सूती कपड़ा"),
    ("62141010", 500, "Dupatta, stoles (silk)", "दुपट्टा, स्टोल"),
    ("63049190", 500, "Handloom furnishings (khes, bedsheets)", "हथकरघा फर्निशिंग (खेस, चादर)"),
    ("63049290", 500, "Handloom cotton towels (gamcha)", "हथकरघा सूती गमछा"),
    ("6802", 500, "Carved stone articles", "नक्काशीदार पत्थर की वस्तुएँ"),
    ("6912", 1200, "Terracotta and clay ware", "टेराकोटा और मिट्टी के बर्तन"),
    ("7117", 300, "Imitation and tribal jewellery", "कृत्रिम और आदिवासी आभूषण"),
    ("9503", 1200, "Toys (wooden, cloth)", "खिलौने (लकड़ी, कपड़ा)"),
    ("9701", 1200, "Paintings by hand (Madhubani)", "हाथ से बनी चित्रकारी (मधुबनी)"),
]
GST_RATES_BP = (0, 300, 500, 1200, 1800, 2800)
