"""Test support shared by every service's tests: real PostgreSQL, a real broker, real HTTP.

Registered as a pytest plugin by the root conftest.py (`pytest_plugins = ["haat_testkit.fixtures"]`).
"""
