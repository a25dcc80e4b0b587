"""The GST rate table against its sources, code by code.

Each row below was read from CBIC's consolidated list "CGST rates on goods as on 22.09.2025" (Notification
9/2025-Central Tax (Rate)), which gives the CGST half: Schedule I "2.5%" is 5% GST, Schedule II "9%" is 18%,
Schedule IV "1.5%" is 3%. Written apart from the table so that a slip in one is caught by the other.
"""

from __future__ import annotations

from datetime import date

import pytest

from haat import gst_rates
from haat.gst_rates import ENTRIES, SLABS_BP, rate_on, ruling

pytestmark = pytest.mark.fast

GST_2_0 = date(2025, 9, 22)
DAY_BEFORE = date(2025, 9, 21)
CGST_TO_GST_BP = {"2.5%": 500, "9%": 1800, "1.5%": 300, "nil": 0}

# code, the schedule's CGST rate on 22 Sep 2025, where it is in the notification
NOTIFIED = [
    ("0405", "2.5%", "Sch. I: butter and other fats derived from milk, including ghee"),
    ("0409", "2.5%", "Sch. I: natural honey, pre-packaged and labelled"),
    ("0902", "2.5%", "Sch. I: tea"),
    ("0904", "2.5%", "Sch. I: pepper; dried, crushed or ground capsicum"),
    ("0908", "2.5%", "Sch. I: nutmeg, mace and cardamoms"),
    ("0909", "2.5%", "Sch. I: seeds of anise, fennel, coriander, cumin"),
    ("091030", "2.5%", "Sch. I: 0910 other than 0910 11 10, 0910 30 10 — turmeric other than fresh"),
    ("091099", "2.5%", "Sch. I: 0910 — curry and other spices"),
    ("1006", "2.5%", "Sch. I: rice, pre-packaged and labelled"),
    ("1101", "2.5%", "Sch. I: wheat or meslin flour, pre-packaged and labelled"),
    ("110290", "2.5%", "Sch. I: cereal flours other than of wheat, pre-packaged and labelled"),
    ("1106", "2.5%", "Sch. I: flour of dried leguminous vegetables, pre-packaged and labelled"),
    ("1704", "2.5%", "Sch. I: chikkis, gajak, sugar boiled confectionery"),
    ("1904", "2.5%", "Sch. I: puffed rice (muri), flattened rice (chira), pre-packaged and labelled"),
    ("19059020", "2.5%", "Sch. I: 1905 — biscuits and other bakers' wares"),
    ("19059040", "nil", "10/2025-CT(Rate): papad"),
    ("20019000", "2.5%", "Sch. I: 2001 — vegetables, fruit, nuts preserved by vinegar (pickles)"),
    ("2007", "2.5%", "Sch. I: jams, fruit jellies, marmalades"),
    ("200819", "2.5%", "Sch. I: 2008 — nuts and seeds, roasted or otherwise prepared"),
    ("2009", "2.5%", "Sch. I: fruit or nut juices and vegetable juices"),
    ("2103", "2.5%", "Sch. I: sauces, mixed condiments and mixed seasonings"),
    ("21069099", "2.5%", "Sch. I: 2106 (other than 2106 90 20) — food preparations n.e.s."),
    ("33074100", "2.5%", "Sch. I: agarbatti, lobhan, dhoop batti, dhoop, sambraani"),
    ("3406", "2.5%", "Sch. I: candles, tapers and the like"),
    ("42022220", "2.5%", "Sch. I: hand bags and shopping bags, of cotton"),
    ("42022230", "2.5%", "Sch. I: hand bags and shopping bags, of jute"),
    ("4419", "2.5%", "Sch. I: tableware and kitchenware of wood"),
    ("4420", "2.5%", "Sch. I: statuettes and other ornaments, of wood"),
    ("4602", "2.5%", "Sch. I: 4601, 4602 — basketware and wickerwork"),
    ("50072010", "2.5%", "Sch. I: woven fabrics of silk"),
    ("5208", "2.5%", "Sch. I: 5208 to 5212 — woven fabrics of cotton"),
    ("5702", "2.5%", "Sch. I: hand-woven rugs; handloom durries"),
    ("5705", "2.5%", "Sch. I: mats and mattings of handloom, cotton rugs of handloom"),
    ("5810", "2.5%", "Sch. I: embroidery in the piece, in strips or in motifs"),
    ("6912", "2.5%", "Sch. I: tableware, kitchenware, household articles other than of porcelain"),
    ("6913", "2.5%", "Sch. I: statues and other ornamental articles"),
    ("7018", "2.5%", "Sch. I: glass beads"),
    ("7117", "1.5%", "Sch. IV: imitation jewellery other than bangles of lac/shellac"),
    ("8306", "2.5%", "Sch. I: statuettes and other ornaments of base metal; bidriware"),
    ("9701", "2.5%", "Sch. I: paintings, drawings and pastels executed entirely by hand"),
]

# codes under which the notification has more than one entry: the product says which by its rate
NOTIFIED_CHOICES = [
    ("3401", {"2.5%", "9%"}, "Sch. I toilet soap in bars; Sch. II other soap"),
    ("3305", {"2.5%", "9%"}, "Sch. I hair oil, shampoo; Sch. II other preparations for the hair"),
    ("6802", {"2.5%", "9%"}, "Sch. I statues and ornaments of stone; Sch. II worked building stone"),
    ("9503", {"2.5%", "9%"}, "Sch. I toys other than electronic; Sch. II electronic toys"),
]

# Chapters 61, 62, 63: by the sale value of one piece (Sch. I up to ₹2,500, Sch. II above)
PIECE_PRICED = [("61", "6104"), ("62", "62141010"), ("63", "63049190")]


@pytest.mark.parametrize(("code", "cgst", "where"), NOTIFIED, ids=[row[0] for row in NOTIFIED])
def test_a_code_has_the_rate_its_notification_gives(code: str, cgst: str, where: str) -> None:
    found = ruling(code, GST_2_0)
    assert found.single_rate_bp == CGST_TO_GST_BP[cgst], where
    assert all(entry.source.startswith(("9/2025", "10/2025")) for entry in found.entries)


@pytest.mark.parametrize(("code", "cgst", "where"), NOTIFIED_CHOICES, ids=[row[0] for row in NOTIFIED_CHOICES])
def test_a_heading_with_two_entries_offers_both(code: str, cgst: set[str], where: str) -> None:
    found = ruling(code, GST_2_0)
    assert found.rates_bp == {CGST_TO_GST_BP[rate] for rate in cgst}, where
    assert found.single_rate_bp is None


@pytest.mark.parametrize(("chapter", "code"), PIECE_PRICED)
def test_clothing_and_made_ups_are_taxed_by_the_value_of_a_piece(chapter: str, code: str) -> None:
    # A price includes its GST: ₹2,625.00 paid is a piece worth ₹2,500 ("not exceeding" it): 5%.
    assert ruling(code, GST_2_0, 262_500).single_rate_bp == 500
    assert ruling(code, GST_2_0, 262_501).single_rate_bp == 1800
    assert ruling(code, GST_2_0, 260_000).single_rate_bp == 500  # a ₹2,600 saree is not an 18% one
    assert ruling(code, GST_2_0).rates_bp == {500, 1800}  # price not known yet
    # before 22 Sep 2025 the line was ₹1,000 and the upper rate 12%
    assert ruling(code, DAY_BEFORE, 105_000).single_rate_bp == 500
    assert ruling(code, DAY_BEFORE, 105_001).single_rate_bp == 1200


def test_codes_a_heading_carves_out_are_not_given_its_rate() -> None:
    assert not ruling("09101110", GST_2_0).known  # fresh ginger: "0910 other than 0910 11 10"
    assert not ruling("21069020", GST_2_0).known  # pan masala: "2106 other than 2106 90 20"


@pytest.mark.parametrize(("code", "before", "after"), [
    ("20019000", 1200, 500), ("2007", 1200, 500), ("9503", 1200, 500), ("9701", 1200, 500),
    ("4602", 1200, 500), ("6912", 1200, 500), ("19059010", 1800, 500), ("7117", 300, 300),
])  # fmt: skip
def test_an_invoice_charges_the_rate_in_force_on_its_date(code: str, before: int, after: int) -> None:
    assert rate_on(code, DAY_BEFORE, 10_000, recorded_rate_bp=after) == before
    assert rate_on(code, GST_2_0, 10_000, recorded_rate_bp=before) == after


def test_an_invoice_keeps_the_recorded_rate_where_the_table_gives_a_choice_or_does_not_know() -> None:
    assert rate_on("3401", GST_2_0, 5_000, recorded_rate_bp=1800) == 1800
    assert rate_on("3401", GST_2_0, 5_000, recorded_rate_bp=1200) == 500  # 12% is no longer a choice
    assert rate_on("0409", DAY_BEFORE, 5_000, recorded_rate_bp=500) == 500  # before the table's rows
    assert rate_on("84145110", GST_2_0, 5_000, recorded_rate_bp=1800) == 1800  # a code not in the table


def test_the_longest_known_prefix_decides() -> None:
    assert ruling("42022220", GST_2_0).single_rate_bp == 500  # cotton bag, the tariff item
    assert ruling("42022290", GST_2_0).single_rate_bp == 1800  # other textile bag, the sub-heading
    assert ruling("20019000", GST_2_0).entries[0].hsn_prefix == "2001"


def test_every_entry_is_a_slab_with_a_source_and_a_sensible_period() -> None:
    for entry in ENTRIES:
        assert entry.rate_bp in SLABS_BP, entry
        assert entry.source, entry
        assert entry.in_force_until is None or entry.in_force_from < entry.in_force_until, entry
        assert entry.description_en, entry
        assert entry.description_hi, entry
    # the 12% slab ended for every code in the table on 22 Sep 2025
    assert all(e.rate_bp != 1200 for e in ENTRIES if e.in_force(gst_rates.GST_2_0))


def test_a_gstin_is_checked_for_shape_check_character_and_state():
    from haat.gst_states import gst_state_code, gstin_problem

    assert gstin_problem("27AAPFU0939F1ZV", "Maharashtra") is None  # GSTN's own published example
    assert gstin_problem("27AAPFU0939F1ZW", "Maharashtra") == "gstin_check"  # one character mistyped
    assert gstin_problem("27AAPFU0939F1Z", "Maharashtra") == "gstin_shape"
    assert gstin_problem("27AAPFU0939F1ZV", "Bihar") == "gstin_state"
    assert gstin_problem("10AABCB1334K1ZB", "Bihar") is None  # the demo CLF's
    assert (gst_state_code("Orissa"), gst_state_code(" bihar "), gst_state_code("Atlantis")) == ("21", "10", None)
