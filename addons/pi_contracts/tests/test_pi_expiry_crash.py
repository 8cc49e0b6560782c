import datetime
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.pi_crm.tests.cron_crash import WORKER_KILLED, CronCrashMixin, FailAfter

from ..models.pi_contract_expiry_notice import NOTICE_ATTEMPTS
from .common import PiContractsCommon

END = datetime.date(2027, 1, 1)
DAY = END - datetime.timedelta(days=7)
LOGGERS = ("odoo.addons.pi_contracts.models.pi_investment_contract", "odoo.addons.pi_crm.models.ir_cron")


@tagged("pi_contracts", "pi_crash")
class TestPiExpiryCrash(CronCrashMixin, PiContractsCommon):
    """The expiry notices' cron, run by a worker two contracts per batch over six contracts
    ending on 01/01/2027, seven days before: broken halfway, then run again. Each contract
    ends with exactly one notice stamp, one e-mail to the managers and one To-Do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activate_fixture_contracts_only()
        cls.contract_lan.company_id.email = "hopdong@pi.example.vn"
        Contract = cls.env["pi.investment.contract"]
        others = Contract.create([
            {"partner_id": (cls.investor_hung, cls.investor_tuan)[index % 2].id, "product_id": cls.product.id,
             "principal": 100_000_000 * (index + 1), "date_start": cls.start}
            for index in range(4)])
        others.action_activate()
        cls.contracts = cls.contract_lan | cls.contract_minh | others
        cls.cron = cls.env.ref("pi_contracts.ir_cron_pi_contract_expiry")
        cls.cron.code = f"model._cron_process_expiry(batch_size=2, date_ref='{DAY.isoformat()}')"

    def _remaining(self):
        Contract = self.env["pi.investment.contract"]
        thresholds = self.env["pi.financial.policy"]._get_notice_days()
        return Contract.search_count(Contract._get_expiry_notice_domain(DAY, 7, thresholds))

    def _sent(self):
        """{contract: (stamps, e-mails to the managers, To-Dos)} for the six contracts."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        result = {}
        for contract in self.contracts:
            stamps = self.env["pi.contract.expiry.notice"].search_count([("contract_id", "=", contract.id)])
            mails = self.env["mail.mail"].sudo().search_count([
                ("model", "=", contract._name), ("res_id", "=", contract.id),
                ("recipient_ids", "in", self.manager.partner_id.ids)])
            todos = len(contract.activity_ids.filtered(lambda act: act.activity_type_id == todo))
            result[contract.name] = (stamps, mails, todos)
        return result

    def _assert_each_once(self):
        self.assertEqual(self._sent(), {contract.name: (1, 1, 1) for contract in self.contracts})
        self.assertEqual(set(self.env["pi.contract.expiry.notice"].search(
            [("contract_id", "in", self.contracts.ids)]).mapped("state")), {"sent"})

    def _done_contracts(self):
        return [name for name, counts in self._sent().items() if counts != (0, 0, 0)]

    def test_rehearsal_one_run_sends_each_notice_once(self):
        self.assertEqual(self._remaining(), 6)
        self.assertEqual(self.run_as_worker(self.cron), "done")
        self._assert_each_once()
        self.assertTrue(self.job_status(self.cron).last_success)

    def test_database_lost_after_three_notices_then_rerun(self):
        Notice = type(self.env["pi.contract.expiry.notice"])
        failing = FailAfter(3, Notice.create)
        with patch.object(Notice, "create", failing), mute_logger(*LOGGERS):
            self.assertEqual(self.run_as_worker(self.cron), "done")
        # the first batch (two contracts) was committed; the third notice, written in the
        # second batch, went with that batch's rollback, and so did its e-mail and To-Do
        self.assertEqual(len(self._done_contracts()), 2, self._sent())
        self.assertTrue(all(counts == (1, 1, 1) for counts in self._sent().values() if counts != (0, 0, 0)))
        status = self.job_status(self.cron)
        self.assertIn("OperationalError", status.last_error)
        self.assertTrue(status.last_failure)
        self.run_until_done(self.cron, self._remaining)
        self._assert_each_once()

    def test_worker_killed_between_two_batches_then_rerun(self):
        Contract = type(self.env["pi.investment.contract"])
        # the fourth contract is the second of the second batch: killed with one notice of
        # that batch written (and lost with the transaction)
        killer = FailAfter(3, Contract._send_one_expiry_notice, WORKER_KILLED)
        with patch.object(Contract, "_send_one_expiry_notice", killer):
            self.assertEqual(self.run_as_worker(self.cron), "killed")
        self.assertEqual(len(self._done_contracts()), 2, self._sent())
        self.assertFalse(self.job_status(self.cron).last_failure, "a killed worker records nothing")
        self.run_until_done(self.cron, self._remaining)
        self._assert_each_once()
        # and a later run of the same day finds nothing to send
        self.assertEqual(self.run_as_worker(self.cron), "done")
        self._assert_each_once()

    def test_a_failed_notice_is_tried_again_the_next_days_then_left(self):
        """A notice that fails on its own (the others go) is stamped failed with its reason,
        not tried again the same day, tried again the next day: sent once in the end."""
        Contract = type(self.env["pi.investment.contract"])
        original = Contract._send_one_expiry_notice
        lan_id = self.contract_lan.id

        def flaky(contract, *args, **kwargs):
            if contract.id == lan_id:
                raise ValueError("SMTP lock timeout")
            return original(contract, *args, **kwargs)

        with patch.object(Contract, "_send_one_expiry_notice", flaky), mute_logger(*LOGGERS):
            self.run_until_done(self.cron, self._remaining)
            self.assertEqual(self.run_as_worker(self.cron), "done")
        stamp = self.env["pi.contract.expiry.notice"].search([("contract_id", "=", lan_id)])
        self.assertRecordValues(stamp, [{"state": "failed", "attempts": 1, "note": "SMTP lock timeout"}])
        self.assertEqual(self._sent()[self.contract_lan.name], (1, 0, 0))
        next_day = DAY + datetime.timedelta(days=1)
        self.cron.code = f"model._cron_process_expiry(batch_size=2, date_ref='{next_day.isoformat()}')"
        self.assertEqual(self.run_as_worker(self.cron), "done")
        self.assertRecordValues(stamp, [{"state": "sent", "attempts": 2, "note": False, "date_sent": next_day}])
        self._assert_each_once()

    def test_a_notice_failing_every_day_stops_after_its_tries(self):
        Contract = type(self.env["pi.investment.contract"])
        with patch.object(Contract, "_send_one_expiry_notice", side_effect=ValueError("template broken")), \
                mute_logger(*LOGGERS):
            for offset in range(NOTICE_ATTEMPTS + 1):
                day = DAY + datetime.timedelta(days=offset)
                self.env["pi.investment.contract"]._cron_process_expiry(date_ref=day)
        stamps = self.env["pi.contract.expiry.notice"].search([("contract_id", "in", self.contracts.ids)])
        self.assertEqual(set(stamps.mapped("attempts")), {NOTICE_ATTEMPTS})
        self.assertEqual(set(stamps.mapped("state")), {"failed"})
        self.assertEqual(len(stamps), len(self.contracts), "one stamp per contract and threshold, written again")
