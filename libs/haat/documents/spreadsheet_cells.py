"""Cells of the spreadsheets and CSV files Haat writes for people to open (error reports, bank files)."""

from __future__ import annotations


def safe_cell(value: str) -> str:
    """A value to write into a spreadsheet the user will open: never a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
