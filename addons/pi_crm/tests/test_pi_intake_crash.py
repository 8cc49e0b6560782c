from unittest.mock import patch

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models.pi_api_call import FOLLOWUP_ATTEMPTS, FOLLOWUP_GRACE_SECONDS
from .cron_crash import WORKER_KILLED, CronCrashMixin, FailAfter

LOGGERS = ("odoo.addons.pi_crm.models.pi_api_call", "odoo.addons.pi_crm.models.ir_cron")


@tagged("pi_intake", "pi_crash")
class TestPiIntakeCrash(CronCrashMixin, TransactionCase):
    """The intake follow-ups' cron (the switchboard calls' history entries and live notices
    that their after-response run never did), run by a worker two calls per batch over six
    calls from six known customers: broken halfway, then run again. Each call ends done with
    exactly one history entry of its customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = cls.env["pi.integration.key"].create({"name": "Tổng đài thử", "kind": "pbx"})
        cls.partners = cls.env["res.partner"].create([{"name": f"Khách Gọi {index}"} for index in range(6)])
        Call = cls.env["pi.api.call"]
        cls.calls = Call.browse([Call._log_call({
            "endpoint": "pbx", "status_code": 200, "key_id": cls.key.id, "followup": {
                "key_id": cls.key.id, "kind": "pbx_call", "caller": f"+8491200022{index}", "called": "",
                "call_id": f"c-{index}", "date": False, "partner_id": partner.id, "lead_id": False,
                "responsible_id": False, "team_id": False,
                "answer": {"match": "partner", "name": partner.name, "url": "/odoo"}}})
            for index, partner in enumerate(cls.partners)])
        cls.cron = cls.env.ref("pi_crm.ir_cron_pi_api_call_followup")
        cls.cron.code = "model._cron_run_followups(batch_size=2)"

    def _age(self):
        """Past the grace time: what the after-response run left (or a failed try) is the cron's."""
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE pi_api_call SET create_date = create_date - make_interval(secs => %(secs)s),
                                      write_date = write_date - make_interval(secs => %(secs)s)
                WHERE id IN %(ids)s""", {"secs": FOLLOWUP_GRACE_SECONDS + 1, "ids": tuple(self.calls.ids)})
        self.env.invalidate_all()

    def _pending(self):
        self._age()
        return self.env["pi.api.call"].search_count([("id", "in", self.calls.ids), ("followup_state", "=", "pending")])

    def _entries(self):
        Interaction = self.env["pi.interaction"]
        return {partner.name: Interaction.search_count([("partner_id", "=", partner.id)]) for partner in self.partners}

    def _assert_each_once(self):
        self.assertEqual(self._entries(), dict.fromkeys(self.partners.mapped("name"), 1))
        self.assertEqual(set(self.calls.mapped("followup_state")), {"done"})
        self.assertFalse(any(self.calls.sudo().mapped("followup_payload")))

    def test_rehearsal_one_run_does_each_once(self):
        self.assertEqual(self._pending(), 6)
        self.assertEqual(self.run_as_worker(self.cron), "done")
        self._assert_each_once()

    def test_failing_after_three_then_rerun_loses_nothing(self):
        self._age()
        Call = type(self.env["pi.api.call"])
        with patch.object(Call, "_run_followup", FailAfter(3, Call._run_followup)), mute_logger(*LOGGERS):
            self.assertEqual(self.run_as_worker(self.cron), "done")
        # three done; the others failed once and wait, with their work, for the next try
        self.assertEqual(sorted(self._entries().values()), [0, 0, 0, 1, 1, 1])
        self.assertEqual(sorted(self.calls.mapped("followup_state")), ["done"] * 3 + ["pending"] * 3)
        self.assertEqual(sorted(self.calls.mapped("followup_attempts")), [0, 0, 0, 1, 1, 1])
        self.assertTrue(all(self.calls.filtered(lambda call: call.followup_state == "pending").sudo()
                            .mapped("followup_payload")))
        self.assertEqual(self.run_as_worker(self.cron), "done", "a failed try waits the grace time")
        self.assertEqual(sorted(self._entries().values()), [0, 0, 0, 1, 1, 1])
        self.run_until_done(self.cron, self._pending)
        self._assert_each_once()

    def test_always_failing_follow_up_ends_failed_after_its_attempts(self):
        Call = type(self.env["pi.api.call"])
        with patch.object(Call, "_run_followup", FailAfter(0, Call._run_followup)), mute_logger(*LOGGERS):
            for _attempt in range(FOLLOWUP_ATTEMPTS):
                self._age()
                self.run_as_worker(self.cron)
        self.assertEqual(set(self.calls.mapped("followup_state")), {"failed"})
        self.assertFalse(any(self.calls.sudo().mapped("followup_payload")), "no caller's number is kept")
        self.assertEqual(self._pending(), 0)

    def test_worker_killed_between_two_batches_then_rerun(self):
        self._age()
        Call = type(self.env["pi.api.call"])
        with patch.object(Call, "_run_followup", FailAfter(3, Call._run_followup, WORKER_KILLED)):
            self.assertEqual(self.run_as_worker(self.cron), "killed")
        self.assertEqual(sorted(self._entries().values()), [0, 0, 0, 0, 1, 1], "batch 2 died with its worker")
        self.run_until_done(self.cron, self._pending)
        self._assert_each_once()
        self.assertEqual(self.run_as_worker(self.cron), "done")
        self._assert_each_once()
