"""Properties of the money arithmetic and the order's state machine, over generated inputs (hypothesis):
paise add up exactly, shares cover the whole, no move takes an order anywhere it may not be."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haat_orders.domain.gst import rupees_in_words, tax_line
from haat_orders.domain.order import ACTIONS, STATES, IllegalTransition, marketplace_moves, next_state
from haat_orders.domain.settlement import basis_points, payable, shares

pytestmark = pytest.mark.fast

PAISE = st.integers(min_value=0, max_value=10**9)  # up to ₹1 crore a line
GST_RATES_BP = st.sampled_from([0, 10, 25, 300, 500, 1200, 1800, 2800])


@given(unit=PAISE, quantity=st.integers(1, 1000), rate=GST_RATES_BP, intra=st.booleans(), taxed=st.booleans())
def test_a_lines_tax_and_taxable_value_add_up_to_what_the_buyer_paid(unit, quantity, rate, intra, taxed):
    line = tax_line("S", "d", "6304", quantity, unit, rate, intra_state=intra, taxed=taxed)
    assert line.gross_paise == unit * quantity
    assert line.taxable_paise + line.cgst_paise + line.sgst_paise + line.igst_paise == line.gross_paise
    assert min(line.taxable_paise, line.cgst_paise, line.sgst_paise, line.igst_paise) >= 0
    if not taxed:
        assert line.taxable_paise == line.gross_paise
        return
    exact = line.gross_paise * 10000 / (10000 + rate)
    assert abs(line.taxable_paise - exact) <= 0.5 + 1e-9  # rounded to the nearest paisa
    if intra:
        assert line.igst_paise == 0
        assert 0 <= line.sgst_paise - line.cgst_paise <= 1  # an odd paisa goes to SGST
    else:
        assert line.cgst_paise == line.sgst_paise == 0


@given(total=st.integers(0, 10**8), weights=st.lists(st.integers(0, 10**7), min_size=1, max_size=30))
def test_shares_of_a_fee_add_up_to_the_fee_and_follow_the_weights(total, weights):
    parts = shares(total, weights)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
    whole = sum(weights)
    if whole:
        for part, weight in zip(parts, weights, strict=True):
            assert abs(part - total * weight / whole) < 1


@given(gross=PAISE, fee=st.integers(0, 3000), tcs=st.integers(0, 100), tds=st.integers(0, 100),
       shipping=st.integers(0, 10**5))  # fmt: skip
def test_what_an_shg_is_owed_is_the_sale_less_each_rounded_deduction(gross, fee, tcs, tds, shipping):
    taxable = gross * 100 // 105
    owed = payable(gross, taxable, shipping, fee_bp=fee, tcs_bp=tcs, tds_bp=tds)
    assert owed.net_paise == gross - owed.fee_paise - shipping - owed.tcs_paise - owed.tds_paise
    assert abs(owed.fee_paise - gross * fee / 10000) <= 0.5
    assert basis_points(gross, 10000) == gross


@given(paise=st.integers(0, 10**11))
def test_every_amount_can_be_written_in_words(paise):
    words = rupees_in_words(paise)
    assert words
    assert words == words.strip()


@given(actions=st.lists(st.sampled_from(sorted(ACTIONS)), max_size=20))
def test_no_sequence_of_moves_leaves_the_states_or_leaves_a_final_one(actions):
    state = "created"
    for action in actions:
        try:
            after = next_state(state, action)
        except IllegalTransition:
            assert state not in ACTIONS[action][0]  # refused exactly when the move is not listed as legal
            continue
        assert after in STATES
        assert state not in ("cancelled", "returned"), f"{state} is final, yet {action} moved it"
        state = after


@given(state=st.sampled_from(STATES), reported=st.sampled_from(
    ["shipped", "delivered", "return_requested", "returned", "cancelled", "open", "unknown"]))  # fmt: skip
def test_a_marketplace_report_only_moves_an_order_forward_and_legally(state, reported):
    current = state
    for action in marketplace_moves(state, reported):
        current = next_state(current, action)  # raises if a move were illegal
    order = ["created", "accepted", "packed", "shipped", "delivered", "return_requested", "returned"]
    if state in order and current in order:
        assert order.index(current) >= order.index(state), "an older word never takes an order back"
