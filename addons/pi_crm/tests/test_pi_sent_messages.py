from urllib.parse import urlencode

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.mail.tests.common import MockEmail

from ..models.pi_sms_provider import TIMEOUT_PARAM
from .common import ensure_vietnamese, pi_user
from .fake_esms import reset_fake_esms, start_fake_esms


@tagged("post_install", "-at_install", "pi_sms", "pi_sent_messages")
class TestPiSentMessages(MockEmail, HttpCase):
    """Issue 14 item 4, "Tin đã gửi": e-mails and SMS to customers with their state,
    through PI's gateway (a fake eSMS on loopback, ``fake_esms.py``).

        consultant Lan ── customer Hùng (+84912345678, hung@example.vn)
        consultant Minh ── customer Tuấn (+84988123456)
        manager Hà ── sees both; investor Hùng (portal) ── sees nothing
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_vietnamese(cls.env, ("mail", "sms", "pi_crm"))  # the terms the view shows
        cls.server = start_fake_esms(cls)
        cls.env["ir.config_parameter"].sudo().set_param(TIMEOUT_PARAM, "5")
        cls.lan = pi_user(cls.env, "consultant", "sent_tv_lan", name="Nguyễn Thị Lan", lang="vi_VN")
        cls.minh = pi_user(cls.env, "consultant", "sent_tv_minh", name="Trần Văn Minh", lang="vi_VN")
        cls.manager = pi_user(cls.env, "manager", "sent_ql_ha", name="Phạm Thu Hà", lang="vi_VN")
        Partner = cls.env["res.partner"]
        cls.hung = Partner.create({"name": "Lê Văn Hùng", "mobile": "+84912345678", "email": "hung@example.vn",
                                   "user_id": cls.lan.id, "lang": "vi_VN"})
        cls.tuan = Partner.create({"name": "Hoàng Anh Tuấn", "mobile": "+84988123456", "email": "tuan@example.vn",
                                   "user_id": cls.minh.id, "lang": "vi_VN"})
        cls.investor = pi_user(cls.env, "investor", "sent_ndt_hung", partner_id=cls.hung.id, name=cls.hung.name,
                               email=cls.hung.email)
        cls.provider = cls.env["pi.sms.provider"].create(
            {"name": "eSMS PI", "endpoint": cls.server.endpoint, "brandname": "PASSION"})
        cls.tet = cls.env.ref("pi_crm.greeting_occasion_lunar_new_year")

    def setUp(self):
        super().setUp()
        reset_fake_esms(self.server)

    # ------------------------------------------------------------ helpers
    def _sms(self, customer, body="Kính gửi Anh Hùng", user=None, **care):
        """A chatter SMS to ``customer``, sent now as ``user`` (their consultant)."""
        user = user or customer.user_id
        message = customer.with_user(user)._message_sms(body, partner_ids=customer.ids)
        if care:  # what the greeting and statement senders write on their messages
            message.sudo().write(care)
        return self._line(message)

    def _email(self, customer, subject="Sao kê tuần"):
        """A chatter e-mail to ``customer``, left in the queue."""
        message = customer.with_user(customer.user_id).with_context(mail_notify_force_send=False).message_post(
            body="<p>Kính gửi Anh Hùng</p>", subject=subject, partner_ids=customer.ids,
            message_type="comment", subtype_xmlid="mail.mt_comment")
        return self._line(message)

    def _line(self, message):
        line = self.env["pi.sent.message"].search([("message_id", "=", message.id)])
        self.assertEqual(len(line), 1, "one line per customer notified")
        return line

    def _report(self, **params):
        response = self.url_open(f"/pi/sms/dlr/{self.provider.dlr_token}?{urlencode(params)}")
        self.env.invalidate_all()
        return response

    def _vi(self, line, field):
        """``field`` of ``line`` as a Vietnamese user reads it (selections in words)."""
        line = line.with_context(lang="vi_VN")
        return dict(line._fields[field]._description_selection(line.env)).get(line[field])

    # ------------------------------------------------------------ what the list shows
    def test_chatter_sms_through_the_gateway(self):
        line = self._sms(self.hung)
        self.assertEqual(len(self.server.received), 1)
        self.assertRecordValues(line, [{
            "partner_id": self.hung.id, "user_id": self.lan.id, "channel": "sms", "recipient": "+84912345678",
            "summary": "Kính gửi Anh Hùng", "state": "sent", "failure_type": False, "res_model": "res.partner",
            "res_id": self.hung.id,
        }])
        self.assertEqual(self._vi(line, "state"), "Đã gửi", "accepted by the gateway, not delivered yet")

    def test_delivery_report_turns_it_delivered(self):
        line = self._sms(self.hung)
        tracker = self.env["sms.tracker"].search([("mail_notification_id", "=", line.notification_id.id)])
        response = self._report(RequestId=tracker.sms_uuid, SMSID=tracker.pi_provider_ref, SendStatus="5")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(line.state, "delivered")
        self.assertEqual(self._vi(line, "state"), "Đã nhận")

    def test_queued_email(self):
        line = self._email(self.hung)
        self.assertRecordValues(line, [{
            "channel": "email", "recipient": "hung@example.vn", "summary": "Sao kê tuần", "state": "queued",
            "user_id": self.lan.id,
        }])
        self.assertEqual(self._vi(line, "state"), "Đang chờ")

    def test_failed_sms_and_its_reason_in_vietnamese(self):
        self.server.codes = {"0912345678": "103"}
        line = self._sms(self.hung)
        self.assertRecordValues(line, [{"state": "failed", "failure_type": "sms_credit"}])
        self.assertEqual(self._vi(line, "state"), "Lỗi")
        self.assertEqual(self._vi(line, "failure_type"), "Không đủ tín dụng")
        self.assertEqual(line.failure_reason, "Tài khoản cổng SMS đã hết tiền.")

    def test_staff_recipients_are_not_customer_messages(self):
        message = self.hung.with_user(self.lan).message_post(
            body="Ghi chú", partner_ids=(self.hung | self.minh.partner_id).ids, message_type="comment",
            subtype_xmlid="mail.mt_comment")
        lines = self.env["pi.sent.message"].search([("message_id", "=", message.id)])
        self.assertEqual(lines.partner_id, self.hung)

    def test_filters_by_purpose_and_occasion(self):
        greeting = self._sms(self.hung, pi_care_kind="greeting", pi_greeting_occasion_id=self.tet.id)
        statement = self._sms(self.hung, body="Sao kê", pi_care_kind="statement")
        plain = self._sms(self.hung, body="Hẹn gặp")
        Line = self.env["pi.sent.message"].with_user(self.lan)
        mine = [("id", "in", (greeting | statement | plain).ids)]
        self.assertEqual(Line.search(mine + [("care_kind", "=", "greeting")]), greeting)
        self.assertEqual(Line.search(mine + [("occasion_id", "=", self.tet.id)]), greeting)
        self.assertEqual(Line.search(mine + [("care_kind", "=", "statement")]), statement)
        groups = Line.read_group(mine, ["care_kind"], ["care_kind"])
        self.assertEqual({g["care_kind"]: g["care_kind_count"] for g in groups},
                         {"greeting": 1, "statement": 1, False: 1})
        self.assertEqual(self._vi(greeting, "care_kind"), "Lời chúc")

    def test_list_reads_in_a_fixed_number_of_queries(self):
        """The list's page: the view's rows, then one query per linked model, whatever the rows."""
        fields = ["date", "partner_id", "channel", "recipient", "summary", "state", "failure_type",
                  "failure_reason", "care_kind", "occasion_id", "user_id"]
        Line = self.env["pi.sent.message"].with_user(self.manager)
        Line.search_read([], fields, limit=2)  # warm the caches (rules, translations)
        counts = []
        for bodies in (("Một", "Hai"), ("Ba", "Bốn", "Năm", "Sáu", "Bảy")):
            for body in bodies:
                self._sms(self.hung, body=body, pi_care_kind="greeting", pi_greeting_occasion_id=self.tet.id)
                self._sms(self.tuan, body=body)
            self._email(self.hung)
            self.env.invalidate_all()
            with self.assertQueryCount(5):  # the rows, then the names of customers, consultants, occasions
                rows = Line.search_read([], fields, limit=80)
            counts.append(len(rows))
        self.assertGreaterEqual(counts[1], counts[0] + 11)

    # ------------------------------------------------------------ retry
    def test_retry_failed_sms_sends_once(self):
        self.server.codes = {"0912345678": "103"}
        line = self._sms(self.hung)
        self.server.codes = {}
        result = line.with_user(self.lan).action_retry()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(len(self.server.received), 2, "the first try, then the retry")
        self.assertNotEqual(self.server.received[0]["RequestId"], self.server.received[1]["RequestId"],
                            "a new SMS: the gateway refused the first one")
        self.env.invalidate_all()  # the lines are a view over what the retry wrote
        self.assertRecordValues(line, [{"state": "sent", "failure_type": False, "failure_reason": False}])
        self.assertEqual(len(line.notification_id.sms_tracker_ids.filtered("pi_sms_provider_id")), 2)
        old = self.env["sms.sms"].search([("uuid", "=", self.server.received[0]["RequestId"])])
        self.assertTrue(old.to_delete, "the refused SMS cannot be retried from the SMS list as well")

        result = line.with_user(self.lan).action_retry()
        self.assertEqual(len(self.server.received), 2, "a second retry sends nothing")
        self.assertEqual(result["params"]["type"], "warning")

    def test_retry_counts_what_it_did(self):
        self.server.codes = {"0912345678": "103"}
        failed = self._sms(self.hung)
        sent = self._sms(self.tuan, body="Đã gửi rồi")
        self.server.codes = {}
        result = (failed | sent).with_user(self.manager).action_retry()
        self.assertEqual(len(self.server.received), 3)
        self.assertIn("1", result["params"]["message"])
        self.env.invalidate_all()
        self.assertEqual(failed.state, "sent")
        self.assertEqual(sent.state, "sent")

    def test_retry_sms_failing_again_says_so(self):
        self.server.codes = {"0912345678": "103"}
        line = self._sms(self.hung)
        result = line.with_user(self.lan).action_retry()
        self.assertEqual(len(self.server.received), 2)
        self.assertEqual(result["params"]["type"], "warning")
        self.env.invalidate_all()
        self.assertEqual(line.state, "failed")

    def test_retry_failed_email(self):
        line = self._email(self.hung)
        notification = line.notification_id.sudo()
        old_mail = notification.mail_mail_id
        old_mail.write({"state": "exception"})
        notification.write({"notification_status": "exception", "failure_type": "mail_smtp"})
        self.env.invalidate_all()  # the line is a view over the notification
        self.assertEqual(line.state, "failed")
        self.assertEqual(self._vi(line, "failure_type"), "Kết nối thất bại (vấn đề máy chủ gửi email)")
        with self.mock_mail_gateway():
            line.with_user(self.lan).action_retry()
        self.assertEqual(len(self._mails), 1)
        self.assertIn("hung@example.vn", self._mails[0]["email_to"][0])
        self.env.invalidate_all()
        self.assertEqual(line.state, "sent")
        self.assertEqual(old_mail.state, "cancel", "the failed e-mail cannot be sent a second time")
        with self.mock_mail_gateway():
            line.with_user(self.lan).action_retry()
        self.assertFalse(self._mails, "not failed any more: nothing sent")

    # ------------------------------------------------------------ who sees what
    def test_consultant_sees_only_own_customers(self):
        hung = self._sms(self.hung)
        tuan = self._sms(self.tuan)
        both = [("id", "in", (hung | tuan).ids)]
        as_lan = self.env["pi.sent.message"].with_user(self.lan)
        self.assertEqual([r["id"] for r in as_lan.search_read(both, ["summary"])], hung.ids)
        with self.assertRaises(AccessError):
            tuan.with_user(self.lan).read(["summary"])
        as_manager = self.env["pi.sent.message"].with_user(self.manager)
        self.assertEqual(as_manager.search(both), hung | tuan)
        # over JSON-RPC, as the web client's list reads it
        for login, expected in (("sent_tv_lan", hung.ids), ("sent_ql_ha", (hung | tuan).ids)):
            self.authenticate(login, login)
            rows = self.make_jsonrpc_request("/web/dataset/call_kw/pi.sent.message/search_read", {
                "model": "pi.sent.message", "method": "search_read", "args": [both, ["summary", "partner_id"]],
                "kwargs": {}})
            self.assertEqual(sorted(row["id"] for row in rows), sorted(expected), login)

    def test_consultant_cannot_retry_a_colleagues_row(self):
        self.server.codes = {"0988123456": "103"}
        tuan = self._sms(self.tuan)
        self.server.codes = {}
        with self.assertRaises(AccessError):
            tuan.with_user(self.lan).action_retry()
        # over JSON-RPC, as the web client or a script calls it
        self.authenticate("sent_tv_lan", "sent_tv_lan")
        with self.assertRaises(JsonRpcException) as refused:
            self.make_jsonrpc_request("/web/dataset/call_kw/pi.sent.message/action_retry", {
                "model": "pi.sent.message", "method": "action_retry", "args": [tuan.ids], "kwargs": {}})
        self.assertIn("AccessError", str(refused.exception))
        self.assertEqual(len(self.server.received), 1, "only the first, refused try")
        self.env.invalidate_all()
        self.assertEqual(tuan.state, "failed")
        # Minh, his consultant, may
        tuan.with_user(self.minh).action_retry()
        self.assertEqual(len(self.server.received), 2)

    def test_retry_checks_the_document(self):
        """Minh texts Lan's customer Hùng from his own customer's record: Lan sees the line
        (her customer got it) but may not resend from a document she cannot read."""
        self.server.codes = {"0912345678": "103"}
        message = self.tuan.with_user(self.minh)._message_sms("Kính gửi Anh Hùng", partner_ids=self.hung.ids)
        line = self._line(message)
        self.server.codes = {}
        self.assertEqual((line.partner_id, line.user_id), (self.hung, self.lan))
        with self.assertRaises(AccessError):
            line.with_user(self.lan).action_retry()
        self.assertEqual(len(self.server.received), 1)
        line.with_user(self.manager).action_retry()
        self.assertEqual(len(self.server.received), 2)

    def test_line_follows_the_customer(self):
        line = self._sms(self.hung)
        self.hung.user_id = self.minh  # Hùng moves to Minh: so does the line
        self.assertFalse(self.env["pi.sent.message"].with_user(self.lan).search([("id", "=", line.id)]))
        self.assertEqual(self.env["pi.sent.message"].with_user(self.minh).search([("id", "=", line.id)]), line)

    def test_portal_and_public_get_nothing(self):
        line = self._sms(self.hung)
        for user in (self.investor, self.env.ref("base.public_user")):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["pi.sent.message"].with_user(user).search_read([], ["summary"])
                with self.assertRaises(AccessError):
                    line.with_user(user).action_retry()
