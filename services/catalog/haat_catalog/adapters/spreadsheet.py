"""Reading and writing the product spreadsheet (CSV or XLSX) with bilingual headers.

A header is recognised by its English label, its Hindi label, the two together as in the template
("MRP (₹) / एमआरपी (₹)"), or the field key, whatever the case and Unicode form.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook

from haat.documents.spreadsheet_cells import safe_cell

MAX_CELL_CHARS = 5000
# Blank rows read past the limit's worth before the sheet is refused: a workbook of a few KB can hold
# hundreds of thousands of (empty or repeated) rows, and none of them may be read beyond this.
BLANK_ROWS_PER_ROW = 4


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (not CSV/XLSX, wrong encoding, no header)."""

    def __init__(self, message_en: str, message_hi: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_hi = message_hi


class TooManyRows(UnreadableFile):
    """More rows than one upload may have: reading stopped there."""

    def __init__(self, max_rows: int) -> None:
        super().__init__(
            f"more than {max_rows:,} rows: upload at most {max_rows:,} at a time",
            f"{max_rows:,} से अधिक पंक्तियाँ: एक बार में अधिकतम {max_rows:,} अपलोड करें",
        )


@dataclass(frozen=True)
class Column:
    key: str
    en: str
    hi: str
    example: str
    required: bool = False
    aliases: tuple[str, ...] = ()  # headers earlier templates had

    @property
    def header(self) -> str:
        return f"{self.en} / {self.hi}"


COLUMNS = (
    Column("sku", "SKU", "एसकेयू", "AAM-ACHAR-500G", required=True),
    Column("title_en", "Title (English)", "शीर्षक (अंग्रेज़ी)", "Raw mango pickle, 500 g"),
    Column("title_hi", "Title (Hindi)", "शीर्षक (हिंदी)", "कच्चे आम का अचार, 500 ग्राम"),
    Column("description_en", "Description (English)", "विवरण (अंग्रेज़ी)", "Made by women of Laxmi SHG"),
    Column("description_hi", "Description (Hindi)", "विवरण (हिंदी)", "लक्ष्मी समूह की दीदियों द्वारा बनाया गया"),
    Column("category", "Category", "श्रेणी", "pickles", required=True),
    Column("brand", "Brand", "ब्रांड", ""),
    Column("family_id", "Variant family", "वैरिएंट परिवार", "AAM-ACHAR"),
    Column("hsn_code", "HSN code", "एचएसएन कोड", "2001", required=True),
    Column(
        "gst_rate",
        "GST % (blank: by HSN)",
        "जीएसटी % (खाली: एचएसएन से)",
        "5",
        aliases=("GST %", "जीएसटी %", "GST % / जीएसटी %"),
    ),
    Column("mrp", "MRP (₹)", "एमआरपी (₹)", "250.00", required=True),
    Column("price", "Selling price (₹)", "बिक्री मूल्य (₹)", "220.00", required=True),
    Column("weight_grams", "Weight (g)", "वज़न (ग्राम)", "560"),
    Column("length_cm", "Length (cm)", "लंबाई (सेमी)", "15"),
    Column("width_cm", "Width (cm)", "चौड़ाई (सेमी)", "10"),
    Column("height_cm", "Height (cm)", "ऊँचाई (सेमी)", "8"),
    Column("shg_ids", "SHG ids", "समूह आईडी", "clf-kanti-shg-1"),
    Column("fssai_licence", "FSSAI licence", "एफएसएसएआई लाइसेंस", "10020051000123"),
    Column("shelf_life_days", "Shelf life (days)", "शेल्फ लाइफ (दिन)", "365"),
    Column("ingredients", "Ingredients / material", "सामग्री", "Mango, mustard oil, salt, spices"),
    Column("country_of_origin", "Country of origin", "मूल देश", "IN"),
    Column("gst_exempt_reason", "GST exempt because", "जीएसटी छूट का कारण", ""),
)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


_HEADERS = {
    _norm(name): column.key
    for column in COLUMNS
    for name in (column.key, column.en, column.hi, column.header, f"{column.hi} / {column.en}", *column.aliases)
}


@dataclass(frozen=True)
class Sheet:
    columns: list[str | None]  # the field key of each column, None for a column we do not know
    rows: list[tuple[int, dict[str, str]]]  # (row number as the user sees it, values by key)
    unknown_headers: list[str]


def read(content: bytes, filename: str, *, max_rows: int) -> Sheet:
    """The sheet's rows with something in them; TooManyRows as soon as there are more than `max_rows` (or
    the sheet runs on far past that with blank rows), without reading the rest."""
    lowered = filename.lower()
    if lowered.endswith(".xlsx"):
        raw_rows = _xlsx_rows(content)
    elif lowered.endswith((".csv", ".txt")):
        raw_rows = _csv_rows(content)
    else:
        raise UnreadableFile("upload a .csv or .xlsx file", "कृपया .csv या .xlsx फ़ाइल अपलोड करें")
    try:
        header = next(raw_rows)
    except StopIteration:
        raise UnreadableFile("the file is empty", "फ़ाइल खाली है") from None
    columns = [_HEADERS.get(_norm(cell)) for cell in header]
    if "sku" not in columns:
        raise UnreadableFile(
            "the first row must be the header row of the template (no SKU column found)",
            "पहली पंक्ति टेम्पलेट की हेडर पंक्ति होनी चाहिए (एसकेयू कॉलम नहीं मिला)",
        )
    unknown = [cell for cell, key in zip(header, columns, strict=True) if key is None and cell.strip()]
    rows = []
    for number, cells in enumerate(raw_rows, start=2):
        if number > (max_rows + 1) * BLANK_ROWS_PER_ROW:
            raise TooManyRows(max_rows)
        values = {
            key: cell.strip()[: MAX_CELL_CHARS + 1]
            for key, cell in zip(columns, cells, strict=False)
            if key is not None and cell is not None
        }
        if any(values.values()):
            rows.append((number, values))
            if len(rows) > max_rows:
                raise TooManyRows(max_rows)
    return Sheet(columns, rows, unknown)


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            "the file is not UTF-8: in Excel use 'Save as → CSV UTF-8' so that Hindi survives",
            "फ़ाइल UTF-8 में नहीं है: एक्सेल में 'Save as → CSV UTF-8' चुनें ताकि हिंदी सही रहे",
        ) from None
    # Only the delimiter is guessed (Excel writes ';' in some locales); quoting stays Excel's own, since the
    # sniffer's guess of it on a short sample turned a cell holding one '"' into two.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    yield from csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a corrupt or non-XLSX file
        raise UnreadableFile("the file is not a readable .xlsx workbook", "यह पढ़ने योग्य .xlsx फ़ाइल नहीं है") from None
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield ["" if value is None else _cell_text(value) for value in row]
    workbook.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    writer.writerow([c.example for c in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel open it as UTF-8


def template_xlsx(categories: Sequence[tuple[str, str, str]] = (), shgs: Sequence[tuple[str, str, str]] = ()) -> bytes:
    """The template, with sheets listing what its columns take: the category keys, and the SHGs of the CLF
    (id and name) that `shg_ids` names."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "products"
    sheet.append([c.header for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(14, len(column.header) + 2)
    for title, header, rows in (("categories", ("key / कुंजी", "English", "हिंदी"), categories),
                                ("shgs", ("shg_ids / समूह आईडी", "name", "नाम"), shgs)):  # fmt: skip
        if rows:
            listing = workbook.create_sheet(title)
            listing.append(list(header))
            for row in rows:
                listing.append([safe_cell(str(value or "")) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
