"""Root conftest: every test directory shares the fixtures of haat_testkit (real PostgreSQL, broker)."""

pytest_plugins = ["haat_testkit.fixtures"]
