import io

from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from .common import PiPortalCommon, PiPortalHttpCommon


@tagged("post_install", "-at_install", "pi_portal")
class TestPortalContractDocument(PiPortalHttpCommon):
    """The contract document of the portal renders with the investor's rights; no template code runs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env.ref("pi_contracts.document_template_contract")
        cls.policy = cls.env["pi.financial.policy"]._get_policy()
        cls.secret = cls.env["ir.config_parameter"].sudo().get_param("database.secret")

    def code_bodies(self):
        return [
            '<p>Leak: <t t-out="object.env[\'ir.config_parameter\'].get_param(\'database.secret\')"/></p>',
            f'<p>Rate: <t t-out="object.env[\'pi.financial.policy\'].browse({self.policy.id})'
            f'.write({{\'base_rate\': 42.0}})"/></p>',
        ]

    def test_investor_gets_own_document_in_vietnamese(self):
        self.authenticate("pp_hung", "pp_hung")
        response = self.url_open(f"/my/investments/{self.contract_a.id}?report_type=html")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()  # stock's report headers name no charset
        for text in ("Lê Văn Hùng", "1.500.000.000\N{NO-BREAK SPACE}₫", "Điều 4.", "BCC cổng 12 tháng", "12 tháng",
                     "6\N{NO-BREAK SPACE}%/năm"):
            self.assertIn(text, html)
        pdf = self.url_open(f"/my/investments/{self.contract_a.id}?report_type=pdf&download=true")
        self.assertEqual(pdf.status_code, 200)
        self.assertIn("attachment", pdf.headers.get("Content-Disposition", ""))

    def test_code_in_the_template_runs_neither_for_the_investor_nor_for_a_token(self):
        rate = self.policy.base_rate
        token = self.contract_a._portal_ensure_token()
        url = f"/my/investments/{self.contract_a.id}?report_type=pdf&download=true"
        for body in self.code_bodies():
            self.template.sudo().body = body  # as if a template editor had left it there
            for login in ("pp_hung", None):
                self.authenticate(login, login)
                with mute_logger("odoo.http", "odoo.addons.mail.models.mail_render_mixin"):
                    response = self.url_open(url if login else f"{url}&access_token={token}")
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(self.secret, response.content.decode(errors="replace"))
                self.policy.invalidate_recordset()
                self.assertEqual(self.policy.base_rate, rate)

    def test_token_visitor_gets_the_placeholder_document(self):
        token = self.contract_a._portal_ensure_token()
        response = self.url_open(f"/my/investments/{self.contract_a.id}?report_type=html&access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Lê Văn Hùng", response.content.decode())
        self.assertIn("Điều 4.", response.content.decode())


def pdf_text(data):
    """The text of a PDF's pages."""
    reader = PdfFileReader(io.BytesIO(data))
    return "\n".join(reader.getPage(number).extractText() for number in range(reader.getNumPages()))


@tagged("post_install", "-at_install", "pi_portal")
@freeze_time("2026-11-23")
class TestDemoStatement(PiPortalCommon):
    """The demo's weekly statement: a sent statement of last week (16–22/11/2026) with one line
    per active contract valued by ``compute_payout``, and a PDF the way the investor reads numbers."""

    def test_last_weeks_statement_with_its_figures_and_pdf(self):
        Statement = self.env["pi.investment.statement"]
        statement = Statement._demo_create_sent(self.investor_a.ids)
        self.assertEqual((statement.state, statement.period, statement.partner_id), ("sent", "weekly", self.investor_a))
        self.assertEqual((str(statement.date_from), str(statement.date_to)), ("2026-11-16", "2026-11-22"))
        self.assertEqual(statement.line_ids.contract_id, self.contract_a, "the active contract, not the draft")
        payout = self.contract_a.compute_payout("2026-11-22")
        self.assertEqual(statement.line_ids.value, payout["payout"])
        self.assertEqual(statement.line_ids.profit_to_date, payout["investor_profit"])
        self.assertEqual(statement.line_ids.profit_period,
                         payout["investor_profit"] - self.contract_a.compute_payout("2026-11-15")["investor_profit"])
        self.assertGreater(statement.line_ids.profit_period, 0)
        text = pdf_text(statement.attachment_id.raw)
        self.assertIn(f"{payout['payout']:,}".replace(",", ".") + " ₫", text)
        self.assertIn("16/11/2026", text)
        self.assertIn("Sao kê đầu tư", text)
        self.assertEqual(statement.attachment_id.mimetype, "application/pdf")
        self.assertIn(statement, Statement.with_user(self.user_a).search([]), "the investor reads it")
        # Loading the demo again (or after the statement engine) keeps one statement per period.
        self.assertEqual(Statement._demo_create_sent(self.investor_a.ids), statement)
        self.assertEqual(Statement.search_count([("partner_id", "=", self.investor_a.id)]), 1)

    def test_amounts_in_the_investors_language(self):
        self.env["res.lang"]._activate_lang("en_US")
        self.investor_b.lang = "en_US"
        statement = self.env["pi.investment.statement"]._demo_create_sent(self.investor_b.ids)
        text = pdf_text(statement.attachment_id.raw)
        self.assertIn(f"{int(statement.line_ids.value):,}", text)
        self.assertIn("Investment statement", text)
        self.assertIn("11/22/2026", text)
