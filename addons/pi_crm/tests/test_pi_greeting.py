import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, TransactionCase, freeze_time, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from ..models.pi_sms_provider import TIMEOUT_PARAM
from .common import ensure_vietnamese, pi_user
from .fake_esms import reset_fake_esms, start_fake_esms

D = datetime.date
BIRTHDAY_SMS = ("Kính chúc Anh Hùng sinh nhật vui vẻ, tuổi mới dồi dào sức khỏe, hạnh phúc và thành công. "
                "Trân trọng, Passion Investment")
TET_SMS = ("Xuân mới an khang! Kính chúc Anh Hùng và gia đình năm mới dồi dào sức khỏe, phát tài phát lộc, "
           "vạn sự như ý. Passion Investment")


class PiGreetingCommon(TransactionCase):
    """Consultant Lan's customer Lê Văn Hùng (born 15/03/1980, mobile, e-mail, Vietnamese),
    consultant Minh's customer Trần Thị Mai (born 29/02/1992), the corporate customer
    Minh Long (founded 20/05/2010); the shipped occasions; a fake eSMS gateway on loopback."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_vietnamese(cls.env)
        cls.esms = start_fake_esms(cls)
        cls.env["ir.config_parameter"].sudo().set_param(TIMEOUT_PARAM, "5")
        cls.provider = cls.env["pi.sms.provider"].create({
            "name": "eSMS PI", "endpoint": cls.esms.endpoint, "new_api_key": "K", "new_secret_key": "S",
            "brandname": "PASSION"})
        cls.lan = pi_user(cls.env, "consultant", "greet_tv_lan")
        cls.minh = pi_user(cls.env, "consultant", "greet_tv_minh")
        cls.manager = pi_user(cls.env, "manager", "greet_ql_ha")
        Partner = cls.env["res.partner"]
        cls.hung = Partner.create({
            "name": "Lê Văn Hùng", "pi_gender": "male", "pi_birthdate": "1980-03-15", "mobile": "+84912345678",
            "email": "hung@example.vn", "lang": "vi_VN", "user_id": cls.lan.id})
        cls.mai = Partner.create({
            "name": "Trần Thị Mai", "pi_gender": "female", "pi_birthdate": "1992-02-29", "mobile": "+84988123456",
            "lang": "vi_VN", "user_id": cls.minh.id})
        cls.minh_long = Partner.create({
            "name": "Công ty Minh Long", "is_company": True, "pi_founding_date": "2010-05-20",
            "mobile": "+84903000111", "email": "lienhe@minhlong.vn", "lang": "vi_VN", "user_id": cls.lan.id})
        cls.birthday = cls.env.ref("pi_crm.greeting_occasion_birthday")
        cls.tet = cls.env.ref("pi_crm.greeting_occasion_lunar_new_year")
        cls.founding = cls.env.ref("pi_crm.greeting_occasion_founding")
        # the demo's customers and any others are out of these tests: only ours are dated or greeted
        cls.ours = cls.hung | cls.mai | cls.minh_long
        companies = cls.env["res.company"].search([]).partner_id
        others = Partner.search([("id", "not in", (cls.ours | companies).ids), ("user_ids", "=", False)])
        others.write({"pi_birthdate": False, "pi_founding_date": False, "active": False})

    def setUp(self):
        super().setUp()
        reset_fake_esms(self.esms)

    def _cron(self, date, **kwargs):
        return self.env["pi.greeting.occasion"]._cron_send_greetings(date_ref=date, **kwargs)

    def _logs(self, occasion=None, partner=None):
        domain = [("partner_id", "in", (partner or self.ours).ids)]
        if occasion:
            domain.append(("occasion_id", "=", occasion.id))
        return self.env["pi.greeting.log"].search(domain)

    def _sms(self, occasion, partner):
        messages = self._logs(occasion, partner).message_ids
        return self.env["sms.sms"].search([("mail_message_id", "in", messages.ids)])


@tagged("post_install", "-at_install", "pi_greeting")
class TestPiGreeting(PiGreetingCommon):
    def test_birthday_sends_one_sms_with_the_right_text(self):
        self.assertEqual(self._cron(D(2027, 3, 15)), 1)
        log = self._logs(self.birthday)
        self.assertRecordValues(log, [{"partner_id": self.hung.id, "year": 2027, "state": "sent", "channel": "both"}])
        sms = self._sms(self.birthday, self.hung)
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.body, BIRTHDAY_SMS)
        self.assertEqual(sms.number, "+84912345678")
        # on the customer's timeline, marked as a greeting of this occasion
        sms_message = sms.mail_message_id
        self.assertEqual((sms_message.model, sms_message.res_id), ("res.partner", self.hung.id))
        self.assertEqual(sms_message.pi_care_kind, "greeting")
        self.assertEqual(sms_message.pi_greeting_occasion_id, self.birthday)
        # the email, in Vietnamese, to the customer only
        mail_message = log.message_ids - sms_message
        self.assertEqual(mail_message.subject, "Chúc mừng sinh nhật Anh Hùng!")
        self.assertIn("Kính gửi Anh Hùng", mail_message.body)
        self.assertEqual(mail_message.partner_ids, self.hung)
        self.assertEqual(mail_message.pi_care_kind, "greeting")
        self.assertEqual(self.env["mail.mail"].search([("mail_message_id", "=", mail_message.id)]).recipient_ids,
                         self.hung, "queued for the mail queue")
        # the queue sends it through PI's gateway, once
        sms.send(unlink_sent=False)
        self.assertEqual([body["Phone"] for body in self.esms.received], ["0912345678"])
        self.assertEqual(self.esms.received[0]["Content"],
                         "Kinh chuc Anh Hung sinh nhat vui ve, tuoi moi doi dao suc khoe, hanh phuc va thanh cong. "
                         "Tran trong, Passion Investment")

    def test_every_shipped_sms_fits_two_segments(self):
        occasions = self.env["pi.greeting.occasion"].search([])
        self.assertGreaterEqual(len(occasions), 8)
        for occasion in occasions:
            partner = self.minh_long if occasion.kind == "founding" else self.hung
            body = occasion.sms_template_id._render_field("body", partner.ids, compute_lang=True)[partner.id]
            with self.subTest(occasion=occasion.name):
                self.assertTrue(body.startswith(("Kính", "Xuân", "Chúc", "Nhân", "Mừng", "Trung")), body)
                # two UCS-2 segments (the gateway may send accents); without them 306 characters
                self.assertLessEqual(len(body), 134, body)

    def test_leap_day_birthday_on_28_february_in_common_years(self):
        self._cron(D(2027, 2, 27))
        self.assertFalse(self._logs(self.birthday, self.mai))
        self._cron(D(2027, 2, 28))
        self.assertEqual(self._logs(self.birthday, self.mai).date, D(2027, 2, 28))
        self._cron(D(2027, 3, 1))
        self.assertEqual(len(self._logs(self.birthday, self.mai)), 1)
        # a leap year: the 29th, not the 28th
        self._cron(D(2028, 2, 28))
        self.assertFalse(self._logs(self.birthday, self.mai).filtered(lambda log: log.year == 2028))
        self._cron(D(2028, 2, 29))
        self.assertEqual(self._logs(self.birthday, self.mai).filtered(lambda log: log.year == 2028).date,
                         D(2028, 2, 29))

    def test_lunar_holiday_on_its_solar_date(self):
        self._cron(D(2027, 1, 1))
        self.assertEqual(self.tet.next_date, D(2027, 2, 6), "Tết 2027, refreshed by the cron")
        self.assertEqual(self.env.ref("pi_crm.greeting_occasion_hung_kings").next_date, D(2027, 4, 16))
        self._cron(D(2027, 2, 5))
        self.assertFalse(self._logs(self.tet))
        self._cron(D(2027, 2, 6))
        self.assertEqual(self._logs(self.tet).partner_id, self.ours)
        self.assertEqual(self._sms(self.tet, self.hung).body, TET_SMS)
        self.assertEqual(self.tet.next_date, D(2027, 2, 6))
        self._cron(D(2027, 2, 7))
        self.assertEqual(self.tet.next_date, D(2028, 1, 26))

    def test_founding_day_for_corporate_customers(self):
        self._cron(D(2027, 5, 20))
        log = self._logs(self.founding)
        self.assertEqual(log.partner_id, self.minh_long)
        self.assertIn("Công ty Minh Long", self._sms(self.founding, self.minh_long).body)
        self.assertFalse(self._logs(self.birthday))

    def test_once_a_year_across_runs(self):
        self._cron(D(2027, 3, 15))
        self._cron(D(2027, 3, 15))
        self.assertEqual(len(self._sms(self.birthday, self.hung)), 1)
        self.assertEqual(len(self._logs(self.birthday)), 1)
        # next year again
        self._cron(D(2028, 3, 15))
        self.assertEqual(len(self._logs(self.birthday)), 2)

    def test_batches_then_a_worker_killed_halfway(self):
        day = D(2027, 2, 6)  # Tết: the three customers
        self.assertEqual(self._cron(day, batch_size=1), 1)
        # a worker killed during the next batch: nothing of the batch was committed
        with self.assertRaises(KeyboardInterrupt), self.env.cr.savepoint():
            self._cron(day, batch_size=1)
            self.assertEqual(len(self._logs(self.tet)), 2)
            raise KeyboardInterrupt
        self.assertEqual(len(self._logs(self.tet)), 1)
        self.assertEqual(self._cron(day, batch_size=5), 2)
        self.assertEqual(self._cron(day, batch_size=5), 0)
        logs = self._logs(self.tet)
        self.assertEqual(logs.partner_id, self.ours)
        self.assertEqual(len(self.env["sms.sms"].search([("mail_message_id", "in", logs.message_ids.ids)])), 3)

    def test_one_failure_does_not_stop_the_others(self):
        Occasion = type(self.env["pi.greeting.occasion"])
        original = Occasion._pi_send_greeting_sms

        def flaky(occasion, partner, number):
            if partner == self.mai:
                raise ValueError("gateway refused")
            return original(occasion, partner, number)

        with patch.object(Occasion, "_pi_send_greeting_sms", flaky), mute_logger(
                "odoo.addons.pi_crm.models.pi_greeting_occasion"):
            self._cron(D(2027, 2, 6))
        self.assertRecordValues(self._logs(self.tet, self.mai), [{"state": "failed", "reason": "gateway refused"}])
        self.assertFalse(self._logs(self.tet, self.mai).message_ids, "its messages were rolled back")
        self.assertEqual(len(self._logs(self.tet).filtered(lambda log: log.state == "sent")), 2)
        self._cron(D(2027, 2, 6))
        self.assertEqual(len(self._logs(self.tet)), 3, "tried once a year, whatever happened")

    def test_blacklists_and_missing_contacts(self):
        self.env["phone.blacklist"].sudo().add("+84912345678")
        self._cron(D(2027, 3, 15))
        log = self._logs(self.birthday, self.hung)
        self.assertRecordValues(log, [{"state": "sent", "channel": "email", "reason": "phone blacklisted"}])
        self.assertFalse(self._sms(self.birthday, self.hung))
        self.assertEqual(self.env["mail.mail"].search([("mail_message_id", "in", log.message_ids.ids)]).recipient_ids,
                         self.hung)
        # e-mail blacklisted too: nothing at all
        self.env["mail.blacklist"].sudo()._add("hung@example.vn")
        self._cron(D(2028, 3, 15))
        log = self._logs(self.birthday, self.hung).filtered(lambda log: log.year == 2028)
        self.assertRecordValues(log, [{"state": "skipped", "channel": False}])
        self.assertFalse(log.message_ids)
        # no phone (and the birthday sends SMS and email: no email either)
        self.mai.mobile = False
        self._cron(D(2027, 2, 28))
        self.assertRecordValues(self._logs(self.birthday, self.mai),
                                [{"state": "skipped", "reason": "no mobile phone, no email"}])

    def test_audience_filters(self):
        Partner = type(self.env["res.partner"])

        def stats(partners):
            return {partner.id: {"counts": {"active": 1} if partner == self.hung else {}, "renewal_count": 0,
                                 "total_principal": 0} for partner in partners}

        with patch.object(Partner, "_pi_contract_stats", stats):
            self.ours._pi_recompute_segment()
        self.assertEqual(self.hung.pi_segment, "member")
        self.tet.audience = "investors"
        self._cron(D(2027, 2, 6))
        self.assertEqual(self._logs(self.tet).partner_id, self.hung)
        mid_autumn = self.env.ref("pi_crm.greeting_occasion_mid_autumn")
        mid_autumn.write({"audience": "segment", "segment": "raw"})
        self._cron(D(2027, 9, 15))
        self.assertEqual(self._logs(mid_autumn).partner_id, self.mai | self.minh_long)
        # staff (users' partners) are never greeted
        self.lan.partner_id.write({"pi_birthdate": "1990-03-15", "mobile": "+84911111111"})
        self._cron(D(2027, 3, 15))
        self.assertFalse(self.env["pi.greeting.log"].search([("partner_id", "=", self.lan.partner_id.id)]))

    def test_daily_job_at_8_in_vietnam(self):
        cron = self.env.ref("pi_crm.ir_cron_send_greetings")
        self.assertEqual((cron.interval_number, cron.interval_type, cron.user_id), (1, "days", self.env.ref(
            "base.user_root")))
        self.assertEqual(cron.code.strip(), "model._cron_send_greetings()")
        self.assertEqual((cron.nextcall.hour, cron.nextcall.minute), (1, 0), "01:00 UTC is 08:00 in Vietnam")
        # its "today" is Vietnam's: at 23:30 UTC on 14/03 it is already the 15th there
        with freeze_time("2027-03-14 23:30:00"):
            self.assertEqual(self.env["pi.greeting.occasion"]._pi_today(), D(2027, 3, 15))

    def test_day_and_month_constraints(self):
        Occasion = self.env["pi.greeting.occasion"]
        template = self.tet.sms_template_id
        for values in ({"day": 31, "month": 4}, {"day": 30, "month": 2}, {"day": 1, "month": 13},
                       {"day": 31, "month": 1, "calendar": "lunar"}, {"day": 0, "month": 1}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                Occasion.create(dict({"name": "Lễ", "sms_template_id": template.id}, **values))
        with self.assertRaises(ValidationError):
            Occasion.create({"name": "Sinh nhật", "kind": "birthday", "day": 1, "month": 1,
                             "sms_template_id": template.id})
        with self.assertRaises(ValidationError):
            Occasion.create({"name": "Lễ", "day": 1, "month": 1, "channel": "email", "sms_template_id": template.id})
        women = Occasion.create({"name": "Ngày Phụ nữ Việt Nam", "day": 20, "month": 10,
                                 "sms_template_id": template.id})
        self.assertTrue(women.next_date)
        lunar_30 = Occasion.create({"name": "Tất niên", "calendar": "lunar", "day": 30, "month": 12,
                                    "sms_template_id": template.id})
        self.assertTrue(lunar_30.next_date)


@tagged("post_install", "-at_install", "pi_greeting", "pi_security")
class TestPiGreetingAccess(PiGreetingCommon):
    def test_consultant_reads_but_cannot_change_occasions(self):
        Occasion = self.env["pi.greeting.occasion"].with_user(self.lan)
        self.assertTrue(Occasion.search([("id", "=", self.birthday.id)]))
        with self.assertRaises(AccessError):
            Occasion.create({"name": "Spam", "day": 1, "month": 12, "sms_template_id": self.tet.sms_template_id.id})
        with self.assertRaises(AccessError):
            self.birthday.with_user(self.lan).write({"audience": "all"})
        with self.assertRaises(AccessError):
            self.tet.sms_template_id.with_user(self.lan).write({"body": "Mua ngay!"})

    def test_only_the_job_runs_the_cron(self):
        for user in (self.lan, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["pi.greeting.occasion"].with_user(user)._cron_send_greetings(date_ref=D(2027, 3, 15))
        self.assertFalse(self._logs())

    def test_consultant_reads_only_the_greetings_of_their_customers(self):
        self._cron(D(2027, 2, 6))
        Log = self.env["pi.greeting.log"].with_user(self.lan)
        self.assertEqual(Log.search([("partner_id", "in", self.ours.ids)]).partner_id, self.hung | self.minh_long)
        with self.assertRaises(AccessError):
            self._logs(self.tet, self.mai).with_user(self.lan).read(["partner_id"])
        with self.assertRaises(AccessError):
            self._logs(self.tet, self.hung).with_user(self.lan).write({"state": "skipped"})
        with self.assertRaises(AccessError):
            self._logs(self.tet, self.hung).with_user(self.manager).unlink()

    def test_manager_edits_greeting_templates_with_placeholders_only(self):
        template = self.tet.sms_template_id.with_user(self.manager)
        template.body = "Chúc mừng năm mới {{ object.pi_salutation }}!"
        self.assertEqual(template.body, "Chúc mừng năm mới {{ object.pi_salutation }}!")
        mail = self.birthday.mail_template_id.with_user(self.manager)
        mail.subject = "Mừng sinh nhật {{ object.pi_salutation }}"
        # code is for template editors only: the cron renders as superuser
        with self.assertRaises(AccessError):
            template.body = "{{ object.env['res.users'].sudo().search([]).mapped('login') }}"
        with self.assertRaises(AccessError):
            mail.body_html = '<p t-out="object.env[\'ir.config_parameter\'].sudo().get_param(\'database.secret\')"/>'
        # the other SMS templates stay the administrators'
        other = self.env["sms.template"].create({"name": "Khác", "model_id": self.env.ref("base.model_res_partner").id,
                                                  "body": "Xin chào"})
        with self.assertRaises(AccessError):
            other.with_user(self.manager).body = "Đã sửa"
        # a new occasion of their own, with its template
        new_template = self.env["sms.template"].with_user(self.manager).create({
            "name": "Ngày Phụ nữ", "model_id": self.env.ref("base.model_res_partner").id, "pi_greeting": True,
            "body": "Chúc {{ object.pi_salutation }} 20/10 vui vẻ!"})
        self.env["pi.greeting.occasion"].with_user(self.manager).create(
            {"name": "Ngày Phụ nữ Việt Nam", "day": 20, "month": 10, "sms_template_id": new_template.id})


@tagged("post_install", "-at_install", "pi_greeting", "pi_security")
class TestPiGreetingRpc(HttpCase):
    def test_consultant_cannot_call_the_cron_over_json_rpc(self):
        pi_user(self.env, "consultant", "greet_rpc_tv")
        self.authenticate("greet_rpc_tv", "greet_rpc_tv")
        for method in ("_cron_send_greetings", "_pi_greet"):
            with self.subTest(method=method), self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
                self.make_jsonrpc_request(f"/web/dataset/call_kw/pi.greeting.occasion/{method}", {
                    "model": "pi.greeting.occasion", "method": method, "args": [], "kwargs": {}})
        self.assertFalse(self.env["pi.greeting.log"].search([]))
