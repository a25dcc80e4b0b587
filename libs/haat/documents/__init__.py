"""Documents people read: PDFs (fpdf2 with HarfBuzz shaping and Noto Sans Devanagari), Indian number and
money formats, and spreadsheet cells that are safe to open. An optional part of the libraries
(`haat-libs[documents]`): only the services that print or export (orders, gateway) and the sandboxes
install its packages; the PDF module is the only one that needs them."""
