from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import PiCrmCommon


@tagged("pi_consultation")
class TestPiEmailContact(PiCrmCommon, MockEmail):
    """Issue 12 point 8: an email sent to the customer from the lead's chatter is
    a first contact, like a call; point 3: the timeline says what became of it
    in words, not "exception"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hanh = cls.env["res.partner"].create(
            {"name": "Đỗ Thu Hạnh", "email": "hanh.do@example.vn", "user_id": cls.consultant_lan.id}
        )
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Hỏi gói BCC", "partner_id": cls.hanh.id, "user_id": cls.consultant_lan.id}
        )

    def _send(self, lead, partners, subtype="mail.mt_comment", user=None):
        with self.mock_mail_gateway():
            return lead.with_user(user or self.consultant_lan).message_post(
                body="<p>Gửi Chị tài liệu gói BCC 12 tháng</p>",
                subject="Tài liệu gói BCC",
                partner_ids=partners.ids,
                message_type="comment",
                subtype_xmlid=subtype,
            )

    def test_email_to_the_customer_is_a_first_contact(self):
        self.assertEqual(self.lead.pi_consult_state, "new")
        message = self._send(self.lead, self.hanh)
        self.assertEqual(self.lead.pi_consult_state, "consulting", "the lead leaves the new-lead queue")
        self.assertFalse(self.lead.pi_consult_activity_id.active, "its To-Do is done")
        interaction = self.lead.pi_interaction_ids
        self.assertEqual(
            (interaction.channel, interaction.direction, interaction.user_id, interaction.partner_id),
            ("email", "out", self.consultant_lan, self.hanh),
        )
        self.assertEqual(interaction.summary, "Tài liệu gói BCC")
        self.assertEqual(interaction.mail_message_id, message)
        self.assertEqual(interaction.points, self.env["pi.channel.point"]._get_points_by_channel().get("email", 0))
        # one timeline line for that email, the interaction, with the email's status
        lines = self.env["pi.timeline"].search([("lead_id", "=", self.lead.id)])
        self.assertEqual(lines.mapped("kind"), ["interaction"])
        notification = message.notification_ids.filtered(lambda notif: notif.res_partner_id == self.hanh)
        self.assertEqual(lines.status, notification.notification_status)

    def test_email_to_a_lead_known_by_its_email_only(self):
        lead = self.env["crm.lead"].create(
            {"name": "Đăng ký website", "email_from": "minh.vu@example.vn", "user_id": self.consultant_lan.id}
        )
        # the chatter's suggested recipient: a contact made from the lead's email
        contact = self.env["res.partner"].with_user(self.consultant_lan).create(
            {"name": "Vũ Minh", "email": "minh.vu@example.vn"}
        )
        self._send(lead, contact)
        self.assertEqual(lead.partner_id, contact)
        self.assertEqual(lead.pi_consult_state, "consulting")
        self.assertEqual(lead.pi_interaction_ids.partner_id, contact)

    def test_notes_and_emails_to_others_are_not_a_contact(self):
        self._send(self.lead, self.hanh, subtype="mail.mt_note")
        self._send(self.lead, self.manager.partner_id)
        self.assertEqual(self.lead.pi_consult_state, "new")
        self.assertFalse(self.lead.pi_interaction_ids)
        # nor the customer's own email received on the lead
        with self.mock_mail_gateway():
            self.lead.message_post(body="Cảm ơn anh", message_type="email", author_id=self.hanh.id,
                                   subtype_xmlid="mail.mt_comment")
        self.assertEqual(self.lead.pi_consult_state, "new")

    def test_nobody_fakes_the_email_link(self):
        # a consultant's own create (form or any RPC call) cannot claim a chatter email
        message = self._send(self.lead, self.manager.partner_id)
        interaction = self.env["pi.interaction"].with_user(self.consultant_lan).create(
            {"lead_id": self.lead.id, "channel": "email", "summary": "Gửi mail", "mail_message_id": message.id}
        )
        self.assertFalse(interaction.mail_message_id)

    def test_timeline_status_reads_in_vietnamese(self):
        message = self._send(self.lead, self.manager.partner_id | self.hanh)
        self.lead.pi_interaction_ids.unlink()
        notifications = message.sudo().notification_ids
        notifications.filtered(lambda notif: notif.res_partner_id == self.hanh).notification_status = "exception"
        self.env.flush_all()  # the timeline is an SQL view
        Timeline = self.env["pi.timeline"].with_context(lang="vi_VN")
        line = Timeline.search([("message_id", "=", message.id), ("partner_id", "=", self.hanh.id)])
        self.assertEqual(line.status, "exception")
        self.assertEqual(line._fields["status"].convert_to_export(line.status, line), "Gửi lỗi")


@tagged("pi_consultation")
class TestPiEmailCheck(PiCrmCommon):
    """Issue 12 point 9: staff cannot save an address that is no address, by the
    lead entry form or any create or write (the ORM calls RPC makes); stock email_normalize would let
    "hanh.do@@example" through as "@example"."""

    BAD = "hanh.do@@example"

    def test_lead_entry_refuses_a_malformed_email(self):
        entry = self.env["pi.lead.entry"].with_user(self.consultant_lan).with_context(lang="vi_VN").create(
            {"contact_name": "Đỗ Thu Hạnh", "email_from": self.BAD}
        )
        with self.assertRaisesRegex(UserError, "không hợp lệ"):
            entry.action_create()
        self.assertFalse(self.env["crm.lead"].search([("email_from", "=", self.BAD)]))

    def test_staff_cannot_store_a_malformed_email_by_any_orm_call(self):
        Lead = self.env["crm.lead"].with_user(self.consultant_lan).with_context(lang="vi_VN")
        Partner = self.env["res.partner"].with_user(self.consultant_lan).with_context(lang="vi_VN")
        attempts = {
            "lead create": lambda: Lead.create({"name": "Khách mới", "email_from": self.BAD}),
            "lead write": lambda: Lead.browse(self.lead_lan.id).write({"email_from": self.BAD}),
            "partner create": lambda: Partner.create({"name": "Đỗ Thu Hạnh", "email": self.BAD}),
            "partner write": lambda: Partner.browse(self.customer_lan.id).write({"email": "hung.le@"}),
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name), self.assertRaisesRegex(ValidationError, "không hợp lệ"):
                attempt()
        self.assertFalse(self.customer_lan.email)

    def test_staff_type_real_addresses(self):
        lead = self.env["pi.lead.entry"].with_user(self.consultant_lan).create(
            {"contact_name": "Đỗ Thu Hạnh", "email_from": "Đỗ Thu Hạnh <Hanh.Do@Example.vn>"}
        ).action_create()
        self.assertEqual(self.env["crm.lead"].browse(lead["res_id"]).email_normalized, "hanh.do@example.vn")
        self.env["res.partner"].with_user(self.consultant_lan).browse(self.customer_lan.id).write(
            {"email": "hung.le@example.vn"}
        )
        self.assertEqual(self.customer_lan.email, "hung.le@example.vn")
