import datetime
import json
import os

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import safe_eval

from odoo.addons.pi_contracts.models.ir_model_data import text_digest
from odoo.addons.pi_contracts.models.pi_contract_document_template import DOCUMENTS_SHIPPED_BEFORE
from odoo.addons.pi_contracts.models.pi_investment_contract_document import EXPIRY_MAIL_SHIPPED_BEFORE

from .browser import CHROMIUM, let_requests_finish, sync_playwright, unlimited_address_space
from .common import PiContractsCommon
from .html_editor import SelfClosingTags, browser_round_trip, code_bodies, replace_text

EXPIRY = "pi_contracts.mail_template_contract_expiry"
END = datetime.date(2027, 1, 1)
NBSP = "\N{NO-BREAK SPACE}"


class ExpiryMailCase(PiContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract_lan.action_activate()
        # Leave the other contracts out of the cron's way.
        cls.env["pi.investment.contract"].search(
            [("id", "!=", cls.contract_lan.id), ("state", "=", "active")]).action_cancel()
        cls.template = cls.env.ref(EXPIRY)

    def run_cron(self, days_before=30):
        self.env["pi.investment.contract"]._cron_process_expiry(date_ref=END - datetime.timedelta(days=days_before))
        # The mails to Lan and Hà (other managers of the database may read another language).
        return self.env["mail.mail"].search([("model", "=", "pi.investment.contract"),
                                             ("res_id", "=", self.contract_lan.id),
                                             ("recipient_ids", "in",
                                              (self.consultant_lan | self.manager).partner_id.ids)])


@tagged("pi_contracts")
class TestPiExpiryMailEditing(ExpiryMailCase):
    """PI's managers edit the expiry email in the editor: static text yes, code no."""

    def test_shipped_template_holds_placeholders_only(self):
        for lang in ("en_US", "vi_VN"):
            template = self.template.with_context(lang=lang)
            self.assertFalse(template._has_unsafe_expression(), lang)
            parser = SelfClosingTags()
            parser.feed(template.body_html)
            self.assertFalse(parser.found, f"{lang}: a browser opens these and never closes them")

    def test_cron_sends_the_vietnamese_text_with_the_values(self):
        mail = self.run_cron()
        self.assertEqual(len(mail), 1)
        ref = self.contract_lan.name
        self.assertEqual(mail.subject, f"Hợp đồng {ref} của Lê Văn Hùng hết hạn sau 30 ngày")
        for text in ("Kính gửi Anh/Chị Nguyễn Thị Lan", "BCC test 12 tháng", "01/01/2027", "còn", "30",
                     f"500.000.000{NBSP}₫", f"6{NBSP}%/năm", "+84912345678", "tất toán hoặc gia hạn"):
            self.assertIn(text, mail.body_html)
        self.assertLessEqual({"lan@pi.example.vn", "ha@pi.example.vn"}, set(mail.recipient_ids.mapped("email")))

    def test_each_recipient_reads_it_in_their_language(self):
        self.env["res.lang"]._activate_lang("en_US")
        self.manager.lang = "en_US"
        mails = self.run_cron()
        english = mails.filtered(lambda mail: self.manager.partner_id in mail.recipient_ids)
        self.assertEqual(english.subject, f"Contract {self.contract_lan.name} of Lê Văn Hùng ends in 30 days")
        self.assertIn("500,000,000", english.body_html)
        self.assertIn("Please contact the investor", english.body_html)
        self.assertIn("hết hạn sau 30 ngày", (mails - english).subject)

    def test_manager_edits_the_text_in_the_editor_and_the_cron_sends_it(self):
        template = self.vi(self.template.with_user(self.manager))
        body = browser_round_trip(template.body_html, replace_text("Trân trọng", "Chúc Anh/Chị một tuần tốt lành"))
        template.write({
            "body_html": body,
            "subject": "Nhắc việc: {{ object.name }} còn {{ object.doc_days_to_end }} ngày",
        })
        self.assertFalse(template.sudo()._has_unsafe_expression())
        mail = self.run_cron()
        self.assertEqual(mail.subject, f"Nhắc việc: {self.contract_lan.name} còn 30 ngày")
        self.assertIn("Chúc Anh/Chị một tuần tốt lành", mail.body_html)
        self.assertNotIn("Trân trọng", mail.body_html)
        for text in ("Nguyễn Thị Lan", "Lê Văn Hùng", "01/01/2027", f"500.000.000{NBSP}₫"):
            self.assertIn(text, mail.body_html)

    def test_manager_cannot_put_code_in_it(self):
        template = self.vi(self.template.with_user(self.manager))
        before = self.vi(self.template).body_html
        attempts = [{"body_html": body} for body in code_bodies(self.policy).values()] + [
            {"body_html": '<p t-if="object.principal">Có vốn</p>'},
            {"subject": "{{ object.env['ir.config_parameter'].sudo().get_param('database.secret') }}"},
            {"subject": "{{ object.name.upper() }}"},
            {"email_to": "{{ user.email }}"},
            {"lang": "{{ object.user_id.lang or 'vi_VN' }}"},
        ]
        for vals in attempts:
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                template.write(vals)
        self.assertEqual(self.vi(self.template).body_html, before)
        mail = self.run_cron()
        self.assertNotIn(self.env["ir.config_parameter"].sudo().get_param("database.secret"), mail.body_html)
        self.policy.invalidate_recordset()
        self.assertEqual(self.policy.base_rate, self.base_rate)

    def test_manager_neither_deletes_it_nor_aims_it_at_another_model(self):
        template = self.template.with_user(self.manager)
        with self.assertRaises(AccessError):
            template.unlink()
        with self.assertRaises(AccessError):
            template.write({"model_id": self.env.ref("base.model_res_users").id})
        self.assertEqual(self.template.model, "pi.investment.contract")
        # Unchanged, as the form sends it back: fine.
        template.write({"model_id": self.template.model_id.id, "description": "Báo trước ngày hết hạn"})

    def test_consultant_cannot_edit_it(self):
        with self.assertRaises(AccessError):
            self.template.with_user(self.consultant_lan).write({"subject": "Hợp đồng {{ object.name }}"})

    def test_manager_edits_only_pi_templates(self):
        stock = self.env["mail.template"].create({
            "name": "Stock-like", "model_id": self.env.ref("base.model_res_partner").id, "subject": "Xin chào"})
        with self.assertRaises(AccessError):
            stock.with_user(self.manager).write({"subject": "Đã sửa"})


@tagged("post_install", "-at_install", "pi_contracts")
class TestPiExpiryMailInTheBrowser(ExpiryMailCase, HttpCase):
    """The same edit in the web client's HTML editor (Chromium), which restyles what it saves."""

    def test_manager_types_a_sentence_and_the_cron_sends_it(self):
        if sync_playwright is None or not os.path.exists(CHROMIUM):
            self.skipTest("playwright or /usr/bin/chromium missing")
        sentence = "Thư tự động của PI."
        base = self.base_url()
        # read before the page loads: its requests share the test's cursor with this thread
        login, template_id = self.manager.login, self.template.id
        with unlimited_address_space():
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(locale="vi-VN")
            page.goto(f"{base}/web/login")
            page.fill("input[name=login]", login)
            page.fill("input[name=password]", login)
            page.click("button[type=submit]")
            page.wait_for_url("**/odoo**")
            page.goto(f"{base}/odoo/action-mail.action_email_template_tree_all/{template_id}")
            paragraph = page.locator(".o_field_html [contenteditable=true] p").first
            paragraph.click(position={"x": 2, "y": 5})
            page.keyboard.press("Home")
            page.keyboard.type(f"{sentence} ")
            page.click(".o_form_button_save")
            page.wait_for_selector(".o_form_button_save", state="hidden")
            let_requests_finish(page)
        finally:
            browser.close()
            playwright.stop()
        self.template.invalidate_recordset()
        self.assertIn(sentence, self.vi(self.template).body_html)
        self.assertFalse(self.template._has_unsafe_expression())
        mail = self.run_cron()
        for text in (f"{sentence} Kính gửi Anh/Chị Nguyễn Thị Lan", "Lê Văn Hùng", "01/01/2027", "Trân trọng"):
            self.assertIn(text, mail.body_html)


@tagged("pi_contracts")
class TestPiShippedTextUpdate(ExpiryMailCase):
    """Existing databases get the new shipped texts where nobody edited them (the records are noupdate)."""

    def set_stored(self, record, name, values):
        """Store ``values`` ({lang: text}, or a text for an untranslated field) as an older version left them."""
        record.flush_recordset()
        value = json.dumps(values) if record._fields[name].translate else values
        self.env.cr.execute(f'UPDATE "{record._table}" SET "{name}" = %s WHERE id = %s', [value, record.id])
        record.invalidate_recordset()

    def test_old_expiry_mail_is_replaced_field_by_field(self):
        old_subject = ("Hợp đồng {{ object.name }} của {{ object.partner_id.name }} hết hạn sau "
                       "{{ ctx.get('pi_days_left', object.days_to_end) }} ngày")
        self.set_stored(self.template, "subject", {"en_US": old_subject, "vi_VN": old_subject})
        self.set_stored(self.template, "name", {"en_US": "PI: hợp đồng sắp hết hạn"})
        self.set_stored(self.template, "lang", "{{ object.user_id.lang or 'vi_VN' }}")
        self.set_stored(self.template, "email_from",
                        "{{ (object.company_id.email_formatted or user.email_formatted) }}")
        # PI edited the Vietnamese body: theirs, kept.
        edited = "<p>Kính gửi <t t-out=\"object.user_id.name\">...</t>: hợp đồng sắp hết hạn.</p>"
        self.set_stored(self.template, "body_html", {"en_US": self.template.body_html, "vi_VN": edited})
        self.env["pi.investment.contract"]._update_shipped_mail_templates()
        vietnamese, english = self.vi(self.template), self.template.with_context(lang="en_US")
        self.assertEqual(vietnamese.subject,
                         "Hợp đồng {{ object.name }} của {{ object.partner_id.name }} hết hạn sau "
                         "{{ object.doc_days_to_end }} ngày")
        self.assertEqual(english.subject,
                         "Contract {{ object.name }} of {{ object.partner_id.name }} ends in "
                         "{{ object.doc_days_to_end }} days")
        self.assertEqual((english.name, vietnamese.name), ("PI: contract ending soon", "PI: hợp đồng sắp hết hạn"))
        self.assertEqual(self.template.lang, "{{ object.user_id.lang }}")
        self.assertFalse(self.template.email_from)
        self.assertEqual(vietnamese.body_html, edited)
        self.assertFalse(self.template._has_unsafe_expression())
        self.assertIn("hết hạn sau 30 ngày", self.run_cron().subject)

    def test_a_body_is_replaced_only_while_it_is_the_shipped_one(self):
        """The mechanism, on the body: the digest of the stored text decides."""
        Data = self.env["ir.model.data"]
        data_file = "pi_contracts/data/mail_template_data.xml"
        shipped = {lang: self.template.with_context(lang=lang).body_html for lang in ("en_US", "vi_VN")}
        old = "<p>Văn bản cũ <t t-out=\"ctx.get('pi_days_left')\"></t></p>"
        table = {"mail_template_contract_expiry": {"body_html": {text_digest(old)}}}
        self.set_stored(self.template, "body_html", {"en_US": old})  # no Vietnamese yet: it read the source
        Data._pi_update_shipped_values(data_file, table)
        self.assertEqual({lang: self.template.with_context(lang=lang).body_html for lang in shipped}, shipped)
        self.set_stored(self.template, "body_html", {"en_US": old + "<p>PI đã sửa</p>", "vi_VN": old})
        Data._pi_update_shipped_values(data_file, table)
        self.assertEqual(self.template.with_context(lang="en_US").body_html, old + "<p>PI đã sửa</p>")
        self.assertEqual(self.vi(self.template).body_html, shipped["vi_VN"])

    def test_old_file_names_get_their_accents(self):
        settlement = self.env.ref("pi_contracts.document_template_settlement")
        contract = self.env.ref("pi_contracts.document_template_contract")
        self.set_stored(settlement, "report_name", {"en_US": "Bien ban tat toan", "vi_VN": "Bien ban tat toan"})
        self.set_stored(contract, "report_name", {"en_US": "Hop dong", "vi_VN": "HĐ của PI"})
        self.env["pi.contract.document.template"]._update_shipped_templates()
        self.assertEqual(self.vi(settlement).report_name, "Biên bản tất toán")
        self.assertEqual(settlement.with_context(lang="en_US").report_name, "Settlement record")
        self.assertEqual(self.vi(contract).report_name, "HĐ của PI", "edited by PI: kept")

    def test_names_shipped_in_vietnamese_get_their_english_source(self):
        # Earlier versions shipped Vietnamese as the source of these names.
        old = {"pi_contracts.contract_stage_preparing": "Chuẩn bị hồ sơ",
               "pi_contracts.financial_policy_main": "Chính sách tài chính",
               "pi_contracts.fee_tier_20": "Mức phí 20%",
               "pi_contracts.document_template_contract": "Hợp đồng hợp tác kinh doanh"}
        records = {xmlid: self.env.ref(xmlid) for xmlid in old}
        shipped = {xmlid: (record.with_context(lang="en_US").name, self.vi(record).name)
                   for xmlid, record in records.items()}
        for xmlid, name in old.items():
            self.set_stored(records[xmlid], "name", {"en_US": name, "vi_VN": name})
        renamed = self.env.ref("pi_contracts.contract_stage_signing")
        self.set_stored(renamed, "name", {"en_US": "Chờ ký", "vi_VN": "Chờ khách ký"})  # PI's own wording
        self.env["pi.financial.policy"]._update_shipped_names()
        self.env["pi.contract.document.template"]._update_shipped_templates()
        for xmlid, record in records.items():
            with self.subTest(record=xmlid):
                record.invalidate_recordset()
                self.assertEqual((record.with_context(lang="en_US").name, self.vi(record).name), shipped[xmlid])
                self.assertNotEqual(shipped[xmlid][0], old[xmlid], "the source is English now")
        renamed.invalidate_recordset()
        self.assertEqual(self.vi(renamed).name, "Chờ khách ký", "edited by PI: kept")

    def test_update_leaves_the_installed_texts_as_they_are(self):
        records = [self.env.ref(f"pi_contracts.{record_id}")
                   for table in (DOCUMENTS_SHIPPED_BEFORE, EXPIRY_MAIL_SHIPPED_BEFORE) for record_id in table]
        Data = self.env["ir.model.data"]

        def stored():
            return [Data._pi_stored_values(record, name) for record in records for name in record._fields
                    if name in ("name", "subject", "body_html", "body", "report_name", "email_from", "lang")]

        before = stored()
        with self.assertNoLogs("odoo.addons.pi_contracts.models.ir_model_data", "INFO"):
            self.env["pi.contract.document.template"]._update_shipped_templates()
            self.env["pi.investment.contract"]._update_shipped_mail_templates()
        self.assertEqual(stored(), before)


@tagged("pi_contracts")
class TestPiDocumentFileNames(PiContractsCommon):
    """PDF file names keep their Vietnamese accents."""

    def test_attachment_and_download_names(self):
        contract = self.contract_lan
        contract.action_activate()
        contract._settle("2026-07-01")
        settlement = self.env.ref("pi_contracts.document_template_settlement")
        attachment = contract._attach_document(settlement)
        expected = f"Biên bản tất toán - {contract.name.replace('/', '-')}.pdf"
        self.assertEqual(attachment.name, expected)
        report = self.env.ref("pi_contracts.action_report_pi_contract_document")
        printed = safe_eval.safe_eval(report.print_report_name,
                                      {"object": contract.with_context(pi_document_template_id=settlement.id)})
        self.assertEqual(f"{printed}.pdf", expected)
        self.assertEqual(self.vi(contract)._get_document_filename(), f"Hợp đồng - {contract.name.replace('/', '-')}")


@tagged("pi_contracts")
class TestPiDocumentTemplateReset(PiContractsCommon):
    """Stock's "Reset Template" (template.reset.mixin) on PI's shipped documents."""

    def test_an_edited_shipped_template_resets_to_its_shipped_body(self):
        template = self.env.ref("pi_contracts.document_template_contract")
        self.assertEqual(template.template_fs, "pi_contracts/data/pi_contract_document_template_data.xml")
        shipped = (template.body, template.with_context(lang="en_US").name, self.vi(template).name)
        self.assertIn("HỢP ĐỒNG HỢP TÁC KINH DOANH", shipped[0])
        edited = self.vi(template).with_user(self.manager)
        edited.write({"body": "<p>Văn bản PI đã sửa</p>", "name": "Hợp đồng PI đã sửa"})
        self.assertIn("PI đã sửa", template.body)
        edited.reset_template()
        template.invalidate_recordset()
        self.assertEqual((template.body, template.with_context(lang="en_US").name, self.vi(template).name),
                         shipped)
        self.assertTrue(template.active)
        self.assertEqual(template.kind, "contract")

    def test_only_who_may_edit_a_template_resets_it(self):
        template = self.env.ref("pi_contracts.document_template_contract")
        template.body = "<p>Văn bản PI đã sửa</p>"
        with self.assertRaises(AccessError):
            template.with_user(self.consultant_lan).reset_template()
        self.assertEqual(template.body, "<p>Văn bản PI đã sửa</p>")
