import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import PiCrmCommon


@tagged("post_install", "-at_install", "pi_crm")
class TestPiConsent(PiCrmCommon):
    """Consents per channel and purpose; a withdrawal stops the channel."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_lan.write({"email": "hung.consent@example.vn"})
        cls.consent = cls.env["pi.consent"].with_user(cls.consultant_lan).create({
            "partner_id": cls.customer_lan.id, "channel": "email", "purpose": "marketing", "source": "call",
            "evidence": "Anh Hùng đồng ý nhận bản tin qua email trong cuộc gọi 01/12/2026."})

    def test_withdrawing_blacklists_the_email(self):
        self.consent.with_user(self.consultant_lan).action_withdraw()
        self.assertEqual(self.consent.state, "withdrawn")
        self.assertEqual(self.consent.withdrawn_by_id, self.consultant_lan)
        self.assertTrue(self.env["mail.blacklist"].search([("email", "=", "hung.consent@example.vn")]))
        self.assertTrue(self.customer_lan.is_blacklisted)

    def test_withdrawing_sms_blacklists_the_phone(self):
        consent = self.env["pi.consent"].create({"partner_id": self.customer_lan.id, "channel": "sms",
                                                 "purpose": "marketing"})
        consent.action_withdraw()
        self.assertTrue(self.env["phone.blacklist"].search([("number", "=", "+84912345678")]))

    def test_the_state_is_never_written_by_hand(self):
        for user in (self.consultant_lan, self.manager, self.pi_admin):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.consent.with_user(user).write({"state": "withdrawn"})
        with self.assertRaises(UserError):
            self.env["pi.consent"].with_user(self.manager).create({
                "partner_id": self.customer_minh.id, "channel": "sms", "purpose": "care", "state": "withdrawn"})
        self.assertEqual(self.consent.state, "granted")

    def test_another_consultants_customer_is_out_of_reach(self):
        Consent = self.env["pi.consent"].with_user(self.consultant_minh)
        self.assertFalse(Consent.search([("partner_id", "=", self.customer_lan.id)]))
        with self.assertRaises(AccessError):
            self.consent.with_user(self.consultant_minh).action_withdraw()
        with self.assertRaises(AccessError):
            Consent.create({"partner_id": self.customer_lan.id, "channel": "sms", "purpose": "marketing"})
        self.assertEqual(self.consent.state, "granted")

    def test_a_consent_stays_with_its_customer(self):
        with self.assertRaises(UserError):
            self.consent.with_user(self.consultant_lan).write({"partner_id": self.customer_minh.id})

    def test_marketing_needs_a_consent_when_pi_says_so(self):
        partners = self.customer_lan | self.customer_minh
        Consent = self.env["pi.consent"]
        self.assertEqual(Consent._pi_marketing_allowed(partners, "email"), partners)
        self.env["ir.config_parameter"].sudo().set_param("pi_crm.marketing_requires_consent", "True")
        self.assertEqual(Consent._pi_marketing_allowed(partners, "email"), self.customer_lan)
        self.assertFalse(Consent._pi_marketing_allowed(partners, "sms"))
        self.consent.action_withdraw()
        self.assertFalse(Consent._pi_marketing_allowed(partners, "email"))

    def test_mailings_and_the_nurture_read_consents_alike(self):
        """One answer for a mailing's recipients (partners) and the nurture's leads: the customer's
        (commercial partner's) granted consent on the channel counts, for its contacts and when archived."""
        Consent, Partner, Lead = self.env["pi.consent"], self.env["res.partner"], self.env["crm.lead"]
        self.env["ir.config_parameter"].sudo().set_param("pi_crm.marketing_requires_consent", "True")
        company = Partner.create({"name": "Công ty Bình Minh", "is_company": True})
        contact = Partner.create({"name": "Vũ Thị Hoa", "parent_id": company.id})
        archived = Partner.create({"name": "Đinh Văn Sơn"})
        sms_only = Partner.create({"name": "Mai Văn Phúc"})
        Consent.create([{"partner_id": company.id, "channel": "email", "purpose": "marketing"},
                        {"partner_id": archived.id, "channel": "email", "purpose": "marketing"},
                        {"partner_id": sms_only.id, "channel": "sms", "purpose": "marketing"},
                        {"partner_id": sms_only.id, "channel": "email", "purpose": "care"}])
        archived.active = False
        partners = self.customer_lan | self.customer_minh | company | contact | archived | sms_only
        expected = self.customer_lan | company | contact | archived
        self.assertEqual(Consent._pi_marketing_allowed(partners, "email"), expected)
        self.assertEqual(Consent.with_user(self.consultant_minh)._pi_marketing_allowed(partners, "email"), expected,
                         "whoever sends: the consents a consultant cannot read count too")
        self.assertEqual(Consent._pi_marketing_allowed(partners, "sms"), sms_only)
        leads = Lead.create([{"name": f"Lead {partner.name}", "partner_id": partner.id} for partner in partners])
        leads |= Lead.create({"name": "Lead without customer"})
        domain = Consent._pi_marketing_allowed_domain("email", partner_field="partner_id")
        allowed_leads = Lead.search(domain + [("id", "in", leads.ids)])
        self.assertEqual(allowed_leads.partner_id, expected)
        self.assertEqual(Partner.with_context(active_test=False).search(
            Consent._pi_marketing_allowed_domain("email") + [("id", "in", partners.ids)]), expected)
        self.env["ir.config_parameter"].sudo().set_param("pi_crm.marketing_requires_consent", "")
        self.assertEqual(Consent._pi_marketing_allowed_domain("email", partner_field="partner_id"), [])
        self.assertEqual(Consent._pi_marketing_allowed(partners, "email"), partners)

    def test_export_for_managers_only(self):
        with self.assertRaises(AccessError):
            self.customer_lan.with_user(self.consultant_lan).action_pi_export_personal_data()
        action = self.customer_lan.with_user(self.manager).action_pi_export_personal_data()
        self.assertEqual(action["report_name"], "pi_crm.report_pi_personal_data")
        attachment = self.env["ir.attachment"].search([("res_model", "=", "res.partner"),
                                                       ("res_id", "=", self.customer_lan.id),
                                                       ("name", "=", f"personal-data-{self.customer_lan.id}.json")])
        data = json.loads(attachment.raw)
        text = json.dumps(data, ensure_ascii=False)
        self.assertIn("Lê Văn Hùng", text)
        self.assertIn("hung.consent@example.vn", text)
        self.assertIn("Anh Hùng đồng ý", text, "the consents and their evidence are part of it")
        html = self.env["ir.actions.report"].with_user(self.manager)._render_qweb_html(
            "pi_crm.report_pi_personal_data", self.customer_lan.ids)[0].decode()
        self.assertIn("Lê Văn Hùng", html)
        self.assertIn("Anh Hùng đồng ý", html)

    def test_anonymisation_is_for_admins_and_erases_the_person(self):
        with self.assertRaises(AccessError):
            self.customer_lan.with_user(self.manager).action_pi_anonymize()
        self.customer_lan.with_user(self.pi_admin).action_pi_anonymize()
        partner = self.customer_lan.with_context(active_test=False)
        self.assertNotIn("Hùng", partner.name)
        self.assertFalse(partner.email or partner.mobile or partner.phone)
        self.assertFalse(partner.active)


@tagged("post_install", "-at_install", "pi_crm")
class TestPiConsentOptout(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create({"name": "Ngô Thị Lan", "pi_gender": "female",
                                                     "email": "lan.optout@example.vn"})

    def test_the_signed_link_asks_then_withdraws(self):
        url = self.partner._pi_optout_url("email")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Chị Lan", page.text)
        self.assertFalse(self.partner.is_blacklisted, "opening the link changes nothing")
        response = self.url_open(url, data={"csrf_token": self._csrf_from(page.text)})
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        consent = self.env["pi.consent"].search([("partner_id", "=", self.partner.id)])
        self.assertEqual((consent.channel, consent.purpose, consent.state, consent.source),
                         ("email", "marketing", "withdrawn", "optout"))
        self.assertTrue(self.partner.is_blacklisted)

    def _csrf_from(self, html):
        marker = 'name="csrf_token" value="'
        start = html.index(marker) + len(marker)
        return html[start:html.index('"', start)]

    def test_the_personal_data_prints_as_a_pdf(self):
        # HttpCase: wkhtmltopdf fetches the report's styles from the test server
        manager = new_test_user(self.env, login="test_consent_ql", groups="base.group_user,pi_crm.group_pi_manager")
        pdf, _kind = self.env["ir.actions.report"].with_user(manager).with_context(
            force_report_rendering=True)._render_qweb_pdf("pi_crm.action_report_pi_personal_data", self.partner.ids)
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_a_wrong_signature_or_channel_is_not_found(self):
        url = self.partner._pi_optout_url("email")
        other = self.env["res.partner"].create({"name": "Người khác", "email": "other@example.vn"})
        forged = url.replace(f"/{self.partner.id}/", f"/{other.id}/")
        for bad in (forged, url[:-1] + ("0" if url[-1] != "0" else "1"), url.replace("/email/", "/fax/")):
            with self.subTest(url=bad):
                self.assertEqual(self.url_open(bad).status_code, 404)
        self.assertFalse(self.env["pi.consent"].search([("partner_id", "in", (self.partner | other).ids)]))
