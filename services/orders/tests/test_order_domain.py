import pytest

from haat_orders.domain.order import (
    IllegalTransition,
    Line,
    Order,
    OrderAccepted,
    OrderDelivered,
    OrderPacked,
    OrderShipped,
    marketplace_moves,
    next_state,
)

pytestmark = pytest.mark.fast


def test_the_happy_path_and_its_branches():
    state = "created"
    for action, expected in (("accept", "accepted"), ("pack", "packed"), ("ship", "shipped"), ("deliver", "delivered")):
        state = next_state(state, action)
        assert state == expected
    assert next_state("packed", "cancel") == "cancelled"
    assert next_state("delivered", "request_return") == "return_requested"
    assert next_state("return_requested", "return") == "returned"


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("created", "ship"),
        ("shipped", "cancel"),
        ("cancelled", "accept"),
        ("returned", "return"),
        ("delivered", "pack"),
    ],
)
def test_an_illegal_move_names_the_current_state(state, action):
    with pytest.raises(IllegalTransition, match=state):
        next_state(state, action)


def test_a_marketplace_report_moves_forward_only():
    assert marketplace_moves("created", "shipped") == ["accept", "pack", "ship"]
    assert marketplace_moves("created", "delivered") == ["accept", "pack", "ship", "deliver"]
    assert marketplace_moves("delivered", "shipped") == []  # older news: the order stays delivered
    assert marketplace_moves("shipped", "cancelled") == []  # too late to cancel: the goods are on their way
    assert marketplace_moves("accepted", "open") == []


def _order(state: str = "created") -> Order:
    return Order(id="amazon-1", clf_id="clf-a", channel="amazon", state=state,
                 lines=(Line("AAM-ACHAR-250G", 2, 12000),), packaging_house_id="ph-1")  # fmt: skip


def test_a_move_is_recorded_as_the_event_of_where_it_led():
    order = _order("packed")
    moved = order.apply("ship", "didi@ph-1", carrier="India Post", tracking_id="EE1")
    assert isinstance(moved, OrderShipped)
    assert (moved.before, moved.after, moved.actor) == ("packed", "shipped", "didi@ph-1")
    assert (order.state, order.carrier, order.tracking_id) == ("shipped", "India Post", "EE1")
    assert moved.lines == order.lines
    assert moved.packaging_house_id == "ph-1"
    assert order.take_events() == [moved]
    assert order.events == []  # taken once


def test_a_refused_move_changes_nothing_and_records_nothing():
    order = _order("shipped")
    with pytest.raises(IllegalTransition, match="shipped"):
        order.apply("cancel", "coordinator")
    assert order.state == "shipped"
    assert order.events == []


def test_following_the_marketplace_records_every_step_it_skipped():
    order = _order("created")
    order.follow_marketplace("delivered", "marketplace", "amazon: Shipped")
    assert [type(e) for e in order.events] == [OrderAccepted, OrderPacked, OrderShipped, OrderDelivered]
    assert order.state == "delivered"
    order.follow_marketplace("shipped", "marketplace", "an older report")  # never taken back
    assert order.state == "delivered"
    assert len(order.events) == 4
