import pytest

from haat_connectors.testing import running_sandboxes


@pytest.fixture
def sandboxes():
    """Both sandbox marketplaces at their published quotas (listings processed in ~0.2 s)."""
    with running_sandboxes() as running:
        yield running


@pytest.fixture
def fast_sandboxes():
    """Both sandboxes with every quota x 10, so that a thousand listings take seconds, not minutes."""
    with running_sandboxes(quota_scale=10) as running:
        yield running


@pytest.fixture
def quota_sandboxes():
    """Quotas x 5: fast enough for a thousand listings in a test, slow enough that this small, busy
    machine (two cores shared by PostgreSQL, the broker, both sandboxes and the suite) keeps the pace."""
    with running_sandboxes(quota_scale=5) as running:
        yield running
