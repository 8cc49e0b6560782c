import functools
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile

import lxml.html

from odoo import models, tools
from odoo.http import request
from odoo.tools import split_every
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from ..tools import pdf_pages

_logger = logging.getLogger(__name__)

# Records per wkhtmltopdf call (bench/bench_statements.py measures it): the call's fixed cost (start, the
# report's JavaScript delay) is shared by the chunk; bigger chunks gain little and cost more to redo.
PDF_CHUNK_SIZE = 100
# A chunk whose split failed is halved while its extra pages are at most a quarter of its records (a few
# records over a page); beyond that most records are long and each is printed alone.
BISECT_EXTRA_PAGES_RATIO = 4
PAGE_BREAK = '<div style="page-break-before: always;"></div>'
# Stock cuts bigger bodies' tables before printing them (_run_wkhtmltopdf): such documents are printed by stock.
MAX_BACKGROUND_BODY = 4 * 1024 * 1024


class PdfPagesError(RuntimeError):
    """The background printing gave no PDF per record (logged; the records are printed again by stock)."""


class PdfPagesJob:
    """A report printing in the background (``tools/pdf_pages.py``: wkhtmltopdf, then one PDF per page),
    started by ``ir.actions.report._pi_start_pdf_pages``; ``collect()`` waits for it and answers
    ``{res_id: PDF bytes}``, or raises when the PDF could not be made or split (the caller prints again
    the usual way). Its temporary files are removed whatever happens."""

    def __init__(self, res_ids, directory, process):
        self.res_ids = res_ids
        self.directory = directory
        self.process = process
        self.pdfs = None

    def collect(self):
        if self.pdfs is None:
            self.pdfs = self._collect()
        return self.pdfs

    def _collect(self):
        try:
            out, err = self.process.communicate()
            if self.process.returncode == pdf_pages.EXIT_PAGES:
                raise PdfPagesError(f"{out} pages printed for {len(self.res_ids)} records")
            if self.process.returncode:
                raise PdfPagesError(f"wkhtmltopdf failed (error code: {self.process.returncode}): {err[-1000:]}")
            pdfs = {}
            for index, res_id in enumerate(self.res_ids):
                with open(os.path.join(self.directory, f"page.{index}.pdf"), "rb") as page:
                    pdfs[res_id] = page.read()
            return pdfs
        finally:
            self.cleanup()

    def cleanup(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


@functools.cache
def _wkhtmltopdf_prints_many_documents():
    """Whether the installed wkhtmltopdf prints several HTML documents into one PDF (the "patched qt" build
    Odoo recommends; Debian's build prints one document, and no header, footer or outline)."""
    try:
        version = subprocess.run([_get_wkhtmltopdf_bin(), "--version"], capture_output=True, timeout=30,
                                 check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return b"patched qt" in version


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _build_wkhtmltopdf_args(self, paperformat_id, landscape, specific_paperformat_args=None,
                                set_viewport_size=False):
        args = super()._build_wkhtmltopdf_args(paperformat_id, landscape, specific_paperformat_args,
                                               set_viewport_size)
        if self.env.context.get("pi_report_without_scripts") and "--javascript-delay" in args:
            # stock waits report.print_delay (1 s) on every call for the page's scripts; a page without
            # any (the statements) need not, and a run makes a hundred calls
            args[args.index("--javascript-delay") + 1] = "0"
        return args

    def _pi_render_pdf_per_record(self, report_ref, res_ids, chunk_size=None, errors=None):
        """``{res_id: PDF bytes}``: one PDF per record of the QWeb report ``report_ref``, each the same
        document stock prints for that record alone, rendered ``chunk_size`` records per wkhtmltopdf call
        (default ``PDF_CHUNK_SIZE``).

        A chunk is printed in one call and split per record; a chunk that cannot be split for sure is split
        again into halves or printed record by record, so records are never mixed. Rendered with the rights
        of the caller's environment. With ``errors`` (a dict), a record that fails to render is left out of
        the result and its exception stored there, without stopping the others; else the exception is raised.
        """
        res_ids = list(dict.fromkeys(res_ids))
        if not res_ids:
            return {}
        # As stock's _pre_render_qweb_pdf: tests without workers get the HTML, unless they force the PDF.
        if (tools.config["test_enable"] or tools.config["test_file"]) and not self.env.context.get(
                "force_report_rendering"):
            return {res_id: self._render_qweb_html(report_ref, [res_id])[0] for res_id in res_ids}
        report = self.with_context(webp_as_jpg=True)
        if self._get_report(report_ref).attachment:
            # Stock saves (and may reload) one attachment per record when the report names them: its path.
            return report._pi_render_pdf_alone_each(report_ref, res_ids, errors, saving=True)
        pdfs = {}
        for chunk in split_every(max(chunk_size or PDF_CHUNK_SIZE, 1), res_ids, list):
            pdfs.update(report._pi_render_pdf_chunk(report_ref, chunk, errors))
        return pdfs

    def _pi_render_pdf_chunk(self, report_ref, res_ids, errors):
        if len(res_ids) == 1:
            return self._pi_render_pdf_alone_each(report_ref, res_ids, errors)
        try:
            # A savepoint: whatever failed in the chunk leaves the transaction usable for the records alone.
            with self.env.cr.savepoint():
                pdfs, pages = self._pi_render_pdf_together(report_ref, res_ids)
        except Exception:  # pylint: disable=broad-exception-caught  # isolate the record at fault below
            if errors is None:
                raise
            _logger.info("Rendering %s records of %s together failed; rendering them one by one",
                         len(res_ids), report_ref, exc_info=True)
            return self._pi_render_pdf_alone_each(report_ref, res_ids, errors)
        if pdfs is not None:
            return pdfs
        _logger.info("Could not split %s pages of %s among %s records; rendering them again in smaller chunks",
                     pages, report_ref, len(res_ids))
        if pages and 0 < (pages - len(res_ids)) * BISECT_EXTRA_PAGES_RATIO <= len(res_ids):
            half = len(res_ids) // 2
            return {**self._pi_render_pdf_chunk(report_ref, res_ids[:half], errors),
                    **self._pi_render_pdf_chunk(report_ref, res_ids[half:], errors)}
        return self._pi_render_pdf_alone_each(report_ref, res_ids, errors)

    def _pi_render_pdf_alone_each(self, report_ref, res_ids, errors, saving=False):
        """Stock's per-record rendering: one wkhtmltopdf call per record."""
        pdfs = {}
        for res_id in res_ids:
            try:
                if saving:
                    pdfs[res_id] = self._render_qweb_pdf(report_ref, [res_id])[0]
                else:
                    streams = self._render_qweb_pdf_prepare_streams(report_ref, {}, res_ids=[res_id])
                    pdfs[res_id] = streams[res_id]["stream"].getvalue()
            except Exception as error:  # pylint: disable=broad-exception-caught  # reported through ``errors``
                if errors is None:
                    raise
                _logger.warning("Rendering %s for record %s failed: %s", report_ref, res_id, error)
                errors[res_id] = error
        return pdfs

    def _pi_render_pdf_together(self, report_ref, res_ids):
        """Print ``res_ids`` in one wkhtmltopdf call; ``(pdfs, pages)``, pdfs None when the split is unsure."""
        if _wkhtmltopdf_prints_many_documents():
            # One document per record: stock splits by page count or outlines, or answers False when unsure.
            streams = self._render_qweb_pdf_prepare_streams(report_ref, {}, res_ids=res_ids)
            if False not in streams and all(streams.get(res_id, {}).get("stream") for res_id in res_ids):
                return {res_id: streams[res_id]["stream"].getvalue() for res_id in res_ids}, None
            whole = streams.get(False, {}).get("stream")
            return None, whole and len(PdfFileReader(whole).pages)
        return self._pi_render_pdf_one_document(report_ref, res_ids)

    def _pi_render_pdf_one_document(self, report_ref, res_ids):
        """The records' bodies, as stock prepares them, joined into one HTML document with a page break
        before each record: for a wkhtmltopdf that prints one document per call (and no header or footer).
        The split is sure when the PDF has one page per record (each record starts a page)."""
        report_sudo = self._get_report(report_ref)
        html = self.with_context(debug=False)._render_qweb_html(report_ref, res_ids, data={"report_type": "pdf"})[0]
        bodies, html_ids, header, footer, paperformat_args = report_sudo.with_context(debug=False)._prepare_html(
            html, report_model=report_sudo.model)
        document = html_ids == res_ids and self._pi_join_bodies(bodies)
        if not document:
            return None, None
        pdf = self._run_wkhtmltopdf(
            [document], report_ref=report_ref, header=header, footer=footer,
            landscape=self.env.context.get("landscape"), specific_paperformat_args=paperformat_args,
            set_viewport_size=self.env.context.get("set_viewport_size"))
        reader = PdfFileReader(io.BytesIO(pdf))
        if len(reader.pages) != len(res_ids):
            return None, len(reader.pages)
        pdfs = {}
        for res_id, page in zip(res_ids, reader.pages, strict=True):
            writer = PdfFileWriter()
            writer.addPage(page)
            stream = io.BytesIO()
            writer.write(stream)
            pdfs[res_id] = stream.getvalue()
        return pdfs, len(res_ids)

    def _pi_start_pdf_pages(self, report_ref, res_ids):
        """Start printing ``res_ids`` (the report's PDF, one page per record) in the background and answer
        the job (``PdfPagesJob``), or None when it cannot be done that way (then ``_pi_render_pdf_per_record``
        prints them): the same document as ``_pi_render_pdf_one_document``, by the same wkhtmltopdf command
        stock builds, for a wkhtmltopdf that prints one document per call, outside HTTP requests (wkhtmltopdf
        needs no session cookie). The QWeb rendering happens here, in this transaction."""
        res_ids = list(dict.fromkeys(res_ids))
        if len(res_ids) < 2 or request or _wkhtmltopdf_prints_many_documents() or (
                (tools.config["test_enable"] or tools.config["test_file"])
                and not self.env.context.get("force_report_rendering")):
            return None
        report = self.with_context(webp_as_jpg=True)
        report_sudo = report._get_report(report_ref)
        if report_sudo.attachment:
            return None
        html = report.with_context(debug=False)._render_qweb_html(report_ref, res_ids, data={"report_type": "pdf"})[0]
        bodies, html_ids, header, footer, paperformat_args = report_sudo.with_context(debug=False)._prepare_html(
            html, report_model=report_sudo.model)
        document = html_ids == res_ids and report._pi_join_bodies(bodies)
        if not document or len(document) >= MAX_BACKGROUND_BODY:
            return None
        args = report._build_wkhtmltopdf_args(
            report_sudo.get_paperformat(), self.env.context.get("landscape"),
            specific_paperformat_args=paperformat_args,
            set_viewport_size=self.env.context.get("set_viewport_size"))
        directory = tempfile.mkdtemp(prefix="report.pi_pages.")
        files = {"header": header, "footer": footer, "body": document}
        paths = {}
        for name, content in files.items():
            if content:
                paths[name] = os.path.join(directory, f"{name}.html")
                with open(paths[name], "wb") as out:
                    out.write(content.encode())
        files_args = [arg for name in ("header", "footer") if name in paths
                      for arg in (f"--{name}-html", paths[name])]
        pdf_path = os.path.join(directory, "report.pdf")
        command = [_get_wkhtmltopdf_bin(), *args, *files_args, paths["body"], pdf_path]
        try:
            process = subprocess.Popen(  # noqa: S603 - our own script and stock's wkhtmltopdf command
                [sys.executable, pdf_pages.__file__, str(len(res_ids)), os.path.join(directory, "page."), pdf_path,
                 "--", *command],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8")
        except OSError:
            shutil.rmtree(directory, ignore_errors=True)
            _logger.warning("Could not start printing %s in the background", report_ref, exc_info=True)
            return None
        return PdfPagesJob(res_ids, directory, process)

    def _pi_join_bodies(self, bodies):
        """One HTML document holding the bodies' contents, each after a page break; False unless the
        bodies share the same head and body attributes (same layout, language direction and assets)."""
        first, *others = [lxml.html.document_fromstring(str(body)) for body in bodies]
        head = lxml.html.tostring(first.head)
        for other in others:
            if lxml.html.tostring(other.head) != head or dict(other.body.attrib) != dict(first.body.attrib):
                return False
            first.body.append(lxml.html.fragment_fromstring(PAGE_BREAK))
            first.body.extend(list(other.body))
        return lxml.html.tostring(first, encoding="unicode", doctype="<!DOCTYPE html>")
