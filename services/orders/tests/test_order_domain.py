import pytest

from haat_orders.domain.order import IllegalTransition, marketplace_moves, next_state


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
