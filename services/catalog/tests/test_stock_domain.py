import pytest

from haat_catalog.domain.stock import InsufficientStock, StockError, StockLevel

pytestmark = pytest.mark.fast


def level(on_hand: int = 0, reserved: int = 0) -> StockLevel:
    return StockLevel("clf-1", "HALDI-200", "ph-1", on_hand=on_hand, reserved=reserved)


def test_receipts_reservations_and_shipping():
    stock = level()
    stock.receive(10)
    stock.reserve(4)
    assert (stock.on_hand, stock.reserved, stock.available) == (10, 4, 6)
    movement = stock.consume(4)
    assert (movement.on_hand_delta, movement.reserved_delta) == (-4, -4)
    assert (stock.on_hand, stock.reserved, stock.available) == (6, 0, 6)


def test_a_reservation_beyond_what_is_available_is_refused():
    stock = level(on_hand=3, reserved=2)
    with pytest.raises(InsufficientStock) as error:
        stock.reserve(2)
    assert (error.value.requested, error.value.available) == (2, 1)
    assert stock.reserved == 2, "nothing changed"


def test_an_adjustment_cannot_take_what_orders_hold_and_needs_a_reason():
    stock = level(on_hand=5, reserved=4)
    with pytest.raises(InsufficientStock):
        stock.adjust(-2, "damaged in the rain")
    stock.adjust(-1, "damaged in the rain")
    assert stock.available == 0
    with pytest.raises(StockError):
        stock.adjust(3, "")
    with pytest.raises(StockError):
        stock.receive(0)


def test_release_and_consume_never_go_below_what_is_held():
    stock = level(on_hand=5, reserved=2)
    assert stock.release(5).reserved_delta == -2
    assert stock.consume(3).on_hand_delta == 0
    assert (stock.on_hand, stock.reserved) == (5, 0)
