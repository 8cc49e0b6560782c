"""The background printer of the statements' PDFs (pi_contracts/tools/pdf_pages.py): one file per page, or
the reason it cannot cut them."""

import io
import sys

from PyPDF2 import PdfReader, PdfWriter

import pdf_pages


def blank_pdf(pages):
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=200, height=300)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def test_each_page_in_its_own_file_as_odoo_writes_it(tmp_path):
    assert pdf_pages.split_pages(blank_pdf(3), 3, str(tmp_path / "page.")) is None
    for index in range(3):
        reader = PdfReader(str(tmp_path / f"page.{index}.pdf"))
        assert len(reader.pages) == 1
        assert reader.metadata["/Creator"] == "Odoo"
        assert reader.metadata["/Producer"] == "Odoo"
    assert not (tmp_path / "page.3.pdf").exists()


def test_pages_not_matching_are_not_cut(tmp_path):
    assert pdf_pages.split_pages(blank_pdf(2), 3, str(tmp_path / "page.")) == 2
    assert not list(tmp_path.iterdir())


def test_runs_the_command_then_cuts(tmp_path, capsys):
    source = tmp_path / "source.pdf"
    source.write_bytes(blank_pdf(2))
    target = tmp_path / "report.pdf"
    copy = ["import shutil, sys; shutil.copy(sys.argv[1], sys.argv[2])", str(source), str(target)]
    assert pdf_pages.main(["2", str(tmp_path / "page."), str(target), "--", sys.executable, "-c", *copy]) == 0
    assert (tmp_path / "page.1.pdf").exists()
    assert pdf_pages.main(["3", str(tmp_path / "other."), str(target), "--", sys.executable, "-c", *copy]) \
        == pdf_pages.EXIT_PAGES
    assert capsys.readouterr().out == "2"


def test_a_failing_command_is_reported(tmp_path, capsys):
    fail = ["import sys; sys.stderr.write('out of memory'); sys.exit(-11 % 256)"]
    code = pdf_pages.main(["1", str(tmp_path / "page."), str(tmp_path / "report.pdf"), "--", sys.executable, "-c",
                           *fail])
    assert code == pdf_pages.EXIT_WKHTMLTOPDF
    assert "out of memory" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_wkhtmltopdf_warnings_still_give_the_pdf(tmp_path):
    # exit code 1: wkhtmltopdf's warnings (a resource not loaded), the PDF is made, as stock accepts it
    target = tmp_path / "report.pdf"
    target.write_bytes(blank_pdf(1))
    assert pdf_pages.main(["1", str(tmp_path / "page."), str(target), "--", sys.executable, "-c",
                           "import sys; sys.exit(1)"]) == 0
    assert (tmp_path / "page.0.pdf").exists()
