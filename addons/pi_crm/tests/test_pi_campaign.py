from ast import literal_eval
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .common import PiCrmCommon, pi_user


@tagged("pi_campaign")
class TestPiCampaign(PiCrmCommon, MockEmail):
    """Issue 15 item 4: stock Email/SMS Marketing for PI's managers, PI's merge
    fields, the segment filters, the timeline note, campaign money."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.investor = pi_user(cls.env, "investor", "test_campaign_ndt", partner_id=cls.customer_lan.id,
                               name=cls.customer_lan.name)
        cls.customer_lan.email = "hung@example.vn"
        cls.customer_minh.write({"email": "tuan@example.vn", "pi_birthdate": "1985-03-02"})
        cls.lead_lan.write({"contact_name": "Trần Thị Mai", "pi_gender": "female", "email_from": "mai@example.vn"})
        cls.partner_model = cls.env["ir.model"]._get("res.partner")
        cls.lead_model = cls.env["ir.model"]._get("crm.lead")

    def _mailing(self, user, **values):
        vals = {
            "subject": "Ưu đãi tháng 12",
            "body_html": "<p>Kính gửi <t t-out=\"object.pi_salutation\"></t>,</p>",
            "mailing_model_id": self.partner_model.id,
            "mailing_domain": repr([("id", "in", (self.customer_lan | self.customer_minh).ids)]),
        }
        vals.update(values)
        return self.env["mailing.mailing"].with_user(user).create(vals)

    # ------------------------------------------------------------ rights
    def test_managers_are_marketing_users_consultants_not(self):
        self.assertTrue(self.manager.has_group("mass_mailing.group_mass_mailing_user"))
        self.assertTrue(self.manager.has_group("mass_mailing.group_mass_mailing_campaign"))
        self.assertFalse(self.consultant_lan.has_group("mass_mailing.group_mass_mailing_user"))
        # PI's managers write placeholders, never code (stock's template editors)
        self.assertFalse(self.manager.has_group("mail.group_mail_template_editor"))

    def test_manager_creates_and_sends_a_mailing(self):
        mailing = self._mailing(self.manager)
        mailing.with_user(self.manager).action_put_in_queue()
        self.assertEqual(mailing.state, "in_queue")
        with self.mock_mail_gateway(mail_unlink_sent=False):
            mailing.with_user(self.manager).action_send_mail()
        self.assertEqual(mailing.state, "done")
        self.assertEqual(len(mailing.mailing_trace_ids), 2)
        self.assertEqual(sorted(mailing.mailing_trace_ids.mapped("email")), ["hung@example.vn", "tuan@example.vn"])
        self.assertEqual(len(self._mails), 2)

    def test_with_pis_consent_setting_only_consenting_people_get_the_mailing(self):
        self.env["ir.config_parameter"].set_param("pi_crm.marketing_requires_consent", "True")
        self.env["pi.consent"].create({"partner_id": self.customer_lan.id, "channel": "email",
                                       "purpose": "marketing", "source": "paper"})
        mailing = self._mailing(self.manager)
        with self.mock_mail_gateway(mail_unlink_sent=False):
            mailing.with_user(self.manager).action_send_mail()
        sent = mailing.mailing_trace_ids.filtered(lambda trace: trace.trace_status != "cancel")
        self.assertEqual(sent.mapped("email"), ["hung@example.vn"])
        refused = mailing.mailing_trace_ids - sent
        self.assertEqual((refused.email, refused.failure_type), ("tuan@example.vn", "mail_optout"))

    def test_consultant_cannot_create_read_or_send_mailings(self):
        mailing = self._mailing(self.manager)
        for user in (self.consultant_lan, self.investor, self.env.ref("base.public_user")):
            with self.subTest(user=user.login), mute_logger("odoo.models"):
                with self.assertRaises(AccessError):
                    self._mailing(user)
                with self.assertRaises(AccessError):
                    mailing.with_user(user).read(["subject", "body_html"])
                with self.assertRaises(AccessError):
                    mailing.with_user(user).action_send_mail()
                with self.assertRaises(AccessError):
                    self.env["mailing.filter"].with_user(user).search([])
                with self.assertRaises(AccessError):
                    self.env["mailing.trace"].with_user(user).search([])

    # ------------------------------------------------------------ lead sources
    def test_no_lead_source_per_mailing(self):
        Source = self.env["utm.source"]
        lead_sources = Source.search(Source._pi_lead_source_domain())
        mailings = self._mailing(self.manager) | self._mailing(self.manager, subject="Thư cảm ơn")
        mailings |= self._mailing(self.manager, mailing_type="sms", body_plaintext="Chúc mừng năm mới")
        self.assertEqual(Source.search(Source._pi_lead_source_domain()), lead_sources)
        self.assertTrue(all(mailings.source_id.mapped("pi_automatic")))
        self.assertEqual(len(mailings.source_id), 3, "stock still names and tags each mailing by its source")
        # PI's list of lead sources shows none of them
        action = self.env["ir.actions.act_window"]._for_xml_id("pi_crm.pi_utm_source_action")
        listed = Source.search(literal_eval(action["domain"]))
        self.assertFalse(listed & mailings.source_id)
        self.assertIn(self.env.ref("pi_crm.utm_source_website"), listed)

    def test_source_given_explicitly_is_kept(self):
        website = self.env.ref("pi_crm.utm_source_website")
        mailing = self._mailing(self.manager, source_id=website.id)
        self.assertEqual(mailing.source_id, website)
        self.assertFalse(website.pi_automatic)

    # ------------------------------------------------------------ merge fields
    def test_merge_fields_rendered_for_partners_and_leads(self):
        body = "<p><t t-out=\"object.pi_salutation\"></t> / <t t-out=\"object.pi_given_name\"></t></p>"
        partner_mailing = self._mailing(self.manager, body_html=body)
        rendered = partner_mailing.with_user(self.manager)._render_field("body_html", self.customer_lan.ids)
        self.assertIn("Anh Hùng / Hùng", rendered[self.customer_lan.id])
        lead_mailing = self._mailing(
            self.manager, body_html=body, mailing_model_id=self.lead_model.id,
            mailing_domain=repr([("id", "=", self.lead_lan.id)]))
        rendered = lead_mailing.with_user(self.manager)._render_field("body_html", self.lead_lan.ids)
        self.assertIn("Chị Mai / Mai", rendered[self.lead_lan.id])

    def test_merge_fields_in_sms(self):
        sms_mailing = self._mailing(
            self.manager, mailing_type="sms",
            body_plaintext="{{ object.pi_salutation }} ơi, {{ object.pi_given_name }}",
            mailing_model_id=self.lead_model.id, mailing_domain=repr([("id", "=", self.lead_lan.id)]))
        rendered = sms_mailing.with_user(self.manager)._render_field("body_plaintext", self.lead_lan.ids)
        self.assertEqual(rendered[self.lead_lan.id], "Chị Mai ơi, Mai")

    def test_manager_cannot_save_code_in_a_mailing(self):
        """A marketing user writes placeholders only: the cron renders the mailing
        as superuser, so code in it would run with every right."""
        attacks = [
            {"body_html": "<p t-out=\"object.env['res.users'].sudo().search([]).mapped('password')\"></p>"},
            {"body_html": "<p t-out=\"object.pi_salutation.__class__\"></p>"},
            {"mailing_type": "sms", "body_plaintext": "{{ object.env.cr.execute('DELETE FROM res_partner') }}"},
            {"mailing_type": "sms", "body_plaintext": "{{ object.sudo().partner_id.email }}"},
        ]
        mailing = self._mailing(self.manager)
        for values in attacks:
            with self.subTest(values=values), mute_logger("odoo.addons.mail.models.mail_render_mixin"):
                with self.assertRaises(AccessError):
                    self._mailing(self.manager, **values)
                with self.assertRaises(AccessError):
                    mailing.with_user(self.manager).write(values)

    # ------------------------------------------------------------ filters
    def test_segment_filters(self):
        filters = {xmlid: self.env.ref(f"pi_crm.mailing_filter_{xmlid}") for xmlid in (
            "lead_new", "lead_consulting", "partner_member", "partner_loyal", "partner_former", "partner_birthday")}
        self.assertEqual(filters["lead_new"].mailing_model_id, self.lead_model)
        self.assertEqual(filters["partner_loyal"].mailing_model_id, self.partner_model)
        # shared: every marketing user reads them
        self.assertEqual(
            self.env["mailing.filter"].with_user(self.manager).search([("id", "in", [f.id for f in filters.values()])]),
            self.env["mailing.filter"].browse([f.id for f in filters.values()]))
        Lead = self.env["crm.lead"]
        self.env["pi.interaction"].create({"lead_id": self.lead_minh.id, "user_id": self.consultant_minh.id,
                                           "summary": "Gọi tư vấn"})
        new = Lead.search(literal_eval(filters["lead_new"].mailing_domain))
        consulting = Lead.search(literal_eval(filters["lead_consulting"].mailing_domain))
        self.assertIn(self.lead_lan, new)
        self.assertNotIn(self.lead_minh, new)
        self.assertIn(self.lead_minh, consulting)

    @freeze_time("2026-03-10 20:00:00")  # 11/03 03:00 in Vietnam: still March
    def test_birthday_this_month_filter(self):
        domain = literal_eval(self.env.ref("pi_crm.mailing_filter_partner_birthday").mailing_domain)
        found = self.env["res.partner"].search(domain)
        self.assertIn(self.customer_minh, found)
        self.assertNotIn(self.customer_lan, found)
        self.assertNotIn(self.customer_minh, self.env["res.partner"].search([("pi_birthday_this_month", "=", False)]))
        self.assertTrue(self.customer_minh.pi_birthday_this_month)

    # ------------------------------------------------------------ timeline
    def test_mass_email_logged_on_each_recipient(self):
        self.env["mail.blacklist"].sudo()._add("tuan@example.vn")
        campaign = self.env["utm.campaign"].create({"title": "Tết 2027"})
        mailing = self._mailing(self.manager, campaign_id=campaign.id)
        with self.mock_mail_gateway(mail_unlink_sent=False):
            mailing.with_user(self.manager).action_send_mail()
        note = self.customer_lan.message_ids.filtered(lambda message: message.pi_care_kind == "marketing")
        self.assertEqual(len(note), 1)
        self.assertIn("Ưu đãi tháng 12", note.body)
        self.assertIn("Tết 2027", note.body)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(note.author_id, self.manager.partner_id)
        # blacklisted: no e-mail, so nothing on the timeline
        self.assertFalse(self.customer_minh.message_ids.filtered(lambda message: message.pi_care_kind == "marketing"))

    def test_timeline_notes_are_one_batch(self):
        """The notes cost the same few queries for 5 recipients as for 40."""
        counts = {}
        for size in (3, 5, 40):  # the first one warms the caches
            partners = self.env["res.partner"].create(
                [{"name": f"Khách {size}-{index}", "email": f"khach{size}.{index}@example.vn"}
                 for index in range(size)])
            mailing = self._mailing(self.manager, mailing_domain=repr([("id", "in", partners.ids)]))
            with self.mock_mail_gateway(mail_unlink_sent=False), patch.object(
                    type(mailing), "_pi_log_on_recipients", autospec=True):
                mailing.with_user(self.manager).action_send_mail()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            mailing.with_user(self.manager)._pi_log_on_recipients(partners.ids)
            self.env.flush_all()
            counts[size] = self.env.cr.sql_log_count - before
            logged = self.env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "in", partners.ids), ("pi_care_kind", "=", "marketing")])
            self.assertEqual(len(logged), size)
        self.assertEqual(counts[5], counts[40], f"queries for 5 and 40 recipients: {counts}")

    def test_mass_sms_logged_on_each_recipient(self):
        mailing = self._mailing(
            self.manager, mailing_type="sms", body_plaintext="{{ object.pi_salutation }} ơi, PI có quà Tết",
            keep_archives=False)
        mailing.with_user(self.manager).action_send_sms()
        notes = self.customer_lan.message_ids.filtered(lambda message: message.pi_care_kind == "marketing")
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.message_type, "sms")
        self.assertIn("Anh Hùng ơi", notes.body)
        sms = self.env["sms.sms"].search([("mailing_id", "=", mailing.id), ("partner_id", "=", self.customer_lan.id)])
        self.assertTrue(sms.body.startswith("[QC] Anh Hùng ơi"))

    # ------------------------------------------------------------ campaign money
    def test_manager_sets_campaign_money_consultant_cannot(self):
        campaign = self.env["utm.campaign"].with_user(self.manager).create(
            {"title": "Hội thảo đầu tư", "pi_budget": 20_000_000, "pi_expected_revenue": 5_000_000_000})
        campaign.with_user(self.manager).pi_actual_cost = 18_000_000
        self.env["crm.lead"].create([{"name": f"KH hội thảo {index}", "campaign_id": campaign.id,
                                      "user_id": self.consultant_lan.id} for index in range(3)])
        self.assertEqual(campaign.pi_lead_count, 3)
        self.assertEqual(campaign.pi_cost_per_lead, 6_000_000)
        self.assertEqual(campaign.pi_revenue_gap, campaign.pi_revenue - 5_000_000_000)
        for user in (self.consultant_lan, self.consultant_minh):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    campaign.with_user(user).write({"pi_budget": 1})
                with self.assertRaises(AccessError):
                    campaign.with_user(user).write({"pi_actual_cost": 0, "title": "Đổi tên"})
                with self.assertRaises(AccessError):
                    self.env["utm.campaign"].with_user(user).create({"title": "Của tôi", "pi_expected_revenue": 9})
                # stock lets every employee name campaigns: still so
                self.env["utm.campaign"].with_user(user).create({"title": f"Chiến dịch {user.login}"})
        for user in (self.investor, self.env.ref("base.public_user")):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                campaign.with_user(user).read(["pi_budget"])
        self.assertEqual(campaign.pi_budget, 20_000_000)
        self.assertEqual(campaign.pi_actual_cost, 18_000_000)

    def test_campaign_report_views_load(self):
        action = self.env["ir.actions.act_window"].with_user(self.manager)._for_xml_id(
            "pi_crm.pi_campaign_report_action")
        Campaign = self.env["utm.campaign"].with_user(self.manager)
        for view_type in ("list", "pivot", "graph"):
            with self.subTest(view_type=view_type):
                view = dict((mode, view_id) for view_id, mode in action["views"])[view_type]
                Campaign.get_views([(view, view_type)])
        groups = Campaign.read_group([], ["pi_actual_cost:sum", "pi_revenue:sum", "pi_cost_per_lead:avg"], [])
        self.assertTrue(groups)
