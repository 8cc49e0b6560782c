from unittest.mock import patch

from odoo import modules
from odoo.tests import HttpCase, tagged

from odoo.addons.pi_crm.tests.local_smtp import LocalSmtpServer

from .statement_common import PiStatementCommon


@tagged("pi_contracts", "post_install", "-at_install")
class TestPiStatementRealSmtp(PiStatementCommon, HttpCase):
    """A statement over a real SMTP connection, to a server on loopback, with a
    real PDF (an HttpCase: wkhtmltopdf fetches the report's assets from the
    test server, which must share the test's transaction)."""

    def test_statement_reaches_a_real_smtp_server(self):
        self.investor_hung.pi_statement_channel = "email"
        self.investor_tuan.pi_statement_frequency = "none"
        with LocalSmtpServer() as smtp:
            server = self.env["ir.mail_server"].create({
                "name": "Loopback SMTP", "smtp_host": smtp.host, "smtp_port": smtp.port,
                "smtp_encryption": "none", "sequence": 1,
            })
            run = self.make_run()
            # a real PDF (tests otherwise get the report's HTML)
            run.with_context(force_report_rendering=True).action_send()
            mail = self.env["mail.mail"].search(
                [("mail_message_id", "=", self.email_messages(self.investor_hung).id)])
            self.assertEqual(mail.state, "outgoing")
            mail.mail_server_id = server
            # Odoo skips connecting and sending while a test runs (ir.mail_server.connect
            # and send_email look at modules.module.current_test): lifted for this block only.
            with patch.object(modules.module, "current_test", False):
                mail.send(raise_exception=True)
            received = smtp.wait_for_message(timeout=10)
        self.assertEqual(received.rcpt_to, ["hung@example.vn"])
        self.assertEqual(str(received.message["Subject"]), "Sao kê tuần 23/11/2026 – 29/11/2026")
        self.assertIn("Kính gửi Anh Hùng", "".join(received.text_bodies()))
        statement = self.statement_of(self.investor_hung, run)
        attachments = received.attachments()
        self.assertEqual(len(attachments), 1)
        filename, content_type, content = attachments[0]
        self.assertEqual(filename, statement.attachment_id.name)
        self.assertEqual(content, statement.attachment_id.raw)
        self.assertEqual(content_type, "application/pdf")
        self.assertTrue(content.startswith(b"%PDF"))
