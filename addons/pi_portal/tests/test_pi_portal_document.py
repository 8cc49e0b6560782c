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
    """The demo's weekly statement: a message to the investor with a PDF giving the payout estimate
    the way the investor reads numbers."""

    def statement_pdf(self, contract):
        contract._demo_post_statement()
        message = contract.message_ids[0]
        self.assertEqual(message.partner_ids, contract.partner_id)
        self.assertIn(message.attachment_ids, contract._portal_get_attachments(), "the investor can download it")
        return pdf_text(message.attachment_ids.raw)

    def test_amount_in_the_investors_language(self):
        payout = self.contract_a.compute_payout()["payout"]
        self.assertGreater(payout, 1_000_000)
        self.assertIn(f"Payout estimate: {payout:,} VND".replace(",", "."), self.statement_pdf(self.contract_a))
        self.env["res.lang"]._activate_lang("en_US")
        self.investor_b.lang = "en_US"
        payout = self.contract_b.compute_payout()["payout"]
        self.assertIn(f"Payout estimate: {payout:,} VND", self.statement_pdf(self.contract_b))
