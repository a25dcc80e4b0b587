"""Haat connectors service: listings, prices, stock and orders synchronised with each marketplace."""
