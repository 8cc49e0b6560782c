"""Print an HTML document with wkhtmltopdf and cut the PDF into one file per page, in a process of its own.

Run as a script by ``ir.actions.report._pi_start_pdf_pages`` (never imported by Odoo's code), so that the
statements engine goes on with the batch's e-mails and SMS while the report is printed and cut on the other
core::

    python3 pdf_pages.py PAGES OUT_PREFIX PDF_PATH -- WKHTMLTOPDF_COMMAND...

runs the command (which writes ``PDF_PATH``); when the PDF has exactly ``PAGES`` pages, writes page ``i`` to
``OUT_PREFIX<i>.pdf`` (0-based) as Odoo's own split does (``PdfFileWriter``: one page, Odoo as creator and
producer) and exits 0. Exits 2 when wkhtmltopdf failed (its error on stderr), 3 with the page count on stdout
when the pages do not match. Nothing here imports Odoo: only the PDF library Odoo uses.
"""

import io
import subprocess
import sys

EXIT_WKHTMLTOPDF = 2
EXIT_PAGES = 3


def _unwrapping_get(self, key, default=None):
    # as odoo.tools.pdf: DictionaryObject.get resolves indirect objects, so the pages are written the same
    try:
        return self[key]
    except KeyError:
        return default


def split_pages(pdf, pages, out_prefix):
    """Write each page of ``pdf`` (bytes) to its own file; the page count when it is not ``pages``."""
    from PyPDF2 import PdfReader, PdfWriter  # noqa: PLC0415 - only in the script's process
    from PyPDF2.generic import DictionaryObject  # noqa: PLC0415

    DictionaryObject.get = _unwrapping_get
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    if len(reader.pages) != pages:
        return len(reader.pages)
    for index, page in enumerate(reader.pages):
        writer = PdfWriter()
        writer.add_page(page)
        writer.add_metadata({"/Creator": "Odoo", "/Producer": "Odoo"})
        with open(f"{out_prefix}{index}.pdf", "wb") as out:
            writer.write(out)
    return None


def main(argv):
    pages, out_prefix, pdf_path, separator, *command = argv
    if separator != "--" or not command:
        sys.stderr.write("usage: pdf_pages.py PAGES OUT_PREFIX PDF_PATH -- COMMAND...\n")
        return 1
    process = subprocess.run(command, capture_output=True, encoding="utf-8", check=False)
    if process.returncode not in (0, 1):  # 1: wkhtmltopdf's warnings, the PDF is made (as stock accepts)
        sys.stderr.write(process.stderr[-2000:])
        return EXIT_WKHTMLTOPDF
    with open(pdf_path, "rb") as stream:
        pdf = stream.read()
    found = split_pages(pdf, int(pages), out_prefix)
    if found is not None:
        sys.stdout.write(str(found))
        return EXIT_PAGES
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
