import datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.pi_contracts.tests.common import create_investor, create_pi_user

from ..models.pi_bonus_line import PiBonusLine
from ..models.pi_bonus_statement import PiBonusStatement
from ..tools import bonus_write
from .bonus_common import PiBonusCommon

NOVEMBER = datetime.date(2026, 11, 1)


class Crash(Exception):
    """The worker's failure in the middle of a batch."""


@tagged("pi_bonus")
class TestPiBonusCrash(PiBonusCommon):
    """The jobs that write bonus lines and statements in batches stop halfway (an
    exception after N records; a worker killed between two batches) and run again:
    nothing twice, nothing lost.

    Five consultants, one contract each activated in November; the monthly job makes
    their statements two at a time. Each job run is its own transaction: a savepoint
    kept stands for a committed run, one rolled back for a run that failed or whose
    worker was killed before its commit.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultants = cls.env["res.users"].concat(*(
            create_pi_user(cls.env, "consultant", f"pb_crash_{n}", f"Tư vấn {n}") for n in range(5)))
        cls.contracts = cls.env["pi.investment.contract"].concat(*(
            cls._contract(500_000_000 * (n + 1), partner=create_investor(
                cls.env, f"Nhà đầu tư {n}", consultant, mobile=f"+8490000000{n}"))
            for n, consultant in enumerate(cls.consultants)))
        with freeze_time("2026-11-15"):
            cls.contracts.action_activate()

    def _run_job(self, batch_size=2):
        """One run of the monthly job on 01/12/2026, as the cron worker calls it."""
        with freeze_time("2026-12-01"):
            return self.env["pi.bonus.statement"]._cron_generate_statements(batch_size=batch_size)

    def _statements(self):
        return self.env["pi.bonus.statement"].search([("date_month", "=", NOVEMBER),
                                                      ("user_id", "in", self.consultants.ids)])

    def _assert_each_consultant_once(self):
        statements = self._statements()
        self.assertEqual(sorted(statements.user_id.ids), sorted(self.consultants.ids))  # none twice, none lost
        for statement in statements:
            self.assertEqual(statement.line_ids, self._line(self.contracts.filtered(
                lambda contract, statement=statement: contract.user_id == statement.user_id)))
            self.assertEqual(statement.amount_provisional, statement.line_ids.amount)

    def test_a_worker_killed_between_batches_leaves_the_rest_to_the_next_run(self):
        made, remaining = self._run_job()
        self.assertEqual((len(made), remaining), (2, 3))
        # the second run's worker is killed before its commit: its batch is lost with it
        with self.assertRaises(Crash), self.env.cr.savepoint():
            made, remaining = self._run_job()
            self.assertEqual((len(made), remaining), (2, 1))
            raise Crash("SIGKILL")
        self.env.invalidate_all()
        self.assertEqual(len(self._statements()), 2)
        runs = [self._run_job() for _run in range(3)]
        self.assertEqual([(len(made), remaining) for made, remaining in runs], [(2, 1), (1, 0), (0, 0)])
        self._assert_each_consultant_once()

    def test_a_run_failing_halfway_through_a_batch_is_run_again(self):
        refresh = PiBonusStatement._pi_refresh
        calls = []

        def failing_refresh(statements):
            calls.append(statements.ids)
            if len(calls) == 3:
                raise Crash("the third statement fails")
            return refresh(statements)

        with patch.object(PiBonusStatement, "_pi_refresh", failing_refresh), \
                self.assertRaises(Crash), self.env.cr.savepoint():
            self._run_job(batch_size=10)
        self.env.invalidate_all()
        self.assertFalse(self._statements())  # the failed run's transaction is rolled back whole
        made, remaining = self._run_job(batch_size=10)
        self.assertEqual((len(made), remaining), (5, 0))
        self.assertEqual(self._run_job(batch_size=10)[0], self.env["pi.bonus.statement"])
        self._assert_each_consultant_once()

    def test_the_database_refuses_a_second_statement(self):
        self._run_job(batch_size=10)
        engine = self.env["pi.bonus.statement"].sudo().with_context(**bonus_write.action_context())
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            engine.create({"user_id": self.consultants[0].id, "company_id": self.env.company.id,
                           "date_month": NOVEMBER})

    def test_an_activation_failing_halfway_makes_no_line_and_a_rerun_makes_each_once(self):
        drafts = self.env["pi.investment.contract"].concat(*(self._contract(700_000_000) for _n in range(4)))
        prepare = PiBonusLine._pi_prepare_values
        calls = []

        def failing_prepare(model, contract, *args, **kwargs):
            calls.append(contract.id)
            if len(calls) == 3:
                raise Crash("the third contract fails")
            return prepare(model, contract, *args, **kwargs)

        with patch.object(PiBonusLine, "_pi_prepare_values", failing_prepare), \
                self.assertRaises(Crash), self.env.cr.savepoint():
            drafts.action_activate()
        self.env.invalidate_all()
        self.assertEqual(set(drafts.mapped("state")), {"draft"})
        self.assertFalse(self._line(drafts))
        drafts.action_activate()
        with self.assertRaises(UserError):
            drafts.action_activate()
        self.env["pi.bonus.line"]._pi_create_for_contracts(drafts)  # the line step retried alone
        lines = self._line(drafts)
        self.assertEqual(len(lines), 4)
        self.assertEqual(lines.contract_id, drafts)
