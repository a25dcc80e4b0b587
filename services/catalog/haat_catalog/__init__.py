"""Haat catalog service: the CLF → SHG → producer registry and their products."""
