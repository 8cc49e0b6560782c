from datetime import datetime
from email.message import EmailMessage

from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from odoo.addons.sms.tests.common import MockSMS

from ..models.iap_account import IAP_SERVICE_PARAM
from .common import PiCrmCommon


@tagged("pi_consultation")
class TestPiTimeline(PiCrmCommon, MockSMS):
    """Hùng (Lan's customer) and Tuấn (Minh's) receive a call, an SMS, an email
    and an email campaign; each shows once per recipient on their own timeline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # SMS through Odoo IAP start off (pi_crm's IAP switches); the gateway is mocked
        cls.env["ir.config_parameter"].sudo().set_param(IAP_SERVICE_PARAM % "sms", "True")
        cls.customer_lan.email = "hung.le@example.vn"
        cls.customer_minh.email = "tuan.hoang@example.vn"
        cls.call = cls.env["pi.interaction"].create(
            {
                "partner_id": cls.customer_lan.id,
                "user_id": cls.consultant_lan.id,
                "channel": "call",
                "date": datetime(2026, 3, 2, 9, 0),
                "summary": "Giới thiệu gói BCC 12 tháng",
            }
        )
        cls.call_minh = cls.env["pi.interaction"].create(
            {
                "partner_id": cls.customer_minh.id,
                "user_id": cls.consultant_minh.id,
                "channel": "call",
                "date": datetime(2026, 3, 2, 10, 0),
                "summary": "Chào sản phẩm mới",
            }
        )
        mailing_model = cls.env["ir.model"]._get("res.partner")
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Bản tin tháng 3",
                "mailing_type": "mail",
                "mailing_model_id": mailing_model.id,
                "body_html": "<p>Bản tin</p>",
            }
        )
        cls.traces = cls.env["mailing.trace"].create(
            [
                {
                    "mass_mailing_id": cls.mailing.id,
                    "model": "res.partner",
                    "res_id": partner.id,
                    "email": partner.email,
                    "trace_type": "mail",
                    "trace_status": "sent",
                    "sent_datetime": datetime(2026, 3, 5, 8, 0),
                }
                for partner in (cls.customer_lan, cls.customer_minh)
            ]
        )

    def _timeline(self, partner):
        return self.env["pi.timeline"].search([("partner_id", "=", partner.id)])

    def test_timeline_shows_call_sms_email_and_campaign_in_date_order(self):
        with self.mockSMSGateway():
            self.customer_lan._message_sms("Nhắc lịch hẹn 10h sáng mai", partner_ids=self.customer_lan.ids)
        self.customer_lan.with_context(mail_notify_force_send=False).message_post(
            body="Gửi Anh tài liệu sản phẩm",
            subject="Tài liệu BCC",
            partner_ids=self.customer_lan.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        lines = self._timeline(self.customer_lan)
        self.assertEqual(
            sorted(lines.mapped("kind")), ["email", "interaction", "mass_email", "sms"], "one line each, no copies"
        )
        self.assertEqual(lines.filtered(lambda line: line.kind == "interaction").summary, "Giới thiệu gói BCC 12 tháng")
        self.assertEqual(lines.filtered(lambda line: line.kind == "sms").summary, "Nhắc lịch hẹn 10h sáng mai")
        campaign = lines.filtered(lambda line: line.kind == "mass_email")
        self.assertEqual((campaign.mailing_id, campaign.summary, campaign.status),
                         (self.mailing, "Bản tin tháng 3", "sent"))
        self.assertEqual(lines.mapped("date"), sorted(lines.mapped("date"), reverse=True), "newest first")
        # the campaign shows once per recipient
        self.assertEqual(
            self.env["pi.timeline"].search_count([("mailing_id", "=", self.mailing.id)]), 2
        )

    def test_lead_timeline_includes_its_customer_history(self):
        lead = self.env["crm.lead"].create(
            {"name": "Tăng vốn", "partner_id": self.customer_lan.id, "user_id": self.consultant_lan.id}
        )
        lead._pi_log_interaction({"summary": "Bàn về tăng vốn", "direction": "out"})
        action = lead.action_pi_timeline()
        lines = self.env["pi.timeline"].search(action["domain"])
        self.assertEqual(
            set(lines.mapped("summary")), {"Giới thiệu gói BCC 12 tháng", "Bàn về tăng vốn", "Bản tin tháng 3"}
        )
        self.assertEqual(lines.filtered(lambda line: line.summary == "Bàn về tăng vốn").lead_id, lead)

    def _receive_email(self, record, sender, subject, body, message_id):
        """``sender`` e-mails ``record`` through the stock mail gateway, as the
        mail server's fetchmail or alias would hand it over."""
        email = EmailMessage()
        email["From"] = sender
        email["To"] = "sales@example.com"
        email["Subject"] = subject
        email["Message-ID"] = message_id
        email["Date"] = "Mon, 09 Mar 2026 14:30:00 +0700"
        email.set_content(body)
        self.env["mail.thread"].with_context(mail_notify_force_send=False).message_process(
            record._name, email.as_string(), thread_id=record.id
        )

    def test_email_received_from_the_customer_shows_on_their_timeline(self):
        lead = self.env["crm.lead"].create(
            {"name": "Tăng vốn", "partner_id": self.customer_lan.id, "user_id": self.consultant_lan.id}
        )
        self._receive_email(
            lead, "Lê Văn Hùng <hung.le@example.vn>", "Hỏi về lãi suất gia hạn",
            "Chào chị Lan, lãi suất khi gia hạn là bao nhiêu?", "<pi-timeline-in-1@example.vn>",
        )
        self._receive_email(
            self.customer_lan, "hung.le@example.vn", "", "Tôi gửi lại số tài khoản mới.",
            "<pi-timeline-in-2@example.vn>",
        )
        received = self._timeline(self.customer_lan).filtered(lambda line: line.direction == "in")
        self.assertEqual(len(received), 2, "each received email once, on the sender's timeline")
        on_lead = received.filtered("lead_id")
        self.assertEqual((on_lead.kind, on_lead.channel, on_lead.lead_id), ("email", "email", lead))
        self.assertEqual(on_lead.summary, "Hỏi về lãi suất gia hạn")
        self.assertEqual(on_lead.message_id.author_id, self.customer_lan)
        self.assertIn("số tài khoản mới", (received - on_lead).summary, "no subject: the text")
        self.assertFalse(self._timeline(self.customer_minh).filtered(lambda line: line.direction == "in"))
        # the consultant reads it in the customer's history
        lines = self.env["pi.timeline"].with_user(self.consultant_lan).search(lead.action_pi_timeline()["domain"])
        self.assertIn(on_lead.id, lines.ids)

    @users("test_tv_lan")
    def test_consultant_sees_only_own_customers_timeline(self):
        Timeline = self.env["pi.timeline"]
        visible = Timeline.search([("partner_id", "in", (self.customer_lan | self.customer_minh).ids)])
        self.assertEqual(visible.partner_id, self.customer_lan.with_user(self.env.user))
        self.assertEqual(len(visible), 2)
        minh_line = Timeline.sudo().search([("interaction_id", "=", self.call_minh.id)])
        with self.assertRaises(AccessError):
            Timeline.browse(minh_line.id).read(["summary"])

    @users("test_tv_lan")
    def test_consultant_does_not_see_a_colleague_s_interactions(self):
        Interaction = self.env["pi.interaction"]
        visible = Interaction.search([("id", "in", (self.call | self.call_minh).ids)])
        self.assertEqual(visible.ids, self.call.ids)
        with self.assertRaises(AccessError):
            Interaction.browse(self.call_minh.id).read(["summary"])
        with self.assertRaises(AccessError):
            Interaction.browse(self.call_minh.id).write({"summary": "Sửa"})

    @users("test_ql_ha")
    def test_manager_sees_every_timeline(self):
        visible = self.env["pi.timeline"].search([("partner_id", "in", (self.customer_lan | self.customer_minh).ids)])
        self.assertEqual(len(visible), 4)
