"""Root conftest: every test directory shares the fixtures of haat.testing (real PostgreSQL, broker)."""

pytest_plugins = ["haat.testing.fixtures"]
