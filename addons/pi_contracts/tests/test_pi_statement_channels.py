import datetime

from odoo.tests import tagged

from odoo.addons.pi_contracts.tools.sms_segments import encoding, segments
from odoo.addons.pi_crm.tools.vn_text import strip_diacritics

from .common import create_investor
from .statement_common import MONDAY, WEEK_END, PiStatementCommon

QUARTER_END = datetime.date(2026, 9, 30)


@tagged("pi_contracts")
class TestPiStatementPreferences(PiStatementCommon):
    """Each investor's channel and frequency, and the stock blacklists."""

    def send(self, date_to=WEEK_END, period="weekly"):
        run = self.make_run(date_to, period)
        with self.mock_mail_gateway():
            run.action_send()
        return run

    def test_email_only(self):
        self.investor_hung.pi_statement_channel = "email"
        run = self.send()
        statement = self.statement_of(self.investor_hung, run)
        self.assertRecordValues(statement, [{"state": "sent", "email_state": "queued", "sms_state": False}])
        self.assertEqual(len(self.email_messages(self.investor_hung)), 1)
        self.assertFalse(self.sms_messages(self.investor_hung))

    def test_sms_only(self):
        run = self.send()
        statement = self.statement_of(self.investor_tuan, run)
        self.assertRecordValues(statement, [{"state": "sent", "email_state": False, "sms_state": "queued"}])
        self.assertFalse(self.email_messages(self.investor_tuan))
        sms = self.env["sms.sms"].search([("mail_message_id", "=", self.sms_messages(self.investor_tuan).id)])
        self.assertEqual(sms.state, "outgoing")  # queued for the stock SMS queue, not sent one by one
        self.assertEqual(sms.number, "+84988123456")

    def test_email_and_sms(self):
        run = self.send()
        statement = self.statement_of(self.investor_hung, run)
        self.assertRecordValues(statement, [{"state": "sent", "email_state": "queued", "sms_state": "queued"}])
        self.assertEqual(statement.mail_message_id, self.email_messages(self.investor_hung))
        self.assertEqual(statement.sms_message_id, self.sms_messages(self.investor_hung))

    def test_channel_none_makes_the_statement_and_sends_nothing(self):
        self.investor_hung.pi_statement_channel = "none"
        run = self.send()
        statement = self.statement_of(self.investor_hung, run)
        self.assertEqual(statement.state, "skipped")
        self.assertTrue(statement.attachment_id)
        self.assertIn("không nhận sao kê", statement.failure_reason)
        self.assertFalse(self.email_messages(self.investor_hung) | self.sms_messages(self.investor_hung))

    def test_quarterly_investor_is_in_the_quarterly_run_only(self):
        self.investor_hung.pi_statement_frequency = "quarterly"
        weekly = self.send()
        self.assertFalse(self.statement_of(self.investor_hung, weekly))
        self.assertTrue(self.statement_of(self.investor_tuan, weekly))
        quarterly = self.send(QUARTER_END, "quarterly")
        statement = self.statement_of(self.investor_hung, quarterly)
        self.assertEqual(statement.state, "sent")
        self.assertFalse(self.statement_of(self.investor_tuan, quarterly))
        payout = self.contract_lan.compute_payout(QUARTER_END)
        opening = self.contract_lan.compute_payout(datetime.date(2026, 6, 30))
        self.assertEqual(statement.line_ids.profit_period, payout["investor_profit"] - opening["investor_profit"])

    def test_frequency_none_gets_no_statement(self):
        self.investor_hung.pi_statement_frequency = "none"
        weekly = self.send()
        quarterly = self.send(QUARTER_END, "quarterly")
        self.assertFalse(self.statement_of(self.investor_hung, weekly | quarterly))

    def test_cron_makes_the_quarterly_run_after_the_quarter(self):
        self.investor_hung.pi_statement_frequency = "quarterly"
        with self.mock_mail_gateway():
            self.Run._cron_send_statements(date_ref=QUARTER_END + datetime.timedelta(days=1))
        run = self.Run.search([("period", "=", "quarterly"), ("date_to", "=", QUARTER_END)])
        self.assertEqual(len(run), 1)
        self.assertEqual(self.statement_of(self.investor_hung, run).state, "sent")

    def test_weekday_setting(self):
        self.env["res.config.settings"].create({"pi_statement_weekday": "4"}).execute()
        self.Run._cron_send_statements(date_ref=MONDAY)
        self.assertFalse(self.Run.search([("period", "=", "weekly")]).filtered(
            lambda run: run.date_to == WEEK_END))
        with self.mock_mail_gateway():
            self.Run._cron_send_statements(date_ref=datetime.date(2026, 12, 4))  # a Friday
        self.assertTrue(self.Run.search([("period", "=", "weekly"), ("date_to", "=", datetime.date(2026, 12, 3))]))

    def test_blacklisted_email_gets_the_sms_only(self):
        self.env["mail.blacklist"].create({"email": "hung@example.vn"})
        run = self.send()
        statement = self.statement_of(self.investor_hung, run)
        self.assertRecordValues(statement, [{"state": "sent", "email_state": "skipped", "sms_state": "queued"}])
        self.assertIn("danh sách chặn", statement.failure_reason)
        self.assertFalse(self.email_messages(self.investor_hung))

    def test_blacklisted_email_by_email_only_is_skipped(self):
        self.investor_hung.pi_statement_channel = "email"
        self.env["mail.blacklist"].create({"email": "hung@example.vn"})
        run = self.send()
        self.assertEqual(self.statement_of(self.investor_hung, run).state, "skipped")
        self.assertFalse(self.email_messages(self.investor_hung))

    def test_blacklisted_phone_gets_no_sms(self):
        self.env["phone.blacklist"].create({"number": "+84988123456"})
        run = self.send()
        statement = self.statement_of(self.investor_tuan, run)
        self.assertRecordValues(statement, [{"state": "skipped", "sms_state": "skipped"}])
        self.assertFalse(self.sms_messages(self.investor_tuan))
        self.assertFalse(self.env["sms.sms"].search([("number", "=", "+84988123456")]))

    def test_statements_are_on_the_customer_timeline(self):
        self.send()
        lines = self.env["pi.timeline"].search([("partner_id", "=", self.investor_hung.id)])
        statement_message = self.email_messages(self.investor_hung) | self.sms_messages(self.investor_hung)
        self.assertEqual(set(lines.filtered(lambda line: line.message_id in statement_message).mapped("kind")),
                         {"email", "sms"})


@tagged("pi_contracts")
class TestPiStatementSms(PiStatementCommon):
    def test_sms_text_is_vietnamese_and_compact(self):
        run = self.make_run()
        with self.mock_mail_gateway():
            run.action_send()
        statement = self.statement_of(self.investor_tuan, run)
        body = self.env["sms.sms"].search([("mail_message_id", "=", statement.sms_message_id.id)]).body
        value = self.contract_minh.compute_payout(WEEK_END)["payout"]
        self.assertTrue(body.startswith("Kính gửi Anh Tuấn: sao kê 23/11-29/11, giá trị "), body)
        self.assertIn(f"{value / 1e9:.2f}".replace(".", ",").rstrip("0") + " tỷ", body)

    def test_longest_realistic_sms_fits_two_segments(self):
        """A woman with a long given name, three large contracts, the widest week label."""
        investor = create_investor(self.env, "Nguyễn Thị Phượng", self.consultant_lan, pi_gender="female",
                                   mobile="+84901234567", pi_statement_channel="sms")
        contracts = self.env["pi.investment.contract"].create([{
            "partner_id": investor.id, "product_id": self.product.id, "principal": principal,
            "date_start": self.start} for principal in (45_000_000_000, 38_500_000_000, 39_900_000_000)])
        contracts.action_activate()
        run = self.make_run(datetime.date(2027, 1, 3))
        with self.mock_mail_gateway():
            run.action_send()
        statement = self.statement_of(investor, run)
        body = self.env["sms.sms"].search([("mail_message_id", "=", statement.sms_message_id.id)]).body
        self.assertIn("Chị Phượng", body)
        self.assertIn("28/12-03/01", body)
        self.assertLessEqual(segments(body), 2, f"Unicode: {body}")
        plain = strip_diacritics(body)  # what PI's gateway sends when Unicode is off
        self.assertEqual(encoding(plain), "gsm", plain)
        self.assertLessEqual(segments(plain), 2, plain)
        self.assertIn(" ty", plain)
