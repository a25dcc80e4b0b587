"""Haat gateway: the one public door (API, web pages, signed webhooks for partner platforms)."""
