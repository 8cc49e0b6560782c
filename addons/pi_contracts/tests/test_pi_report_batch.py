import io
import subprocess
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.models.ir_actions_report import IrActionsReport
from odoo.addons.base.models.ir_qweb import QWebException
from odoo.addons.pi_contracts.models import ir_actions_report

from .common import PiContractsCommon

DOCUMENT_REPORT = "pi_contracts.report_pi_contract_document"
TEST_REPORT = "pi_contracts.test_report_batch"
# One page per partner, with a title, unless its ``ref`` asks for more lines (80 lines fill two A4 pages).
TEST_TEMPLATE = """
<t t-name="pi_contracts.test_report_batch">
    <t t-call="web.html_container">
        <t t-foreach="docs" t-as="doc">
            <t t-call="web.external_layout">
                <div class="page">
                    <h2>Statement of <t t-out="doc.name"/></h2>
                    <p t-foreach="range(int(doc.ref or 3))" t-as="line">
                        Line <t t-out="line"/> for <t t-out="doc.name"/>
                    </p>
                </div>
            </t>
        </t>
    </t>
</t>"""
LOGGERS = ("odoo.addons.base.models.ir_actions_report", "odoo.addons.pi_contracts.models.ir_actions_report")


def pdf_text(pdf):
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def count_wkhtmltopdf_calls(test):
    """The list, filled for the rest of ``test``, of stock's wkhtmltopdf calls (the bodies of each)."""
    calls = []
    run_wkhtmltopdf = IrActionsReport._run_wkhtmltopdf

    def counting_run(report_model, bodies, *args, **kwargs):
        calls.append(len(bodies))
        return run_wkhtmltopdf(report_model, bodies, *args, **kwargs)

    patcher = patch.object(IrActionsReport, "_run_wkhtmltopdf", counting_run)
    patcher.start()
    test.addCleanup(patcher.stop)
    return calls


def page_count(pdf):
    return len(PdfFileReader(io.BytesIO(pdf)).pages)


@tagged("pi_contracts", "post_install", "-at_install")
class TestPiReportBatch(PiContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # No script in these reports: no need to wait the default second per wkhtmltopdf call.
        cls.env["ir.config_parameter"].set_param("report.print_delay", "50")
        # wkhtmltopdf would fetch the report's assets from the test server, which generates them again in a
        # transaction waiting for this test's: a closed port prints without them, alone as in batches.
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
        cls.env["ir.ui.view"].create({"name": "Batch test report", "type": "qweb", "key": TEST_REPORT,
                                      "arch": TEST_TEMPLATE})
        cls.test_report = cls.env["ir.actions.report"].create({
            "name": "Batch test report", "model": "res.partner", "report_type": "qweb-pdf",
            "report_name": TEST_REPORT})
        cls.names = [f"Investor {letter}" for letter in "ABCDEFGHI"]
        cls.partners = cls.env["res.partner"].create([{"name": name} for name in cls.names])
        # The fifth spans several pages.
        cls.partners[4].ref = "80"

    def setUp(self):
        super().setUp()
        self.report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        self.calls = count_wkhtmltopdf_calls(self)

    def render(self, report_ref, res_ids, report=None, **kwargs):
        report = self.report if report is None else report
        with mute_logger(*LOGGERS):
            return report._pi_render_pdf_per_record(report_ref, res_ids, **kwargs)

    def render_alone(self, report_ref, res_id, report=None):
        report = self.report if report is None else report
        with mute_logger(*LOGGERS):
            return report._render_qweb_pdf(report_ref, [res_id])[0]

    def assert_only_own_record(self, pdfs, records, names):
        for record, name in zip(records, names, strict=True):
            text = pdf_text(pdfs[record.id])
            self.assertIn(f"Statement of {name}", text)
            for other in names:
                if other != name:
                    self.assertNotIn(other, text, f"{other} printed in {name}'s PDF")

    def test_records_share_a_call_and_each_gets_only_its_own_pages(self):
        one_page = self.partners[:4]
        pdfs = self.render(TEST_REPORT, one_page.ids)
        self.assertEqual(list(pdfs), one_page.ids)
        self.assertEqual(len(self.calls), 1, "four one-page records print in one wkhtmltopdf call")
        self.assert_only_own_record(pdfs, one_page, self.names[:4])
        for partner in one_page:
            self.assertEqual(page_count(pdfs[partner.id]), 1)
        # The same document as stock prints for the record alone.
        alone = self.render_alone(TEST_REPORT, one_page[1].id)
        self.assertEqual(pdf_text(pdfs[one_page[1].id]), pdf_text(alone))

    def test_chunks_of_the_given_size(self):
        one_page = self.partners[:4] | self.partners[5:8]
        pdfs = self.render(TEST_REPORT, one_page.ids, chunk_size=3)
        self.assertEqual(len(self.calls), 3, "7 records in chunks of 3: 3 calls")
        self.assert_only_own_record(pdfs, one_page, [partner.name for partner in one_page])

    def test_a_long_record_is_split_off_and_printed_alone(self):
        pdfs = self.render(TEST_REPORT, self.partners.ids)
        self.assertEqual(list(pdfs), self.partners.ids)
        self.assert_only_own_record(pdfs, self.partners, self.names)
        long_one = self.partners[4]
        alone = self.render_alone(TEST_REPORT, long_one.id)
        self.assertGreater(page_count(alone), 1)
        self.assertEqual(page_count(pdfs[long_one.id]), page_count(alone))
        self.assertEqual(pdf_text(pdfs[long_one.id]), pdf_text(alone))
        self.assertIn("Line 79 for Investor E", pdf_text(pdfs[long_one.id]))
        total = sum(page_count(pdf) for pdf in pdfs.values())
        self.assertEqual(total, len(self.partners) - 1 + page_count(alone))
        # Fewer calls than one per record: the halves without the long record print together.
        self.assertLess(len(self.calls) - 1, len(self.partners))

    def test_fallback_per_record_when_the_split_fails(self):
        long_ones = self.partners[5:8]
        long_ones.ref = "80"
        pdfs = self.render(TEST_REPORT, long_ones.ids)
        # One call for the chunk, whose pages cannot be told apart, then one per record.
        self.assertEqual(self.calls, [1, 1, 1, 1])
        self.assert_only_own_record(pdfs, long_ones, [partner.name for partner in long_ones])
        for partner in long_ones:
            self.assertEqual(pdf_text(pdfs[partner.id]), pdf_text(self.render_alone(TEST_REPORT, partner.id)))

    def test_many_document_build_falls_back_when_stock_cannot_split(self):
        # wkhtmltopdf builds with "patched qt" print one document per record and stock splits them; when stock
        # answers with the whole PDF instead (False: it could not split), each record is printed alone.
        records = self.partners[:3]
        prepare_streams = IrActionsReport._render_qweb_pdf_prepare_streams
        asked = []

        def stock_unsure(report_model, report_ref, data, res_ids=None):
            asked.append(list(res_ids))
            streams = prepare_streams(report_model, report_ref, data, res_ids=res_ids[:1])
            if len(res_ids) == 1:
                return streams
            return {False: {"stream": streams[res_ids[0]]["stream"], "attachment": None}}

        with patch.object(IrActionsReport, "_render_qweb_pdf_prepare_streams", stock_unsure), \
                patch.object(ir_actions_report, "_wkhtmltopdf_prints_many_documents", return_value=True):
            pdfs = self.render(TEST_REPORT, records.ids)
        self.assertEqual(asked, [records.ids] + [[record_id] for record_id in records.ids])
        self.assert_only_own_record(pdfs, records, self.names[:3])

    def test_statements_do_not_wait_for_scripts(self):
        Report = self.env["ir.actions.report"]
        paperformat = self.env.company.paperformat_id
        stock = Report._build_wkhtmltopdf_args(paperformat, False)
        quick = Report.with_context(pi_report_without_scripts=True)._build_wkhtmltopdf_args(paperformat, False)
        delay = stock.index("--javascript-delay") + 1
        self.assertEqual(stock[delay], self.env["ir.config_parameter"].sudo().get_param("report.print_delay", "1000"))
        self.assertEqual(quick[delay], "0")
        self.assertEqual(quick[:delay] + quick[delay + 1:], stock[:delay] + stock[delay + 1:])

    def test_no_records(self):
        self.assertEqual(self.render(TEST_REPORT, []), {})
        self.assertEqual(self.calls, [])

    def test_a_failing_record_is_reported_without_stopping_the_others(self):
        broken = self.partners[1]
        broken.ref = "not a number"
        records = self.partners[:3]
        with self.assertRaises(QWebException):
            self.render(TEST_REPORT, records.ids)
        errors = {}
        pdfs = self.render(TEST_REPORT, records.ids, errors=errors)
        self.assertEqual(list(errors), broken.ids)
        self.assertEqual(list(pdfs), (records - broken).ids)
        self.assert_only_own_record(pdfs, records - broken, [self.names[0], self.names[2]])

    def test_contract_documents_with_the_callers_rights(self):
        contracts = self.contract_lan | self.contract_minh
        report = self.report.with_user(self.manager)
        pdfs = self.render(DOCUMENT_REPORT, contracts.ids, report=report)
        for contract, other in ((self.contract_lan, self.contract_minh), (self.contract_minh, self.contract_lan)):
            text = pdf_text(pdfs[contract.id])
            self.assertIn(contract.partner_id.name, text)
            self.assertNotIn(other.partner_id.name, text)
            alone = self.render_alone(DOCUMENT_REPORT, contract.id, report=report)
            self.assertEqual(page_count(pdfs[contract.id]), page_count(alone))
            self.assertEqual(pdf_text(pdfs[contract.id]), pdf_text(alone))
        # A consultant prints only their own contracts: no superuser behind the batch.
        with self.assertRaises(AccessError):
            self.render(DOCUMENT_REPORT, contracts.ids, report=self.report.with_user(self.consultant_lan))
        errors = {}
        pdfs = self.render(DOCUMENT_REPORT, contracts.ids, report=self.report.with_user(self.consultant_lan),
                           errors=errors)
        self.assertEqual(list(pdfs), self.contract_lan.ids)
        self.assertIsInstance(errors[self.contract_minh.id], AccessError)

    def test_without_forced_rendering_tests_get_html_as_stock(self):
        pdfs = self.render(TEST_REPORT, self.partners[:2].ids, report=self.env["ir.actions.report"])
        self.assertEqual(self.calls, [])
        self.assertIn(b"Statement of Investor A", pdfs[self.partners[0].id])
        self.assertNotIn(b"Investor B", pdfs[self.partners[0].id])
