from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PiContractsCommon
from .html_editor import SelfClosingTags, browser_round_trip, code_bodies, printed_text

DOCUMENT_REPORT = "pi_contracts.report_pi_contract_document"
TEMPLATES = ("pi_contracts.document_template_contract", "pi_contracts.document_template_renewal",
             "pi_contracts.document_template_settlement")
# What each shipped document must print exactly once, whatever the editor did to it.
MARKERS = {
    "pi_contracts.document_template_contract": [
        "Điều 1.", "Điều 2.", "Điều 3.", "Điều 4.", "ĐẠI DIỆN BÊN A", "ĐẠI DIỆN BÊN B"],
    "pi_contracts.document_template_renewal": [
        "PHỤ LỤC GIA HẠN HỢP ĐỒNG", "Lãi suất cơ bản", "Các điều khoản khác", "ĐẠI DIỆN BÊN A", "ĐẠI DIỆN BÊN B"],
    "pi_contracts.document_template_settlement": [
        "Vốn góp", "Phí quản lý", "Tổng số tiền thanh toán", "NHÀ ĐẦU TƯ", "ĐẠI DIỆN CÔNG TY"],
}


class DocumentCase(PiContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract_template = cls.env.ref("pi_contracts.document_template_contract")
        cls.secret = cls.env["ir.config_parameter"].sudo().get_param("database.secret")

    def print_html(self, user, contract, template=None):
        Report = self.env["ir.actions.report"].with_user(user)
        if template:
            Report = Report.with_context(pi_document_template_id=template.id)
        return Report._render_qweb_html(DOCUMENT_REPORT, contract.ids)[0].decode()

    def assert_rate_untouched(self):
        self.policy.invalidate_recordset()
        self.assertEqual(self.policy.base_rate, self.base_rate)


@tagged("pi_contracts")
class TestPiContractDocuments(DocumentCase):
    def test_contract_document_fills_placeholders(self):
        html = self.contract_lan._get_document_html()
        self.assertIn("Lê Văn Hùng", html)
        self.assertIn("001078012345", html)
        self.assertIn("Năm trăm triệu đồng", html)
        self.assertIn("500.000.000", html)
        self.assertIn("01/01/2026", html)
        self.assertIn("6\N{NO-BREAK SPACE}%/năm", html)

    def test_template_edit_applies_at_next_print_without_upgrade(self):
        template = self.contract_template.with_user(self.manager)
        template.body = '<p>Kính gửi <t t-out="object.partner_salutation"></t>: điều khoản mới.</p>'
        html = self.print_html(self.manager, self.contract_lan)
        self.assertIn("Kính gửi Anh Hùng: điều khoản mới.", html)
        self.assertNotIn("HỢP ĐỒNG HỢP TÁC KINH DOANH", html)

    def test_print_button_picks_the_kind(self):
        self.env.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        action = self.contract_lan.with_context(pi_document_kind="settlement").action_print_document()
        self.assertEqual(action["report_name"], "pi_contracts.report_pi_contract_document")
        self.assertEqual(action["context"]["pi_document_template_id"],
                         self.env.ref("pi_contracts.document_template_settlement").id)

    def test_numbers_and_dates_the_vietnamese_way(self):
        contract = self.contract_minh
        contract.sudo().write({"base_rate": 6.5, "fee_rate": 12.5})
        html = self.print_html(self.manager, contract)
        nbsp = "\N{NO-BREAK SPACE}"
        self.assertIn(f"6,5{nbsp}%/năm", html)
        self.assertIn(f"12,5{nbsp}%", html)
        self.assertIn(f"1.500.000.000{nbsp}₫", html)
        self.assertIn("Một tỷ năm trăm triệu đồng", html)
        self.assertIn("12 tháng", html)
        self.assertIn("01/01/2026", html)
        self.assertIn("01/01/2027", html)
        self.assertNotIn("6.5", contract.with_user(self.manager)._get_document_html())
        # The same contract for an English-speaking investor: the English way.
        self.env["res.lang"]._activate_lang("en_US")
        contract.partner_id.lang = "en_US"
        html = self.print_html(self.manager, contract)
        self.assertIn("6.5%", html)
        self.assertIn("12 months", html)

    def test_settlement_document_prints_the_stored_figures(self):
        contract = self.contract_lan
        contract.action_activate()
        contract._settle("2026-07-01")
        html = self.print_html(self.consultant_lan, contract, self.env.ref("pi_contracts.document_template_settlement"))
        nbsp = "\N{NO-BREAK SPACE}"
        self.assertIn("01/07/2026", html)
        for amount in (contract.settlement_base_profit, contract.settlement_payout):
            self.assertIn(f"{amount:,.0f}".replace(",", ".") + f"{nbsp}₫", html)

    def test_placeholder_list_offers_every_document_text(self):
        """The editor's placeholder list (stock popover) shows the allowed paths of searchable fields."""
        Contract = self.env["pi.investment.contract"].with_user(self.manager)
        allowed = Contract.mail_allowed_qweb_expressions()
        stock = self.env["pi.contract.stage"].mail_allowed_qweb_expressions()  # generic, for every model
        for name in ("doc_principal", "doc_base_rate", "doc_date_start", "doc_investor_address",
                     "principal_in_words", "doc_product_name"):
            self.assertIn(f"object.{name}", allowed)
        for expression in set(allowed) - set(stock):
            model = Contract
            for name in expression.split(".")[1:]:
                description = model.fields_get([name])[name]
                self.assertTrue(description["searchable"], f"{expression}: the popover would hide it")
                model = self.env[description["relation"]] if description.get("relation") else model

    def test_salutation_is_searchable_through_the_investor(self):
        Contract = self.env["pi.investment.contract"]
        ours = [("id", "in", (self.contract_lan | self.contract_minh).ids)]
        self.assertEqual(Contract.with_user(self.manager).search(ours + [("partner_salutation", "=", "Anh Hùng")]),
                         self.contract_lan)
        # A consultant finds no contract through a customer they may not read.
        self.contract_minh.user_id = self.consultant_lan
        lan = Contract.with_user(self.consultant_lan)
        self.assertFalse(lan.search(ours + [("partner_salutation", "=", "Anh Tuấn")]))
        self.assertEqual(lan.search(ours + [("partner_salutation", "=", "Anh Hùng")]), self.contract_lan)

    def test_shipped_bodies_print_only_placeholders(self):
        """The shipped bodies hold no code: every printer (and the portal) can print them."""
        for xmlid in TEMPLATES:
            self.assertFalse(self.env.ref(xmlid).has_expressions, xmlid)


@tagged("pi_contracts")
class TestPiContractDocumentSecurity(DocumentCase):
    """Code in a template never runs unless a template editor (the full-rights admin) wrote and prints it."""

    def test_manager_cannot_save_code_in_a_document(self):
        template = self.contract_template.with_user(self.manager)
        for body in code_bodies(self.policy).values():
            with self.assertRaises(AccessError):
                template.write({"body": body})
            with self.assertRaises(AccessError):
                template.create({"name": "Mẫu lạ", "kind": "contract", "body": body})
        self.assertNotIn("object.env", self.contract_template.body)
        self.assert_rate_untouched()

    def test_code_in_a_body_does_not_run_when_staff_print(self):
        for name, body in code_bodies(self.policy).items():
            self.contract_template.sudo().body = body  # as if an editor had left it there
            for user in (self.manager, self.consultant_lan):
                with self.subTest(body=name, user=user.login), self.assertRaises(AccessError) as caught, \
                        mute_logger("odoo.addons.mail.models.mail_render_mixin"):
                    self.print_html(user, self.contract_lan)
                self.assertIn("template editor", str(caught.exception))
            self.assert_rate_untouched()

    def test_code_in_a_body_does_not_run_under_superuser(self):
        """Printing on someone's behalf as superuser (a portal link) fills placeholders only."""
        self.contract_template.sudo().body = code_bodies(self.policy)["rate"]
        with self.assertRaises(AccessError):
            self.contract_lan.sudo()._get_document_html()
        self.assert_rate_untouched()

    def test_settling_with_a_code_body_attaches_nothing_and_changes_nothing(self):
        settlement = self.env.ref("pi_contracts.document_template_settlement")
        settlement.sudo().body = code_bodies(self.policy)["rate"]
        contract = self.contract_lan
        contract.action_activate()
        contract._settle("2026-07-01")
        with self.assertRaises(AccessError):
            contract.with_user(self.consultant_lan)._attach_document(settlement)
        self.assert_rate_untouched()

    def test_printer_must_read_the_contract(self):
        with self.assertRaises(AccessError):
            self.print_html(self.consultant_minh, self.contract_lan)
        with self.assertRaises(AccessError):
            self.contract_lan.with_user(self.consultant_minh)._get_document_html()

    def test_consultant_cannot_write_templates(self):
        template = self.contract_template.with_user(self.consultant_lan)
        with self.assertRaises(AccessError):
            template.write({"body": "<p>Không</p>"})
        with self.assertRaises(AccessError):
            template.create({"name": "Mẫu của tôi", "kind": "contract", "body": "<p>Không</p>"})
        self.assertIn("HỢP ĐỒNG HỢP TÁC KINH DOANH", self.print_html(self.consultant_lan, self.contract_lan))

    def test_broken_body_is_flagged_not_fatal(self):
        template = self.contract_template.with_user(self.pi_admin)
        template.body = '<p><t t-out="object.name("></t></p>'
        self.assertTrue(template.has_expressions)

    def test_admin_still_writes_and_prints_expressions(self):
        template = self.contract_template.with_user(self.pi_admin)
        template.body = '<p>Tên in hoa: <t t-out="object.partner_id.name.upper()"></t></p>'
        self.assertTrue(template.has_expressions)
        self.assertIn("Tên in hoa: LÊ VĂN HÙNG", self.print_html(self.pi_admin, self.contract_lan))
        # Such a body is the editors' own: others are told why it does not print.
        with self.assertRaises(AccessError) as caught, mute_logger("odoo.addons.mail.models.mail_render_mixin"):
            self.print_html(self.manager, self.contract_lan)
        self.assertIn("full-rights administrator", str(caught.exception))

    def test_template_editor_is_the_admin_not_the_manager(self):
        editor = "mail.group_mail_template_editor"
        self.assertFalse(self.manager.has_group(editor))
        self.assertTrue(self.pi_admin.has_group(editor))
        # A manager of an earlier version loses the group at the next update.
        self.env.ref(editor).users = [(4, self.manager.id)]
        self.env["pi.contract.document.template"]._revoke_template_editor_from_managers()
        self.assertFalse(self.manager.has_group(editor))
        self.assertTrue(self.pi_admin.has_group(editor))


@tagged("pi_contracts")
class TestPiContractDocumentEditor(DocumentCase):
    """Shipped bodies survive the browser's HTML editor (issue: a typed sentence wiped articles 2-4)."""

    def setUp(self):
        super().setUp()
        self.contract_lan.action_activate()
        self.contract_lan._settle("2026-07-01")

    def print_text(self, template):
        return printed_text(self.print_html(self.manager, self.contract_lan, template))

    def assert_survives(self, xmlid, edit=None, expect=None):
        template = self.env.ref(xmlid)
        before = self.print_text(template)
        words = self.contract_lan.principal_in_words
        template.with_user(self.manager).body = browser_round_trip(template.body, edit)
        after = self.print_text(template)
        for marker in MARKERS[xmlid]:
            self.assertEqual(after.count(marker), 1, f"{xmlid}: {marker!r} should print once")
        self.assertEqual(after.count(words), before.count(words), f"{xmlid}: amount in words")
        self.assertEqual(after, f"{expect} {before}" if expect else before)

    def test_shipped_bodies_have_no_self_closing_non_void_tags(self):
        for xmlid in TEMPLATES:
            parser = SelfClosingTags()
            parser.feed(self.env.ref(xmlid).body)
            self.assertFalse(parser.found, f"{xmlid}: a browser opens these and never closes them")

    def test_shipped_bodies_survive_a_browser_round_trip(self):
        for xmlid in TEMPLATES:
            with self.subTest(xmlid):
                self.assert_survives(xmlid)

    def test_sentence_typed_at_the_start_keeps_the_rest(self):
        sentence = "Căn cứ Bộ luật Dân sự 2015."

        def type_sentence(root):
            paragraph = next(p for p in root.iter("p") if (p.text or "").startswith("Hôm nay"))
            paragraph.text = f"{sentence} {paragraph.text}"

        template = self.env.ref("pi_contracts.document_template_contract")
        before = self.print_text(template)
        template.with_user(self.manager).body = browser_round_trip(template.body, type_sentence)
        after = self.print_text(template)
        self.assertIn(f"{sentence} Hôm nay, ngày 01/01/2026", after)
        self.assertEqual(after.replace(f"{sentence} ", ""), before)
        for marker in MARKERS["pi_contracts.document_template_contract"]:
            self.assertEqual(after.count(marker), 1, marker)


@tagged("post_install", "-at_install", "pi_contracts")
class TestPiContractDocumentHttp(PiContractsCommon, HttpCase):
    """The same attack over HTTP: a manager prints /report/html with a body holding code."""

    def test_placeholder_list_answers_the_editor(self):
        """The editor's placeholder popover asks the model, without ids, which paths it may offer."""
        self.authenticate(self.manager.login, self.manager.login)
        allowed = self.make_jsonrpc_request(
            "/web/dataset/call_kw/pi.investment.contract/mail_allowed_qweb_expressions",
            {"model": "pi.investment.contract", "method": "mail_allowed_qweb_expressions", "args": [], "kwargs": {}})
        self.assertIn("object.doc_principal", allowed)
        self.assertIn("object.partner_id.name", allowed)

    def test_report_html_as_manager_runs_no_code(self):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        template = self.env.ref("pi_contracts.document_template_contract")
        self.authenticate(self.manager.login, self.manager.login)
        url = f"/report/html/{DOCUMENT_REPORT}/{self.contract_lan.id}"
        for body in code_bodies(self.policy).values():
            template.sudo().body = body
            with mute_logger("odoo.http", "odoo.addons.mail.models.mail_render_mixin"):
                response = self.url_open(url)
            self.assertNotEqual(response.status_code, 200)
            self.assertNotIn(secret, response.text)
            self.policy.invalidate_recordset()
            self.assertEqual(self.policy.base_rate, self.base_rate)
        # The shipped body prints for the same manager.
        template.sudo().body = self.env.ref("pi_contracts.document_template_renewal").body
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Lê Văn Hùng", response.text)


@tagged("pi_contracts")
class TestPiContractDocumentFont(PiContractsCommon):
    def test_company_prints_with_a_font_covering_vietnamese(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.font, "Roboto")
        html = self.env["ir.actions.report"]._render_qweb_html(DOCUMENT_REPORT, self.contract_lan.ids)[0].decode()
        self.assertIn(f"o_company_{company.id}_layout", html)
        # Its faces prefer the server's installed Roboto, which wkhtmltopdf embeds as searchable text.
        paths = [path for path, *_rest in self.env["ir.asset"]._get_asset_paths("web.report_assets_common", {})]
        self.assertIn("/pi_contracts/static/src/scss/report_fonts.scss", paths)
