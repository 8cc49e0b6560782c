import datetime
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from .cron_crash import WORKER_KILLED, CronCrashMixin, FailAfter
from .test_pi_greeting import PiGreetingCommon

DAY = datetime.date(2027, 3, 15)
LOGGERS = ("odoo.addons.pi_crm.models.pi_greeting_occasion", "odoo.addons.pi_crm.models.ir_cron")


@tagged("post_install", "-at_install", "pi_greeting", "pi_crash")
class TestPiGreetingCrash(CronCrashMixin, PiGreetingCommon):
    """The greetings cron on 15/03/2027, run by a worker two customers per batch over six
    customers born on 15/03 (Hùng and five more): broken halfway, then run again. Each
    customer ends with one greeting log, one SMS and one e-mail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.born_today = cls.hung | cls.env["res.partner"].create([{
            "name": f"Khách Sinh Nhật {index}", "pi_gender": "female", "pi_birthdate": f"19{70 + index}-03-15",
            "mobile": f"+8491234560{index}", "email": f"khach{index}@example.vn", "lang": "vi_VN",
            "user_id": cls.lan.id} for index in range(5)])
        cls.cron = cls.env.ref("pi_crm.ir_cron_send_greetings")
        cls.cron.code = f"model._cron_send_greetings(date_ref=datetime.date({DAY.year}, {DAY.month}, {DAY.day}), " \
                        "batch_size=2)"

    def _remaining(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        return Partner.search_count(self.birthday._get_greeting_todo_domain(DAY))

    def _sent(self):
        """{customer: (logs, SMS, e-mails)} of the birthday greeting."""
        result = {}
        for partner in self.born_today:
            logs = self._logs(self.birthday, partner)
            messages = self.env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "=", partner.id), ("pi_care_kind", "=", "greeting")])
            sms = self.env["sms.sms"].sudo().search_count([("mail_message_id", "in", messages.ids)])
            mails = self.env["mail.mail"].sudo().search_count([("mail_message_id", "in", messages.ids)])
            result[partner.name] = (len(logs), sms, mails)
        return result

    def _greeted(self):
        return [name for name, counts in self._sent().items() if counts != (0, 0, 0)]

    def _assert_each_once(self):
        self.assertEqual(self._sent(), {partner.name: (1, 1, 1) for partner in self.born_today})
        self.assertEqual(set(self._logs(self.birthday, self.born_today).mapped("state")), {"sent"})

    def test_rehearsal_one_run_greets_each_once(self):
        self.assertEqual(self._remaining(), 6)
        self.assertEqual(self.run_as_worker(self.cron), "done")
        self._assert_each_once()

    def test_database_lost_after_three_greetings_then_rerun(self):
        Log = type(self.env["pi.greeting.log"])
        with patch.object(Log, "create", FailAfter(3, Log.create)), mute_logger(*LOGGERS):
            self.assertEqual(self.run_as_worker(self.cron), "done")
        # batch 1 committed; batch 2 rolled back with its third log, its SMS and its e-mail
        self.assertEqual(len(self._greeted()), 2, self._sent())
        self.assertTrue(all(counts == (1, 1, 1) for counts in self._sent().values() if counts != (0, 0, 0)))
        self.assertIn("OperationalError", self.job_status(self.cron).last_error)
        self.run_until_done(self.cron, self._remaining)
        self._assert_each_once()

    def test_worker_killed_between_two_batches_then_rerun(self):
        Occasion = type(self.env["pi.greeting.occasion"])
        with patch.object(Occasion, "_pi_send_greeting", FailAfter(3, Occasion._pi_send_greeting, WORKER_KILLED)):
            self.assertEqual(self.run_as_worker(self.cron), "killed")
        self.assertEqual(len(self._greeted()), 2, self._sent())
        self.assertFalse(self.job_status(self.cron).last_failure, "a killed worker records nothing")
        self.run_until_done(self.cron, self._remaining)
        self._assert_each_once()
        self.assertEqual(self.run_as_worker(self.cron), "done")
        self._assert_each_once()
