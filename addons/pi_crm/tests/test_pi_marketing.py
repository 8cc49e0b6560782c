import base64
import re
from unittest.mock import patch

from odoo import fields, modules
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.pi_crm.tests.common import PiCrmCommon, ensure_vietnamese, pi_user
from odoo.addons.pi_crm.tests.local_smtp import LocalSmtpServer

PDF = b"%PDF-1.4 PI intro\n%%EOF"
# the paths of the open pixel and of the tracked links in an email (the test server answers them)
TRACK_RE = re.compile(r'src="(?:https?://[^/"]+)?(/mail/track/\d+/[^"]+/blank\.gif)"')
LINK_RE = re.compile(r'href="(?:https?://[^/"]+)?(/r/[^"/]+/m/\d+)"')


class PiMarketingCommon(PiCrmCommon):
    """The fixture of PiCrmCommon, plus: Lan's lead "Trần Thị Mai" (female, with an
    e-mail), Minh's lead with an e-mail, the sales library's intro document and a
    contract sample."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_vietnamese(cls.env)
        cls.lead_lan.write({"contact_name": "Trần Thị Mai", "pi_gender": "female", "email_from": "mai@example.vn",
                            "lang_id": cls.env.ref("base.lang_vi_VN").id})
        cls.lead_minh.write({"contact_name": "Hoàng Văn Nam", "pi_gender": "male", "email_from": "nam@example.vn"})
        Document = cls.env["pi.sales.document"]
        Document.search([]).action_archive()  # the library of these tests only
        cls.intro_doc = Document.create({
            "name": "Giới thiệu PI", "kind": "intro", "file": base64.b64encode(PDF), "file_name": "gioi-thieu-pi.pdf"})
        cls.contract_doc = Document.create({
            "name": "Hợp đồng mẫu", "kind": "contract_sample", "file": base64.b64encode(b"%PDF contract"),
            "file_name": "hop-dong-mau.pdf"})
        cls.intro_template = cls.env.ref("pi_crm.mail_template_intro")

    def intro_composer(self, lead, user, **values):
        action = lead.with_user(user).action_pi_send_intro()
        return self.env["mail.compose.message"].with_user(user).with_context(
            **action["context"], mail_notify_force_send=False).create(values)


@tagged("pi_marketing")
class TestPiIntroKit(PiMarketingCommon):

    def test_intake_gender_fills_the_lead_gender(self):
        clean = {"name": "Phạm Thu Trang", "phone": "+84912000111", "email": "trang@example.vn", "amount": 0,
                 "utm_medium": None, "utm_campaign": None, "gender": "female"}
        lead = self.env["crm.lead"]._pi_create_from_website(clean, "Website: Phạm Thu Trang", "")
        self.assertEqual(lead.pi_gender, "female")
        self.assertEqual(lead.pi_salutation, "Chị Trang")

    def test_send_intro_opens_the_composer_with_the_template_and_intro_documents(self):
        composer = self.intro_composer(self.lead_lan, self.consultant_lan)
        self.assertEqual(composer.template_id, self.intro_template)
        self.assertEqual(composer.composition_mode, "comment")
        self.assertEqual(composer.pi_sales_document_ids, self.intro_doc)
        self.assertIn("Chị Mai", composer.body)
        self.assertIn("https://passioninvestment.vn", composer.body)
        # staff add another document of the library, then send
        composer.pi_sales_document_ids |= self.contract_doc
        composer._action_send_mail()
        message = self.lead_lan.message_ids.filtered(lambda message: message.pi_care_kind == "intro")
        self.assertEqual(len(message), 1)
        self.assertEqual(sorted(message.attachment_ids.mapped("name")), ["gioi-thieu-pi.pdf", "hop-dong-mau.pdf"])
        self.assertEqual(message.attachment_ids.mapped("res_model"), ["crm.lead", "crm.lead"])
        self.assertEqual(base64.b64decode(message.attachment_ids.filtered(
            lambda attachment: attachment.name == "gioi-thieu-pi.pdf").datas), PDF)
        # the intro is the lead's first contact, logged like any e-mail from its chatter
        self.assertEqual(self.lead_lan.pi_consult_state, "consulting")

    def test_the_same_for_customers(self):
        self.customer_lan.email = "hung@example.vn"
        action = self.customer_lan.with_user(self.consultant_lan).action_pi_send_intro()
        self.assertEqual(action["context"]["default_template_id"],
                         self.env.ref("pi_crm.mail_template_intro_partner").id)
        composer = self.env["mail.compose.message"].with_user(self.consultant_lan).with_context(
            **action["context"]).create({})
        self.assertIn("Anh Hùng", composer.body)

    def test_other_consultant_cannot_send_intro_for_a_colleague_lead(self):
        with self.assertRaises(AccessError):
            self.lead_lan.with_user(self.consultant_minh).action_pi_send_intro()
        with self.assertRaises(AccessError):
            self.customer_lan.with_user(self.consultant_minh).action_pi_send_intro()

    def test_other_consultant_cannot_send_intro_through_the_composer(self):
        """Minh builds the composer by hand (RPC) on Lan's lead: neither the rendered
        body (her lead's name) nor a send."""
        context = self.lead_lan.with_user(self.consultant_lan).action_pi_send_intro()["context"]
        with self.assertRaises(AccessError), mute_logger("odoo.addons.mail.models.mail_render_mixin"):
            composer = self.env["mail.compose.message"].with_user(self.consultant_minh).with_context(
                **context, mail_notify_force_send=False).create({})
            composer._action_send_mail()
        self.assertFalse(self.lead_lan.message_ids.filtered("pi_care_kind"))

    def test_staff_cannot_mark_an_email_as_a_statement(self):
        with self.assertRaises(AccessError):
            self.intro_composer(self.lead_lan, self.consultant_lan, pi_care_kind="statement")

    def test_library_documents_need_read_access(self):
        with self.assertRaises(AccessError):
            self.contract_doc.with_user(self.env.ref("base.public_user")).read(["name"])
        # a consultant reads the library, never changes it
        self.assertEqual(self.contract_doc.with_user(self.consultant_lan).file_name, "hop-dong-mau.pdf")
        with self.assertRaises(AccessError):
            self.contract_doc.with_user(self.consultant_lan).write({"name": "Đã sửa"})

    def test_manager_edits_the_templates_with_placeholders_only(self):
        template = self.intro_template.with_user(self.manager)
        template.write({"subject": "Thư ngỏ gửi {{ object.pi_salutation }}"})
        self.assertEqual(template.subject, "Thư ngỏ gửi {{ object.pi_salutation }}")
        with self.assertRaises(AccessError), mute_logger("odoo.addons.mail.models.mail_render_mixin"):
            template.write({"body_html": '<p t-out="object.sudo().user_id.password"/>'})
        with self.assertRaises(AccessError):
            self.intro_template.with_user(self.consultant_lan).write({"subject": "x"})

    def test_care_fields_are_never_typed(self):
        lead = self.lead_lan.with_user(self.consultant_lan)
        for values in ({"pi_last_open_date": fields.Datetime.now()}, {"pi_needs_care": True},
                       {"pi_click_count": 9}, {"pi_nurture_date": fields.Datetime.now()}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                lead.write(values)
        with self.assertRaises(AccessError):
            self.customer_lan.with_user(self.consultant_lan).write({"pi_open_count": 5})


@tagged("post_install", "-at_install", "pi_marketing")
class TestPiIntroTracking(PiMarketingCommon, HttpCase):
    """The intro over a real SMTP connection, then its pixel and link on the test server."""

    def link_code(self, link):
        return link.split("/r/")[1].split("/m/")[0]

    def link_url(self, link):
        return self.env["link.tracker"].get_url_from_code(self.link_code(link))

    def website_link(self, html):
        """The tracked link of the template's website link."""
        for link in LINK_RE.findall(html):
            if self.link_url(link) == "https://passioninvestment.vn":
                return link
        raise AssertionError("no tracked website link")

    def send_intro_over_smtp(self):
        composer = self.intro_composer(self.lead_lan, self.consultant_lan)
        composer._action_send_mail()
        message = self.lead_lan.message_ids.filtered(lambda message: message.pi_care_kind == "intro")
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.state, "outgoing")
        with LocalSmtpServer() as smtp:
            mail.mail_server_id = self.env["ir.mail_server"].create({
                "name": "Loopback SMTP", "smtp_host": smtp.host, "smtp_port": smtp.port,
                "smtp_encryption": "none", "sequence": 1})
            # Odoo skips connecting and sending while a test runs (modules.module.current_test)
            with patch.object(modules.module, "current_test", False):
                mail.send(raise_exception=True)
            received = smtp.wait_for_message(timeout=10)
        return received, mail

    def test_intro_mail_received_with_documents_salutation_pixel_and_tracked_link(self):
        received, mail = self.send_intro_over_smtp()
        self.assertEqual(received.rcpt_to, ["mai@example.vn"])
        html = "".join(received.text_bodies())
        self.assertIn("Chị Mai", html)
        self.assertEqual([(name, kind) for name, kind, _content in received.attachments()],
                         [("gioi-thieu-pi.pdf", "application/pdf")])
        self.assertEqual(received.attachments()[0][2], PDF)
        trace = self.env["mailing.trace"].search([("mail_mail_id_int", "=", mail.id)])
        self.assertEqual((trace.model, trace.res_id, trace.trace_status), ("crm.lead", self.lead_lan.id, "sent"))
        self.assertTrue(TRACK_RE.search(html), "the open pixel is in the email")
        links = LINK_RE.findall(html)
        self.assertTrue(links and all(link.endswith(f"/m/{trace.id}") for link in links))
        urls = [self.link_url(link) for link in links]
        self.assertIn("https://passioninvestment.vn", urls, "the website link goes through a tracker")
        self.assertNotIn("/mail/view", "".join(urls), "Odoo's own links are left alone")

    def test_open_and_click_fill_the_care_list(self):
        received, _mail = self.send_intro_over_smtp()
        html = "".join(received.text_bodies())
        lead = self.lead_lan
        # the intro (logged as the lead's first e-mail) went out a minute before the customer opens it
        lead.pi_interaction_ids.date = fields.Datetime.subtract(fields.Datetime.now(), minutes=1)
        score = lead.pi_score
        self.assertFalse(lead.pi_needs_care)
        # the customer's mail client loads the pixel: no login
        pixel = self.url_open(TRACK_RE.search(html).group(1).replace("&amp;", "&"))
        self.assertEqual(pixel.status_code, 200)
        self.assertEqual(pixel.headers["Content-Type"], "image/gif")
        self.assertNotIn(b"Mai", pixel.content)
        lead.invalidate_recordset()
        self.assertTrue(lead.pi_last_open_date)
        self.assertTrue(lead.pi_needs_care)
        self.assertEqual(lead.pi_score, score + 2)  # the manager-set points of an open
        todo = lead.pi_care_activity_id
        self.assertEqual((todo.user_id, todo.activity_type_id), (
            self.consultant_lan, self.env.ref("mail.mail_activity_data_todo")))
        # a second open counts nothing more; a click adds its points, no second To-Do
        self.url_open(TRACK_RE.search(html).group(1).replace("&amp;", "&"))
        click = self.url_open(self.website_link(html), allow_redirects=False)
        self.assertEqual(click.status_code, 301)
        self.assertEqual(click.headers["Location"], "https://passioninvestment.vn")
        lead.invalidate_recordset()
        self.assertTrue(lead.pi_last_click_date)
        self.assertEqual(lead.pi_score, score + 2 + 5)
        self.assertEqual(lead.activity_ids, todo)  # the new-lead To-Do closed with the intro
        # the care list: Lan's own, never Minh's
        Lead = self.env["crm.lead"]
        self.assertIn(lead, Lead.with_user(self.consultant_lan).search([("pi_needs_care", "=", True)]))
        self.assertNotIn(lead, Lead.with_user(self.consultant_minh).search([("pi_needs_care", "=", True)]))
        # Lan calls back: off the list, her To-Do done
        self.env["pi.log.call"].with_user(self.consultant_lan).create(
            {"lead_id": lead.id, "summary": "Gọi lại sau khi chị Mai mở email"}).action_log()
        lead.invalidate_recordset()
        self.assertFalse(lead.pi_needs_care)
        self.assertFalse(todo.exists() and todo.active)

    def test_routes_refuse_bad_tokens_and_reveal_nothing(self):
        received, mail = self.send_intro_over_smtp()
        forged = self.url_open(f"/mail/track/{mail.id}/forged-token/blank.gif")
        self.assertEqual(forged.status_code, 401)
        self.assertNotIn(b"Mai", forged.content)
        unknown = self.url_open("/r/nothere/m/1", allow_redirects=False)
        self.assertEqual(unknown.status_code, 404)
        self.lead_lan.invalidate_recordset()
        self.assertFalse(self.lead_lan.pi_last_open_date)
        # a click on a trace that never left (a guessed id) counts nothing
        trace = self.env["mailing.trace"].create({"model": "crm.lead", "res_id": self.lead_minh.id,
                                                  "trace_status": "outgoing"})
        code = self.link_code(self.website_link("".join(received.text_bodies())))
        self.url_open(f"/r/{code}/m/{trace.id}", allow_redirects=False)
        self.lead_minh.invalidate_recordset()
        self.assertFalse(self.lead_minh.pi_last_click_date)
        self.assertFalse(self.lead_minh.pi_needs_care)

    def test_public_and_portal_reach_no_lead_or_library_over_rpc(self):
        investor = pi_user(self.env, "investor", "test_ndt_mkt", partner_id=self.customer_lan.id)
        for user in (investor, self.env.ref("base.public_user")):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.lead_lan.with_user(user).action_pi_send_intro()
                with self.assertRaises(AccessError):
                    self.env["pi.sales.document"].with_user(user).search([])
                with self.assertRaises(AccessError):
                    self.env["crm.lead"].with_user(user).search([("pi_needs_care", "=", True)])
