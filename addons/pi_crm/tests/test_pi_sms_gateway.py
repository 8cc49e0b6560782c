import datetime
from unittest.mock import patch
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.sms.tools.sms_api import SmsApi

from ..models.iap_account import IAP_SERVICE_PARAM
from ..models.pi_sms_provider import TIMEOUT_PARAM
from ..models.sms_sms import PiSmsApi
from .fake_esms import reset_fake_esms, start_fake_esms


@tagged("post_install", "-at_install", "pi_sms")
class TestPiSmsGateway(HttpCase):
    """Issue 14 item 1: PI's own SMS gateway (eSMS.vn), with a fake eSMS on
    loopback. Odoo's test classes block outgoing HTTP except to 127.0.0.1 and
    localhost (``BaseCase._request_handler``), so the fake needs nothing lifted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = start_fake_esms(cls)
        cls.endpoint = cls.server.endpoint
        cls.env["ir.config_parameter"].sudo().set_param(TIMEOUT_PARAM, "5")

        groups = "base.group_user,pi_crm.group_pi_"
        cls.consultant = new_test_user(cls.env, login="sms_tv", groups=groups + "consultant")
        cls.manager = new_test_user(cls.env, login="sms_ql", groups=groups + "manager")
        cls.pi_admin = new_test_user(cls.env, login="sms_qt", groups=groups + "admin")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Lê Văn Hùng", "mobile": "+84912345678", "user_id": cls.consultant.id}
        )
        cls.provider = cls.env["pi.sms.provider"].with_user(cls.pi_admin).create({
            "name": "eSMS PI",
            "endpoint": cls.endpoint,
            "new_api_key": "API-KEY-1",
            "new_secret_key": "SECRET-1",
            "brandname": "PASSION",
        }).sudo()
        cls.other_company = cls.env["res.company"].create({"name": "PI Hà Nội"})
        cls.other_provider = cls.env["pi.sms.provider"].create({
            "name": "eSMS Hà Nội",
            "endpoint": cls.endpoint,
            "company_id": cls.other_company.id,
        })

    def setUp(self):
        super().setUp()
        reset_fake_esms(self.server)

    def _sms(self, number="+84912345678", body="Chúc mừng sinh nhật Anh Hùng"):
        return self.env["sms.sms"].create({"number": number, "body": body})

    def _report(self, token, **params):
        response = self.url_open(f"/pi/sms/dlr/{token}?{urlencode(params)}")
        self.env.invalidate_all()
        return response

    # ------------------------------------------------------------ sending
    def test_exact_request(self):
        sms = self._sms()
        sms.send(unlink_sent=False)
        self.assertEqual(self.server.received, [{
            "ApiKey": "API-KEY-1",
            "SecretKey": "SECRET-1",
            "Phone": "0912345678",
            "Content": "Chuc mung sinh nhat Anh Hung",
            "Brandname": "PASSION",
            "SmsType": "2",
            "IsUnicode": "0",
            "Sandbox": "0",
            "RequestId": sms.uuid,
            "CallbackUrl": f"{self.base_url()}/pi/sms/dlr/{self.provider.dlr_token}",
        }])
        self.assertRecordValues(sms, [{
            "state": "pending", "failure_type": False, "pi_sms_provider_id": self.provider.id,
            "pi_provider_ref": "esms-1",
        }])

    def test_unicode_and_sandbox(self):
        self.provider.write({"unicode": True, "sandbox": True, "sms_type": "1"})
        self._sms().send()
        self.assertEqual(
            {key: self.server.received[0][key] for key in ("Content", "IsUnicode", "Sandbox", "SmsType")},
            {"Content": "Chúc mừng sinh nhật Anh Hùng", "IsUnicode": "1", "Sandbox": "1", "SmsType": "1"},
        )

    def test_answer_codes(self):
        expected = {
            "108": "sms_number_format",
            "99": "sms_blacklist",
            "101": "sms_acc",
            "104": "sms_acc",
            "140": "sms_acc",
            "103": "sms_credit",
            "146": "sms_server",
            "177": "sms_server",
        }
        for code, failure_type in expected.items():
            with self.subTest(code=code):
                self.server.codes = {"0912345678": code}
                sms = self._sms()
                sms.send(unlink_failed=False)
                self.assertRecordValues(sms, [{"state": "error", "failure_type": failure_type}])
                self.assertTrue(sms.pi_failure_reason)
        self.assertEqual(sms.pi_failure_reason, self.env["pi.sms.provider"]._pi_failure_reason("other", "177"))

    def test_chatter_sms_and_reason_staff_can_read(self):
        """A chatter SMS: its notification shows the gateway's outcome."""
        self.server.codes = {"0912345678": "146"}
        message = self.customer._message_sms("Kính gửi Anh Hùng", partner_ids=self.customer.ids)
        notification = message.notification_ids
        self.assertEqual(len(self.server.received), 1)
        self.assertEqual(notification.notification_status, "exception")
        self.assertEqual(notification.failure_type, "sms_server")
        self.assertEqual(
            notification.failure_reason, self.env["pi.sms.provider"]._pi_failure_reason("template_not_registered")
        )

    def test_template_through_the_composer_as_a_consultant(self):
        """A consultant sends an SMS template from the customer's chatter: it
        goes through the gateway although they have no right on its settings."""
        template = self.env["sms.template"].create({
            "name": "Sinh nhật",
            "model_id": self.env["ir.model"]._get_id("res.partner"),
            "body": "Chúc mừng sinh nhật {{ object.name }}",
        })
        composer = self.env["sms.composer"].with_user(self.consultant).with_context(
            active_model="res.partner", active_id=self.customer.id
        ).create({"template_id": template.id})
        composer.action_send_sms()
        self.assertEqual(len(self.server.received), 1)
        self.assertEqual(self.server.received[0]["Content"], "Chuc mung sinh nhat Le Van Hung")
        notification = self.env["mail.notification"].search([("sms_number", "=", self.customer.mobile)])
        self.assertEqual(notification.notification_status, "pending")

    def test_mass_sms_and_its_trace(self):
        mailing = self.env["mailing.mailing"].create({
            "subject": "Tết",
            "mailing_type": "sms",
            "body_plaintext": "Chúc mừng năm mới",
            "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
            "mailing_domain": repr([("id", "=", self.customer.id)]),
            "sms_force_send": True,
        })
        # a marketing SMS: sent inside the allowed hours only (Decree 91/2020, test_pi_sms_marketing.py)
        today = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
        with freeze_time(datetime.datetime.combine(today, datetime.time(3))):  # 10:00 in Vietnam
            mailing.action_send_sms()
        trace = mailing.mailing_trace_ids
        self.assertEqual(len(self.server.received), 1)
        self.assertEqual(trace.trace_status, "pending")
        tracker = self.env["sms.tracker"].search([("mailing_trace_id", "=", trace.id)])
        self.assertEqual(tracker.pi_sms_provider_id, self.provider)
        self._report(self.provider.dlr_token, RequestId=tracker.sms_uuid, SendStatus="5")
        self.assertEqual(trace.trace_status, "sent")

    def test_not_vietnamese_number_is_not_sent(self):
        sms = self._sms(number="+33612345678")
        sms.send(unlink_failed=False)
        self.assertFalse(self.server.received)
        self.assertRecordValues(sms, [{"state": "error", "failure_type": "sms_number_format"}])

    def test_timeout_then_retry_delivers_once(self):
        self.env["ir.config_parameter"].sudo().set_param(TIMEOUT_PARAM, "0.3")
        self.server.delay = 1.5
        sms = self._sms()
        self.env["sms.sms"]._process_queue(ids=sms.ids)  # the queue's cron
        self.assertEqual(sms.state, "outgoing", "not lost: queued for the next run")
        self.env["sms.sms"]._process_queue(ids=sms.ids)
        self.assertEqual(sms.state, "pending")
        self.assertEqual([body["RequestId"] for body in self.server.received], [sms.uuid, sms.uuid])
        self.assertEqual(list(self.server.accepted), [sms.uuid], "the gateway took it once")

    def test_unreachable_gateway_keeps_the_batch_queued(self):
        self.provider.endpoint = "http://127.0.0.1:9"  # discard port: nothing listens
        sms = self._sms() | self._sms(number="0988123456")
        sms.send()
        self.assertEqual(sms.mapped("state"), ["outgoing", "outgoing"])
        self.assertFalse(sms.mapped("to_delete")[0])

    def test_company_without_provider_keeps_stock_iap(self):
        self.provider.active = False
        self.env["ir.config_parameter"].sudo().set_param(IAP_SERVICE_PARAM % "sms", "True")
        sms = self._sms()
        with patch.object(SmsApi, "_send_sms_batch", return_value=[{"uuid": sms.uuid, "state": "success"}]) as iap:
            sms.send(unlink_sent=False)
        iap.assert_called_once()
        self.assertEqual(iap.call_args.args[0],
                         [{"content": sms.body, "numbers": [{"number": sms.number, "uuid": sms.uuid}]}])
        self.assertFalse(self.server.received)
        self.assertRecordValues(sms, [{"state": "pending", "pi_sms_provider_id": False}])

    def test_split_by_api_hook(self):
        """Today's 18.0: ``send`` asks ``_split_by_api`` for (api, records) and
        calls each batch's ``_send`` with the api in the context."""
        sms = self._sms()
        ((sms_api, records),) = list(sms._split_by_api())
        self.assertIsInstance(sms_api, PiSmsApi)
        self.assertEqual((sms_api.provider, records), (self.provider, sms))
        records.with_context(sms_api=sms_api)._send(unlink_sent=False)
        self.assertEqual(sms.state, "pending")
        self.assertEqual([body["RequestId"] for body in self.server.received], [sms.uuid])

    def test_provider_per_company(self):
        """An SMS of the second company goes through that company's provider."""
        message = self.env["mail.message"].create({
            "model": "res.partner", "res_id": self.customer.id, "record_company_id": self.other_company.id,
        })
        sms = self.env["sms.sms"].create({"number": "0912345678", "body": "x", "mail_message_id": message.id})
        sms.send(unlink_sent=False)
        self.assertEqual(sms.pi_sms_provider_id, self.other_provider)

    # ------------------------------------------------------------ delivery reports
    def _chatter_sms(self):
        message = self.customer._message_sms("Kính gửi Anh Hùng", partner_ids=self.customer.ids)
        tracker = self.env["sms.tracker"].search([("mail_notification_id", "in", message.notification_ids.ids)])
        self.assertEqual(tracker.pi_sms_provider_id, self.provider)
        self.assertEqual(message.notification_ids.notification_status, "pending")
        return message.notification_ids, tracker

    def test_report_delivered(self):
        notification, tracker = self._chatter_sms()
        response = self._report(
            self.provider.dlr_token, RequestId=tracker.sms_uuid, SMSID=tracker.pi_provider_ref, SendStatus="5",
            SendSuccess="1", SendFailed="0", phonenumber="0912345678",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(notification.notification_status, "sent")

    def test_report_refused(self):
        notification, tracker = self._chatter_sms()
        response = self._report(self.provider.dlr_token, RequestId=tracker.sms_uuid, SendStatus="4")
        self.assertEqual(response.status_code, 200)
        self.assertRecordValues(notification, [{"notification_status": "exception",
                                                "failure_type": "sms_not_delivered"}])
        self.assertTrue(notification.failure_reason)

    def test_report_on_a_kept_sms(self):
        sms = self._sms()
        sms.send(unlink_sent=False)
        self._report(self.provider.dlr_token, RequestId=sms.uuid, SendStatus="5")
        self.assertEqual(sms.state, "sent")

    def test_report_wrong_token_and_bad_input(self):
        notification, tracker = self._chatter_sms()
        response = self._report("not-the-token", RequestId=tracker.sms_uuid, SendStatus="5")
        self.assertEqual(response.status_code, 404)
        for params in ({}, {"RequestId": tracker.sms_uuid}, {"RequestId": "x'; --", "SendStatus": "5"},
                       {"RequestId": tracker.sms_uuid, "SendStatus": "abc"}):
            with self.subTest(params=params):
                response = self._report(self.provider.dlr_token, **params)
                self.assertEqual(response.status_code, 400)
                self.assertTrue(response.json()["message"])
        self.assertEqual(notification.notification_status, "pending")

    def test_report_cannot_touch_another_providers_sms(self):
        notification, tracker = self._chatter_sms()
        response = self._report(self.other_provider.dlr_token, RequestId=tracker.sms_uuid, SendStatus="4")
        self.assertEqual(response.status_code, 404)
        response = self._report(self.provider.dlr_token, RequestId=tracker.sms_uuid, SMSID="esms-999", SendStatus="4")
        self.assertEqual(response.status_code, 404, "the gateway id must match too")
        self.assertEqual(notification.notification_status, "pending")

    def test_report_cannot_touch_an_iap_sms(self):
        self.provider.active = False
        self.env["ir.config_parameter"].sudo().set_param(IAP_SERVICE_PARAM % "sms", "True")
        sms = self._sms()
        with patch.object(SmsApi, "_send_sms_batch", return_value=[{"uuid": sms.uuid, "state": "success"}]):
            sms.send(unlink_sent=False)
        self.provider.active = True
        response = self._report(self.provider.dlr_token, RequestId=sms.uuid, SendStatus="5")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(sms.state, "pending")

    # ------------------------------------------------------------ who may do what
    def test_keys_are_for_the_system_only(self):
        for user in (self.consultant, self.manager, self.pi_admin):
            with self.subTest(user=user.login):
                provider = self.provider.with_user(user)
                for field in ("api_key", "secret_key", "dlr_token"):
                    with self.assertRaises(AccessError):
                        provider.read([field])
                    with self.assertRaises(AccessError):
                        provider.search([(field, "like", "A")])
        as_admin = self.provider.with_user(self.pi_admin)
        self.assertRecordValues(as_admin, [{"new_api_key": False, "new_secret_key": False, "keys_set": True}])
        as_admin.new_api_key = "API-KEY-2"
        self.assertEqual(self.provider.api_key, "API-KEY-2")
        self.assertEqual(self.provider.secret_key, "SECRET-1")

    def test_staff_cannot_create_change_or_test_a_provider(self):
        for user in (self.consultant, self.manager):
            with self.subTest(user=user.login):
                Provider = self.env["pi.sms.provider"].with_user(user)
                with self.assertRaises(AccessError):
                    Provider.create({"name": "Mine", "endpoint": "https://evil.example"})
                with self.assertRaises(AccessError):
                    self.provider.with_user(user).write({"endpoint": "https://evil.example"})
                with self.assertRaises(AccessError):
                    self.provider.with_user(user).new_api_key = "stolen"
                with self.assertRaises(AccessError):
                    self.provider.with_user(user).search_read([], ["name"])
                with self.assertRaises(AccessError):
                    self.provider.with_user(user).action_send_test_sms()
        self.assertFalse(self.server.received)
        self.assertEqual(self.provider.endpoint, self.endpoint)

    def test_admin_sends_test_sms(self):
        provider = self.provider.with_user(self.pi_admin)
        provider.test_number = "0912 345 678"
        action = provider.action_send_test_sms()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(len(self.server.received), 1)
        self.assertEqual(self.server.received[0]["Phone"], "0912345678")
