"""Printable PDFs in Hindi and English: the fonts, Indian number formats and a page layout.

Devanagari needs a font that has it and a shaper that joins its conjuncts and places its vowel signs:
fpdf2 shapes text with HarfBuzz (uharfbuzz) and the font is Noto Sans Devanagari (Latin, digits and ₹
included), which its PyPI package ships as one variable font. fpdf2 embeds static fonts, so the regular
and bold instances are cut from it once per machine and kept in a cache directory.
"""

from __future__ import annotations

import os
import tempfile
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from haat.documents.indian_format import indian_number, rupees

FONT_FAMILY = "NotoSansDevanagari"
_WEIGHTS = {"": 400, "B": 700}
_font_lock = threading.Lock()
__all__ = ["FONT_FAMILY", "PrintedPage", "font_files", "indian_number", "rupees"]


def font_files(cache_dir: Path | None = None) -> dict[str, Path]:
    """The static regular ("") and bold ("B") fonts, cut from the variable font on first use."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    package = resources.files("fontpkg_noto_sans_devanagari") / "files"
    variable = next(p for p in package.iterdir() if p.name.endswith(".ttf"))
    folder = cache_dir or Path(tempfile.gettempdir()) / "haat-fonts"
    paths = {style: folder / f"{FONT_FAMILY}-{weight}.ttf" for style, weight in _WEIGHTS.items()}
    with _font_lock:
        for style, path in paths.items():
            if path.exists():
                continue
            folder.mkdir(parents=True, exist_ok=True)
            with resources.as_file(variable) as source:
                cut = instancer.instantiateVariableFont(TTFont(source), {"wght": _WEIGHTS[style], "wdth": 100})
            # Written aside and renamed: another process reading the cache never sees half a font.
            fd, partial = tempfile.mkstemp(dir=folder, suffix=".ttf.part")
            os.close(fd)
            cut.save(partial)
            os.replace(partial, path)
    return paths


class PrintedPage(FPDF):
    """An A4 (or label-sized) document with shaped Hindi and English text and a titled first page."""

    def __init__(self, title: str, *, format: Any = "A4", footer_note: str = "") -> None:
        super().__init__(format=format)
        self.set_title(title)
        self.set_creator("Haat")
        self.footer_note = footer_note
        for style, path in font_files().items():
            self.add_font(FONT_FAMILY, style, str(path))
        self.set_text_shaping(True)
        margin = 8 if format != "A4" else 14
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(True, margin=margin + 6)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.font(7)
        self.cell(0, 5, f"{self.footer_note}  {self.page_no()}/{{nb}}".strip(), align="R")

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(FONT_FAMILY, "B" if bold else "", size)

    def heading(self, text: str, size: float = 15) -> None:
        self.font(size, bold=True)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def line_of_text(self, text: str, size: float = 9, bold: bool = False) -> None:
        self.font(size, bold)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table_of(
        self, header: list[str], rows: list[list[str]], widths: list[float], size: float = 8, *, numeric: set[int]
    ) -> None:
        """A bordered table whose `numeric` columns (by index) are right-aligned; the header repeats on every
        page the table runs onto."""
        align = ["RIGHT" if n in numeric else "LEFT" for n in range(len(header))]
        self.font(size)
        with self.table(
            col_widths=widths,
            text_align=align,
            line_height=size * 0.55,
            repeat_headings=1,
        ) as table:
            for values in [header, *rows]:
                row = table.row()
                for value in values:
                    row.cell(value)
        self.ln(2)

    def pdf_bytes(self) -> bytes:
        return bytes(self.output())
