from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .statement_common import WEEK_END, PiStatementCommon

REFUSED = UserError  # AccessError is a UserError: either refusal


@tagged("pi_contracts")
class TestPiStatementSecurity(PiStatementCommon):
    """Over the ORM as RPC calls it (``with_user``): who reads, who sends, and
    that nobody but the engine writes figures or states."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sent_run = cls.Run.create({"period": "weekly", "date_to": WEEK_END, "company_id": cls.company.id})
        cls.sent_run.action_send()  # e-mails and SMS are queued only
        cls.statement_hung = cls.Statement.search([("partner_id", "=", cls.investor_hung.id)])
        cls.investor_user = new_test_user(
            cls.env, login="pc_stmt_investor", groups="base.group_portal", partner_id=cls.investor_hung.id)

    def test_consultant_reads_own_customers_statements_only(self):
        own = self.Statement.with_user(self.consultant_lan).search([])
        self.assertIn(self.statement_hung, own)
        self.assertNotIn(self.investor_tuan, own.partner_id)
        self.statement_hung.with_user(self.consultant_lan).read(["total_value", "state"])
        self.statement_hung.line_ids.with_user(self.consultant_lan).read(["value"])
        with self.assertRaises(AccessError):
            self.statement_hung.with_user(self.consultant_minh).read(["total_value"])
        with self.assertRaises(AccessError):
            self.statement_hung.line_ids.with_user(self.consultant_minh).read(["value"])
        self.assertFalse(self.Statement.with_user(self.consultant_minh).search(
            [("id", "=", self.statement_hung.id)]))

    def test_consultant_cannot_send(self):
        with self.assertRaises(AccessError):
            self.sent_run.with_user(self.consultant_lan).action_send()

    def test_manager_sends_and_sees_all(self):
        statements = self.Statement.with_user(self.manager).search([("run_id", "=", self.sent_run.id)])
        self.assertLessEqual(self.sent_run.statement_ids, statements)
        self.sent_run.with_user(self.manager).action_send()  # nothing new: no second e-mail
        self.assertEqual(len(self.email_messages(self.investor_hung)), 1)

    def test_nobody_writes_figures_or_state(self):
        for user in (self.consultant_lan, self.manager, self.pi_admin):
            statement = self.statement_hung.with_user(user)
            for vals in ({"state": "pending"}, {"total_value": 1}, {"failure_reason": "x"},
                         {"attachment_id": False}):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(REFUSED):
                    statement.write(vals)
            with self.subTest(user=user.login, what="line"), self.assertRaises(REFUSED):
                statement.line_ids.write({"value": 1})
            with self.subTest(user=user.login, what="create"), self.assertRaises(REFUSED):
                self.Statement.with_user(user).create({"run_id": self.sent_run.id, "partner_id": self.investor_hung.id})
        # not even superuser code: the engine's marker only
        with self.assertRaises(UserError):
            self.statement_hung.sudo().write({"state": "pending"})
        with self.assertRaises(UserError):
            self.statement_hung.line_ids.sudo().write({"value": 1})
        with self.assertRaises(UserError):
            self.sent_run.with_user(self.manager).write({"state": "draft"})
        with self.assertRaises(UserError):
            self.sent_run.with_user(self.manager).write({"date_to": "2026-11-22"})
        self.assertEqual(self.statement_hung.state, "sent")

    def test_context_key_of_the_engine_cannot_be_forged(self):
        forged = self.statement_hung.with_user(self.manager).with_context(pi_statement_engine_write=True)
        with self.assertRaises(REFUSED):
            forged.write({"state": "pending"})
        with self.assertRaises(REFUSED):
            self.sent_run.with_user(self.manager).with_context(pi_statement_engine_write=True).write({"state": "draft"})

    def test_portal_user_gets_nothing_over_rpc(self):
        investor = self.investor_user
        with self.assertRaises(AccessError):
            self.sent_run.with_user(investor).read(["name"])
        with self.assertRaises(AccessError):
            self.sent_run.with_user(investor).action_send()
        with self.assertRaises(REFUSED):
            self.statement_hung.with_user(investor).write({"state": "pending"})
        with self.assertRaises(AccessError):
            self.Run.with_user(investor).create({"period": "weekly", "date_to": "2026-11-22"})
        other = self.Statement.search([("partner_id", "=", self.investor_tuan.id)])
        with self.assertRaises(AccessError):
            other.with_user(investor).read(["total_value"])
