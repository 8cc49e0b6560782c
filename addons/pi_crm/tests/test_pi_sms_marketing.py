import datetime
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from ..models.pi_sms_provider import TIMEOUT_PARAM
from ..models.sms_sms import HOURS_PARAM, OPT_OUT_PARAM
from .common import pi_user
from .fake_esms import reset_fake_esms, start_fake_esms

VN = ZoneInfo("Asia/Ho_Chi_Minh")
OPT_OUT = "Tu choi QC soan TC gui 8079"


@tagged("post_install", "-at_install", "pi_sms", "pi_campaign")
class TestPiSmsMarketing(HttpCase):
    """Issue 15 item 4, Decree 91/2020/NĐ-CP: marketing SMS (from SMS Marketing
    mailings) start with [QC] and end with the opt-out instruction, leave only
    inside the allowed hours (held, then sent when the window opens), at most 3
    a day per number, never to a blacklisted number; care SMS are never held.
    Through PI's gateway against the fake eSMS on loopback.

    The clock is frozen on today's date in Vietnam (the database's own clock,
    which stamps the traces, is not frozen: the tests keep to its date)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = start_fake_esms(cls)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param(TIMEOUT_PARAM, "5")
        params.set_param(OPT_OUT_PARAM, OPT_OUT)
        params.set_param(HOURS_PARAM, "07:00-22:00")
        cls.manager = pi_user(cls.env, "manager", "test_smsmkt_ql")
        cls.pi_admin = pi_user(cls.env, "admin", "test_smsmkt_qt")
        cls.provider = cls.env["pi.sms.provider"].with_user(cls.pi_admin).create({
            "name": "eSMS PI", "endpoint": cls.server.endpoint, "new_api_key": "AK", "new_secret_key": "SK",
            "brandname": "PASSION",
        })
        Partner = cls.env["res.partner"]
        cls.hung = Partner.create({"name": "Lê Văn Hùng", "pi_gender": "male", "mobile": "+84912345678"})
        cls.lan = Partner.create({"name": "Nguyễn Thị Lan", "pi_gender": "female", "mobile": "+84988123456"})
        cls.today = datetime.datetime.now(VN).date()
        cls.cron = cls.env.ref("sms.ir_cron_sms_scheduler_action")

    def setUp(self):
        super().setUp()
        reset_fake_esms(self.server)

    def _at(self, hour, minute=0, days=0):
        """freeze_time at ``hour:minute`` in Vietnam, ``days`` after today."""
        local = datetime.datetime.combine(self.today + datetime.timedelta(days=days), datetime.time(hour, minute))
        return freeze_time(local.replace(tzinfo=VN).astimezone(datetime.UTC).replace(tzinfo=None))

    def _utc(self, hour, days=0):
        local = datetime.datetime.combine(self.today + datetime.timedelta(days=days), datetime.time(hour))
        return local.replace(tzinfo=VN).astimezone(datetime.UTC).replace(tzinfo=None)

    def _queue(self, partners, body="{{ object.pi_salutation }} ơi, PI có quà Tết"):
        """A manager's SMS mailing to ``partners``, queued (not yet sent); its SMS."""
        mailing = self.env["mailing.mailing"].with_user(self.manager).create({
            "subject": "Quà Tết", "mailing_type": "sms", "body_plaintext": body,
            "mailing_model_id": self.env["ir.model"]._get("res.partner").id,
            "mailing_domain": repr([("id", "in", partners.ids)]),
        })
        mailing.with_user(self.manager).action_send_sms()
        return self.env["sms.sms"].search([("mailing_id", "=", mailing.id)])

    def _run_queue(self):
        self.env["sms.sms"]._process_queue()
        self.env.invalidate_all()

    def _received(self):
        return [(body["Phone"], body["Content"]) for body in self.server.received]

    def test_qc_prefix_and_opt_out(self):
        with self._at(10):
            sms = self._queue(self.hung)
            self.assertTrue(sms.body.startswith("[QC] Anh Hùng ơi"))
            self.assertTrue(sms.body.endswith(OPT_OUT))
            self._run_queue()
        self.assertEqual(self._received(), [("0912345678", f"[QC] Anh Hung oi, PI co qua Tet\n{OPT_OUT}")])

    def test_held_outside_hours_then_sent_when_they_open(self):
        with self._at(22, 30):
            sms = self._queue(self.hung | self.lan)
            self._run_queue()
            self.assertEqual(self._received(), [])
            self.assertEqual(set(sms.mapped("state")), {"outgoing"}, "held, not failed nor dropped")
            self.assertEqual(set(sms.mapped("pi_held_until")), {self._utc(7, days=1)})
            self.assertTrue(self.env["ir.cron.trigger"].search(
                [("cron_id", "=", self.cron.id), ("call_at", "=", self._utc(7, days=1))]))
        with self._at(6, 59, days=1):
            self._run_queue()
            self.assertEqual(self._received(), [])
        with self._at(7, 0, days=1):
            self._run_queue()
        self.assertEqual(sorted(phone for phone, _text in self._received()), ["0912345678", "0988123456"])
        self.assertFalse(sms.exists().filtered(lambda s: s.state == "outgoing"))

    def test_before_the_window_waits_for_the_same_morning(self):
        with self._at(5):
            sms = self._queue(self.hung)
            self._run_queue()
            self.assertEqual(sms.pi_held_until, self._utc(7))
            self.assertEqual(self._received(), [])
        with self._at(7, 5):
            self._run_queue()
        self.assertEqual(len(self._received()), 1)

    def test_at_most_three_a_day_per_number(self):
        with self._at(10):
            batches = [self._queue(self.hung, body=f"Tin {index}") for index in range(4)]
            self._run_queue()
            self.assertEqual([text.split("\n")[0] for _phone, text in self._received()],
                             ["[QC] Tin 0", "[QC] Tin 1", "[QC] Tin 2"])
            fourth = batches[3]
            self.assertEqual(fourth.state, "outgoing")
            self.assertEqual(fourth.pi_held_until, self._utc(7, days=1))
            # a fifth later the same day waits too; another number is not affected
            fifth = self._queue(self.hung | self.lan, body="Tin 4")
            self._run_queue()
            self.assertEqual(len(self._received()), 4)
            self.assertEqual(self._received()[-1][0], "0988123456")
            self.assertEqual(fifth.filtered(lambda s: s.number == "+84912345678").state, "outgoing")
        reset_fake_esms(self.server)
        with self._at(8, days=1):
            self._run_queue()
        self.assertEqual(sorted(text.split("\n")[0] for _phone, text in self._received()),
                         ["[QC] Tin 3", "[QC] Tin 4"])

    def test_blacklisted_number_never_gets_marketing(self):
        with self._at(23):
            sms = self._queue(self.hung | self.lan)
            self._run_queue()  # held for the night
        self.env["phone.blacklist"].sudo().add("+84912345678")
        with self._at(9, days=1):
            self._run_queue()
        self.assertEqual([phone for phone, _text in self._received()], ["0988123456"])
        hung_sms = sms.filtered(lambda s: s.number == "+84912345678")
        self.assertRecordValues(hung_sms, [{"state": "canceled", "failure_type": "sms_blacklist"}])
        trace = self.env["mailing.trace"].search([("sms_number", "=", "+84912345678"), ("res_id", "=", self.hung.id)])
        self.assertEqual(trace.trace_status, "cancel")
        # blacklisted before queuing: stock cancels it at once
        with self._at(10, days=1):
            again = self._queue(self.hung)
            self._run_queue()
        self.assertEqual(again.state, "canceled")
        self.assertEqual(len(self._received()), 1)

    def test_care_sms_never_held(self):
        with self._at(23, 30):
            held = self._queue(self.hung)
            care = self.env["sms.sms"].create({"number": "+84912345678", "body": "Sao kê tuần: 1,65 tỷ"})
            self.hung._message_sms("Chúc mừng sinh nhật Anh Hùng")
            self._run_queue()
            self.assertEqual(held.state, "outgoing")
        contents = [text for _phone, text in self._received()]
        self.assertEqual(sorted(contents), ["Chuc mung sinh nhat Anh Hung", "Sao ke tuan: 1,65 ty"])
        self.assertFalse(care.exists().filtered(lambda s: s.state == "outgoing"))
        self.assertFalse(any(text.startswith("[QC]") for text in contents))

    def test_marketing_sms_logged_on_the_timeline(self):
        with self._at(10):
            self._queue(self.hung)
        note = self.hung.message_ids.filtered(lambda message: message.pi_care_kind == "marketing")
        self.assertEqual(len(note), 1)
        self.assertEqual(note.message_type, "sms")
