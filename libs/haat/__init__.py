"""Haat shared library: what every service is built on (see the README's architecture section)."""
