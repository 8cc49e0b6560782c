from odoo.tests import tagged

from .common import PiContractsCommon


@tagged("pi_contracts")
class TestPiContractDocuments(PiContractsCommon):
    def test_contract_document_fills_placeholders(self):
        html = self.contract_lan._get_document_html()
        self.assertIn("Lê Văn Hùng", html)
        self.assertIn("001078012345", html)
        self.assertIn("Năm trăm triệu đồng", html)
        self.assertIn("500.000.000", html)
        self.assertIn("01/01/2026", html)
        self.assertIn("6%/năm", html)

    def test_template_edit_applies_at_next_print_without_upgrade(self):
        template = self.env.ref("pi_contracts.document_template_contract").with_user(self.manager)
        template.body = '<p>Kính gửi <t t-out="object.partner_salutation"/>: điều khoản mới.</p>'
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "pi_contracts.action_report_pi_contract_document", self.contract_lan.ids)
        html = html.decode()
        self.assertIn("Kính gửi Anh Hùng: điều khoản mới.", html)
        self.assertNotIn("HỢP ĐỒNG HỢP TÁC KINH DOANH", html)

    def test_print_button_picks_the_kind(self):
        self.env.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        action = self.contract_lan.with_context(pi_document_kind="settlement").action_print_document()
        self.assertEqual(action["report_name"], "pi_contracts.report_pi_contract_document")
        self.assertEqual(action["context"]["pi_document_template_id"],
                         self.env.ref("pi_contracts.document_template_settlement").id)
