import pytest

from haat_gateway.service_layer.api_keys import create_key


@pytest.fixture
def api_key():
    """`api_key(gateway, role, clf_id)` → the Authorization header of a new key."""

    def make(gateway, role: str = "admin", clf_id: str | None = None) -> dict[str, str]:
        with gateway.unit_of_work() as uow:
            secret, _ = create_key(uow.session, role=role, label="test", clf_id=clf_id)
            uow.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make
