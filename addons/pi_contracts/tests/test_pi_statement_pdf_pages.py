import contextlib
import io
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from odoo.addons.pi_contracts.models.ir_actions_report import PdfPagesJob
from odoo.addons.pi_contracts.models.pi_investment_statement import PiInvestmentStatement

from .statement_common import ENGINE_LOGGER, PiStatementCommon
from .test_pi_report_batch import LOGGERS, count_wkhtmltopdf_calls, pdf_text


@tagged("pi_contracts", "post_install", "-at_install")
class TestPiStatementPdfPages(PiStatementCommon):
    """The statements' PDFs printed in a background process (wkhtmltopdf, then cut per page by
    tools/pdf_pages.py) while their e-mails and SMS are made: the same PDF, attached to the same
    messages, and the usual way when the background printing fails."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("report.print_delay", "50")
        # without the assets (a closed port), as test_pi_report_batch: wkhtmltopdf would fetch them from
        # a test server generating them in a transaction waiting for this test's
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
        cls.investor_tuan.pi_statement_channel = "both"
        cls.investor_tuan.email = "tuan@example.vn"

    def setUp(self):
        super().setUp()
        self.stock_calls = count_wkhtmltopdf_calls(self)

    def send(self, run):
        with self.mock_mail_gateway(), mute_logger(*LOGGERS, ENGINE_LOGGER):
            run.with_context(force_report_rendering=True).action_send()

    def assert_sent_once_with_own_pdf(self, run):
        investors = self.investor_hung | self.investor_tuan
        for investor in investors:
            statement = self.statement_of(investor, run)
            self.assertEqual(statement.state, "sent")
            pdf = statement.attachment_id.raw
            self.assertTrue(pdf.startswith(b"%PDF"))
            self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 1)
            self.assertEqual(statement.attachment_id.file_size, len(pdf))
            text = pdf_text(pdf)
            self.assertIn(investor.name, text)
            for other in investors - investor:
                self.assertNotIn(other.name, text)
            # the e-mail queued carries this PDF, once; one SMS
            message = self.email_messages(investor)
            self.assertEqual(len(message), 1)
            self.assertEqual(message.attachment_ids, statement.attachment_id)
            mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
            self.assertEqual(len(mails), 1)
            self.assertEqual(mails.attachment_ids, statement.attachment_id)
            sms = self.env["sms.sms"].search([("mail_message_id", "in", self.sms_messages(investor).ids)])
            self.assertEqual(len(sms), 1)

    def test_pdfs_printed_in_the_background_are_stocks_documents(self):
        run = self.make_run()
        started = []
        start = type(self.env["ir.actions.report"])._pi_start_pdf_pages

        def counting_start(report, *args, **kwargs):
            job = start(report, *args, **kwargs)
            started.append(job)
            return job

        with patch.object(type(self.env["ir.actions.report"]), "_pi_start_pdf_pages", counting_start):
            self.send(run)
        self.assertEqual(len(started), 1)
        self.assertIsInstance(started[0], PdfPagesJob)
        self.assertEqual(self.stock_calls, [], "printed by the background process, not stock's call")
        self.assert_sent_once_with_own_pdf(run)
        # the same document as stock prints for the statement alone
        statement = self.statement_of(self.investor_hung, run)
        with mute_logger(*LOGGERS):
            alone = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
                "pi_contracts.action_report_investment_statement", statement.ids)[0]
        self.assertEqual(pdf_text(statement.attachment_id.raw), pdf_text(alone))
        self.assertIn("500.000.000", pdf_text(alone))

    def test_background_failure_prints_and_sends_the_usual_way_once(self):
        run = self.make_run()
        with patch.object(PdfPagesJob, "_collect", side_effect=RuntimeError("wkhtmltopdf killed")):
            self.send(run)
        # everything made meanwhile was rolled back, then printed by stock's call and sent once
        self.assertEqual(self.stock_calls, [1])
        self.assert_sent_once_with_own_pdf(run)
        self.assertEqual(len(self.env["ir.attachment"].search([
            ("res_model", "=", "pi.investment.statement"), ("res_id", "in", run.statement_ids.ids)])), 2)

    def test_pages_not_matching_the_statements_print_the_usual_way(self):
        run = self.make_run()
        join = type(self.env["ir.actions.report"])._pi_join_bodies

        def join_without_breaks(report, bodies):
            # one page for two statements: the cut cannot be sure of whose page is whose
            return join(report, bodies).replace('page-break-before: always;', '')

        with patch.object(type(self.env["ir.actions.report"]), "_pi_join_bodies", join_without_breaks):
            self.send(run)
        self.assertTrue(self.stock_calls)
        self.assert_sent_once_with_own_pdf(run)

    def test_report_figures_print_as_the_widgets(self):
        run = self.make_run()
        with self.mock_mail_gateway(), mute_logger(ENGINE_LOGGER):
            run.action_send()
        statement = self.statement_of(self.investor_hung, run)
        monetary = self.env["ir.qweb.field.monetary"]
        float_widget = self.env["ir.qweb.field.float"]
        for lang in ("vi_VN", "en_US"):
            doc = statement.with_context(lang=lang)
            amount, number = doc._report_formatters()
            for value in (0, 1_234_567.5, -9_876_543_210, 500_000_000, 0.004):
                self.assertEqual(amount(value), monetary.with_context(lang=lang).value_to_html(
                    value, {"display_currency": statement.currency_id}))
                self.assertEqual(number(value, 4), float_widget.with_context(lang=lang).value_to_html(
                    value, {"precision": 4}))


@tagged("pi_contracts", "post_install", "-at_install")
class TestPiStatementNotifyBatch(PiStatementCommon):
    """The e-mails, SMS and notifications of a batch created at once (``_notify_posted_batch``) are the
    rows stock's ``_notify_thread`` makes for each message."""

    MAIL_FIELDS = ("subject", "body_html", "email_from", "reply_to", "auto_delete", "headers", "state",
                   "is_notification", "model", "res_id", "mail_server_id", "email_to", "recipient_ids")
    SMS_FIELDS = ("body", "number", "partner_id", "state", "failure_type")
    NOTIFICATION_FIELDS = ("notification_type", "notification_status", "res_partner_id", "is_read", "author_id",
                           "sms_number", "failure_type")

    def capture(self, run):
        """What was queued for each investor, as plain values."""
        rows = {}
        for investor in self.investor_hung | self.investor_tuan:
            messages = self.email_messages(investor) | self.sms_messages(investor)
            mails = self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
            sms = self.env["sms.sms"].search([("mail_message_id", "in", messages.ids)])
            notifications = self.env["mail.notification"].search([("mail_message_id", "in", messages.ids)],
                                                                 order="notification_type")
            rows[investor.name] = {
                "mails": [self.values(mail, self.MAIL_FIELDS) for mail in mails],
                "sms": [self.values(one, self.SMS_FIELDS) for one in sms],
                "notifications": [{**self.values(notification, self.NOTIFICATION_FIELDS),
                                   "linked": bool(notification.mail_mail_id or notification.sms_id_int),
                                   "trackers": len(notification.sms_tracker_ids)}
                                  for notification in notifications],
                "statement": self.statement_of(investor, run).state,
            }
        return rows

    def values(self, record, names):
        values = {}
        for name in names:
            value = record[name]
            values[name] = value.ids if hasattr(value, "ids") else value
        return values

    def send_and_capture(self, run, stock):
        with contextlib.ExitStack() as stack:
            if stock:
                stack.enter_context(patch.object(PiInvestmentStatement, "_notify_posted_batch",
                                                 lambda statements, posts: set()))
            stack.enter_context(self.mock_mail_gateway())
            run.action_send()
        return self.capture(run)

    def test_batch_rows_are_stocks(self):
        run = self.make_run()
        calls = []
        notify_thread = type(self.env["res.partner"])._notify_thread

        def counting_notify(partner, *args, **kwargs):
            calls.append(partner.id)
            return notify_thread(partner, *args, **kwargs)

        with patch.object(type(self.env["res.partner"]), "_notify_thread", counting_notify):
            with self.env.cr.savepoint() as savepoint:
                batch = self.send_and_capture(run, stock=False)
                self.assertEqual(calls, [], "notified in batch, not one message at a time")
                savepoint.rollback()
            run.invalidate_recordset()
            stock = self.send_and_capture(run, stock=True)
            self.assertEqual(len(calls), 3, "stock notifies each message: Hùng's e-mail and SMS, Tuấn's SMS")
        hung = stock[self.investor_hung.name]
        self.assertEqual((len(hung["mails"]), len(hung["sms"]), len(hung["notifications"])), (1, 1, 2))
        self.assertEqual(hung["mails"][0]["recipient_ids"], self.investor_hung.ids)
        self.assertEqual(batch, stock)

    def test_an_internal_follower_is_notified_by_stock(self):
        """A message with another kind of recipient (a user following the investor's notes) is left to
        stock's _notify_thread: the follower's inbox, the investor's e-mail."""
        follower = self.consultant_lan
        self.investor_hung.message_subscribe(follower.partner_id.ids, subtype_ids=self.env.ref("mail.mt_note").ids)
        run = self.make_run()
        with self.mock_mail_gateway():
            run.action_send()
        message = self.email_messages(self.investor_hung)
        notifications = self.env["mail.notification"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(sorted(notifications.mapped("res_partner_id").ids),
                         sorted((self.investor_hung | follower.partner_id).ids))
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertIn(self.investor_hung, mails.recipient_ids)
        self.assertEqual(len(notifications.filtered(lambda n: n.res_partner_id == self.investor_hung)), 1)
        self.assertEqual(self.statement_of(self.investor_tuan, run).state, "sent")
