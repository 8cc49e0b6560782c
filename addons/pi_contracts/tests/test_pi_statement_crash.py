import contextlib
from unittest.mock import patch

from odoo import api
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.pi_contracts.models.pi_investment_statement import PiInvestmentStatement

from .common import create_investor
from .statement_common import ENGINE_LOGGER, MONDAY, PiStatementCommon

CRON_LOGGER = "odoo.addons.base.models.ir_cron"


class WorkerKilled(Exception):
    """The worker dies here: what its transaction held is lost, nothing of it was committed."""


@tagged("pi_contracts")
class TestPiStatementCrash(PiStatementCommon):
    """The statements job as an Odoo cron worker runs it (``ir.cron._process_job``: one
    transaction per batch, committed after it, rolled back when the batch raises), made
    to fail halfway and run again: each investor ends with exactly one statement, one
    e-mail and one SMS, none lost, none twice.

    The worker's commits are the test cursor's (the registry in test mode, as stock's
    cron tests do): a commit is a savepoint kept, a rollback returns to the last one.
    Six investors by e-mail and SMS, two per batch: three batches.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.investor_tuan.write({"email": "tuan@example.vn", "pi_statement_channel": "both"})
        others = cls.env["res.partner"]
        for index, name in enumerate(("Trần Thị Mai", "Phạm Văn Nam", "Vũ Thị Thảo", "Bùi Quốc Dũng")):
            others |= create_investor(cls.env, name, cls.consultant_lan, email=f"investor{index}@example.vn",
                                      mobile=f"+8491234560{index}", pi_statement_channel="both")
        cls.env["pi.investment.contract"].create([{
            "partner_id": partner.id, "product_id": cls.product.id, "principal": 200_000_000 * (index + 1),
            "date_start": cls.start} for index, partner in enumerate(others)]).action_activate()
        cls.investors = (cls.investor_hung | cls.investor_tuan | others).sorted("id")
        cls.cron = cls.env.ref("pi_contracts.ir_cron_pi_statement_send")
        # two investors per call of the job and per engine batch; the job's day is Monday 30/11/2026
        cls.env["ir.config_parameter"].set_param("pi_contracts.statement_batch_size", "2")
        cls.cron.code = f"model._cron_send_statements(batch_size=2, date_ref='{MONDAY.isoformat()}')"

    def setUp(self):
        super().setUp()
        self.run = self.make_run()

    # ------------------------------------------------------------------ helpers
    @contextlib.contextmanager
    def worker_cursor(self):
        """The registry in test mode: ``registry.cursor()`` is what a cron worker gets."""
        self.env.flush_all()
        self.registry.enter_test_mode(self.cr)
        try:
            yield
        finally:
            self.registry.leave_test_mode()
            self.env.invalidate_all()

    def run_worker(self):
        """One pass of a cron worker over the statements job: up to 10 calls, a commit after each,
        the call that raised rolled back."""
        job = {**self.cron.read(load=None)[0], "done": 0, "remaining": 0, "timed_out_counter": 0}
        with self.worker_cursor(), mute_logger(CRON_LOGGER, ENGINE_LOGGER):
            self.registry["ir.cron"]._process_job(self.registry.db_name, self.registry.cursor(), job)

    @contextlib.contextmanager
    def killed_after(self, investors):
        """The worker dies once ``investors`` statements were delivered in all, in the middle of a batch:
        the investors before it in that batch got their e-mail and SMS in the batch's transaction."""
        original = PiInvestmentStatement._deliver
        delivered = []

        def deliver(statements):
            left = investors - len(delivered)
            original(statements[:left])
            delivered.extend(statements[:left].ids)
            if len(statements) > left:
                raise WorkerKilled("the worker was killed")

        with patch.object(PiInvestmentStatement, "_deliver", deliver):
            yield delivered

    def assert_each_once(self, investors):
        statements = self.Statement.search([("run_id", "=", self.run.id), ("partner_id", "in", investors.ids)])
        self.assertEqual(sorted(statements.partner_id.ids), sorted(investors.ids))
        self.assertFalse(self.Statement.search([("run_id", "=", self.run.id),
                                                ("partner_id", "not in", self.investors.ids)]))
        for investor in investors:
            with self.subTest(investor=investor.name):
                statement = statements.filtered(lambda s, investor=investor: s.partner_id == investor)
                self.assertEqual(len(statement), 1)
                self.assertEqual((statement.state, statement.email_state, statement.sms_state),
                                 ("sent", "queued", "queued"))
                email, sms = self.email_messages(investor), self.sms_messages(investor)
                self.assertEqual((len(email), len(sms)), (1, 1))
                self.assertEqual((email, sms), (statement.mail_message_id, statement.sms_message_id))
                mails = self.env["mail.mail"].search([("mail_message_id", "=", email.id)])
                self.assertEqual(len(mails), 1)
                self.assertEqual(mails.attachment_ids, statement.attachment_id)
                self.assertEqual(self.env["sms.sms"].search_count([("mail_message_id", "=", sms.id)]), 1)

    def assert_nothing_for(self, investors):
        self.assertFalse(self.Statement.search([("run_id", "=", self.run.id), ("state", "=", "sent"),
                                                ("partner_id", "in", investors.ids)]))
        for investor in investors:
            self.assertFalse(self.email_messages(investor) | self.sms_messages(investor), investor.name)
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", investors.ids)]))
        self.assertFalse(self.env["sms.sms"].search([("partner_id", "in", investors.ids)]))

    # ------------------------------------------------------------------ tests
    def test_the_job_fails_halfway_then_runs_again(self):
        """The second batch raises after its first investor: the worker rolls that batch back
        (its first investor's e-mail and SMS with it) and keeps the first batch."""
        with self.mock_mail_gateway(), self.killed_after(3) as delivered:
            self.run_worker()
        self.assertEqual(len(delivered), 3)
        self.assert_each_once(self.investors[:2])
        self.assert_nothing_for(self.investors[2:])
        self.assertEqual(self.run.state, "sending")
        self.assertEqual(self.cron.failure_count, 1)
        with self.mock_mail_gateway():
            self.run_worker()
        self.assert_each_once(self.investors)
        self.assertEqual((self.run.state, self.run.sent_count), ("done", 6))
        self.assertEqual(self.cron.failure_count, 0)

    def test_a_worker_killed_between_two_batches(self):
        """One batch committed, the worker dies before the next; a second worker dies in the middle
        of its batch (nothing of it committed); a third one finishes the job."""
        with self.mock_mail_gateway(), self.worker_cursor():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, self.env.uid, {})
                self.assertEqual(env["pi.statement.run"]._cron_send_statements(batch_size=2, date_ref=MONDAY),
                                 (2, 4))
                # the registry's test cursor: a savepoint kept, as the worker's commit after its batch
                cr.commit()  # pylint: disable=invalid-commit
            # the worker is killed here, between two batches; the next one dies within its batch
            with self.killed_after(1), self.assertRaises(WorkerKilled), self.registry.cursor() as cr:
                api.Environment(cr, self.env.uid, {})["pi.statement.run"]._cron_send_statements(
                    batch_size=2, date_ref=MONDAY)
        self.assert_each_once(self.investors[:2])
        self.assert_nothing_for(self.investors[2:])
        with self.mock_mail_gateway():
            self.run_worker()
        self.assert_each_once(self.investors)
        self.assertEqual(self.run.state, "done")

    def test_a_failed_investor_is_recorded_and_sent_once_later(self):
        """The gateway fails for one investor: the others are sent, that one is failed with its reason and
        retried by a later pass of the job, once."""
        tuan = self.investor_tuan
        with self.mock_mail_gateway(), self.crash_for(tuan):
            self.run_worker()
        statement = self.statement_of(tuan, self.run)
        self.assertEqual((statement.state, statement.attempt_count), ("failed", 1))
        self.assertIn("gateway exploded", statement.failure_reason)
        self.assert_each_once(self.investors - tuan)
        self.assert_nothing_for(tuan)
        self.env.cr.execute("UPDATE pi_investment_statement SET attempt_date = attempt_date - interval '2 hours' "
                            "WHERE id = %s", [statement.id])
        statement.invalidate_recordset()
        with self.mock_mail_gateway():
            self.run_worker()
        self.assert_each_once(self.investors)
